"""Booth orders through their life: pending → confirmed → packed → shipped → delivered, or cancelled, or
refunded; and the payment events that move a whole order (card paid or failed, transfer received, an
unpaid order expiring).

Every state change is a conditional UPDATE (`… WHERE status = <the status we saw>`), so two booth
members pressing the same button, a webhook racing the expiry job, or the job running twice act once."""
import logging
from datetime import timezone

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from catalog.stock import move_stock
from orders import ledger, notifications
from orders.errors import OrderError, PaymentFailed, PaymentInProgress, RefundRefused, TransitionRefused
from orders.models import BoothOrder, BoothOrderEvent, Order, Refund
from orders.payments import stripe_adapter
from orders.payments.stripe_adapter import StripeUnavailable
from storefront.extensions import db
from storefront.models import utcnow
from storefront.money import vnd
from storefront.vocab import Choice, Vocabulary

BOOTH_STATUSES = Vocabulary([
    Choice("pending", "Chờ xác nhận", "Awaiting confirmation"),
    Choice("confirmed", "Đã xác nhận", "Confirmed"),
    Choice("packed", "Đã đóng gói", "Packed"),
    Choice("shipped", "Đang giao", "Shipped"),
    Choice("delivered", "Đã giao", "Delivered"),
    Choice("cancelled", "Đã huỷ", "Cancelled"),
    Choice("refunded", "Đã hoàn tiền", "Refunded"),
])
PAYMENT_STATUSES = Vocabulary([
    Choice("cod", "Thanh toán khi nhận hàng", "Cash on delivery"),
    Choice("pending", "Chờ thanh toán", "Awaiting payment"),
    Choice("paid", "Đã thanh toán", "Paid"),
    Choice("failed", "Thanh toán không thành công", "Payment failed"),
    Choice("cancelled", "Đã huỷ", "Cancelled"),
])
PAYMENT_METHODS = Vocabulary([
    Choice("cod", "Tiền mặt khi nhận hàng (COD)", "Cash on delivery"),
    Choice("card", "Thẻ ngân hàng", "Card"),
    Choice("vietqr", "Chuyển khoản VietQR", "VietQR bank transfer"),
])
TRANSITIONS = {
    "pending": ("confirmed", "cancelled"),
    "confirmed": ("packed", "cancelled"),
    "packed": ("shipped", "cancelled"),
    "shipped": ("delivered",),
    "delivered": (),
    "cancelled": (),
    "refunded": (),
}
log = logging.getLogger(__name__)


def is_payable(order):
    """Booths act on an order once it is cash on delivery or paid."""
    return order.payment_status in ("cod", "paid")


def next_statuses(bo):
    return TRANSITIONS[bo.status] if is_payable(bo.order) else ()


def _set_status(bo, target, user, note="", **values):
    """Move `bo` from the status we read to `target` if nobody moved it meanwhile. Does not commit."""
    seen = bo.status
    table = BoothOrder.__table__
    done = db.session.execute(sa.update(table).where(table.c.id == bo.id, table.c.status == seen)
                              .values(status=target, updated_at=utcnow(), **values)).rowcount
    if not done:
        db.session.rollback()
        raise TransitionRefused(_l("This booth order was changed by someone else meanwhile: reload the page."))
    db.session.expire(bo, ["status", "updated_at", *values])
    event = BoothOrderEvent(booth_order_id=bo.id, from_status=seen, to_status=target,
                            user_id=user.id if user else None, note=note[:300])
    db.session.add(event)
    return event


def _return_stock(bo, user, why):
    for line in bo.lines:
        if not line.is_service:
            move_stock(line.product_id, line.quantity, f"{why} {bo.order.code}", user_id=user.id if user else None)


def advance(bo, target, user, carrier="", tracking_code="", note=""):
    """A booth member or staff moves a booth order on. Cancelling returns the stock and refunds what was
    paid. Commits once and tells the shopper."""
    if target not in TRANSITIONS.get(bo.status, ()):
        raise TransitionRefused(current=BOOTH_STATUSES.label(bo.status), target=BOOTH_STATUSES.label(target))
    if not is_payable(bo.order):
        raise OrderError(_l("This order is not paid yet: it can be handled once the payment arrives."))
    values = {}
    if target == "shipped":
        carrier, tracking_code = " ".join(carrier.split())[:60], "".join(tracking_code.split())[:60]
        if not carrier:
            raise OrderError(_l("Enter the carrier."), "carrier")
        if not tracking_code:
            raise OrderError(_l("Enter the tracking code."), "tracking_code")
        values = {"carrier": carrier, "tracking_code": tracking_code}
    event = _set_status(bo, target, user, note, **values)
    try:
        if target == "delivered" and bo.order.payment_method == "cod":
            ledger.settle(bo, cash_collected=True, user=user)
        if target == "cancelled":
            _return_stock(bo, user, "Huỷ đơn")
            remaining = bo.total_vnd - bo.refunded_vnd
            if bo.settled_at is not None and remaining > 0:
                _refund(bo, remaining, user, _l("Booth order cancelled"))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    notifications.status_changed(bo, event)
    return bo


