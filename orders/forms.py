"""The checkout form. It checks shape (present, not too long, a mobile number, one of the 34 provinces);
orders.checkout checks everything again when the order is placed, and its messages land on the same fields."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from storefront.accounts.forms import email_shape, phone_shape
from storefront.places import provinces

REQUIRED = _l("Please fill this in.")

PAYMENT_LABELS = {
    "cod": _l("Cash on delivery (COD)"),
    "card": _l("Bank card (Visa, Mastercard, JCB)"),
    "vietqr": _l("Bank transfer by VietQR"),
}
PAYMENT_HINTS = {
    "cod": _l("Pay the courier in cash when each parcel arrives. Each booth sends its own parcel."),
    "card": _l("Pay now on a secure page. The order is confirmed once the bank accepts the payment."),
    "vietqr": _l("After placing the order, scan the QR code with your banking app; the amount and message "
                 "are filled in for you."),
}


def _at_most(n):
    return Length(max=n, message=_l("Use at most %(max)d characters."))


def _province_choices():
    return [("", _l("— Choose a province or city —"))] + [(p.slug, p.name) for p in provinces()]


class CheckoutForm(FlaskForm):
    recipient_name = StringField(_l("Recipient's name"), [DataRequired(REQUIRED), _at_most(120)])
    phone = TelField(_l("Mobile number"), [DataRequired(REQUIRED), _at_most(20), phone_shape])
    province = SelectField(_l("Province or city"), [DataRequired(_l("Choose a province."))],
                           choices=_province_choices, validate_choice=False)
    commune = StringField(_l("Commune or ward"), [DataRequired(REQUIRED), _at_most(120)])
    street = StringField(_l("House number, street, hamlet"), [DataRequired(REQUIRED), _at_most(300)])
    note = TextAreaField(_l("Note for the booths (optional)"), [Optional(), _at_most(1000)])
    email = EmailField(_l("E-mail"), [_at_most(254), email_shape])
    save_address = BooleanField(_l("Save this address for my next orders"))
    payment_method = RadioField(_l("Payment"), default="cod", validate_choice=False)

    def __init__(self, *args, methods=("cod",), email_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.email_required = email_required
        self.payment_method.choices = [(m, PAYMENT_LABELS[m]) for m in methods]

    def validate_province(self, field):
        if field.data and field.data not in {p.slug for p in provinces()}:
            raise ValidationError(_l("Choose a province."))

    def validate_email(self, field):
        if self.email_required and not (field.data or "").strip():
            raise ValidationError(_l("Enter your e-mail address: we send the order and its link there."))

    def validate_payment_method(self, field):
        if field.data not in dict(field.choices):
            raise ValidationError(_l("Choose how you will pay."))
