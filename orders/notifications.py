"""E-mails about orders, all through the mail adapter (storefront.mail): the shopper hears of placement,
payment, every status change of each booth order, refunds and expiry; each booth hears of its new orders."""
import logging
from functools import wraps

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _

from orders.access import order_link
from storefront.extensions import db
from storefront.mail import send_mail
from storefront.models import User
from storefront.urls import canonical_url
from vendors.models import VendorMember

log = logging.getLogger(__name__)


def quietly(send):
    """Mail goes out after the change is committed: a mail server that is down is logged, never turned into
    an error page for an action that did happen."""

    @wraps(send)
    def wrapper(*args, **kwargs):
        try:
            return send(*args, **kwargs)
        except Exception:
            log.exception("order e-mail %s could not be sent", send.__name__)

    return wrapper


def _to_shopper(order, subject, template, **context):
    if order.email:
        send_mail(order.email, subject, render_template(template, order=order, link=order_link(order), **context))


def _booth_addresses(vendor):
    emails = set(db.session.scalars(sa.select(User.email).join(VendorMember, VendorMember.user_id == User.id)
                                    .where(VendorMember.vendor_id == vendor.id, User.email.is_not(None))))
    if vendor.email:
        emails.add(vendor.email)
    return sorted(emails)


@quietly
def placed(order):
    _to_shopper(order, _("Order %(code)s received", code=order.code), "email/order_placed.txt")
    for bo in order.booth_orders:
        link = canonical_url("orders_manage.booth_order_detail", booth=bo.vendor.slug, booth_order_id=bo.id)
        for address in _booth_addresses(bo.vendor):
            send_mail(address, _("New order %(code)s for %(booth)s", code=order.code, booth=bo.vendor.name),
                      render_template("email/booth_order_new.txt", order=order, bo=bo, link=link))


@quietly
def paid(order):
    _to_shopper(order, _("Payment received for order %(code)s", code=order.code), "email/order_paid.txt")


@quietly
def status_changed(bo, event):
    _to_shopper(bo.order, _("Order %(code)s: %(booth)s — %(status)s", code=bo.order.code, booth=bo.vendor.name,
                            status=_status_label(event.to_status)),
                "email/booth_order_status.txt", bo=bo, event=event, status=_status_label(event.to_status))


@quietly
def refunded(bo, refund):
    _to_shopper(bo.order, _("Refund on order %(code)s", code=bo.order.code), "email/order_refunded.txt",
                bo=bo, refund=refund)


@quietly
def expired(order):
    _to_shopper(order, _("Order %(code)s cancelled: not paid in time", code=order.code), "email/order_expired.txt")


def _status_label(code):
    from orders.fulfilment import BOOTH_STATUSES

    return BOOTH_STATUSES.label(code)
