"""Many processes checking out the last units at the same moment: exactly the stock is sold, every other
buyer gets a clear "not enough left" message, never a deadlock or a database error; on SQLite and on
PostgreSQL (whichever TEST_DATABASE_URL names).

A few buyer processes (the "spawn" start method: each imports and builds its own app, as gunicorn workers
do) are started once for the module; each round, every process runs a few buyer threads, and all of them
wait on one barrier before calling `place_order`, so the checkouts really overlap."""
import multiprocessing
import os
import queue
import threading
import time

import pytest
import sqlalchemy as sa

from catalog.models import Product, StockMovement
from catalog.search import index_folder
from orders import cart as carts
from orders.checkout import Delivery, place_order
from orders.errors import CartChanged, OrderError, OutOfStock
from orders.models import Order, OrderLine
from storefront.extensions import db
from tests.factories import make_product, make_vendor

PROCESSES, THREADS = 4, 3
BUYERS = PROCESSES * THREADS
WAIT = 90  # seconds before a stuck round fails the test instead of hanging it


def delivery(n):
    return Delivery(recipient_name=f"Người mua {n}", phone="0912 345 678", province="vinh-long",
                    commune="Xã Đại Phước", street=f"{n} Ấp Chợ", email=f"mua{n}@example.vn")


# -- the buyer processes ----------------------------------------------------------------------------------

def _buy(app, cart, n, barrier):
    """One shopper: fill a guest cart, wait for everyone, place the order. Returns what happened."""
    with app.test_request_context():
        store = carts.SessionCart({})
        for product_id, quantity, price in cart:
            store.put(product_id, quantity, price)
        try:
            barrier.wait(WAIT)
        except threading.BrokenBarrierError:
            return ("error", n, "barrier broken", 0.0)
        started = time.perf_counter()
        try:
            order = place_order(store, delivery(n), "cod")
            outcome = ("placed", n, order.code)
        except (OutOfStock, CartChanged) as exc:
            outcome = ("refused", n, f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # anything else is a failure the test reports
            outcome = ("error", n, f"{type(exc).__name__}: {exc}")
        finally:
            db.session.remove()
        return (*outcome, time.perf_counter() - started)


def _buyer_process(settings, barrier, commands, results):
    from storefront import create_app
    from storefront.config import TestConfig

    app = create_app(type("Config", (TestConfig,), settings))
    results.put(("ready", os.getpid()))
    while (job := commands.get()) is not None:
        out = [None] * len(job)

        def run(i, cart, n):
            out[i] = _buy(app, cart, n, barrier)

        threads = [threading.Thread(target=run, args=(i, cart, n)) for i, (n, cart) in enumerate(job)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for outcome in out:
            results.put(outcome)
    with app.app_context():
        db.engine.dispose()


class Buyers:
    def __init__(self, barrier, commands, results):
        self.barrier, self.commands, self.results = barrier, commands, results

    def checkout(self, buyer_carts):
        """Run one round: buyer_carts holds BUYERS carts [(product_id, quantity, price seen)]."""
        assert len(buyer_carts) == BUYERS
        self.barrier.reset()
        for p, commands in enumerate(self.commands):
            commands.put([(p * THREADS + t, buyer_carts[p * THREADS + t]) for t in range(THREADS)])
        outcomes = [self.results.get(timeout=WAIT + 30) for _ in range(BUYERS)]
        return sorted(outcomes, key=lambda o: o[1])


@pytest.fixture(scope="module")
def buyers(app, tmp_path_factory):
    ctx = multiprocessing.get_context("spawn")
    settings = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "INSTANCE_PATH": str(tmp_path_factory.mktemp("buyers")),
        "SEARCH_DIR": str(index_folder(app)),  # the same index as the test app: it stays true to the data
        "WTF_CSRF_ENABLED": False,
    }
    barrier, results = ctx.Barrier(BUYERS), ctx.Queue()
    commands = [ctx.Queue() for _ in range(PROCESSES)]
    procs = [ctx.Process(target=_buyer_process, args=(settings, barrier, commands[p], results), daemon=True)
             for p in range(PROCESSES)]
    for proc in procs:
        proc.start()
    try:
        ready, deadline = 0, time.monotonic() + 180  # importing the app takes a few seconds per process
        while ready < PROCESSES:
            assert all(p.exitcode is None for p in procs), "a buyer process died while starting"
            assert time.monotonic() < deadline, "the buyer processes did not start"
            try:
                ready += results.get(timeout=1)[0] == "ready"
            except queue.Empty:
                pass
        yield Buyers(barrier, commands, results)
    finally:
        for c in commands:
            c.put(None)
        for proc in procs:
            proc.join(30)
            if proc.is_alive():
                proc.terminate()
                proc.join(5)
        for q in (results, *commands):
            q.close()
            q.join_thread()


# -- helpers on the test's side ---------------------------------------------------------------------------

def _products(app, *specs):
    """Products [(stock, price)] of one booth; returns [(id, price)]."""
    with app.app_context():
        vendor = make_vendor()
        made = [make_product(vendor, stock=stock, price_vnd=price) for stock, price in specs]
        ids = [(p.id, p.price_vnd) for p in made]
        db.session.remove()
    return ids


def _state(app, product_id):
    """(stock, sum of its stock movements, units on order lines)."""
    with app.app_context():
        stock = db.session.get(Product, product_id).stock
        moved = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(StockMovement.delta), 0))
                                  .where(StockMovement.product_id == product_id))
        sold = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(OrderLine.quantity), 0))
                                 .where(OrderLine.product_id == product_id))
        db.session.remove()
    return stock, moved, sold


