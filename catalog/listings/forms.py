"""Forms of the "Bán trên sàn" pages. They check shape (present, not too long); the services
(catalog.listings.services, catalog.marketplaces.accounts) check the rest and their messages land on the
same fields."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from storefront.urls import parse_id

REQUIRED = _l("Please fill this in.")
# What each marketplace calls the two halves of its API credentials.
CREDENTIAL_LABELS = {
    "tiki": (_l("Client ID"), _l("Client secret")),
    "sendo": (_l("Shop key"), _l("Secret key")),
}


def _at_most(n):
    return Length(max=n, message=_l("Use at most %(max)d characters."))


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""


class IdListField(Field):
    """Every value of a repeated field that is a product id (`product_id=3&product_id=8`); junk is ignored."""

    def process_formdata(self, valuelist):
        self.data = sorted({i for i in map(parse_id, valuelist) if i is not None})

    def _value(self):
        return ""


class PushForm(FlaskForm):
    """Send the ticked products, or every ready one when none is ticked."""

    product_id = IdListField(default=list)


class CredentialsForm(FlaskForm):
    key = StringField(_l("Key"), [DataRequired(REQUIRED), _at_most(200)])
    # A PasswordField never writes its value back into the page: a secret typed is not shown again.
    secret = PasswordField(_l("Secret"), [DataRequired(REQUIRED), _at_most(500)])


def credentials_form(marketplace):
    """The credentials form labelled with the marketplace's own words."""
    form = CredentialsForm()
    key_label, secret_label = CREDENTIAL_LABELS[marketplace]
    form.key.label.text, form.secret.label.text = key_label, secret_label
    return form


class ListingForm(FlaskForm):
    url = StringField(_l("Address of the product's page"), [DataRequired(REQUIRED), _at_most(500)])
    external_id = StringField(_l("The marketplace's product id (optional)"), [Optional(), _at_most(100)])
