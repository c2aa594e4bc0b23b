"""Reads of the staff's order pages: every order, filtered and paged in a fixed number of queries, and one
order with everything about it."""
import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from orders.models import PAYMENT_METHODS, PAYMENT_STATUSES, BoothOrder, LedgerEntry, Order
from storefront.extensions import db
from vendors.models import Vendor

PER_PAGE = 50


def clean_filters(args):
    """The filters a staff member asked for, keeping only values that make sense."""
    method = args.get("method", "")
    status = args.get("status", "")
    booth = args.get("booth", "")
    q = " ".join(args.get("q", "").split())[:40]
    return {"method": method if method in PAYMENT_METHODS else "",
            "status": status if status in PAYMENT_STATUSES else "",
            "booth": int(booth) if booth.isascii() and booth.isdigit() and len(booth) < 10 else None,
            "q": q}


def _escape_like(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_orders(filters, page=1):
    """(orders of one page, newest first, with their booth orders and booths; total matching) — three queries."""
    where = []
    if filters["method"]:
        where.append(Order.payment_method == filters["method"])
    if filters["status"]:
        where.append(Order.payment_status == filters["status"])
    if filters["booth"] is not None:
        where.append(sa.exists().where(BoothOrder.order_id == Order.id, BoothOrder.vendor_id == filters["booth"]))
    if filters["q"]:
        pattern = "%" + _escape_like(filters["q"]) + "%"
        where.append(sa.or_(Order.code.ilike(pattern, escape="\\"), Order.email.ilike(pattern, escape="\\"),
                            Order.recipient_name.ilike(pattern, escape="\\")))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Order).where(*where))
    items = db.session.scalars(
        sa.select(Order).where(*where)
        .options(selectinload(Order.booth_orders).joinedload(BoothOrder.vendor))
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(PER_PAGE).offset((max(page, 1) - 1) * PER_PAGE)).all()
    return items, total


def booth_choices():
    """(id, name) of the booths that can have orders, by name, for the booth filter."""
    return db.session.execute(sa.select(Vendor.id, Vendor.name)
                              .where(sa.or_(Vendor.status.in_(("approved", "suspended")),
                                            sa.exists().where(BoothOrder.vendor_id == Vendor.id)))
                              .order_by(Vendor.name, Vendor.id)).all()


def get_order(order_id):
    """The order with its booth orders, their booths, lines, histories and refunds loaded."""
    return db.session.scalar(
        sa.select(Order).where(Order.id == order_id)
        .options(selectinload(Order.booth_orders).options(
            joinedload(BoothOrder.vendor), selectinload(BoothOrder.lines), selectinload(BoothOrder.events),
            selectinload(BoothOrder.refunds))))


def ledger_entries_of(order):
    """The ledger entries its booth orders posted, oldest first."""
    ids = [bo.id for bo in order.booth_orders]
    if not ids:
        return []
    return db.session.scalars(sa.select(LedgerEntry).where(LedgerEntry.booth_order_id.in_(ids))
                              .order_by(LedgerEntry.created_at, LedgerEntry.id)).all()
