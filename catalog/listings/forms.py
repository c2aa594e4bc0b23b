"""Forms of the "Bán trên sàn" pages. They check shape (present, not too long); the services
(catalog.listings.services, catalog.marketplaces.accounts) check the rest and their messages land on the
same fields."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

REQUIRED = _l("Please fill this in.")
MAX_ID = 2**31 - 1
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
        self.data = sorted({int(v) for v in valuelist if v.isascii() and v.isdigit() and 0 < int(v) <= MAX_ID})

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
