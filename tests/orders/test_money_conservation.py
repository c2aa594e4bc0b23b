"""Money is conserved over many random orders: for every order, what the shopper paid minus what came back
equals the booths' shares plus the platform's commission; for every booth, its balance is its shares minus
its payouts minus the cash it collected itself; commission is never negative, refunds never exceed a booth
order, and every amount is a whole number of đồng.

The orders mix four booths (different commission rates and shipping terms, services too), cash on delivery
(delivered, cancelled before shipping, still on the road), cards paid through the webhook handler
(duplicates, wrong amounts, declines, abandoned and late payments), VietQR transfers (received, cancelled,
expired), partial and full refunds, cancellations after payment, and payouts. The test keeps its own
account of what should have happened and compares the ledger to it.

Only Stripe's refund call is stubbed, at the adapter boundary (the real Stripe stand-in is exercised in
the payment tests): a fake secret key and an unreachable API base make any other Stripe call fail fast."""
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa

from catalog.models import Product, StockMovement
from orders import cart as carts
from orders import fulfilment, ledger
from orders.checkout import Delivery, place_order
from orders.errors import RefundRefused
from orders.models import BoothOrder, BoothTerms, LedgerEntry, Order, OrderLine, Refund
from orders.payments import stripe_adapter
from orders.payments.webhooks import handle_event
from storefront.extensions import db
from storefront.models import User, utcnow
from tests.factories import make_product, make_vendor

SEED = 20250605
ORDERS = 60
STOCK = 10_000
STRIPE = {"STRIPE_SECRET_KEY": "sk_test_conservation", "STRIPE_PUBLISHABLE_KEY": "pk_test_conservation",
          "STRIPE_WEBHOOK_SECRET": "whsec_conservation", "STRIPE_API_BASE": "http://127.0.0.1:9"}
# name, commission (None: the platform's 5 %), shipping fee, free over, products [(price, group)]
BOOTHS = [
    ("HTX Dừa Sáp", None, 30_000, 300_000, [(45_000, "thuc_pham"), (12_345, "thuc_pham"), (99_999, "do_uong")]),
    ("HTX Chè Tân Cương", 800, 25_000, None, [(120_000, "thuc_pham"), (7_777, "thuc_pham")]),
    ("Làng nghề Gốm", 1234, 0, None, [(333_333, "thu_cong_my_nghe"), (56_789, "thu_cong_my_nghe")]),
    ("Du lịch Cồn Sơn", 0, 20_000, 500_000, [(250_000, "du_lich"), (180_001, "du_lich"), (65_432, "thuc_pham")]),
]


PATHS = {"cod, deliver", "cod, cancel", "cod, on the road", "card paid", "card never started", "card abandoned",
         "card late", "card declined, then paid", "wrong amount ignored", "second success event", "vietqr received",
         "vietqr cancelled", "vietqr expires", "paid, deliver", "paid, cancel", "paid, refund then cancel",
         "paid, on the road", "partial refund", "full refund", "over-refund refused"}


@dataclass
class Expected:
    """What the test itself says a booth order should add up to."""
    vendor_id: int
    items: int
    shipping: int
    bp: int
    paid: int = 0       # what the shopper paid for it (card/transfer when paid; COD cash on delivery)
    refunded: int = 0
    cod: bool = False
    settled: bool = False

    @property
    def total(self):
        return self.items + self.shipping

    @property
    def commission(self):
        if not self.settled:
            return 0
        return (self.items - min(self.refunded, self.items)) * self.bp // 10_000

    @property
    def share(self):
        return self.total - self.refunded - self.commission if self.settled else 0

    @property
    def cash_held(self):
        return self.total - self.refunded if self.cod and self.settled else 0


def delivery(n):
    return Delivery(recipient_name=f"Khách {n}", phone=f"09{n % 10}8 765 43{n % 10}", province="vinh-long",
                    commune="Phường 1", street=f"{n} Đường 30/4", email=f"khach{n}@example.vn")


