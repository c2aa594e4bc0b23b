"""Placing an order: one shopper order and one booth order per booth, in one transaction, with the stock
taken by conditional UPDATEs so that concurrent checkouts never sell more than there is."""
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from catalog.stock import move_stock
from orders import cart as carts
from orders.errors import CartChanged, EmptyCart, OrderError, OutOfStock, PaymentUnavailable
from orders.models import Address, BoothOrder, BoothOrderEvent, Order, OrderLine
from orders.pricing import PricedLine, booth_totals
from storefront.accounts.phone import InvalidPhone, normalise_phone
from storefront.extensions import db
from storefront.models import utcnow
from storefront.places import province_by_slug

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud over the phone


class InvalidDelivery(OrderError):
    """A delivery detail is missing or malformed; raised with its message and field."""


@dataclass
class Delivery:
    recipient_name: str
    phone: str
    province: str
    commune: str
    street: str
    note: str = ""
    email: str = ""


def clean_delivery(d, email_required):
    """A Delivery with trimmed values and the phone normalised (+84…), or InvalidDelivery."""
    name = " ".join((d.recipient_name or "").split())
    if not 1 <= len(name) <= 120:
        raise InvalidDelivery(_l("Enter the recipient's name."), "recipient_name")
    try:
        phone = normalise_phone(d.phone)
    except InvalidPhone:
        raise InvalidDelivery(_l("Enter a Vietnamese mobile number, such as 0912 345 678."), "phone") from None
    if not province_by_slug(d.province or ""):
        raise InvalidDelivery(_l("Choose a province."), "province")
    commune = " ".join((d.commune or "").split())
    if not 1 <= len(commune) <= 120:
        raise InvalidDelivery(_l("Enter the commune or ward."), "commune")
    street = " ".join((d.street or "").split())
    if not 1 <= len(street) <= 300:
        raise InvalidDelivery(_l("Enter the house number and street."), "street")
    email = (d.email or "").strip()
    if email and ("@" not in email or len(email) > 254 or any(c.isspace() for c in email)):
        raise InvalidDelivery(_l("Enter a valid e-mail address."), "email")
    if email_required and not email:
        raise InvalidDelivery(_l("Enter your e-mail address: we send the order and its link there."), "email")
    return Delivery(name, phone, d.province, commune, street, (d.note or "").strip()[:1000], email)


def card_available(total_vnd=None):
    config = current_app.config
    configured = bool(config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_PUBLISHABLE_KEY")
                      and config.get("STRIPE_WEBHOOK_SECRET"))
    return configured and (total_vnd is None or total_vnd >= config["STRIPE_MIN_VND"])


def vietqr_available():
    config = current_app.config
    return bool(config.get("VIETQR_BANK_BIN") and config.get("VIETQR_ACCOUNT"))


def payment_methods(total_vnd=None):
    """The methods offered: cash on delivery always, card when Stripe is configured, transfer when the
    platform's bank account is."""
    methods = ["cod"]
    if card_available(total_vnd):
        methods.append("card")
    if vietqr_available():
        methods.append("vietqr")
    return methods


def new_code():
    return "DH" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _priced(view):
    problems = [line for booth in view.booths for line in booth.lines if line.flags] + view.unavailable
    if problems:
        raise CartChanged(problems)
    lines_by_vendor = {}
    for booth in view.booths:
        lines_by_vendor[booth.vendor.id] = [
            PricedLine(x.product.id, x.product.name, x.product.slug, x.product.price_vnd, x.quantity,
                       x.product.is_service) for x in booth.lines]
    return lines_by_vendor


