"""Each booth's ledger: what the platform owes the booth (positive) or the booth owes the platform.

A booth order is *settled* once its money is in: a card or transfer order when it is paid (the platform
holds the money), a cash-on-delivery order when it is delivered (the booth holds the cash). Settling posts
sale (+items), shipping (+fee) and commission (−); for cash on delivery also cod_collected (−total), the
cash the booth already has. A refund posts refund (−amount) and commission_reversal (+ the commission no
longer due); for cash on delivery also cod_collected (+amount), since the booth handed that cash back.
Staff record payouts (−). So for every order, what the shopper paid minus refunds equals the booths'
shares plus the platform's commission, and a booth's balance is its shares minus what it received."""
import sqlalchemy as sa

from orders.models import LedgerEntry
from orders.pricing import commission, commission_after_refunds
from storefront.extensions import db
from storefront.models import utcnow
from storefront.vocab import Choice, Vocabulary

KINDS = Vocabulary([
    Choice("sale", "Tiền hàng", "Sale"),
    Choice("shipping", "Phí vận chuyển", "Shipping fee"),
    Choice("commission", "Phí hoa hồng cho sàn", "Platform commission"),
    Choice("refund", "Hoàn tiền cho khách", "Refund to the shopper"),
    Choice("commission_reversal", "Sàn trả lại phí hoa hồng", "Commission given back"),
    Choice("payout", "Sàn đã chuyển tiền cho gian hàng", "Payout to the booth"),
    Choice("cod_collected", "Tiền mặt thu khi giao hàng (COD)", "Cash collected on delivery"),
])
SHARE_KINDS = ("sale", "shipping", "commission", "refund", "commission_reversal")
RECEIVED_KINDS = ("payout", "cod_collected")


def _post(bo, kind, amount, note="", user=None):
    if amount:
        db.session.add(LedgerEntry(vendor_id=bo.vendor_id, booth_order_id=bo.id, kind=kind, amount_vnd=amount,
                                   note=note[:300], created_by_id=user.id if user else None))


def settle(bo, cash_collected=False, user=None):
    """Post a booth order's sale, shipping and commission once (no-op when already settled)."""
    if bo.settled_at is not None:
        return False
    code = bo.order.code
    _post(bo, "sale", bo.items_total_vnd, code, user)
    _post(bo, "shipping", bo.shipping_fee_vnd, code, user)
    _post(bo, "commission", -commission(bo.items_total_vnd, bo.commission_bp), code, user)
    if cash_collected:
        _post(bo, "cod_collected", -bo.total_vnd, code, user)
    bo.settled_at = utcnow()
    return True


def post_refund(bo, amount, refunded_before, user=None, note=""):
    """Entries for `amount` đồng refunded on a settled booth order that had `refunded_before` back already."""
    due_before = commission_after_refunds(bo.items_total_vnd, bo.shipping_fee_vnd, refunded_before, bo.commission_bp)
    due_after = commission_after_refunds(bo.items_total_vnd, bo.shipping_fee_vnd, refunded_before + amount,
                                         bo.commission_bp)
    _post(bo, "refund", -amount, note or bo.order.code, user)
    _post(bo, "commission_reversal", due_before - due_after, bo.order.code, user)
    if bo.order.payment_method == "cod":
        _post(bo, "cod_collected", amount, bo.order.code, user)


def record_payout(vendor_id, amount, user, note=""):
    """Staff paid `amount` đồng to the booth. Commits."""
    if amount <= 0:
        raise ValueError("a payout is a positive amount")
    db.session.add(LedgerEntry(vendor_id=vendor_id, kind="payout", amount_vnd=-amount, note=note[:300],
                               created_by_id=user.id if user else None))
    db.session.commit()


def balances(vendor_ids=None):
    """{vendor_id: (shares, received, balance)} in one query."""
    share = sa.func.coalesce(sa.func.sum(sa.case((LedgerEntry.kind.in_(SHARE_KINDS), LedgerEntry.amount_vnd),
                                                 else_=0)), 0)
    received = sa.func.coalesce(sa.func.sum(sa.case((LedgerEntry.kind.in_(RECEIVED_KINDS), -LedgerEntry.amount_vnd),
                                                    else_=0)), 0)
    stmt = sa.select(LedgerEntry.vendor_id, share, received).group_by(LedgerEntry.vendor_id)
    if vendor_ids is not None:
        stmt = stmt.where(LedgerEntry.vendor_id.in_(sorted(vendor_ids)))
    return {vid: (int(s), int(r), int(s) - int(r)) for vid, s, r in db.session.execute(stmt)}


def balance(vendor_id):
    return balances([vendor_id]).get(vendor_id, (0, 0, 0))[2]


def statement(vendor_id, limit=200, offset=0):
    """A booth's entries, newest first."""
    return db.session.scalars(sa.select(LedgerEntry).where(LedgerEntry.vendor_id == vendor_id)
                              .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
                              .limit(limit).offset(offset)).all()
