"""Dashboard forms. They check shape (present, a number, not too long); catalog.manage.services checks the
rest (price ranges, GTIN check digit, SKU free in the booth) and its messages land on the same fields."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (BooleanField, DateField, FloatField, IntegerField, RadioField, SelectField, StringField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from catalog.ocop import CERT_STATUSES, GROUPS, ISSUING_LEVELS, PRODUCT_SETS, SET_GROUP, STARS
from storefront.money import parse_vnd

REQUIRED = _l("Please fill this in.")


def _at_most(n):
    return Length(max=n, message=_l("Use at most %(max)d characters."))


def _range(low, high):
    return NumberRange(low, high, message=_l("Enter a number from %(min)s to %(max)s."))


class MoneyField(StringField):
    """An amount in đồng typed the Vietnamese way ('120.000', '120000', '120.000 ₫') → int."""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if text:
            try:
                self.data = parse_vnd(text)
            except ValueError:
                raise ValueError(_l("Enter a whole amount in đồng, such as 120.000.")) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:,}".replace(",", ".") if self.data is not None else ""


class DecimalCommaField(FloatField):
    """A number that accepts a decimal comma ('12,5')."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0]:
            valuelist = [valuelist[0].strip().replace(",", ".")]
        super().process_formdata(valuelist)


def _choices(vocabulary, blank=None):
    """Choices from a vocabulary, labelled in the visitor's language (built per form)."""
    first = [SelectChoice("", blank)] if blank else []
    return lambda: first + [SelectChoice(c.code, c.label) for c in vocabulary]


def _set_choices():
    """Product sets grouped under their OCOP group."""
    return [SelectChoice("", _l("— none —"))] + [
        SelectChoice(c.code, c.label, optgroup=GROUPS.label(SET_GROUP[c.code])) for c in PRODUCT_SETS]


class ProductForm(FlaskForm):
    name = StringField(_l("Name"), [DataRequired(REQUIRED), _at_most(255)])
    group = SelectField(_l("OCOP group"), choices=_choices(GROUPS))
    product_set = SelectField(_l("Product set"), choices=_set_choices, default="")
    description = TextAreaField(_l("Description"), [Optional(), _at_most(20_000)])
    price_vnd = MoneyField(_l("Price (đồng)"), [InputRequired(REQUIRED)])
    list_price_vnd = MoneyField(_l("List price before discount (đồng, optional)"), [Optional()])
    unit = StringField(_l("Unit (hộp, chai, kg…)"), [Optional(), _at_most(30)])
    weight_g = IntegerField(_l("Weight with packaging (g)"), [Optional(), _range(1, 1_000_000)])
    length_cm = DecimalCommaField(_l("Length (cm)"), [Optional(), _range(0, 1000)])
    width_cm = DecimalCommaField(_l("Width (cm)"), [Optional(), _range(0, 1000)])
    height_cm = DecimalCommaField(_l("Height (cm)"), [Optional(), _range(0, 1000)])
    shelf_life_days = IntegerField(_l("Shelf life (days)"), [Optional(), _range(0, 36500)])
    gtin = StringField(_l("GTIN / barcode (optional)"), [Optional(), _at_most(20)])
    sku = StringField(_l("SKU, your own code (optional)"), [Optional(), _at_most(64)])
    is_published = BooleanField(_l("Show in the shop"))

    def values(self):
        """The product fields as plain values for the services."""
        return {name: self[name].data for name in (
            "name", "group", "product_set", "description", "price_vnd", "list_price_vnd", "unit", "weight_g",
            "length_cm", "width_cm", "height_cm", "shelf_life_days", "gtin", "sku", "is_published")}


class NewProductForm(ProductForm):
    stock = IntegerField(_l("Opening stock"), [Optional(), _range(0, 1_000_000)], default=0)


class CertificateForm(FlaskForm):
    star = SelectField(_l("Stars"), choices=[SelectChoice(s, str(s)) for s in STARS], coerce=int)
    status = SelectField(_l("Status"), choices=_choices(CERT_STATUSES))
    decision_no = StringField(_l("Decision number"), [Optional(), _at_most(60)])
    decided_on = DateField(_l("Decision date"), [InputRequired(REQUIRED)])
    issuing_level = SelectField(_l("Issued by level"), default="",
                                choices=_choices(ISSUING_LEVELS, _l("— as the rules say —")))
    issuing_body = StringField(_l("Issuing body (optional)"), [Optional(), _at_most(200)])
    score = IntegerField(_l("Score (0–100, optional)"), [Optional(), _range(0, 100)])
    document = FileField(_l("Scanned decision (PDF or picture, optional)"))


class ImageForm(FlaskForm):
    images = MultipleFileField(_l("Pictures (JPEG, PNG or WebP, at most 10 MB each)"))


class StockForm(FlaskForm):
    mode = RadioField(_l("Change"), choices=[SelectChoice("adjust", _l("Add or remove (+5, -2)")),
                                             SelectChoice("set", _l("Set to a count"))], default="adjust")
    amount = IntegerField(_l("Number of units"), [InputRequired(REQUIRED), _range(-1_000_000, 1_000_000)])
    reason = StringField(_l("Reason"), [DataRequired(REQUIRED), _at_most(200)])


class DeleteProductForm(FlaskForm):
    confirm = BooleanField(_l("Yes, delete this product"), [DataRequired(_l("Tick the box to confirm."))])


class MoveImageForm(FlaskForm):
    direction = RadioField(_l("Move"), choices=[SelectChoice("up", _l("Move up")),
                                                         SelectChoice("down", _l("Move down"))],
                           validators=[InputRequired(REQUIRED)])


class ActionForm(FlaskForm):
    """A button that changes something (publish, delete, move): only its CSRF token."""
