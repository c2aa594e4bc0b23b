"""Stripe webhook events, acted on once each.

The event id is stored in the same transaction as its effect, so a redelivery (Stripe retries until it
gets a 2xx, and may send an event more than once) finds it and does nothing. Events may arrive in any
order: each effect only applies from the states it makes sense in (a failure after a success changes
nothing; a success after the order expired refunds the card)."""
import logging

from sqlalchemy.exc import IntegrityError

from orders import fulfilment, notifications
from orders.models import BoothOrder, StripeEvent
from storefront.extensions import db

log = logging.getLogger(__name__)
HANDLED = ("payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled",
           "charge.refunded")


def _intent_of(event):
    obj = event["data"]["object"]
    if event["type"].startswith("payment_intent."):
        intent = {"id": obj.get("id"), "status": obj.get("status"), "amount": obj.get("amount"),
                  "currency": obj.get("currency")}
    else:
        intent = {"id": obj.get("payment_intent")}
    if not isinstance(intent["id"], str):  # missing, or expanded into an object: not one of ours
        intent["id"] = None
    return intent


def _refund_ids(event):
    refunds = event["data"]["object"].get("refunds")
    listed = refunds.get("data") if isinstance(refunds, dict) else None
    return [r["id"] for r in listed if isinstance(r, dict) and isinstance(r.get("id"), str)
            and r.get("status") == "succeeded"] if isinstance(listed, list) else []


def handle_event(event):
    """Act on a verified event; returns 'done', 'duplicate', 'ignored' or 'unknown order'. Commits."""
    if event["type"] not in HANDLED:
        return "ignored"
    intent = _intent_of(event)
    order = fulfilment.order_for_intent(intent["id"])
    db.session.add(StripeEvent(id=event["id"], type=event["type"], order_id=order.id if order else None))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return "duplicate"
    outcome, events = None, []
    if order is None:
        log.warning("stripe event %s for unknown payment intent %s", event["id"], intent["id"])
    elif event["type"] == "payment_intent.succeeded":
        outcome = fulfilment.payment_succeeded(order, intent)
    elif event["type"] == "payment_intent.payment_failed":
        fulfilment.payment_failed(order)
    elif event["type"] == "payment_intent.canceled":
        events = fulfilment.payment_canceled(order)
    elif event["type"] == "charge.refunded":
        fulfilment.refund_settled(_refund_ids(event))
    try:
        db.session.commit()
    except IntegrityError:  # the same event, delivered twice at once: the other delivery acted
        db.session.rollback()
        return "duplicate"
    if outcome == "paid":
        notifications.paid(order)
    for e in events:
        notifications.status_changed(db.session.get(BoothOrder, e.booth_order_id), e)
    return "done" if order is not None else "unknown order"