def _refund(bo, amount, user, reason):
    table = BoothOrder.__table__
    after = db.session.execute(
        sa.update(table).where(table.c.id == bo.id, table.c.refunded_vnd + amount <= table.c.total_vnd)
        .values(refunded_vnd=table.c.refunded_vnd + amount).returning(table.c.refunded_vnd)).scalar()
    if after is None:
        raise RefundRefused(max=vnd(bo.total_vnd - bo.refunded_vnd))
    db.session.expire(bo, ["refunded_vnd"])
    order = bo.order
    refund = Refund(booth_order_id=bo.id, amount_vnd=amount, reason=str(reason)[:300],
                    method="stripe" if order.payment_method == "card" else "manual",
                    created_by_id=user.id if user else None)
    db.session.add(refund)
    db.session.flush()
    if refund.method == "stripe":
        try:
            refund.stripe_refund_id, status = stripe_adapter.create_refund(
                order.stripe_payment_intent, amount, f"refund-{refund.id}")
        except StripeUnavailable:
            raise PaymentFailed(_l("The card refund could not be made now. Nothing was changed: try again later.")) \
                from None
        refund.status = "succeeded" if status == "succeeded" else "pending"
    else:
        refund.status = "succeeded"
    ledger.post_refund(bo, amount, after - amount, user)
    return refund, after


def refund(bo, amount, user, reason=""):
    """Give back `amount` đồng of a settled booth order (through Stripe for card orders, recorded for cash
    and transfer ones). A refund of everything left marks a delivered booth order refunded. Commits."""
    if bo.settled_at is None:
        raise OrderError(_l("Only a paid (or, for cash on delivery, delivered) booth order can be refunded. "
                            "Cancel it instead."))
    remaining = bo.total_vnd - bo.refunded_vnd
    if not 1 <= amount <= remaining:
        raise RefundRefused(max=vnd(remaining))
    try:
        made, after = _refund(bo, amount, user, reason or _l("Refund"))
        event = None
        if after == bo.total_vnd and bo.status in ("shipped", "delivered"):
            event = _set_status(bo, "refunded", user, str(reason or ""))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    notifications.refunded(bo, made)
    if event is not None:
        notifications.status_changed(bo, event)
    return made


# -- payments -------------------------------------------------------------------------------------------------

def _mark_paid(order):
    """pending/failed -> paid and settle every live booth order; False if the order was not awaiting payment."""
    table = Order.__table__
    done = db.session.execute(sa.update(table).where(table.c.id == order.id,
                                                     table.c.payment_status.in_(("pending", "failed")))
                              .values(payment_status="paid", paid_at=utcnow(), updated_at=utcnow())).rowcount
    if not done:
        return False
    db.session.expire(order, ["payment_status", "paid_at"])
    for bo in order.booth_orders:
        if bo.status != "cancelled":
            ledger.settle(bo)
    return True


def _cancel_unpaid(order, why):
    """pending/failed -> cancelled: every booth order cancelled and its stock returned. Does not commit."""
    table = Order.__table__
    done = db.session.execute(sa.update(table).where(table.c.id == order.id,
                                                     table.c.payment_status.in_(("pending", "failed")))
                              .values(payment_status="cancelled", updated_at=utcnow())).rowcount
    if not done:
        return []
    db.session.expire(order, ["payment_status"])
    events = []
    for bo in order.booth_orders:
        if bo.status == "pending":
            events.append(_set_status(bo, "cancelled", None, str(why)))
            _return_stock(bo, None, "Huỷ đơn chưa thanh toán")
    return events


def start_card_payment(order):
    """The PaymentIntent's client secret for the payment page, creating the intent the first time.
    A Stripe failure raises PaymentFailed and leaves the order as it was, ready for a retry; an intent that
    already went through (its webhook not arrived yet) raises PaymentInProgress; a passed deadline OrderError."""
    if order.payment_method != "card" or order.payment_status not in ("pending", "failed"):
        raise OrderError(_l("This order is not waiting for a card payment."))
    if order.pay_by is not None and _utc(order.pay_by) <= utcnow():
        raise OrderError(_l("The time to pay this order has passed: it is being cancelled and its items put "
                            "back on sale."))
    try:
        if order.stripe_payment_intent:
            intent = stripe_adapter.retrieve_payment_intent(order.stripe_payment_intent)
        else:
            intent = _create_intent(order)
    except StripeUnavailable:
        db.session.rollback()
        raise PaymentFailed() from None
    if intent["status"] in ("succeeded", "processing", "requires_capture"):
        raise PaymentInProgress()
    if intent["status"] == "canceled":
        raise OrderError(_l("This card payment was cancelled. The order will be cancelled and its items put "
                            "back on sale: place it again."))
    return intent["client_secret"]


