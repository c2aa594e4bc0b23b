"""Card payments end to end against localstripe: the payment page, localstripe's signed webhooks delivered to
the live app, declines and the deadline, Stripe unreachable, refunds, and when the card is offered at all."""
import re
import socket
from datetime import timedelta

import pytest
import sqlalchemy as sa
import stripe

from catalog.models import Product
from orders import fulfilment
from orders.access import order_token
from orders.checkout import payment_methods
from orders.errors import PaymentFailed, PaymentUnavailable
from orders.models import BoothOrder, LedgerEntry, Order, Refund, StripeEvent
from storefront.extensions import db
from storefront.models import User, utcnow
from tests.catalog.test_pages_markup import Nesting
from tests.factories import signed_in_client
from tests.orders.payments.stripe_kit import (PUBLISHABLE_KEY, SECRET_KEY, WEBHOOK_SECRET, SeparateRequestsClient,
                                              card_order, pay_path, wait_for)
from tests.orders.payments.test_webhooks import intent_event, post


def fresh(order):
    db.session.rollback()  # a new transaction: SQLite would otherwise show this session's old snapshot
    return db.session.get(Order, order.id)


def stock(*products):
    db.session.rollback()
    return [db.session.get(Product, p.id).stock for p in products]


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def order(market):
    return card_order((market["keo"], 2), (market["che"], 1))


# -- the payment page -----------------------------------------------------------------------------------------

def test_the_pay_page_creates_one_vnd_intent_and_loads_stripe_js_with_its_secret(card_app, order, stand_in):
    client = card_app.test_client()
    page = client.get(pay_path(order))
    assert page.status_code == 200
    (intent,) = stand_in.intents()
    assert (intent["amount"], intent["currency"]) == (order.total_vnd, "vnd") == (280_000, "vnd")
    assert intent["metadata"] == {"order_code": order.code, "order_id": str(order.id)}
    assert fresh(order).stripe_payment_intent == intent["id"]
    html = page.get_data(as_text=True)
    js = card_app.config["STRIPE_JS_URL"]
    assert f'<script src="{js}"></script>' in html and "/static/js/pay.js" in html
    assert f'data-key="{PUBLISHABLE_KEY}"' in html and f'data-secret="{intent["client_secret"]}"' in html
    assert SECRET_KEY not in html and "280.000" in html
    origin = stand_in.base
    policy = dict(d.split(" ", 1) for d in page.headers["Content-Security-Policy"].split("; "))
    assert policy["script-src"] == f"'self' {origin}" and policy["frame-src"] == origin
    assert policy["connect-src"] == f"'self' {origin}" and policy["frame-ancestors"] == "'none'"
    assert page.headers["Cache-Control"] == "no-store"
    assert origin not in client.get("/").headers["Content-Security-Policy"]  # only the payment page
    assert client.get(pay_path(order)).status_code == 200
    assert len(stand_in.intents()) == 1  # the same intent again: localstripe ignores idempotency keys


def test_the_pay_page_runs_a_fixed_number_of_queries(card_app, order, stand_in):
    client = card_app.test_client()
    client.get(pay_path(order))
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine  # the card app's (a request context of it is active)
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(pay_path(order)).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 4, statements


def test_only_the_shopper_or_the_signed_link_opens_the_pay_page(card_app, market, stand_in):
    owner = User(email="owner@example.vn")
    other = User(email="other@example.vn")
    db.session.add_all([owner, other])
    db.session.commit()
    mine = card_order((market["keo"], 1), user=owner)
    guest = card_order((market["che"], 1))
    path = f"/orders/{mine.code}/pay"
    assert signed_in_client(card_app, owner.get_id()).get(path).status_code == 200
    assert signed_in_client(card_app, other.get_id()).get(path).status_code == 404
    anonymous = card_app.test_client()
    assert anonymous.get(path).status_code == 404
    assert anonymous.get(f"{path}?t={order_token(guest)}").status_code == 404  # another order's link
    assert anonymous.get(f"/orders/{guest.code}/pay").status_code == 404
    assert anonymous.get(f"/orders/{guest.code}/pay?t=forged").status_code == 404
    assert anonymous.get(pay_path(guest)).status_code == 200
    for code in ("DHAAAAAAAA", "nope", "DH" + "A" * 500):
        assert anonymous.get(f"/orders/{code}/pay?t={order_token(guest)}").status_code == 404
        assert anonymous.get(f"/orders/{code}/pay/wait").status_code == 404