class World:
    def __init__(self, rng, staff):
        self.rng, self.staff = rng, staff
        self.expected = {}                 # booth order id -> Expected
        self.late = {}                     # order id -> amount paid after expiry and refunded in full
        self.payouts = defaultdict(int)
        self.stripe_refunds = []           # (intent, amount) the stub was asked for
        self.events = 0
        self.to_expire = set()             # unpaid orders left for the expiry job
        self.seen = Counter()              # which paths the random walk took

    # -- Stripe webhook events, shaped as Stripe sends them -------------------------------------------
    def event(self, kind, intent, amount=None, currency="vnd", status=None):
        self.events += 1
        obj = {"id": intent, "object": "payment_intent", "amount": amount, "currency": currency,
               "status": status or {"payment_intent.succeeded": "succeeded",
                                    "payment_intent.canceled": "canceled"}.get(kind, "requires_payment_method")}
        return handle_event({"id": f"evt_conservation_{self.events}", "type": kind, "object": "event",
                             "data": {"object": obj}})

    def bo(self, bo_id):
        return db.session.get(BoothOrder, bo_id)

    def refund(self, bo_id, amount):
        exp = self.expected[bo_id]
        fulfilment.refund(self.bo(bo_id), amount, self.staff, "Hàng giao thiếu")
        exp.refunded += amount
        self.seen["full refund" if exp.refunded == exp.total else "partial refund"] += 1

    def over_refund(self, bo_id):
        """Asking back more than is left is refused and changes nothing."""
        exp = self.expected[bo_id]
        before = db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry))
        with pytest.raises(RefundRefused):
            fulfilment.refund(self.bo(bo_id), exp.total - exp.refunded + 1, self.staff, "quá số")
        self.seen["over-refund refused"] += 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)) == before

    def walk(self, bo_id, stop):
        """Move a booth order along pending → … → stop (shipping with a carrier and tracking code)."""
        for target in ("confirmed", "packed", "shipped", "delivered"):
            if self.bo(bo_id).status == stop:
                return
            fulfilment.advance(self.bo(bo_id), target, self.staff, carrier="Viettel Post",
                               tracking_code=f"VTP{bo_id:06d}" if target == "shipped" else "")
            if target == stop:
                return

    def some_refunds(self, bo_id):
        rng = self.rng
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            exp = self.expected[bo_id]
            left = exp.total - exp.refunded
            if left <= 0:
                return
            amount = left if rng.random() < 0.2 else rng.randint(1, max(1, min(left, rng.choice((999, 50_000, left)))))
            self.refund(bo_id, amount)
        if rng.random() < 0.1:
            self.over_refund(bo_id)

    # -- one order's life ----------------------------------------------------------------------------
    def place(self, n, products):
        rng = self.rng
        store = carts.SessionCart({})
        booths = rng.sample(sorted(products), rng.choice((1, 1, 2, 2, 3)))
        for vendor_id in booths:
            for product in rng.sample(products[vendor_id], rng.randint(1, len(products[vendor_id]))):
                carts.add_to_cart(store, product, rng.randint(1, 3))
        method = rng.choices(("cod", "card", "vietqr"), weights=(45, 30, 25))[0]
        order = place_order(store, delivery(n), method)
        for bo in order.booth_orders:
            self.expected[bo.id] = Expected(bo.vendor_id, sum(x.line_total_vnd for x in bo.lines),
                                            bo.shipping_fee_vnd, bo.commission_bp, cod=method == "cod")
        return order.id, method, [bo.id for bo in order.booth_orders]

    def settle_all(self, bo_ids):
        for bo_id in bo_ids:
            exp = self.expected[bo_id]
            exp.settled, exp.paid = True, exp.total

    def after_payment(self, bo_ids):
        """A paid order: each booth delivers (maybe refunds after), or cancels (everything goes back)."""
        for bo_id in bo_ids:
            fate = self.rng.choices(("deliver", "cancel", "refund then cancel", "on the road"),
                                    weights=(55, 20, 10, 15))[0]
            self.seen[f"paid, {fate}"] += 1
            if fate == "deliver":
                self.walk(bo_id, "delivered")
                self.some_refunds(bo_id)
            elif fate == "on the road":
                self.walk(bo_id, self.rng.choice(("confirmed", "packed", "shipped")))
                self.some_refunds(bo_id)
            else:
                if fate == "refund then cancel":
                    exp = self.expected[bo_id]
                    self.refund(bo_id, self.rng.randint(1, exp.total - 1))
                self.walk(bo_id, self.rng.choice(("pending", "confirmed", "packed")))
                fulfilment.advance(self.bo(bo_id), "cancelled", self.staff)
                exp = self.expected[bo_id]
                exp.refunded = exp.total  # cancelling a paid booth order gives back what was left

    def cod(self, bo_ids):
        for bo_id in bo_ids:
            fate = self.rng.choices(("deliver", "cancel", "on the road"), weights=(60, 25, 15))[0]
            self.seen[f"cod, {fate}"] += 1
            if fate == "deliver":
                self.walk(bo_id, "delivered")
                self.settle_all([bo_id])  # the booth took the cash at the door
                self.some_refunds(bo_id)
            elif fate == "cancel":
                self.walk(bo_id, self.rng.choice(("pending", "confirmed", "packed")))
                fulfilment.advance(self.bo(bo_id), "cancelled", self.staff)
            else:
                self.walk(bo_id, self.rng.choice(("confirmed", "packed", "shipped")))

    def card(self, order_id, bo_ids):
        rng = self.rng
        order = db.session.get(Order, order_id)
        total, intent = order.total_vnd, f"pi_conservation_{order.code}"
        fate = rng.choices(("paid", "never started", "abandoned", "late"), weights=(70, 8, 12, 10))[0]
        self.seen[f"card {fate}"] += 1
        if fate == "never started":
            self.to_expire.add(order_id)  # no PaymentIntent: the expiry job cancels it at the end
            return
        # What start_card_payment stores once Stripe created the intent.
        db.session.execute(sa.update(Order).where(Order.id == order_id).values(stripe_payment_intent=intent))
        db.session.commit()
        if fate == "paid":
            if rng.random() < 0.3:
                assert self.event("payment_intent.payment_failed", intent) == "done"
                self.seen["card declined, then paid"] += 1
            if rng.random() < 0.35:  # a forged or confused amount never pays an order
                assert self.event("payment_intent.succeeded", intent, amount=total - 1) == "done"
                assert db.session.get(Order, order_id).payment_status != "paid"
                self.seen["wrong amount ignored"] += 1
            assert self.event("payment_intent.succeeded", intent, amount=total) == "done"
            if rng.random() < 0.3:
                assert self.event("payment_intent.succeeded", intent, amount=total) == "done"  # another event
                self.seen["second success event"] += 1
            assert db.session.get(Order, order_id).payment_status == "paid"
            self.settle_all(bo_ids)
            self.after_payment(bo_ids)
        else:
            assert self.event("payment_intent.canceled", intent) == "done"
            assert db.session.get(Order, order_id).payment_status == "cancelled"
            if fate == "late":  # the card went through after all: Stripe gives all of it back
                assert self.event("payment_intent.succeeded", intent, amount=total) == "done"
                self.late[order_id] = total

    def vietqr(self, order_id, bo_ids):
        fate = self.rng.choices(("received", "cancelled", "expires"), weights=(70, 15, 15))[0]
        self.seen[f"vietqr {fate}"] += 1
        order = db.session.get(Order, order_id)
        if fate == "received":
            fulfilment.transfer_received(order, self.staff)
            self.settle_all(bo_ids)
            self.after_payment(bo_ids)
        elif fate == "cancelled":
            fulfilment.cancel_order(order, None)
        else:
            self.to_expire.add(order_id)


