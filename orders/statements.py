"""Reads of the ledger for people: one booth's statement a page at a time with the balance after each entry,
every booth's shares, received and balance, and all entries for the CSV export.

A booth's balance is the sum of its entries (see orders/ledger.py): shares (sale, shipping, commission,
refund, commission reversal) minus what it received (payouts, cash it collected on delivery)."""
import sqlalchemy as sa

from orders.ledger import RECEIVED_KINDS, SHARE_KINDS
from orders.models import BoothOrder, BoothTerms, LedgerEntry, Order
from storefront.extensions import db
from vendors.models import Vendor

PER_PAGE = 50
NEWEST_FIRST = (LedgerEntry.created_at.desc(), LedgerEntry.id.desc())


def _sums():
    shares = sa.func.coalesce(sa.func.sum(sa.case((LedgerEntry.kind.in_(SHARE_KINDS), LedgerEntry.amount_vnd),
                                                  else_=0)), 0)
    received = sa.func.coalesce(sa.func.sum(sa.case((LedgerEntry.kind.in_(RECEIVED_KINDS), -LedgerEntry.amount_vnd),
                                                    else_=0)), 0)
    commission = sa.func.coalesce(sa.func.sum(sa.case(
        (LedgerEntry.kind.in_(("commission", "commission_reversal")), -LedgerEntry.amount_vnd), else_=0)), 0)
    return shares.label("shares"), received.label("received"), commission.label("commission")


def totals(vendor_id=None):
    """{'shares', 'received', 'balance', 'commission'} of one booth, or of every booth (one query)."""
    stmt = sa.select(*_sums())
    if vendor_id is not None:
        stmt = stmt.where(LedgerEntry.vendor_id == vendor_id)
    shares, received, commission = (int(v) for v in db.session.execute(stmt).one())
    return {"shares": shares, "received": received, "balance": shares - received, "commission": commission}


def statement_page(vendor_id, page=1, per_page=PER_PAGE):
    """([(entry, order code or None, order id or None, balance after the entry)], number of entries, totals) —
    at most four
    queries, newest entry first."""
    where = LedgerEntry.vendor_id == vendor_id
    count = db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry).where(where))
    sums = totals(vendor_id)
    offset = (max(page, 1) - 1) * per_page
    newer = 0
    if offset:
        above = sa.select(LedgerEntry.amount_vnd).where(where).order_by(*NEWEST_FIRST).limit(offset).subquery()
        newer = int(db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(above.c.amount_vnd), 0))))
    found = db.session.execute(
        sa.select(LedgerEntry, Order.code, Order.id)
        .outerjoin(BoothOrder, BoothOrder.id == LedgerEntry.booth_order_id)
        .outerjoin(Order, Order.id == BoothOrder.order_id)
        .where(where).order_by(*NEWEST_FIRST).limit(per_page).offset(offset)).all()
    running, rows = sums["balance"] - newer, []
    for entry, code, order_id in found:
        rows.append((entry, code, order_id, running))
        running -= entry.amount_vnd
    return rows, count, sums


def _has_entries():
    return sa.exists().where(LedgerEntry.vendor_id == Vendor.id)


def booth_balances(page=1, per_page=PER_PAGE):
    """([(vendor, commission_bp or None, shares, received, balance)], number of booths): open and suspended
    booths and any other booth with entries, by name — two queries."""
    agg = sa.select(LedgerEntry.vendor_id, *_sums()[:2]).group_by(LedgerEntry.vendor_id).subquery()
    where = sa.or_(Vendor.status.in_(("approved", "suspended")), _has_entries())
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Vendor).where(where))
    found = db.session.execute(
        sa.select(Vendor, BoothTerms.commission_bp, agg.c.shares, agg.c.received)
        .outerjoin(agg, agg.c.vendor_id == Vendor.id)
        .outerjoin(BoothTerms, BoothTerms.vendor_id == Vendor.id)
        .where(where).order_by(Vendor.name, Vendor.id)
        .limit(per_page).offset((max(page, 1) - 1) * per_page)).all()
    rows = []
    for vendor, bp, shares, received in found:
        shares, received = int(shares or 0), int(received or 0)
        rows.append((vendor, bp, shares, received, shares - received))
    return rows, count


def export_rows(vendor_id=None, batch=1000):
    """Every entry (of one booth, or all), oldest first, as (entry, booth name, order code), streamed."""
    stmt = (sa.select(LedgerEntry, Vendor.name, Order.code)
            .join(Vendor, Vendor.id == LedgerEntry.vendor_id)
            .outerjoin(BoothOrder, BoothOrder.id == LedgerEntry.booth_order_id)
            .outerjoin(Order, Order.id == BoothOrder.order_id)
            .order_by(LedgerEntry.created_at, LedgerEntry.id)
            .execution_options(yield_per=batch))
    if vendor_id is not None:
        stmt = stmt.where(LedgerEntry.vendor_id == vendor_id)
    yield from db.session.execute(stmt)
