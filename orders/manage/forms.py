"""Forms of the booth's and staff's order pages. They check shape (present, a number, not too long); the
services (orders.fulfilment, orders.terms, orders.ledger) check the rest and their messages land on the
same fields."""
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, ValidationError

from catalog.manage.forms import MoneyField

ADVANCE_TARGETS = ("confirmed", "packed", "delivered")
CARRIERS = ("Vietnam Post (VNPost)", "Viettel Post", "Giao Hàng Nhanh (GHN)", "Giao Hàng Tiết Kiệm (GHTK)",
            "J&T Express", "Ninja Van", "Best Express", "Tự giao")
MAX_PAYOUT_VND = 100_000_000_000


def _at_most(n):
    return Length(max=n, message=_l("Use at most %(max)d characters."))


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""


class AdvanceForm(FlaskForm):
    """Confirm, packed, delivered: the next status is the button pressed."""

    to = HiddenField(validators=[AnyOf(ADVANCE_TARGETS, message=_l("Choose what happened to the order."))])


class ShipForm(FlaskForm):
    carrier = StringField(_l("Carrier"), [DataRequired(_l("Enter the carrier.")), _at_most(60)])
    tracking_code = StringField(_l("Tracking code"), [DataRequired(_l("Enter the tracking code.")), _at_most(60)])


class CancelForm(FlaskForm):
    confirm = BooleanField(_l("Yes, cancel this order"),
                           [DataRequired(_l("Tick the box to confirm that you cancel the order."))])
    note = StringField(_l("Reason (the shopper reads it)"), [Optional(), _at_most(300)])


class RefundForm(FlaskForm):
    amount = MoneyField(_l("Amount to give back (đồng)"), [InputRequired(_l("Enter the amount to give back."))])
    reason = StringField(_l("Reason (the shopper reads it)"), [Optional(), _at_most(300)])


class ShippingForm(FlaskForm):
    shipping_fee = MoneyField(_l("Shipping fee per order (đồng)"), [InputRequired(_l("Enter the shipping fee."))])
    free_over = MoneyField(_l("Free shipping for orders from (đồng, optional)"), [Optional()])


def percent_text(bp):
    """Basis points as a Vietnamese number of percent: 1000 → '10', 550 → '5,5', 0 → '0'."""
    text = f"{Decimal(bp) / 100:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class PercentField(StringField):
    """A percentage typed as '5', '5,5' or '5.25 %' → basis points (500, 550, 525); empty → None."""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().rstrip("%").strip().replace(",", ".")
        if not text:
            return
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_l("Enter a percentage such as 5 or 5,5.")) from None
        if not number.is_finite() or not 0 <= number <= 100 or number != number.quantize(Decimal("0.01")):
            raise ValueError(_l("Enter a percentage from 0 to 100, with at most two decimals."))
        self.data = int(number * 100)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else percent_text(self.data)


class CommissionForm(FlaskForm):
    commission = PercentField(_l("Commission for this booth (%; empty: the platform's rate)"))


def _positive_amount(form, field):
    if field.data is not None and not 1 <= field.data <= MAX_PAYOUT_VND:
        raise ValidationError(_l("Enter an amount from 1 ₫ to 100.000.000.000 ₫."))


class PayoutForm(FlaskForm):
    amount = MoneyField(_l("Amount paid to the booth (đồng)"),
                        [InputRequired(_l("Enter the amount paid.")), _positive_amount])
    note = StringField(_l("Note (bank transfer reference, date…)"), [Optional(), _at_most(300)])


class CancelOrderForm(FlaskForm):
    confirm = BooleanField(_l("Yes, cancel this unpaid order and put its stock back"),
                           [DataRequired(_l("Tick the box to confirm that you cancel the order."))])
