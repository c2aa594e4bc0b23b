"""POST /payments/stripe/webhook with payloads signed exactly as Stripe signs them (t=…,v1=HMAC-SHA256)."""
import json
import secrets
import time

import pytest
import sqlalchemy as sa

from catalog.models import Product
from orders import fulfilment
from orders.models import BoothOrder, LedgerEntry, Order, Refund, StripeEvent
from storefront.extensions import db
from tests.orders.payments.stripe_kit import WEBHOOK_SECRET, card_order, sign

URL = "/payments/stripe/webhook"


def intent_event(kind, intent_id, amount, currency="vnd", event_id=None):
    status = {"succeeded": "succeeded", "payment_failed": "requires_payment_method", "canceled": "canceled"}[kind]
    return json.dumps({
        "id": event_id or f"evt_{secrets.token_hex(8)}", "object": "event", "type": f"payment_intent.{kind}",
        "api_version": "2024-06-20", "created": int(time.time()), "livemode": False,
        "data": {"object": {"id": intent_id, "object": "payment_intent", "amount": amount, "currency": currency,
                            "status": status, "metadata": {}}},
    })


def post(client, payload, header=None):
    body = payload.encode() if isinstance(payload, str) else payload
    return client.post(URL, data=body, content_type="application/json",
                       headers={"Stripe-Signature": sign(payload if isinstance(payload, str) else
                                                         payload.decode("latin-1")) if header is None else header})


@pytest.fixture
def client(card_app):
    return card_app.test_client()  # CSRF is on in the card app: the webhook must not need a token


@pytest.fixture
def order(market):
    """A card order across two booths, its intent id recorded as start_card_payment would."""
    placed = card_order((market["keo"], 2), (market["che"], 1))
    placed.stripe_payment_intent = f"pi_{secrets.token_hex(7)}"
    db.session.commit()
    return placed


def state(order):
    db.session.rollback()  # a new transaction: SQLite would otherwise show this session's old snapshot
    fresh = db.session.get(Order, order.id)
    entries = db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry))
    return fresh.payment_status, entries, [bo.status for bo in fresh.booth_orders]


def stock(*products):
    db.session.rollback()
    return [db.session.get(Product, p.id).stock for p in products]


def test_a_signed_success_marks_the_order_paid_and_settles_each_booth_order(client, order, market, card_outbox):
    answer = post(client, intent_event("succeeded", order.stripe_payment_intent, order.total_vnd))
    assert answer.status_code == 200 and answer.json == {"received": "done"}
    db.session.rollback()
    paid = db.session.get(Order, order.id)
    assert paid.payment_status == "paid" and paid.paid_at is not None
    assert all(bo.settled_at is not None for bo in paid.booth_orders)
    kinds = sorted(db.session.scalars(sa.select(LedgerEntry.kind)))
    assert kinds == sorted(["sale", "shipping", "commission"] * 2)
    assert stock(market["keo"], market["che"]) == [3, 2]
    assert [m["To"] for m in card_outbox()] == ["bich@example.vn"]
    assert order.code in card_outbox()[0]["Subject"]


def test_a_bad_signature_or_stale_timestamp_is_refused_with_400_and_changes_nothing(client, order):
    payload = intent_event("succeeded", order.stripe_payment_intent, order.total_vnd)
    refused = {
        "wrong secret": (payload, sign(payload, secret=WEBHOOK_SECRET + "x")),
        "tampered body": (payload, sign(payload.replace(str(order.total_vnd), "1"))),
        "no header": (payload, ""),
        "garbled header": (payload, "t=abc,v1=zz,=,,"),
        "no v1 signature": (payload, sign(payload).replace("v1=", "v0=")),
        "stale timestamp": (payload, sign(payload, timestamp=int(time.time()) - 301)),
        "empty body": ("", sign("")),
    }
    for how, (body, header) in refused.items():
        assert post(client, body, header).status_code == 400, how
    assert state(order) == ("pending", 0, ["pending", "pending"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StripeEvent)) == 0
    assert post(client, payload, sign(payload, timestamp=int(time.time()) - 240)).status_code == 200  # in time


NOT_EVENTS = [
    b"not json", b"\xff\xfe\x00bad", b"[]", b'"event"', b"null", b"1", b"{}",
    b'{"id": "evt_1", "type": "payment_intent.succeeded"}',
    b'{"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": [1]}}',
    b'{"id": 7, "type": "payment_intent.succeeded", "data": {"object": {}}}',
    ('{"id": "evt_' + "x" * 300 + '", "type": "charge.refunded", "data": {"object": {}}}').encode(),
]


def test_a_correctly_signed_body_that_is_not_an_event_gets_400_never_500(client, order):
    for body in NOT_EVENTS:
        assert post(client, body).status_code == 400, body[:60]
    assert state(order)[0] == "pending"


def test_an_event_whose_object_is_malformed_is_acknowledged_and_changes_nothing(client, order):
    for obj in ({}, {"id": {"nested": 1}}, {"id": None, "amount": "x"}, {"payment_intent": ["x"]}):
        for kind in ("payment_intent.succeeded", "charge.refunded"):
            payload = json.dumps({"id": f"evt_{secrets.token_hex(6)}", "type": kind, "data": {"object": obj}})
            assert post(client, payload).status_code == 200, (kind, obj)
    assert state(order) == ("pending", 0, ["pending", "pending"])


