"""Order commands for the `flask --app wsgi ocop` group: `ocop expire-orders` (run it from cron every minute)."""
import click
from flask import current_app
from flask.cli import with_appcontext

from orders.fulfilment import expire_unpaid


@click.command("expire-orders")
@with_appcontext
def expire_orders_command():
    """Cancel card and transfer orders not paid by their deadline and return their stock."""
    # Cron has no request, yet the shoppers' e-mails carry absolute links: build them as for BASE_URL.
    with current_app.test_request_context(base_url=current_app.config.get("BASE_URL") or None):
        expired, paid = expire_unpaid()
    click.echo(f"Expired {expired} unpaid order(s); {paid} found paid on Stripe.")


def register(group):
    group.add_command(expire_orders_command)
