"""`flask --app wsgi ocop create-user EMAIL --role staff|admin`: the first programme staff accounts."""
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from storefront.accounts.errors import AccountError
from storefront.accounts.services import sign_up


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(["staff", "admin"]), default="staff", show_default=True,
              help="Programme staff, or an administrator who also manages staff accounts.")
@click.option("--name", default="", help="The person's name, as shown to colleagues.")
@click.option("--phone", default=None, help="Vietnamese mobile number (optional; they can sign in with it).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.option("--lang", type=click.Choice(["vi", "en"]), help="Language of the messages (default: Vietnamese).")
@with_appcontext
def create_user(email, role, name, phone, password_stdin, lang):
    """Create a staff or admin account. Asks for the password twice, hidden, unless --password-stdin."""
    with force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]):
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=_("Password again"))
        try:
            user = sign_up(email, password, name=name, phone=phone, role=role)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"{user.role} {user.email} (id {user.id})")
