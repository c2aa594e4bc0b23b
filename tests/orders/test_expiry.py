"""`flask --app wsgi ocop expire-orders` (cron, every minute): unpaid transfer and card orders past their
deadline are cancelled and their stock comes back; everything else is left alone; running it twice, or
twice at the same moment, acts once."""
import os
import subprocess
import sys
import threading
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import sqlalchemy as sa

from catalog.models import Product, StockMovement
from catalog.search import index_folder
from orders import cart as carts
from orders import fulfilment
from orders.checkout import Delivery, place_order
from orders.errors import OrderError
from orders.models import BoothOrderEvent, LedgerEntry, Order
from storefront.extensions import db
from storefront.models import User, utcnow
from tests.factories import make_product, make_vendor

STRIPE = {"STRIPE_SECRET_KEY": "sk_test_expiry", "STRIPE_PUBLISHABLE_KEY": "pk_test_expiry",
          "STRIPE_WEBHOOK_SECRET": "whsec_expiry"}


def delivery(n=1):
    return Delivery(recipient_name="Trần Thị Bích", phone="0987 654 321", province="can-tho",
                    commune="Phường Cái Khế", street=f"{n} Hai Bà Trưng", email=f"bich{n}@example.vn")


@pytest.fixture
def market(ctx):
    dua, gom = make_vendor("HTX Dừa"), make_vendor("Làng Gốm")
    made = {"keo": make_product(dua, "Kẹo dừa", stock=10, price_vnd=40_000),
            "binh": make_product(gom, "Bình gốm", stock=4, price_vnd=250_000),
            "tour": make_product(gom, "Tour làng gốm", group="du_lich", stock=0, price_vnd=150_000)}
    return {name: p.id for name, p in made.items()}


def place(method, lines, n=1):
    store = carts.SessionCart({})
    for product_id, quantity in lines:
        carts.add_to_cart(store, product_id, quantity)
    return place_order(store, delivery(n), method).id


def overdue(order_id, minutes=1):
    db.session.execute(sa.update(Order).where(Order.id == order_id)
                       .values(pay_by=utcnow() - timedelta(minutes=minutes)))
    db.session.commit()


def stock(*product_ids):
    db.session.expire_all()
    return [db.session.get(Product, i).stock for i in product_ids]


def state(order_id):
    db.session.expire_all()
    order = db.session.get(Order, order_id)
    return order.payment_status, [bo.status for bo in order.booth_orders]


def expire(runner):
    result = runner.invoke(args=["ocop", "expire-orders"])
    assert result.exit_code == 0, result.output
    return result.output


def staff_user():
    user = User(email="canbo@cho-ocop.test", role="staff")
    db.session.add(user)
    db.session.commit()
    return user


def test_expire_orders_cancels_an_overdue_transfer_order_and_returns_its_stock(market, runner, outbox):
    sent = len(outbox())
    order_id = place("vietqr", [(market["keo"], 3), (market["binh"], 2), (market["tour"], 1)])
    assert stock(market["keo"], market["binh"]) == [7, 2]
    assert "Expired 0 " in expire(runner)  # not due yet
    overdue(order_id)
    assert "Expired 1 " in expire(runner)
    assert state(order_id) == ("cancelled", ["cancelled", "cancelled"])
    assert stock(market["keo"], market["binh"], market["tour"]) == [10, 4, 0]
    code = db.session.get(Order, order_id).code
    returned = db.session.execute(sa.select(StockMovement.product_id, StockMovement.delta, StockMovement.reason)
                                  .where(StockMovement.delta > 0).order_by(StockMovement.product_id)).all()
    assert [(p, d) for p, d, _r in returned] == [(market["keo"], 3), (market["binh"], 2)]
    assert all(code in reason for _p, _d, reason in returned)
    events = db.session.scalars(sa.select(BoothOrderEvent).where(BoothOrderEvent.to_status == "cancelled")).all()
    assert [(e.from_status, e.user_id) for e in events] == [("pending", None)] * 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)) == 0
    [mail] = outbox()[sent:]
    assert code in mail["Subject"] and mail["To"] == "bich1@example.vn"


def test_the_cron_command_runs_in_its_own_process_without_a_request(app, market, tmp_path):
    """Exactly what cron runs: a fresh `flask --app wsgi ocop expire-orders` process, no request around it;
    the shopper's e-mail still carries an absolute link to the order."""
    order_id = place("vietqr", [(market["binh"], 2)])
    overdue(order_id)
    code = db.session.get(Order, order_id).code
    db.session.remove()
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, OCOP_ENV="testing", TEST_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               OCOP_INSTANCE=str(tmp_path), SEARCH_DIR=str(index_folder(app)))
    done = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "ocop", "expire-orders"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Expired 1 " in done.stdout
    assert state(order_id) == ("cancelled", ["cancelled"])
    assert stock(market["binh"]) == [4]
    [sent] = (tmp_path / "outbox").glob("*.eml")
    mail = BytesParser(policy=policy.default).parsebytes(sent.read_bytes())
    assert code in mail["Subject"] and f"https://cho-ocop.test/orders/{code}?t=" in mail.get_content()


def test_expire_orders_leaves_cash_on_delivery_paid_and_not_yet_due_orders_alone(market, runner, outbox):
    cod = place("cod", [(market["keo"], 1)], 1)
    paid = place("vietqr", [(market["keo"], 1)], 2)
    fulfilment.transfer_received(db.session.get(Order, paid), staff_user())
    waiting = place("vietqr", [(market["binh"], 1)], 3)
    for order_id in (cod, paid):
        overdue(order_id, minutes=60 * 24 * 3)
    sent = len(outbox())
    assert "Expired 0 " in expire(runner)
    assert state(cod) == ("cod", ["pending"])
    assert state(paid) == ("paid", ["pending"])
    assert state(waiting) == ("pending", ["pending"])
    assert stock(market["keo"], market["binh"]) == [8, 3]
    assert len(outbox()) == sent


