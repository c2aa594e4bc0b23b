"""Forms of the staff marketplace pages. They carry the input; catalog.listings.mapping and csv_import check
the values, and their messages land on the same fields."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from catalog.listings.models import MARKETPLACES
from catalog.listings.services import label
from catalog.ocop import GROUPS, PRODUCT_SETS, SET_GROUP
from storefront.urls import parse_id

UPLOAD_SUFFIXES = ("csv", "xlsx")


def _marketplaces():
    return [SelectChoice("", _l("— choose —"))] + [SelectChoice(m, label(m)) for m in MARKETPLACES]


def _groups():
    return [SelectChoice("", _l("— choose —"))] + [SelectChoice(c.code, c.label) for c in GROUPS]


def _sets():
    return [SelectChoice("", _l("The whole group"))] + [
        SelectChoice(c.code, c.label, optgroup=GROUPS.label(SET_GROUP[c.code])) for c in PRODUCT_SETS]


class MappingForm(FlaskForm):
    mapping_id = HiddenField()
    marketplace = SelectField(_l("Marketplace"), choices=_marketplaces, validate_choice=False)
    group = SelectField(_l("OCOP group"), choices=_groups, validate_choice=False)
    product_set = SelectField(_l("Product set"), choices=_sets, default="", validate_choice=False)
    category = StringField(_l("Category (Tiki, Sendo, Postmart: its id; Voso: its path)"))
    note = StringField(_l("Note (optional)"))

    def edited_id(self):
        """The id of the row being changed, None for a new row (0 for junk: no row has it)."""
        text = (self.mapping_id.data or "").strip()
        if not text:
            return None
        return parse_id(text) or 0


class DeleteForm(FlaskForm):
    """A delete button: only its CSRF token."""


class UploadForm(FlaskForm):
    file = FileField(_l("Listings file (.csv or .xlsx, at most 10 MB)"), [
        FileRequired(_l("Choose a .csv or .xlsx file.")),
        FileAllowed(UPLOAD_SUFFIXES, _l("Only .csv (UTF-8) or .xlsx files are accepted.")),
    ])
    dry_run = BooleanField(_l("Only check the file: save nothing"))
