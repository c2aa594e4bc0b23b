"""The ledger's rules, entry by entry: a booth order is settled once (card or transfer when paid, cash on
delivery when delivered); refunds reverse exactly the commission share of the items given back, rounded
as the commission was (floor of items kept × rate); payouts; the rate frozen on the booth order."""
import random

import pytest
import sqlalchemy as sa

from orders import cart as carts
from orders import fulfilment, ledger
from orders.checkout import Delivery, place_order
from orders.errors import OrderError, RefundRefused
from orders.models import BoothOrder, BoothTerms, LedgerEntry, Order
from orders.payments.webhooks import handle_event
from orders.pricing import commission
from storefront.extensions import db
from storefront.models import User
from tests.factories import make_product, make_vendor

STRIPE = {"STRIPE_SECRET_KEY": "sk_test_ledger", "STRIPE_PUBLISHABLE_KEY": "pk_test_ledger",
          "STRIPE_WEBHOOK_SECRET": "whsec_ledger", "STRIPE_API_BASE": "http://127.0.0.1:9"}


def delivery():
    return Delivery(recipient_name="Lê Văn Tám", phone="0903 123 456", province="vinh-long",
                    commune="Xã Long Hồ", street="8 Ấp Phước Yên", email="tam@example.vn")


@pytest.fixture
def staff(ctx):
    user = User(email="ketoan@cho-ocop.test", role="staff")
    db.session.add(user)
    db.session.commit()
    return user


def booth(bp=None, fee=30_000, free_over=None):
    vendor = make_vendor()
    db.session.add(BoothTerms(vendor_id=vendor.id, shipping_fee_vnd=fee, free_shipping_over_vnd=free_over,
                              commission_bp=bp))
    db.session.commit()
    return vendor


def order_of(method, *lines):
    """Place an order of [(product, quantity)]; returns its booth orders, oldest booth first."""
    store = carts.SessionCart({})
    for product, quantity in lines:
        carts.add_to_cart(store, product.id, quantity)
    order = place_order(store, delivery(), method)
    return sorted(order.booth_orders, key=lambda bo: bo.vendor_id)


def entries(bo_id=None, vendor_id=None):
    """{kind: sum} for one booth order or one booth."""
    stmt = sa.select(LedgerEntry.kind, sa.func.sum(LedgerEntry.amount_vnd)).group_by(LedgerEntry.kind)
    if bo_id is not None:
        stmt = stmt.where(LedgerEntry.booth_order_id == bo_id)
    if vendor_id is not None:
        stmt = stmt.where(LedgerEntry.vendor_id == vendor_id)
    return {kind: int(total) for kind, total in db.session.execute(stmt)}


def entry_count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry))


def deliver(bo, user):
    for target in ("confirmed", "packed"):
        fulfilment.advance(bo, target, user)
    fulfilment.advance(bo, "shipped", user, carrier="VNPost", tracking_code="EB123456789VN")
    fulfilment.advance(bo, "delivered", user)


def fresh(bo):
    db.session.expire_all()
    return db.session.get(BoothOrder, bo.id)


# -- settling ---------------------------------------------------------------------------------------------

def test_cash_on_delivery_posts_nothing_until_delivered_then_sale_shipping_commission_and_the_cash(staff):
    vendor = booth(bp=500, fee=25_000)
    [bo] = order_of("cod", (make_product(vendor, price_vnd=99_999), 1))
    for target in ("confirmed", "packed"):
        fulfilment.advance(bo, target, staff)
    fulfilment.advance(bo, "shipped", staff, carrier="GHTK", tracking_code="S123")
    assert entry_count() == 0 and fresh(bo).settled_at is None
    fulfilment.advance(bo, "delivered", staff)
    assert entries(bo.id) == {"sale": 99_999, "shipping": 25_000, "commission": -4_999, "cod_collected": -124_999}
    assert ledger.balances([vendor.id])[vendor.id] == (120_000, 124_999, -4_999)  # the booth owes the commission


def test_a_paid_transfer_settles_at_payment_and_the_platform_owes_the_booth(staff):
    vendor = booth(bp=800, fee=20_000)
    [bo] = order_of("vietqr", (make_product(vendor, price_vnd=125_000), 2))
    assert entry_count() == 0
    fulfilment.transfer_received(bo.order, staff)
    assert entries(bo.id) == {"sale": 250_000, "shipping": 20_000, "commission": -20_000}
    assert ledger.balance(vendor.id) == 250_000
    deliver(fresh(bo), staff)
    assert entries(bo.id) == {"sale": 250_000, "shipping": 20_000, "commission": -20_000}  # delivery adds nothing


