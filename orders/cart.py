"""The cart: a guest's lives in the session, a signed-in shopper's in the database; both merge at sign-in.

A store holds only product ids, quantities and the price the shopper last saw. Everything shown or charged
is read from the database when the cart is viewed, so a product whose price changed, that sold out or was
taken off sale since it was added is flagged, never silently charged at the old price."""
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, selectinload

from catalog.models import Product
from orders.errors import InvalidQuantity, ProductUnavailable
from orders.models import BoothTerms, Cart, CartLine
from orders.pricing import DEFAULT_SHIPPING_VND, PricedLine, shipping_fee
from storefront.extensions import db
from vendors.models import Vendor

MAX_QUANTITY = 99  # per line
MAX_LINES = 50
SESSION_KEY = "cart"

FLAGS = {
    "price_changed": _l("The price changed from %(old)s to %(new)s."),
    "sold_out": _l("Sold out."),
    "reduced": _l("Only %(stock)d left: the quantity was lowered."),
    "unavailable": _l("No longer on sale."),
}


class SessionCart:
    """A guest's cart in the (signed) session cookie: {"<product id>": [quantity, price seen]}."""

    def __init__(self, session):
        self.session = session

    def items(self):
        raw = self.session.get(SESSION_KEY) or {}
        return {int(k): (int(v[0]), int(v[1])) for k, v in raw.items()
                if str(k).isdigit() and isinstance(v, list) and len(v) == 2}

    def put(self, product_id, quantity, price_seen):
        raw = dict(self.session.get(SESSION_KEY) or {})
        raw[str(product_id)] = [quantity, price_seen]
        self.session[SESSION_KEY] = raw

    def remove(self, product_id):
        raw = dict(self.session.get(SESSION_KEY) or {})
        raw.pop(str(product_id), None)
        self.session[SESSION_KEY] = raw

    def clear(self):
        self.session.pop(SESSION_KEY, None)

    def save(self):
        pass


class SavedCart:
    """A signed-in shopper's cart, kept in the database between visits and devices."""

    def __init__(self, user):
        self.user = user
        self.cart = db.session.scalar(sa.select(Cart).where(Cart.user_id == user.id)
                                      .options(selectinload(Cart.lines)))

    def _lines(self):
        return {line.product_id: line for line in self.cart.lines} if self.cart else {}

    def items(self):
        return {pid: (line.quantity, line.price_seen_vnd) for pid, line in self._lines().items()}

    def put(self, product_id, quantity, price_seen):
        if self.cart is None:
            self.cart = Cart(user_id=self.user.id)
            db.session.add(self.cart)
        line = self._lines().get(product_id)
        if line is None:
            self.cart.lines.append(CartLine(product_id=product_id, quantity=quantity, price_seen_vnd=price_seen))
        else:
            line.quantity, line.price_seen_vnd = quantity, price_seen

    def remove(self, product_id):
        line = self._lines().get(product_id)
        if line is not None:
            self.cart.lines.remove(line)

    def clear(self):
        if self.cart is not None:
            self.cart.lines.clear()

    def save(self):
        db.session.commit()


@dataclass
class CartLineView:
    product: Product
    quantity: int
    price_seen_vnd: int
    flags: list = field(default_factory=list)  # (code, message)

    @property
    def unit_price_vnd(self):
        return self.product.price_vnd

    @property
    def total_vnd(self):
        return self.product.price_vnd * self.quantity

    @property
    def orderable(self):
        return not any(code in ("sold_out", "unavailable") for code, _m in self.flags)


@dataclass
class BoothGroup:
    vendor: Vendor
    lines: list
    shipping_fee_vnd: int = 0
    free_shipping_over_vnd: int | None = None

    @property
    def items_total_vnd(self):
        return sum(line.total_vnd for line in self.lines if line.orderable)

    @property
    def total_vnd(self):
        return self.items_total_vnd + self.shipping_fee_vnd


@dataclass
class CartView:
    booths: list
    unavailable: list  # lines whose product is gone or off sale

    @property
    def count(self):
        return sum(line.quantity for booth in self.booths for line in booth.lines if line.orderable)

    @property
    def items_total_vnd(self):
        return sum(b.items_total_vnd for b in self.booths)

    @property
    def shipping_total_vnd(self):
        return sum(b.shipping_fee_vnd for b in self.booths)

    @property
    def total_vnd(self):
        return self.items_total_vnd + self.shipping_total_vnd

    @property
    def has_flags(self):
        return bool(self.unavailable) or any(line.flags for b in self.booths for line in b.lines)

    @property
    def is_empty(self):
        return self.count == 0


def _products(ids):
    if not ids:
        return {}
    stmt = (sa.select(Product).join(Product.vendor).where(Product.id.in_(sorted(ids)))
            .options(contains_eager(Product.vendor), selectinload(Product.images)))
    return {p.id: p for p in db.session.scalars(stmt).unique()}


def is_on_sale(product):
    return product.is_published and product.deleted_at is None and product.vendor.status == "approved"


def booth_terms(vendor_ids):
    """{vendor_id: BoothTerms or None}."""
    if not vendor_ids:
        return {}
    found = {t.vendor_id: t for t in db.session.scalars(
        sa.select(BoothTerms).where(BoothTerms.vendor_id.in_(sorted(vendor_ids))))}
    return {vid: found.get(vid) for vid in vendor_ids}


