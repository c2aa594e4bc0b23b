"""Booth forms. They check shape (present, not too long, a phone number); services check the rest."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, HiddenField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Length

from storefront.accounts.forms import email_shape, phone_shape
from storefront.places import provinces
from vendors.entities import DOCUMENT_KINDS, ENTITY_TYPES

REQUIRED = _l("Please fill this in.")
DOCUMENT_HINT = _l("PDF or a photo (JPEG, PNG, WebP), at most 10 MB.")


def _required():
    return DataRequired(message=REQUIRED)


def _at_most(n):
    return Length(max=n, message=_l("Use at most %(max)d characters."))


def _province_choices():
    return [("", _l("Choose a province"))] + [(p.slug, p.name) for p in provinces()]


class _PlaceAndContact:
    """Fields shared by the application and the profile."""
    province = SelectField(_l("Province or city"), [_required()])
    commune = StringField(_l("Commune or ward"), [_required(), _at_most(120)])
    address_text = StringField(_l("Address (village, street, house number)"), [_required(), _at_most(400)])
    phone = TelField(_l("Mobile number"), [_required(), _at_most(20), phone_shape])
    email = EmailField(_l("E-mail"), [_required(), _at_most(254), email_shape])

    def _fill_choices(self):
        self.province.choices = _province_choices()


class ApplicationForm(_PlaceAndContact, FlaskForm):
    entity_type = SelectField(_l("Kind of producer"), [_required()])
    name = StringField(_l("Legal name"), [_required(), _at_most(200)])
    tax_code = StringField(_l("Tax or registration number"), [_required(), _at_most(32)])
    story = TextAreaField(_l("Your story: who you are, what you make and how"), [_required(), _at_most(20_000)])
    ocop_certificate = FileField(_l("OCOP certificate"), description=DOCUMENT_HINT)
    food_safety = FileField(_l("Food-safety certificate (optional)"), description=DOCUMENT_HINT)
    business_registration = FileField(_l("Business registration (optional)"), description=DOCUMENT_HINT)
    other = FileField(_l("Another document (optional)"), description=DOCUMENT_HINT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._fill_choices()
        self.entity_type.choices = [("", _l("Choose one"))] + [(c.code, c.label) for c in ENTITY_TYPES]

    def values(self):
        return {name: getattr(self, name).data for name in (
            "entity_type", "name", "tax_code", "province", "commune", "address_text", "phone", "email", "story")}

    def documents(self):
        """(kind, filename, file) for each document field that holds a file."""
        return [(kind.code, field.data.filename, field.data) for kind in DOCUMENT_KINDS
                if (field := getattr(self, kind.code)).data]


class ProfileForm(_PlaceAndContact, FlaskForm):
    story = TextAreaField(_l("Your story"), [_at_most(20_000)])
    logo = FileField(_l("Logo"), description=_l("A square picture (JPEG, PNG or WebP), at most 10 MB."))
    banner = FileField(_l("Banner"), description=_l("A wide picture (JPEG, PNG or WebP), at most 10 MB."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._fill_choices()

    def values(self):
        """Text fields as typed; `logo` and `banner` as the uploaded file, or None to keep the current one."""
        values = {name: getattr(self, name).data
                  for name in ("story", "phone", "email", "province", "commune", "address_text")}
        return values | {"logo": self.logo.data or None, "banner": self.banner.data or None}


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("What the applicant needs to fix"), [_required(), _at_most(4000)])
    next = HiddenField()


class ActionForm(FlaskForm):
    """Approve, suspend, reinstate: nothing to fill in but the CSRF token (and where to go back to)."""
    next = HiddenField()


class AssistedForm(FlaskForm):
    is_assisted = HiddenField()
    next = HiddenField()