def test_a_huge_body_is_refused_without_reading_it_all(client, order):
    payload = json.dumps({"id": "evt_big", "type": "ping", "data": {"object": {"pad": "x" * 400_000}}})
    assert post(client, payload).status_code == 413


def test_an_event_delivered_ten_times_acts_once(client, order, card_outbox):
    payload = intent_event("succeeded", order.stripe_payment_intent, order.total_vnd)
    answers = [post(client, payload) for _ in range(10)]
    assert [a.status_code for a in answers] == [200] * 10
    assert [a.json["received"] for a in answers] == ["done"] + ["duplicate"] * 9
    assert state(order) == ("paid", 6, ["pending", "pending"])
    assert len(card_outbox()) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StripeEvent)) == 1


def test_a_failure_delivered_after_the_success_leaves_the_order_paid(client, order, market):
    post(client, intent_event("succeeded", order.stripe_payment_intent, order.total_vnd))
    answer = post(client, intent_event("payment_failed", order.stripe_payment_intent, order.total_vnd))
    assert answer.status_code == 200
    assert state(order) == ("paid", 6, ["pending", "pending"])
    assert stock(market["keo"], market["che"]) == [3, 2]


def test_a_declined_card_then_a_good_one_marks_the_order_paid(client, order):
    post(client, intent_event("payment_failed", order.stripe_payment_intent, order.total_vnd))
    assert state(order) == ("failed", 0, ["pending", "pending"])
    post(client, intent_event("succeeded", order.stripe_payment_intent, order.total_vnd))
    assert state(order) == ("paid", 6, ["pending", "pending"])


def test_a_success_after_the_order_was_cancelled_is_refunded_through_stripe(client, market, stand_in, card_outbox):
    order = card_order((market["keo"], 2), (market["che"], 1))
    fulfilment.start_card_payment(order)
    assert stand_in.pay(order.stripe_payment_intent) == "succeeded"  # the bank said yes…
    fulfilment.cancel_order(order, None)  # …while the order was being cancelled (the webhook not there yet)
    assert stock(market["keo"], market["che"]) == [5, 3]
    real = stand_in.intent(order.stripe_payment_intent)
    answer = post(client, intent_event("succeeded", real["id"], real["amount"], real["currency"]))
    assert answer.status_code == 200
    assert state(order) == ("cancelled", 0, ["cancelled", "cancelled"])
    assert stand_in.refunds(order.stripe_payment_intent) == [order.total_vnd]
    assert stock(market["keo"], market["che"]) == [5, 3]


def test_a_wrong_amount_or_currency_does_not_pay_the_order(client, order):
    for amount, currency in ((order.total_vnd - 1, "vnd"), (order.total_vnd, "usd"), (order.total_vnd * 100, "vnd"),
                             (str(order.total_vnd), "vnd"), (None, None)):
        answer = post(client, intent_event("succeeded", order.stripe_payment_intent, amount, currency))
        assert answer.status_code == 200, (amount, currency)
    assert state(order) == ("pending", 0, ["pending", "pending"])


def test_an_event_for_an_unknown_intent_is_acknowledged_and_changes_nothing(client, order, market):
    answer = post(client, intent_event("succeeded", "pi_not_ours", order.total_vnd))
    assert answer.status_code == 200 and answer.json == {"received": "unknown order"}
    assert state(order) == ("pending", 0, ["pending", "pending"])
    assert stock(market["keo"], market["che"]) == [3, 2]


def test_other_event_types_are_acknowledged_and_ignored(client, order):
    payload = json.dumps({"id": "evt_customer", "type": "customer.created", "data": {"object": {"id": "cus_1"}}})
    answer = post(client, payload)
    assert answer.status_code == 200 and answer.json == {"received": "ignored"}


def test_a_cancelled_intent_cancels_the_unpaid_order_and_returns_its_stock(client, order, market, card_outbox):
    answer = post(client, intent_event("canceled", order.stripe_payment_intent, order.total_vnd))
    assert answer.status_code == 200
    assert state(order) == ("cancelled", 0, ["cancelled", "cancelled"])
    assert stock(market["keo"], market["che"]) == [5, 3]
    assert len(card_outbox()) == 2  # one e-mail per booth order's status


def test_charge_refunded_confirms_a_pending_card_refund(client, order):
    post(client, intent_event("succeeded", order.stripe_payment_intent, order.total_vnd))
    db.session.rollback()
    bo = db.session.scalars(sa.select(BoothOrder).where(BoothOrder.order_id == order.id)).first()
    db.session.add(Refund(booth_order_id=bo.id, amount_vnd=10_000, method="stripe", status="pending",
                          stripe_refund_id="re_pending1"))
    db.session.commit()
    payload = json.dumps({"id": "evt_refund", "type": "charge.refunded", "data": {"object": {
        "id": "ch_1", "object": "charge", "payment_intent": order.stripe_payment_intent,
        "refunds": {"object": "list", "data": [{"id": "re_pending1", "status": "succeeded"}, "junk"]}}}})
    assert post(client, payload).status_code == 200
    db.session.rollback()
    assert db.session.scalar(sa.select(Refund.status).where(Refund.stripe_refund_id == "re_pending1")) == "succeeded"