@pytest.mark.parametrize("status", ["paid", "cancelled"])
def test_an_order_already_paid_or_cancelled_goes_to_its_page(card_app, order, stand_in, status):
    order.payment_status = status
    db.session.commit()
    client = card_app.test_client()
    for path in (pay_path(order), pay_path(order).replace("/pay?", "/pay/wait?")):
        answer = client.get(path)
        assert answer.status_code == 303
        assert answer.headers["Location"] == f"/orders/{order.code}?t={order_token(order)}"
    assert stand_in.intents() == []


def test_a_passed_deadline_sends_the_shopper_to_the_order_page_with_a_message(card_app, order, stand_in):
    order.pay_by = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client = card_app.test_client()
    answer = client.get(pay_path(order))
    assert answer.status_code == 303 and answer.headers["Location"].startswith(f"/orders/{order.code}?t=")
    with client.session_transaction() as session:
        assert "Đã quá hạn thanh toán" in str(session["_flashes"])
    assert stand_in.intents() == []


def test_when_stripe_cannot_be_reached_the_page_says_so_and_the_order_stays_intact(build_app, market, stand_in):
    down = build_app(STRIPE_SECRET_KEY=SECRET_KEY, STRIPE_PUBLISHABLE_KEY=PUBLISHABLE_KEY,
                     STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, STRIPE_API_BASE=f"http://127.0.0.1:{closed_port()}",
                     STRIPE_TIMEOUT=2)
    down.test_client_class = SeparateRequestsClient
    with down.test_request_context():
        order = card_order((market["keo"], 2))
        page = down.test_client().get(pay_path(order))
        assert page.status_code == 503
        html = page.get_data(as_text=True)
        assert "Dịch vụ thanh toán không phản hồi" in html and 'role="alert"' in html
        assert f'href="{pay_path(order).replace("?", "?", 1)}"' in html.replace("&amp;", "&")  # the retry button
        assert "js.stripe.com" not in html and "data-secret" not in html
        parser = Nesting()
        parser.feed(html)
        assert parser.errors == [] and parser.stack == []
        assert "js.stripe.com" not in page.headers["Content-Security-Policy"]
        kept = fresh(order)
        assert (kept.payment_status, kept.stripe_payment_intent) == ("pending", None)
        assert [bo.status for bo in kept.booth_orders] == ["pending"]
        assert stock(market["keo"]) == [3]
        db.session.remove()


def test_a_payment_that_went_through_waits_for_the_webhook_not_for_the_browser(card_app, order, stand_in):
    client = card_app.test_client()
    client.get(pay_path(order))
    intent_id = fresh(order).stripe_payment_intent
    assert stand_in.pay(intent_id) == "succeeded"  # no webhook delivered in this test
    wait = pay_path(order).replace("/pay?", "/pay/wait?")
    assert client.get(pay_path(order)).headers["Location"] == wait  # no second payment form
    page = client.get(wait)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.search(r'<meta http-equiv="refresh" content="3;url=/orders/DH\w+/pay/wait\?t=[^"]+n=1">', html)
    assert "đang được xác nhận" in html
    assert fresh(order).payment_status == "pending"  # coming back proves nothing
    post(client, intent_event("succeeded", intent_id, order.total_vnd))
    done = client.get(wait)
    assert done.status_code == 303 and done.headers["Location"] == f"/orders/{order.code}?t={order_token(order)}"


def test_the_waiting_page_slows_down_and_says_so_after_a_minute(card_app, order, stand_in):
    page = card_app.test_client().get(pay_path(order).replace("/pay?", "/pay/wait?") + "&n=25")
    html = page.get_data(as_text=True)
    assert 'content="30;url=' in html and "n=26" in html and "lâu hơn thường lệ" in html
    assert card_app.test_client().get(pay_path(order).replace("/pay?", "/pay/wait?") + "&n=x%00").status_code == 200


# -- end to end, with localstripe delivering its signed webhooks to the live app --------------------------------