@pytest.fixture
def stripe_app(build_app):
    return build_app(**STRIPE)


def _setup_booths():
    products = {}
    for name, bp, fee, free_over, specs in BOOTHS:
        vendor = make_vendor(name)
        db.session.add(BoothTerms(vendor_id=vendor.id, shipping_fee_vnd=fee, free_shipping_over_vnd=free_over,
                                  commission_bp=bp))
        products[vendor.id] = [make_product(vendor, price_vnd=price, group=group, stock=STOCK).id
                               for price, group in specs]
    staff = User(email="ketoan@cho-ocop.test", name="Kế toán", role="staff")
    db.session.add(staff)
    db.session.commit()
    return products, staff


def test_money_is_conserved_over_many_random_orders(stripe_app, monkeypatch):
    """60 seeded random orders across 4 booths; the ledger matches the test's own account to the đồng."""
    rng = random.Random(SEED)
    with stripe_app.test_request_context():
        products, staff = _setup_booths()
        world = World(rng, staff)

        def fake_refund(intent_id, amount, idempotency_key):
            assert type(amount) is int and amount > 0 and intent_id.startswith("pi_conservation_")
            world.stripe_refunds.append((intent_id, amount))
            return f"re_{idempotency_key}", "succeeded"

        monkeypatch.setattr(stripe_adapter, "create_refund", fake_refund)
        methods = {}
        for n in range(ORDERS):
            order_id, method, bo_ids = world.place(n, products)
            methods[order_id] = method
            if method == "cod":
                world.cod(bo_ids)
            elif method == "card":
                world.card(order_id, bo_ids)
            else:
                world.vietqr(order_id, bo_ids)
            if n % 20 == 19:
                for vendor_id in products:
                    amount = rng.randint(1, 400_000)
                    ledger.record_payout(vendor_id, amount, staff, f"Chuyển khoản đợt {n // 20 + 1}")
                    world.payouts[vendor_id] += amount
        expired, found_paid = fulfilment.expire_unpaid(utcnow() + timedelta(days=2))
        assert found_paid == 0
        assert expired == len(world.to_expire)
        assert {db.session.get(Order, i).payment_status for i in world.to_expire} <= {"cancelled"}
        db.session.expire_all()
        _check_orders(world, methods)
        _check_booths(world, products)
        _check_stock(products)
        _check_integers()
        assert {m for m in methods.values()} == {"cod", "card", "vietqr"}
        assert set(world.seen) >= PATHS, (PATHS - set(world.seen), world.seen)  # the seed walks every path
        assert _service_lines(), "services were ordered too"
        db.session.remove()