def _create_intent(order):
    """A new intent, kept on the order unless another page load kept one first (then that one is used)."""
    intent = stripe_adapter.create_payment_intent(order)
    table = Order.__table__
    kept = db.session.execute(sa.update(table).where(table.c.id == order.id, table.c.stripe_payment_intent.is_(None))
                              .values(stripe_payment_intent=intent["id"], updated_at=utcnow())).rowcount
    db.session.commit()
    db.session.refresh(order)
    if kept or order.stripe_payment_intent == intent["id"]:
        return intent
    try:
        stripe_adapter.cancel_payment_intent(intent["id"])
    except StripeUnavailable:
        log.warning("could not cancel the spare payment intent %s of order %s", intent["id"], order.code)
    return stripe_adapter.retrieve_payment_intent(order.stripe_payment_intent)


def _utc(moment):
    """SQLite hands back naive datetimes (in UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def transfer_received(order, user):
    """Staff saw the VietQR transfer arrive on the platform's account. Commits."""
    if order.payment_method != "vietqr":
        raise OrderError(_l("This order is not paid by bank transfer."))
    if not _mark_paid(order):
        db.session.rollback()
        raise OrderError(_l("This order is not waiting for a transfer."))
    db.session.commit()
    notifications.paid(order)


def cancel_order(order, user):
    """The shopper (or staff) cancels an order that is not paid yet. Commits."""
    events = _cancel_unpaid(order, _l("Cancelled before payment"))
    if not events and order.payment_status != "cancelled":
        db.session.rollback()
        raise OrderError(_l("Only an order awaiting payment can be cancelled here; ask the booth instead."))
    db.session.commit()
    if order.payment_method == "card" and order.stripe_payment_intent:
        try:
            stripe_adapter.cancel_payment_intent(order.stripe_payment_intent)
        except StripeUnavailable:
            pass  # the intent lapses on its own; a late success is refunded by the webhook
    for event in events:
        notifications.status_changed(db.session.get(BoothOrder, event.booth_order_id), event)


def expire_unpaid(now=None):
    """Cancel card and transfer orders whose payment deadline passed, returning their stock. A card order
    whose intent did succeed (webhook not arrived yet) is marked paid instead. Safe to run concurrently.
    Returns (expired, paid) counts."""
    now = now or utcnow()
    ids = db.session.scalars(sa.select(Order.id).where(Order.payment_status.in_(("pending", "failed")),
                                                       Order.pay_by < now).order_by(Order.id)).all()
    expired = paid = 0
    for order_id in ids:
        order = db.session.get(Order, order_id)
        if order.payment_method == "card" and order.stripe_payment_intent:
            try:
                intent = stripe_adapter.retrieve_payment_intent(order.stripe_payment_intent)
            except StripeUnavailable:
                continue  # try again next run rather than cancel an order that may be paid
            if intent["status"] == "succeeded" and _amount_matches(order, intent):
                if _mark_paid(order):
                    db.session.commit()
                    _tell_quietly(notifications.paid, order)
                    paid += 1
                continue
            if intent["status"] not in ("canceled",):
                try:
                    stripe_adapter.cancel_payment_intent(order.stripe_payment_intent)
                except StripeUnavailable:
                    continue
        events = _cancel_unpaid(order, _l("Not paid in time"))
        db.session.commit()
        if events:
            expired += 1
            _tell_quietly(notifications.expired, order)
    return expired, paid


def _tell_quietly(send, order):
    """An e-mail after a committed change: a mail server that is down is logged, and the job goes on."""
    try:
        send(order)
    except Exception:
        log.exception("order %s: the e-mail could not be sent", order.code)


def _amount_matches(order, intent):
    return intent["currency"] == "vnd" and intent["amount"] == order.total_vnd


def order_for_intent(intent_id):
    return db.session.scalar(sa.select(Order).where(Order.stripe_payment_intent == intent_id)) if intent_id else None


def payment_succeeded(order, intent):
    """Webhook: the card was charged. Checks amount and currency; an order already cancelled (paid too
    late) is refunded in full. Does not commit; returns what to tell the shopper afterwards."""
    if not _amount_matches(order, intent):
        log.error("payment_intent %s: %s %s does not match order %s (%s vnd)", intent["id"], intent["amount"],
                  intent["currency"], order.code, order.total_vnd)
        return None
    if _mark_paid(order):
        return "paid"
    if order.payment_status == "cancelled":
        try:
            stripe_adapter.create_refund(intent["id"], intent["amount"], f"order-{order.id}-late")
        except StripeUnavailable:
            log.error("order %s was paid after it expired and the refund failed: refund it by hand", order.code)
        return "late"
    return None


def payment_failed(order):
    """Webhook: a card attempt was declined; the shopper may try another card until the deadline."""
    table = Order.__table__
    db.session.execute(sa.update(table).where(table.c.id == order.id, table.c.payment_status == "pending")
                       .values(payment_status="failed", updated_at=utcnow()))
    db.session.expire(order, ["payment_status"])


def payment_canceled(order):
    """Webhook: the intent was cancelled; an unpaid order is cancelled with it."""
    return _cancel_unpaid(order, _l("Card payment cancelled"))


def refund_settled(stripe_refund_ids):
    """Webhook (charge.refunded): the refunds Stripe confirms are done."""
    if stripe_refund_ids:
        db.session.execute(sa.update(Refund).where(Refund.stripe_refund_id.in_(stripe_refund_ids))
                           .values(status="succeeded"))