def test_a_card_payment_is_confirmed_by_the_webhook_and_settles_every_booth(
        card_app, order, market, webhooks_delivered, stand_in, card_outbox):
    assert card_app.test_client().get(pay_path(order)).status_code == 200
    intent_id = fresh(order).stripe_payment_intent
    assert stand_in.pay(intent_id, "visa") == "succeeded"
    paid = wait_for(lambda: fresh(order).payment_status == "paid")
    assert paid, "localstripe's payment_intent.succeeded webhook never marked the order paid"
    settled = fresh(order)
    assert all(bo.settled_at is not None and bo.status == "pending" for bo in settled.booth_orders)
    ledger = sorted(db.session.execute(sa.select(LedgerEntry.kind, LedgerEntry.amount_vnd)).all())
    assert ledger == sorted([("sale", 100_000), ("shipping", 30_000), ("commission", -5_000),
                             ("sale", 120_000), ("shipping", 30_000), ("commission", -6_000)])
    assert stock(market["keo"], market["che"]) == [3, 2]
    ours = sa.select(StripeEvent.type).where(StripeEvent.order_id == order.id)  # (see webhooks_delivered)
    assert db.session.scalars(ours).all() == ["payment_intent.succeeded"]
    assert wait_for(lambda: len(card_outbox()) == 1)  # sent just after the webhook's commit


def test_a_3d_secure_card_is_paid_once_the_shopper_authenticates(card_app, order, webhooks_delivered, stand_in):
    fulfilment.start_card_payment(order)
    assert stand_in.pay(order.stripe_payment_intent, "3ds", authenticate=False) == "requires_action"
    assert stand_in.authenticate(order.stripe_payment_intent) == "succeeded"
    assert wait_for(lambda: fresh(order).payment_status == "paid")


def test_a_declined_card_holds_the_stock_until_expire_orders_cancels_the_intent(
        card_app, order, market, webhooks_delivered, stand_in, card_outbox):
    fulfilment.start_card_payment(order)
    intent_id = order.stripe_payment_intent
    with pytest.raises(stripe.CardError, match="declined"):
        stand_in.pay(intent_id, "declined")
    assert wait_for(lambda: fresh(order).payment_status == "failed")
    assert stock(market["keo"], market["che"]) == [3, 2]
    assert card_app.test_client().get(pay_path(order)).status_code == 200  # another card may be tried
    runner = card_app.test_cli_runner()
    assert "Expired 0" in runner.invoke(args=["ocop", "expire-orders"]).output  # before the deadline
    fresh(order).pay_by = utcnow() - timedelta(seconds=1)
    db.session.commit()
    result = runner.invoke(args=["ocop", "expire-orders"])
    assert result.exit_code == 0 and "Expired 1" in result.output
    cancelled = fresh(order)
    assert cancelled.payment_status == "cancelled"
    assert [bo.status for bo in cancelled.booth_orders] == ["cancelled", "cancelled"]
    assert stock(market["keo"], market["che"]) == [5, 3]
    assert stand_in.intent(intent_id)["status"] == "canceled"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)) == 0
    assert [order.code in m["Subject"] for m in card_outbox()] == [True]


def test_expiry_marks_paid_an_order_whose_intent_succeeded_before_its_webhook(card_app, order, stand_in):
    fulfilment.start_card_payment(order)
    stand_in.pay(order.stripe_payment_intent)
    fresh(order).pay_by = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert fulfilment.expire_unpaid() == (0, 1)
    assert fresh(order).payment_status == "paid"


# -- refunds --------------------------------------------------------------------------------------------------