def _service_lines():
    return db.session.scalars(sa.select(OrderLine.id).where(OrderLine.is_service.is_(True))).all()


def _entries_by_booth_order():
    sums = defaultdict(lambda: defaultdict(int))
    for entry in db.session.scalars(sa.select(LedgerEntry).where(LedgerEntry.booth_order_id.is_not(None))):
        sums[entry.booth_order_id][entry.kind] += entry.amount_vnd
        if entry.kind == "commission":
            assert entry.amount_vnd < 0
        if entry.kind == "commission_reversal":
            assert entry.amount_vnd > 0
    return sums


def _check_orders(world, methods):
    entries = _entries_by_booth_order()
    refunded_on = defaultdict(int)
    for refund in db.session.scalars(sa.select(Refund)):
        assert refund.status == "succeeded"
        refunded_on[refund.booth_order_id] += refund.amount_vnd
    stripe_refunded = 0
    for order in db.session.scalars(sa.select(Order).order_by(Order.id)):
        paid = refunds = shares = platform = 0
        for bo in order.booth_orders:
            exp, e = world.expected[bo.id], entries[bo.id]
            assert (bo.items_total_vnd, bo.shipping_fee_vnd, bo.commission_bp) == (exp.items, exp.shipping, exp.bp)
            assert bo.refunded_vnd == refunded_on[bo.id] == exp.refunded <= bo.total_vnd
            assert (bo.settled_at is not None) == exp.settled
            booth_commission = -e["commission"] - e["commission_reversal"]
            assert booth_commission == exp.commission >= 0
            share = e["sale"] + e["shipping"] + e["commission"] + e["refund"] + e["commission_reversal"]
            assert share == exp.share
            paid += exp.paid
            refunds += exp.refunded
            shares += share
            platform += booth_commission
            if order.payment_method == "card":
                stripe_refunded += refunded_on[bo.id]
        if order.id in world.late:
            paid, refunds = world.late[order.id], world.late[order.id]
            assert shares == platform == 0
        if methods[order.id] in ("card", "vietqr"):
            assert paid == (order.total_vnd if order.payment_status == "paid" or order.id in world.late else 0)
        assert paid - refunds == shares + platform, order.code
    stripe_refunded += sum(world.late.values())
    assert sum(amount for _intent, amount in world.stripe_refunds) == stripe_refunded


def _check_booths(world, products):
    balances = ledger.balances()
    for vendor_id in products:
        mine = [exp for exp in world.expected.values() if exp.vendor_id == vendor_id]
        shares = sum(exp.share for exp in mine)
        cash = sum(exp.cash_held for exp in mine)
        payouts = world.payouts[vendor_id]
        assert balances[vendor_id] == (shares, payouts + cash, shares - payouts - cash)
        assert ledger.balance(vendor_id) == shares - payouts - cash
    total_in = sum(exp.paid - exp.refunded for exp in world.expected.values())
    total_platform = sum(exp.commission for exp in world.expected.values())
    assert total_in == sum(b[0] for b in balances.values()) + total_platform


def _check_stock(products):
    """Stock left = stock at the start − units on booth orders that were not cancelled, and the stock
    movements say so."""
    live = sa.select(OrderLine.product_id, sa.func.sum(OrderLine.quantity)).join(BoothOrder) \
        .where(BoothOrder.status != "cancelled").group_by(OrderLine.product_id)
    taken = dict(db.session.execute(live).all())
    for ids in products.values():
        for product_id in ids:
            product = db.session.get(Product, product_id)
            moved = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(StockMovement.delta), 0))
                                      .where(StockMovement.product_id == product_id))
            if product.is_service:
                assert product.stock == STOCK and moved == 0
            else:
                assert product.stock == STOCK - taken.get(product_id, 0) == STOCK + moved


def _check_integers():
    """Every amount is a whole number of đồng, as Python ints (never float or Decimal)."""
    money = {Order: ("items_total_vnd", "shipping_total_vnd", "total_vnd"),
             BoothOrder: ("items_total_vnd", "shipping_fee_vnd", "total_vnd", "refunded_vnd", "commission_bp"),
             OrderLine: ("unit_price_vnd", "line_total_vnd", "quantity"),
             Refund: ("amount_vnd",), LedgerEntry: ("amount_vnd",)}
    for model, columns in money.items():
        rows = db.session.execute(sa.select(*(getattr(model, c) for c in columns))).all()
        assert rows
        for row in rows:
            assert all(type(value) is int for value in row), (model.__name__, row)
    for shares, received, balance in ledger.balances().values():
        assert type(shares) is type(received) is type(balance) is int
