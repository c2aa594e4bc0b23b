"""What shoppers read about their orders: one order by its code, and a page of one shopper's orders.
Each runs a fixed number of queries whatever the number of booth orders or lines."""
import re

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from catalog.queries import Page
from orders.checkout import CODE_ALPHABET
from orders.models import Address, BoothOrder, Order
from storefront.extensions import db

CODE = re.compile(f"DH[{CODE_ALPHABET}]{{8}}")
PER_PAGE = 10


def order_by_code(code):
    """The order with its booth orders, their booths and lines (3 queries), or None."""
    if not CODE.fullmatch(code or ""):
        return None
    return db.session.scalar(sa.select(Order).where(Order.code == code).options(
        selectinload(Order.booth_orders).options(joinedload(BoothOrder.vendor), selectinload(BoothOrder.lines))))


def shopper_orders(user_id, page=1, per_page=PER_PAGE):
    """A Page of the shopper's orders, newest first, each with its booth orders and booths (3 queries)."""
    total = db.session.scalar(sa.select(sa.func.count(Order.id)).where(Order.user_id == user_id))
    items = db.session.scalars(
        sa.select(Order).where(Order.user_id == user_id).order_by(Order.created_at.desc(), Order.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
        .options(selectinload(Order.booth_orders).joinedload(BoothOrder.vendor))).all()
    return Page(items, total, page, per_page)


def saved_addresses(user_id, limit=5):
    return db.session.scalars(sa.select(Address).where(Address.user_id == user_id)
                              .order_by(Address.created_at.desc(), Address.id.desc()).limit(limit)).all()