def test_settling_twice_posts_once(staff):
    vendor = booth()
    [bo] = order_of("vietqr", (make_product(vendor), 1))
    fulfilment.transfer_received(bo.order, staff)
    posted = entry_count()
    assert ledger.settle(fresh(bo)) is False
    with pytest.raises(OrderError):
        fulfilment.transfer_received(db.session.get(Order, bo.order_id), staff)
    assert entry_count() == posted == 3


def test_a_card_payment_event_delivered_again_or_sent_twice_settles_once(build_app):
    """Two different success events for the same intent, each delivered twice: one settlement."""
    with build_app(**STRIPE).test_request_context():
        vendor = booth(bp=1000, fee=15_000)
        [bo] = order_of("card", (make_product(vendor, price_vnd=70_000), 3))
        order = bo.order
        order.stripe_payment_intent = "pi_ledger_twice"
        db.session.commit()
        obj = {"id": "pi_ledger_twice", "object": "payment_intent", "status": "succeeded", "amount": 225_000,
               "currency": "vnd"}
        outcomes = [handle_event({"id": evt, "type": "payment_intent.succeeded", "data": {"object": obj}})
                    for evt in ("evt_a", "evt_a", "evt_b", "evt_b")]
        assert outcomes == ["done", "duplicate", "done", "duplicate"]
        assert entries(bo.id) == {"sale": 210_000, "shipping": 15_000, "commission": -21_000}
        db.session.remove()


def test_the_rate_is_frozen_on_the_booth_order_when_placed(staff):
    vendor = booth(bp=300)
    [bo] = order_of("cod", (make_product(vendor, price_vnd=100_000), 1))
    db.session.get(BoothTerms, vendor.id).commission_bp = 2_000
    db.session.commit()
    deliver(fresh(bo), staff)
    assert entries(bo.id)["commission"] == -3_000


def test_the_platform_default_applies_without_a_booth_rate_and_a_zero_rate_posts_no_commission(app, staff):
    default = app.config["ORDER_COMMISSION_BP"]
    plain, free = booth(bp=None), booth(bp=0)
    first, second = order_of("vietqr", (make_product(plain, price_vnd=40_000), 1),
                             (make_product(free, price_vnd=40_000), 1))
    fulfilment.transfer_received(first.order, staff)
    assert (first.commission_bp, second.commission_bp) == (default, 0)
    assert entries(first.id)["commission"] == -commission(40_000, default)
    assert "commission" not in entries(second.id)


# -- refunds ----------------------------------------------------------------------------------------------

def test_refunds_reverse_the_commission_of_the_items_given_back_rounded_down(staff):
    """99.999 ₫ of items at 5 %: commission 4.999 ₫. Each refund reverses what is no longer due on the
    items kept (floor), so 1 ₫ back reverses nothing and everything back reverses all of it."""
    vendor = booth(bp=500, fee=30_000)
    [bo] = order_of("vietqr", (make_product(vendor, price_vnd=99_999), 1))
    fulfilment.transfer_received(bo.order, staff)
    steps = [(1, 0), (33_332, 1_666), (40_000, 2_000), (26_666, 1_333), (30_000, 0)]
    for amount, reversal in steps:
        before = entries(bo.id).get("commission_reversal", 0)
        fulfilment.refund(fresh(bo), amount, staff, "")
        assert entries(bo.id).get("commission_reversal", 0) - before == reversal, amount
    e = entries(bo.id)
    assert fresh(bo).refunded_vnd == 129_999 == bo.total_vnd
    assert e["commission"] + e["commission_reversal"] == 0
    assert sum(e.values()) == 0  # everything went back: the booth's share of the order is nothing


def test_refunds_come_out_of_the_items_first_then_shipping(staff):
    vendor = booth(bp=1_000, fee=30_000)
    [bo] = order_of("vietqr", (make_product(vendor, price_vnd=50_000), 1))
    fulfilment.transfer_received(bo.order, staff)
    fulfilment.refund(fresh(bo), 60_000, staff, "Trả cả phí giao")
    e = entries(bo.id)
    assert e["refund"] == -60_000 and e["commission_reversal"] == 5_000
    assert e["commission"] + e["commission_reversal"] == 0