def place_order(store, delivery, payment_method, user=None, save_address=False):
    """Place what the cart `store` holds for delivery and empty it. Prices, shipping and commission come
    from the database; a cart whose prices, stock or availability changed since the shopper saw it raises
    CartChanged (the cart is kept). Commits once; returns the Order."""
    items = store.items()
    if not items:
        raise EmptyCart()
    delivery = clean_delivery(delivery, email_required=user is None or not user.email)
    view = carts.view_cart(items)
    if view.is_empty and not view.has_flags:  # sold out since it was added: CartChanged below
        raise EmptyCart()
    lines_by_vendor = _priced(view)
    terms = {vid: (t.shipping_fee_vnd, t.free_shipping_over_vnd, t.commission_bp) if t else
             (carts.DEFAULT_SHIPPING_VND, None, None) for vid, t in carts.booth_terms(lines_by_vendor).items()}
    booths = booth_totals(lines_by_vendor, terms, current_app.config["ORDER_COMMISSION_BP"])
    items_total = sum(b.items_total_vnd for b in booths)
    shipping_total = sum(b.shipping_fee_vnd for b in booths)
    if payment_method not in payment_methods(items_total + shipping_total):
        raise PaymentUnavailable()
    now = utcnow()
    order = Order(
        code=new_code(), user_id=user.id if user else None, email=delivery.email or (user.email if user else ""),
        recipient_name=delivery.recipient_name, phone=delivery.phone, province=delivery.province,
        commune=delivery.commune, street=delivery.street, note=delivery.note, payment_method=payment_method,
        payment_status="cod" if payment_method == "cod" else "pending", items_total_vnd=items_total,
        shipping_total_vnd=shipping_total, total_vnd=items_total + shipping_total,
    )
    if payment_method == "card":
        order.pay_by = now + timedelta(minutes=current_app.config["CARD_PAY_MINUTES"])
    elif payment_method == "vietqr":
        order.pay_by = now + timedelta(hours=current_app.config["VIETQR_PAY_HOURS"])
    for booth in booths:
        bo = BoothOrder(vendor_id=booth.vendor_id, status="pending", items_total_vnd=booth.items_total_vnd,
                        shipping_fee_vnd=booth.shipping_fee_vnd, total_vnd=booth.total_vnd,
                        commission_bp=booth.commission_bp)
        bo.lines = [OrderLine(product_id=x.product_id, product_name=x.name, product_slug=x.slug,
                              unit_price_vnd=x.unit_price_vnd, quantity=x.quantity, line_total_vnd=x.total_vnd,
                              is_service=x.is_service) for x in booth.lines]
        bo.events = [BoothOrderEvent(from_status=None, to_status="pending", user_id=user.id if user else None)]
        order.booth_orders.append(bo)
    db.session.add(order)
    try:
        _take_stock(order, [x for b in booths for x in b.lines], user)
        if save_address and user is not None:
            _remember_address(user, delivery)
        if isinstance(store, carts.SavedCart):
            store.clear()  # in the order's transaction
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    if not isinstance(store, carts.SavedCart):
        store.clear()  # a session cart only once the order is safe, so a failed commit keeps it
    return order


def _take_stock(order, lines, user):
    """Take each product's stock in product-id order (a fixed order: no deadlock between two checkouts)."""
    wanted = {}
    for line in lines:
        if not line.is_service:
            wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
    names = {line.product_id: line.name for line in lines}
    for product_id in sorted(wanted):
        if move_stock(product_id, -wanted[product_id], f"Đơn hàng {order.code}",
                      user_id=user.id if user else None) is None:
            available = db.session.scalar(sa.text("SELECT stock FROM products WHERE id = :id"), {"id": product_id})
            raise OutOfStock(product_id, names[product_id], available or 0)


def _remember_address(user, d):
    known = db.session.scalars(sa.select(Address).where(Address.user_id == user.id)).all()
    for a in known:
        if (a.recipient_name, a.phone, a.province, a.commune, a.street) == \
                (d.recipient_name, d.phone, d.province, d.commune, d.street):
            return
    db.session.add(Address(user_id=user.id, recipient_name=d.recipient_name, phone=d.phone,
                           province=d.province, commune=d.commune, street=d.street))
