"""Stock in the dashboard: set or adjusted with a reason, one history row per change, never below zero,
and concurrent changes all applied."""
import threading

import pytest
import sqlalchemy as sa

from catalog.manage import services
from catalog.manage.errors import CatalogueError, StockBelowZero
from catalog.models import Product, StockMovement
from storefront.extensions import db
from storefront.models import User
from tests.catalog.manage_world import client_as, world  # noqa: F401  (fixtures)


def _stock(app, product_id):
    with app.app_context():
        stock = db.session.get(Product, product_id).stock
        moves = db.session.execute(sa.select(StockMovement.delta, StockMovement.stock_after, StockMovement.reason)
                                   .where(StockMovement.product_id == product_id).order_by(StockMovement.id)).all()
        db.session.remove()
        return stock, [tuple(m) for m in moves]


def _post(client, mine, **data):
    return client.post(f"/vendor/{mine['booth']}/products/{mine['product_id']}/stock", data=data)


def test_each_stock_change_is_kept_with_its_reason_newest_first(app, world, client_as):
    mine = world["mine"]  # the world's product starts with 10
    client = client_as("owner")
    assert _post(client, mine, mode="adjust", amount="+5", reason="Lô mới").status_code == 302
    assert _post(client, mine, mode="adjust", amount="-3", reason="Bán ở hội chợ").status_code == 302
    assert _post(client, mine, mode="set", amount="40", reason="Kiểm kho").status_code == 302
    assert _stock(app, mine["product_id"]) == (40, [(5, 15, "Lô mới"), (-3, 12, "Bán ở hội chợ"), (28, 40, "Kiểm kho")])
    page = client.get(f"/vendor/{mine['booth']}/products/{mine['product_id']}/stock").get_data(as_text=True)
    page = page.split('<table class="dash-table">')[1]
    assert page.index("Kiểm kho") < page.index("Bán ở hội chợ") < page.index("Lô mới")
    assert "+28" in page and "-3" in page


@pytest.mark.parametrize("data, field", [
    ({"mode": "adjust", "amount": "-11", "reason": "Hỏng"}, "amount"),
    ({"mode": "set", "amount": "-1", "reason": "Kiểm kho"}, "amount"),
    ({"mode": "set", "amount": "5000000000", "reason": "Kiểm kho"}, "amount"),
    ({"mode": "adjust", "amount": "999999999", "reason": "Nhầm"}, "amount"),
    ({"mode": "adjust", "amount": "5", "reason": "  "}, "reason"),
    ({"mode": "adjust", "amount": "năm", "reason": "Lô mới"}, "amount"),
])
def test_bad_stock_changes_are_refused_and_change_nothing(app, world, client_as, data, field):
    mine = world["mine"]
    response = _post(client_as("owner"), mine, **data)
    assert response.status_code == 400
    assert f'id="{field}-errors"' in response.get_data(as_text=True)
    assert _stock(app, mine["product_id"]) == (10, [])


def test_the_stock_never_goes_below_zero(app, world):
    with app.app_context():
        product = db.session.get(Product, world["mine"]["product_id"])
        user = db.session.get(User, world["user_ids"]["owner"])
        services.adjust_stock(product, user, delta=-10, reason="Bán hết")
        with pytest.raises(StockBelowZero, match="0"):
            services.adjust_stock(product, user, delta=-1, reason="Bán thêm")
        with pytest.raises(CatalogueError):
            services.adjust_stock(product, user, set_to=-1, reason="Kiểm kho")
        db.session.remove()
    assert _stock(app, world["mine"]["product_id"]) == (0, [(-10, 0, "Bán hết")])


def test_setting_the_stock_to_what_it_already_is_records_nothing(app, world):
    with app.app_context():
        product = db.session.get(Product, world["mine"]["product_id"])
        assert services.adjust_stock(product, db.session.get(User, world["user_ids"]["owner"]), set_to=10,
                                     reason="Kiểm kho") is None
        db.session.remove()
    assert _stock(app, world["mine"]["product_id"]) == (10, [])


def test_concurrent_adjustments_are_all_applied(app, world):
    """Threads, each with its own app context and connection, adjust the same product at the same time."""
    product_id, user_id = world["mine"]["product_id"], world["user_ids"]["owner"]
    rounds, deltas = 5, (7, -2, 3, 1)
    start = threading.Barrier(len(deltas))
    errors = []

    def work(delta):
        try:
            with app.app_context():
                product, user = db.session.get(Product, product_id), db.session.get(User, user_id)
                start.wait()
                for _ in range(rounds):
                    services.adjust_stock(product, user, delta=delta, reason=f"luồng {delta}")
                db.session.remove()
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(d,)) for d in deltas]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    stock, moves = _stock(app, product_id)
    assert stock == 10 + rounds * sum(deltas)
    assert len(moves) == rounds * len(deltas)
    running = 10
    for delta, after, _reason in moves:  # in the order they were applied, each row follows from the last
        running += delta
        assert after == running


def test_concurrent_counts_set_by_two_people_each_leave_a_true_history(app, world):
    """Two 'set to' changes racing: the final stock is one of them and the history adds up to it."""
    product_id, user_id = world["mine"]["product_id"], world["user_ids"]["owner"]
    start = threading.Barrier(2)
    errors = []

    def work(value):
        try:
            with app.app_context():
                product, user = db.session.get(Product, product_id), db.session.get(User, user_id)
                start.wait()
                services.adjust_stock(product, user, set_to=value, reason=f"đếm {value}")
                db.session.remove()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(v,)) for v in (25, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    stock, moves = _stock(app, product_id)
    assert stock in (25, 4) and moves[-1][1] == stock
    assert 10 + sum(delta for delta, _a, _r in moves) == stock
