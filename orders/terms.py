"""A booth's terms: the flat shipping fee and free-shipping threshold it sets itself, and the platform's
commission rate that staff may set for it. Orders copy the terms when they are placed, so a change here
never touches an order already placed."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from orders.errors import OrderError
from orders.models import BoothTerms
from orders.pricing import DEFAULT_SHIPPING_VND
from storefront.extensions import db
from storefront.money import vnd
from vendors import audit

MAX_SHIPPING_FEE_VND = 1_000_000
MAX_FREE_OVER_VND = 1_000_000_000


class InvalidTerms(OrderError):
    """A fee, threshold or rate out of range; raised with its own message and field."""


def terms_of(vendor_id):
    """The booth's saved terms, or unsaved defaults (30.000 ₫, no free shipping, the platform's rate)."""
    return db.session.get(BoothTerms, vendor_id) or BoothTerms(
        vendor_id=vendor_id, shipping_fee_vnd=DEFAULT_SHIPPING_VND, free_shipping_over_vnd=None, commission_bp=None)


def default_commission_bp():
    return current_app.config["ORDER_COMMISSION_BP"]


def _save(vendor, user, action, **values):
    """Write `values` on the booth's terms row (created on first save) and commit once."""
    for attempt in (1, 2):
        terms = db.session.get(BoothTerms, vendor.id)
        if terms is None:
            terms = BoothTerms(vendor_id=vendor.id, shipping_fee_vnd=DEFAULT_SHIPPING_VND)
            db.session.add(terms)
        before = audit.snapshot(terms, values)
        for name, value in values.items():
            setattr(terms, name, value)
        audit.record_change(user, vendor.id, action, terms, before, audit.snapshot(terms, values))
        try:
            db.session.commit()
            return terms
        except IntegrityError:  # another request created the row first: update that one
            db.session.rollback()
            if attempt == 2:
                raise
    return None


def update_shipping_terms(vendor, user, fee_vnd, free_over_vnd):
    """Set the booth's flat shipping fee (0 to 1.000.000 ₫) and free-shipping threshold (None: never free).
    Commits."""
    if fee_vnd is None or not 0 <= fee_vnd <= MAX_SHIPPING_FEE_VND:
        raise InvalidTerms(_l("Enter a fee from 0 ₫ to %(max)s.", max=vnd(MAX_SHIPPING_FEE_VND)), "shipping_fee")
    if free_over_vnd is not None and not 0 < free_over_vnd <= MAX_FREE_OVER_VND:
        raise InvalidTerms(_l("Leave this empty, or enter an amount from 1 ₫ to %(max)s.",
                              max=vnd(MAX_FREE_OVER_VND)), "free_over")
    return _save(vendor, user, "terms.shipping", shipping_fee_vnd=fee_vnd, free_shipping_over_vnd=free_over_vnd)


def set_commission(vendor, user, bp):
    """Staff set the booth's commission in basis points (0 to 10 000), or None for the platform's rate.
    Commits."""
    if bp is not None and not 0 <= bp <= 10_000:
        raise InvalidTerms(_l("Enter a rate from 0 to 100 %, or leave it empty for the platform's rate."),
                           "commission")
    return _save(vendor, user, "terms.commission", commission_bp=bp)