@pytest.mark.parametrize("seed", range(5))
def test_any_sequence_of_refunds_leaves_exactly_the_commission_on_the_items_kept(staff, seed):
    rng = random.Random(seed)
    bp = rng.choice((0, 1, 250, 500, 777, 1_234, 10_000))
    vendor = booth(bp=bp, fee=rng.choice((0, 15_000, 30_000)))
    [bo] = order_of("vietqr", (make_product(vendor, price_vnd=rng.randint(1_000, 500_000)), rng.randint(1, 3)))
    fulfilment.transfer_received(bo.order, staff)
    items, total, refunded = bo.items_total_vnd, bo.total_vnd, 0
    while refunded < total:
        amount = rng.randint(1, total - refunded)
        fulfilment.refund(fresh(bo), amount, staff, "")
        refunded += amount
        e = entries(bo.id)
        kept = items - min(refunded, items)
        assert -(e["commission"] if "commission" in e else 0) - e.get("commission_reversal", 0) == kept * bp // 10_000
        assert e.get("commission_reversal", 0) >= 0
    assert fresh(bo).refunded_vnd == total


def test_a_cash_refund_is_handed_back_by_the_booth(staff):
    vendor = booth(bp=500, fee=30_000)
    [bo] = order_of("cod", (make_product(vendor, price_vnd=100_000), 1))
    deliver(bo, staff)
    fulfilment.refund(fresh(bo), 40_000, staff, "Một hộp bị vỡ")
    e = entries(bo.id)
    assert e["cod_collected"] == -130_000 + 40_000 and e["commission_reversal"] == 2_000
    assert ledger.balance(vendor.id) == -3_000  # 5 % of the 60.000 ₫ of items the shopper kept


def test_refunds_never_exceed_the_booth_order_and_need_a_settled_one(staff):
    vendor = booth(bp=500, fee=30_000)
    [cod] = order_of("cod", (make_product(vendor, price_vnd=20_000), 1))
    with pytest.raises(OrderError):
        fulfilment.refund(cod, 1_000, staff, "")  # not delivered: cancel it instead
    [paid] = order_of("vietqr", (make_product(vendor, price_vnd=20_000), 1))
    fulfilment.transfer_received(paid.order, staff)
    for amount in (0, -5, 50_001):
        with pytest.raises(RefundRefused):
            fulfilment.refund(fresh(paid), amount, staff, "")
    fulfilment.refund(fresh(paid), 50_000, staff, "")
    with pytest.raises(RefundRefused):
        fulfilment.refund(fresh(paid), 1, staff, "")
    assert fresh(paid).refunded_vnd == 50_000
    assert entries(paid.id)["refund"] == -50_000


def test_cancelling_a_paid_booth_order_gives_everything_back_and_leaves_no_share(staff):
    vendor = booth(bp=700, fee=10_000)
    [bo] = order_of("vietqr", (make_product(vendor, price_vnd=77_777), 2))
    fulfilment.transfer_received(bo.order, staff)
    fulfilment.refund(fresh(bo), 5_000, staff, "")
    fulfilment.advance(fresh(bo), "cancelled", staff)
    assert fresh(bo).refunded_vnd == bo.total_vnd
    assert sum(entries(bo.id).values()) == 0 and ledger.balance(vendor.id) == 0


# -- payouts and the statement ----------------------------------------------------------------------------

def test_payouts_lower_the_balance_and_must_be_positive(staff):
    vendor = booth(bp=500, fee=0)
    [bo] = order_of("vietqr", (make_product(vendor, price_vnd=200_000), 1))
    fulfilment.transfer_received(bo.order, staff)
    ledger.record_payout(vendor.id, 150_000, staff, "Chuyển khoản tháng 6")
    assert ledger.balances([vendor.id])[vendor.id] == (190_000, 150_000, 40_000)
    for amount in (0, -1):
        with pytest.raises(ValueError):
            ledger.record_payout(vendor.id, amount, staff)
    payout = db.session.scalar(sa.select(LedgerEntry).where(LedgerEntry.kind == "payout"))
    assert (payout.amount_vnd, payout.booth_order_id, payout.created_by_id) == (-150_000, None, staff.id)
    assert [e.kind for e in ledger.statement(vendor.id)][0] == "payout"  # newest first


def test_each_booth_of_a_shared_order_gets_only_its_own_entries(staff):
    a, b = booth(bp=500, fee=30_000), booth(bp=1_000, fee=20_000)
    first, second = order_of("vietqr", (make_product(a, price_vnd=60_000), 1), (make_product(b, price_vnd=90_000), 1))
    fulfilment.transfer_received(first.order, staff)
    assert entries(vendor_id=a.id) == {"sale": 60_000, "shipping": 30_000, "commission": -3_000}
    assert entries(vendor_id=b.id) == {"sale": 90_000, "shipping": 20_000, "commission": -9_000}
    assert first.order.total_vnd == 200_000