def test_running_expire_orders_twice_acts_once(market, runner, outbox):
    order_id = place("vietqr", [(market["binh"], 4)])
    overdue(order_id)
    sent = len(outbox())
    assert "Expired 1 " in expire(runner)
    assert "Expired 0 " in expire(runner)
    assert stock(market["binh"]) == [4]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StockMovement)) == 2  # taken, returned
    assert len(outbox()) == sent + 1


def test_a_mail_server_that_is_down_does_not_stop_the_job(market, runner, monkeypatch):
    """The cancellations are committed before the e-mails go: a failing mail server is logged, and the
    job still cancels every overdue order and returns its stock."""
    orders = [place("vietqr", [(market["binh"], 1)], n) for n in range(3)]
    for order_id in orders:
        overdue(order_id)

    def smtp_down(*_args, **_kwargs):
        raise ConnectionRefusedError("smtp.example.vn:587")

    monkeypatch.setattr("orders.notifications.send_mail", smtp_down)
    assert "Expired 3 " in expire(runner)
    assert [state(order_id)[0] for order_id in orders] == ["cancelled"] * 3
    assert stock(market["binh"]) == [4]


def test_expiry_jobs_running_at_the_same_moment_act_once_per_order(app, market, outbox):
    """Three runs start together over six overdue orders: each order is cancelled, restocked and
    announced exactly once, and no run fails."""
    orders = [place("vietqr", [(market["keo"], 1)], n) for n in range(6)]
    for order_id in orders:
        overdue(order_id)
    db.session.remove()
    sent = len(outbox())
    start, counts, errors = threading.Barrier(3), [], []

    def run():
        try:
            with app.test_request_context():
                start.wait(30)
                counts.append(fulfilment.expire_unpaid())
                db.session.remove()
        except Exception as exc:  # reported in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sum(expired for expired, _paid in counts) == 6
    assert stock(market["keo"]) == [10]
    returns = db.session.scalars(sa.select(StockMovement.delta).where(StockMovement.delta > 0)).all()
    assert returns == [1] * 6
    cancellations = db.session.scalar(sa.select(sa.func.count()).select_from(BoothOrderEvent)
                                      .where(BoothOrderEvent.to_status == "cancelled"))
    assert cancellations == 6
    assert len(outbox()) == sent + 6


def test_a_transfer_marked_received_while_the_job_runs_is_either_paid_or_cancelled(app, market):
    """Staff press "received" as the job expires the order: one of them wins, the other changes nothing
    (the loser of the two is told plainly), and stock and ledger agree with the winner."""
    order_id = place("vietqr", [(market["binh"], 3)])
    overdue(order_id)
    staff_id = staff_user().id
    db.session.remove()
    start, outcomes = threading.Barrier(2), {}

    def job():
        with app.test_request_context():
            start.wait(30)
            outcomes["job"] = fulfilment.expire_unpaid()
            db.session.remove()

    def staff():
        with app.test_request_context():
            order, user = db.session.get(Order, order_id), db.session.get(User, staff_id)
            start.wait(30)
            try:
                fulfilment.transfer_received(order, user)
                outcomes["staff"] = "paid"
            except OrderError as exc:
                outcomes["staff"] = str(exc)
            db.session.remove()

    threads = [threading.Thread(target=job), threading.Thread(target=staff)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    status, booths = state(order_id)
    entries = db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry))
    if status == "paid":
        assert outcomes == {"job": (0, 0), "staff": "paid"}
        assert booths == ["pending"] and stock(market["binh"]) == [1] and entries == 3
    else:
        assert status == "cancelled" and outcomes["job"] == (1, 0)
        assert outcomes["staff"] != "paid" and outcomes["staff"] and "SQL" not in outcomes["staff"]
        assert booths == ["cancelled"] and stock(market["binh"]) == [4] and entries == 0


def test_an_overdue_card_order_without_a_payment_intent_is_cancelled(build_app, market, runner):
    """Placed while Stripe was configured, the shopper never reached the card form (no PaymentIntent);
    the job, on an app with no Stripe keys at all, cancels it without calling Stripe."""
    with build_app(**STRIPE).test_request_context():
        order_id = place("card", [(market["keo"], 2), (market["binh"], 1)])
        db.session.remove()
    db.session.expire_all()
    order = db.session.get(Order, order_id)
    assert (order.payment_method, order.stripe_payment_intent, order.pay_by is not None) == ("card", None, True)
    assert stock(market["keo"], market["binh"]) == [8, 3]
    overdue(order_id)
    assert "Expired 1 " in expire(runner)
    assert state(order_id) == ("cancelled", ["cancelled", "cancelled"])
    assert stock(market["keo"], market["binh"]) == [10, 4]


def test_an_overdue_card_order_is_kept_while_stripe_cannot_be_asked(build_app, market):
    """The card may have been charged: with Stripe unreachable the job leaves the order for its next run
    rather than cancel an order that might be paid."""
    card_app = build_app(**STRIPE, STRIPE_API_BASE="http://127.0.0.1:9", STRIPE_TIMEOUT=2)
    with card_app.test_request_context():
        order_id = place("card", [(market["binh"], 1)])
        db.session.execute(sa.update(Order).where(Order.id == order_id).values(stripe_payment_intent="pi_unreachable"))
        overdue(order_id)
        assert fulfilment.expire_unpaid() == (0, 0)
        assert state(order_id) == ("pending", ["pending"])
        assert stock(market["binh"]) == [3]
        db.session.remove()
