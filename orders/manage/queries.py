"""Reads of the booth's order pages: its booth orders, filtered and counted in a fixed number of queries
whatever the booth's size, and one booth order with everything its page shows."""
import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from orders.fulfilment import BOOTH_STATUSES
from orders.models import BoothOrder, Order
from storefront.extensions import db
from storefront.models import User
from vendors.models import Vendor

PER_PAGE = 20
PAYABLE = ("cod", "paid")


def filters():
    """Each list filter's name and its condition. 'pending' holds only orders the booth can act on; card and
    transfer orders not paid yet are 'awaiting_payment' instead."""
    payable = Order.payment_status.in_(PAYABLE)
    found = {"awaiting_payment": sa.and_(BoothOrder.status == "pending", ~payable),
             "pending": sa.and_(BoothOrder.status == "pending", payable)}
    for code in BOOTH_STATUSES.codes:
        found.setdefault(code, BoothOrder.status == code)
    return found


def get_booth(slug):
    return db.session.scalar(sa.select(Vendor).where(Vendor.slug == slug))


def get_booth_order(booth_slug, booth_order_id):
    """The booth order with this id only when it belongs to the booth in the URL; anything else is None."""
    return db.session.scalar(
        sa.select(BoothOrder).join(BoothOrder.vendor).options(contains_eager(BoothOrder.vendor),
                                                              joinedload(BoothOrder.order))
        .where(Vendor.slug == booth_slug, BoothOrder.id == booth_order_id))


def booth_order_counts(vendor_id):
    """{'total': n, 'awaiting_payment': n, 'pending': n, …} in one query."""
    columns = [sa.func.count().label("total")] + [
        sa.func.count().filter(cond).label(name) for name, cond in filters().items()]
    row = db.session.execute(sa.select(*columns).select_from(BoothOrder).join(BoothOrder.order)
                             .where(BoothOrder.vendor_id == vendor_id)).one()
    return dict(row._mapping)


def list_booth_orders(vendor_id, show=None, page=1):
    """(booth orders of one page, newest first, with their order and lines; total matching) — three queries."""
    where = [BoothOrder.vendor_id == vendor_id]
    if show in filters():
        where.append(filters()[show])
    total = db.session.scalar(sa.select(sa.func.count()).select_from(BoothOrder).join(BoothOrder.order)
                              .where(*where))
    items = db.session.scalars(
        sa.select(BoothOrder).join(BoothOrder.order).where(*where)
        .options(contains_eager(BoothOrder.order), selectinload(BoothOrder.lines))
        .order_by(BoothOrder.created_at.desc(), BoothOrder.id.desc())
        .limit(PER_PAGE).offset((max(page, 1) - 1) * PER_PAGE)).all()
    return items, total


def users_by_id(ids):
    """{id: User} for the people named in status histories and refunds (one query)."""
    ids = sorted({i for i in ids if i is not None})
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}


def people_of(booth_orders):
    """Everyone who changed or refunded these booth orders, by id."""
    return users_by_id([e.user_id for bo in booth_orders for e in bo.events]
                       + [r.created_by_id for bo in booth_orders for r in bo.refunds])
