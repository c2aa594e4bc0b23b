"""`flask --app wsgi ocop refresh-listings`: ask Tiki for the review results of every booth's submitted
products. Safe from cron (hourly is plenty): each result is committed as it arrives, running it twice
changes nothing more, and one booth's failure does not stop the others. Exits 1 when something could not
be checked (the reasons are on stderr), so cron's mail says so; a missing or wrong MARKETPLACE_SECRETS_KEY
stops it at once."""
import sys
from collections import Counter

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import force_locale
from tqdm import tqdm

from catalog.listings.models import Listing
from catalog.marketplaces.errors import MarketplaceError, SecretsKeyError
from catalog.marketplaces.push import refresh_submissions
from catalog.models import Product
from storefront.extensions import db
from vendors.models import Vendor

BAR_FROM = 50  # submissions before a progress bar is worth showing (each is a network round trip)


def _waiting():
    """Tiki submissions still in review, per booth id."""
    return (sa.select(Product.vendor_id, sa.func.count(Listing.id))
            .join(Product, Product.id == Listing.product_id)
            .where(Listing.marketplace == "tiki", Listing.status == "submitted", Listing.track_id.is_not(None))
            .group_by(Product.vendor_id))


@click.command("refresh-listings")
@click.option("--booth", metavar="SLUG", help="Only this booth.")
@with_appcontext
def refresh_listings_command(booth):
    """Poll Tiki for the review results of submitted products (approved ones become listed)."""
    waiting = dict(db.session.execute(_waiting()).all())
    query = sa.select(Vendor).where(Vendor.id.in_(list(waiting))).order_by(Vendor.id)
    if booth:
        query = query.where(Vendor.slug == booth)
    vendors = db.session.scalars(query).all()
    if booth and not vendors and not db.session.scalar(sa.select(Vendor.id).where(Vendor.slug == booth)):
        raise click.ClickException(f"No booth with the slug {booth!r}.")
    total = sum(waiting[v.id] for v in vendors)
    counts, problems = Counter(), []
    with force_locale("en"), tqdm(total=total, desc="Tiki", unit="", file=sys.stderr, leave=False,
                                  disable=None if total >= BAR_FROM else True) as bar:
        for vendor in vendors:
            slug = vendor.slug
            try:
                results = refresh_submissions(vendor, "tiki", progress=bar.update, budget=None)
            except SecretsKeyError as exc:
                raise click.ClickException(str(exc)) from None
            except MarketplaceError as exc:
                db.session.rollback()
                counts["failed"] += waiting[vendor.id]
                problems.append(f"{slug}: {exc}")
                continue
            for result in results:
                if not result.ok and result.status == "submitted":
                    counts["failed"] += 1
                    problems.append(f"{slug}: {result.name}: {result.message}")
                else:
                    counts[result.status] += 1
                    if result.status != "submitted":
                        click.echo(f"{slug}: {result.name}: {result.message}")
    for line in problems:
        click.echo(line, err=True)
    click.echo(f"Checked {total} Tiki submission(s) in {len(vendors)} booth(s): {counts['listed']} listed, "
               f"{counts['rejected']} rejected, {counts['submitted']} still in review, "
               f"{counts['failed']} not checked.")
    if counts["failed"]:
        click.get_current_context().exit(1)


def register(group):
    group.add_command(refresh_listings_command)