def view_cart(items):
    """CartView of {product_id: (quantity, price seen)}, grouped by booth, with flags (4 queries)."""
    from storefront.money import vnd

    products = _products(items.keys())
    groups, unavailable = {}, []
    for product_id, (quantity, seen) in items.items():
        product = products.get(product_id)
        if product is None:
            continue
        line = CartLineView(product, quantity, seen)
        if not is_on_sale(product):
            line.flags.append(("unavailable", FLAGS["unavailable"]))
            unavailable.append(line)
            continue
        if not product.is_service and product.stock <= 0:
            line.flags.append(("sold_out", FLAGS["sold_out"]))
        elif not product.is_service and quantity > product.stock:
            line.quantity = product.stock
            line.flags.append(("reduced", FLAGS["reduced"] % {"stock": product.stock}))
        if seen != product.price_vnd:
            line.flags.append(("price_changed", FLAGS["price_changed"] % {"old": vnd(seen),
                                                                          "new": vnd(product.price_vnd)}))
        groups.setdefault(product.vendor_id, BoothGroup(product.vendor, [])).lines.append(line)
    terms = booth_terms(groups.keys())
    for vendor_id, group in groups.items():
        t = terms.get(vendor_id)
        fee = t.shipping_fee_vnd if t else DEFAULT_SHIPPING_VND
        group.free_shipping_over_vnd = t.free_shipping_over_vnd if t else None
        priced = [PricedLine(x.product.id, x.product.name, x.product.slug, x.unit_price_vnd, x.quantity,
                             x.product.is_service) for x in group.lines if x.orderable]
        group.shipping_fee_vnd = shipping_fee(group.items_total_vnd, priced, fee, group.free_shipping_over_vnd) \
            if priced else 0
    booths = sorted(groups.values(), key=lambda g: g.vendor.name)
    return CartView(booths, unavailable)


def parse_quantity(value):
    """An int from 1 to MAX_QUANTITY from form input, or InvalidQuantity."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6 or not 1 <= int(text) <= MAX_QUANTITY:
        raise InvalidQuantity(max=MAX_QUANTITY)
    return int(text)


def add_to_cart(store, product_id, quantity):
    """Add `quantity` of a product on sale (added to what is already there, up to the stock)."""
    product = _products([product_id]).get(product_id)
    if product is None:
        raise ProductUnavailable(_l("This product is not on sale."))
    if not is_on_sale(product):
        raise ProductUnavailable(name=product.name)
    items = store.items()
    if product_id not in items and len(items) >= MAX_LINES:
        raise InvalidQuantity(_l("A cart holds at most %(max)d different products.", max=MAX_LINES))
    wanted = items.get(product_id, (0, 0))[0] + quantity
    if wanted > MAX_QUANTITY:
        raise InvalidQuantity(max=MAX_QUANTITY)
    if not product.is_service:
        if product.stock <= 0:
            raise ProductUnavailable(_l("“%(name)s” is sold out.", name=product.name))
        wanted = min(wanted, product.stock)
    store.put(product_id, wanted, product.price_vnd)
    store.save()
    return product


def set_quantity(store, product_id, quantity):
    """Set a line's quantity (0 removes it); the price seen becomes the current price."""
    if quantity == 0:
        store.remove(product_id)
        store.save()
        return
    product = _products([product_id]).get(product_id)
    if product is None or product_id not in store.items():
        store.remove(product_id)
        store.save()
        return
    if not product.is_service:
        quantity = min(quantity, max(product.stock, 0)) or 0
    if quantity == 0:
        store.remove(product_id)
    else:
        store.put(product_id, quantity, product.price_vnd)
    store.save()


def update_quantities(store, quantities):
    """The cart page's new quantities, {product_id: quantity} (0 removes a line), saved at once; each line's
    price seen becomes the current price. Ids that are not in the cart are ignored. Returns [(product, kept)]
    for the lines lowered to the stock left."""
    items = store.items()
    wanted = {pid: q for pid, q in quantities.items() if pid in items}
    products = _products([pid for pid, q in wanted.items() if q > 0])
    lowered = []
    for product_id, quantity in wanted.items():
        product = products.get(product_id)
        if product is not None and not product.is_service and quantity > product.stock > 0:
            quantity = product.stock
            lowered.append((product, quantity))
        if quantity == 0 or product is None:
            store.remove(product_id)
        else:
            store.put(product_id, quantity, product.price_vnd)
    store.save()
    return lowered


def remove_from_cart(store, product_id):
    store.remove(product_id)
    store.save()


def acknowledge(store, view):
    """The shopper has now seen the current prices and stock: store them (and drop what is gone)."""
    shown = {line.product.id for line in view.unavailable} | {line.product.id for b in view.booths for line in b.lines}
    for product_id in set(store.items()) - shown:  # deleted since it was added
        store.remove(product_id)
    for line in view.unavailable:
        store.remove(line.product.id)
    for booth in view.booths:
        for line in booth.lines:
            if not line.orderable:
                store.remove(line.product.id)
            else:
                store.put(line.product.id, line.quantity, line.product.price_vnd)
    store.save()


def merge_into_saved(session_items, saved):
    """At sign-in: the guest cart's lines join the saved cart (quantities add up, capped)."""
    if not session_items:
        return
    current = saved.items()
    for product_id, (quantity, seen) in session_items.items():
        total = min(current.get(product_id, (0, 0))[0] + quantity, MAX_QUANTITY)
        saved.put(product_id, total, seen)
    saved.save()


def count_items(items):
    """Cheap header count: the quantities stored (no database)."""
    return sum(quantity for quantity, _seen in items.values())


def saved_count(user_id):
    """The header count of a signed-in shopper's saved cart: one query."""
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(CartLine.quantity), 0))
                             .join(Cart, Cart.id == CartLine.cart_id).where(Cart.user_id == user_id))