def test_card_refunds_partial_and_full_reach_stripe(card_app, order, stand_in):
    staff = User(email="staff@example.vn", role="staff")
    db.session.add(staff)
    db.session.commit()
    fulfilment.start_card_payment(order)
    intent_id = order.stripe_payment_intent
    stand_in.pay(intent_id)
    post(card_app.test_client(), intent_event("succeeded", intent_id, order.total_vnd))
    keo, che = sorted(fresh(order).booth_orders, key=lambda bo: bo.items_total_vnd)
    made = fulfilment.refund(keo, 20_000, staff, "Một gói bị móp")
    assert (made.method, made.status, made.amount_vnd) == ("stripe", "succeeded", 20_000)
    assert made.stripe_refund_id.startswith("re_")
    assert stand_in.refunds(intent_id) == [20_000]
    for target in ("confirmed", "packed"):
        fulfilment.advance(keo, target, staff)
    fulfilment.advance(keo, "shipped", staff, carrier="VNPost", tracking_code="EE1")
    fulfilment.advance(keo, "delivered", staff)
    fulfilment.refund(keo, keo.total_vnd - 20_000, staff, "Trả hàng")
    assert db.session.get(BoothOrder, keo.id).status == "refunded"
    assert stand_in.refunds(intent_id) == sorted([20_000, 110_000])
    fulfilment.advance(che, "cancelled", staff)  # cancelling a paid booth order refunds it in full
    assert stand_in.refunds(intent_id) == sorted([20_000, 110_000, 150_000])
    assert sum(stand_in.refunds(intent_id)) == order.total_vnd
    refunds = db.session.scalars(sa.select(Refund).order_by(Refund.id)).all()
    assert [(r.amount_vnd, r.status) for r in refunds] == [(20_000, "succeeded"), (110_000, "succeeded"),
                                                           (150_000, "succeeded")]


def test_a_card_refund_when_stripe_is_down_changes_nothing(build_app, card_app, order, stand_in):
    fulfilment.start_card_payment(order)
    stand_in.pay(order.stripe_payment_intent)
    post(card_app.test_client(), intent_event("succeeded", order.stripe_payment_intent, order.total_vnd))
    bo_id = fresh(order).booth_orders[0].id
    db.session.remove()
    down = build_app(STRIPE_SECRET_KEY=SECRET_KEY, STRIPE_PUBLISHABLE_KEY=PUBLISHABLE_KEY,
                     STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, STRIPE_API_BASE=f"http://127.0.0.1:{closed_port()}",
                     STRIPE_TIMEOUT=2)
    with down.test_request_context():
        bo = db.session.get(BoothOrder, bo_id)
        entries = db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry))
        with pytest.raises(PaymentFailed):
            fulfilment.refund(bo, 10_000, None, "")
        db.session.rollback()
        assert db.session.get(BoothOrder, bo_id).refunded_vnd == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Refund)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)) == entries
        db.session.remove()
    assert stand_in.refunds(order.stripe_payment_intent) == []


# -- when the card is offered ---------------------------------------------------------------------------------

def test_card_is_offered_only_with_the_three_keys_and_from_the_minimum(app, card_app, build_app, market):
    minimum = card_app.config["STRIPE_MIN_VND"]
    assert payment_methods(minimum) == ["cod", "card", "vietqr"]
    assert payment_methods(minimum - 1) == ["cod", "vietqr"]
    keys = {"STRIPE_SECRET_KEY": SECRET_KEY, "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET}
    for missing in keys:
        with build_app(**{**keys, missing: ""}).app_context():
            assert "card" not in payment_methods(10_000_000)
    with app.app_context():
        assert "card" not in payment_methods(10_000_000)  # the test settings have no Stripe keys


def test_a_card_order_below_the_minimum_is_refused(card_app, market):
    card_app.config["STRIPE_MIN_VND"], minimum = 10_000_000, card_app.config["STRIPE_MIN_VND"]
    try:
        with pytest.raises(PaymentUnavailable):
            card_order((market["keo"], 1))
    finally:
        card_app.config["STRIPE_MIN_VND"] = minimum
    assert stock(market["keo"]) == [5]


def test_the_payment_pages_are_well_nested(card_app, order, stand_in):
    client = card_app.test_client()
    pages = [client.get(pay_path(order)), client.get(pay_path(order).replace("/pay?", "/pay/wait?")),
             client.get(pay_path(order).replace("/pay?", "/pay/wait?") + "&n=99")]
    fresh(order).payment_status = "failed"
    db.session.commit()
    pages += [client.get(pay_path(order)), client.get(pay_path(order).replace("/pay?", "/pay/wait?"))]
    for page in pages:
        assert page.status_code == 200
        parser = Nesting()
        parser.feed(page.get_data(as_text=True))
        parser.close()
        assert parser.errors == [] and parser.stack == []