def _split(outcomes):
    placed = [o for o in outcomes if o[0] == "placed"]
    refused = [o for o in outcomes if o[0] == "refused"]
    errors = [o for o in outcomes if o[0] == "error"]
    return placed, refused, errors


# -- the tests --------------------------------------------------------------------------------------------

def test_concurrent_checkouts_never_sell_more_than_the_last_units(app, buyers):
    """12 buyers in 4 processes want 1 each of the last 5: 5 orders, 7 clear refusals, stock 0."""
    [(product_id, price)] = _products(app, (5, 85_000))
    outcomes = buyers.checkout([[(product_id, 1, price)]] * BUYERS)
    placed, refused, errors = _split(outcomes)
    assert errors == []
    assert len(placed) == 5 and len(refused) == BUYERS - 5
    for _kind, _n, message, _seconds in refused:
        assert message.startswith(("OutOfStock", "CartChanged")) and "SQL" not in message
    assert _state(app, product_id) == (0, -5, 5)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Order)) == 5


def test_two_products_taken_in_opposite_cart_orders_never_deadlock(app, buyers):
    """Half the carts hold A then B, the other half B then A; stock is taken in product-id order, so no
    deadlock (PostgreSQL would report one as an error) and an order gets both or neither."""
    (a, price_a), (b, price_b) = _products(app, (3, 50_000), (5, 120_000))
    forward, backward = [(a, 1, price_a), (b, 1, price_b)], [(b, 1, price_b), (a, 1, price_a)]
    outcomes = buyers.checkout([forward if n % 2 else backward for n in range(BUYERS)])
    placed, refused, errors = _split(outcomes)
    assert errors == []
    assert len(placed) == 3 and len(refused) == BUYERS - 3
    assert _state(app, a) == (0, -3, 3)
    assert _state(app, b) == (2, -3, 3)  # B's units came back from every order that could not get A
    with app.app_context():
        for order in db.session.scalars(sa.select(Order)):
            [bo] = order.booth_orders
            assert sorted((line.product_id, line.quantity) for line in bo.lines) == sorted([(a, 1), (b, 1)])
        db.session.remove()


def test_mixed_quantities_refuse_only_what_could_not_be_served(app, buyers):
    """Buyers wanting 1, 2 or 3 of 10 units: nothing oversold, the movements add up to the units on order
    lines, and a refused buyer wanted more than was left at the end."""
    [(product_id, price)] = _products(app, (10, 33_333))
    wanted = [1 + n % 3 for n in range(BUYERS)]
    outcomes = buyers.checkout([[(product_id, q, price)] for q in wanted])
    placed, refused, errors = _split(outcomes)
    assert errors == []
    sold = sum(wanted[o[1]] for o in placed)
    stock, moved, on_lines = _state(app, product_id)
    assert 0 <= stock == 10 - sold and moved == -sold and on_lines == sold
    assert all(wanted[o[1]] > stock for o in refused)


def test_stock_taken_between_the_cart_check_and_the_update_is_refused_cleanly(app, ctx, monkeypatch):
    """The cart looked fine, but someone bought the last unit before our UPDATE: OutOfStock naming the
    product and what is left, nothing written, the cart kept."""
    vendor = make_vendor()
    product = make_product(vendor, "Mật ong hoa nhãn", stock=2, price_vnd=150_000)
    store = carts.SessionCart({})
    carts.add_to_cart(store, product.id, 2)
    real_view = carts.view_cart

    def view_then_someone_buys(items):
        view = real_view(items)
        with db.engine.begin() as other:  # another checkout commits first
            other.execute(sa.text("UPDATE products SET stock = stock - 1 WHERE id = :id"), {"id": product.id})
        return view

    monkeypatch.setattr(carts, "view_cart", view_then_someone_buys)
    with pytest.raises(OutOfStock) as refused:
        place_order(store, delivery(1), "cod")
    assert refused.value.available == 1 and "Mật ong hoa nhãn" in str(refused.value)
    assert isinstance(refused.value, OrderError)
    assert store.items() == {product.id: (2, 150_000)}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Order)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StockMovement)) == 0
    db.session.expire_all()
    assert db.session.get(Product, product.id).stock == 1
