"""Several processes writing at once, as gunicorn workers do, each with its own app on the same database
and index: no error reaches anyone and no update is lost; a process that dies while applying changes
to the index, or while holding the indexer's lock, loses nothing either.

Workers are started by a "forkserver" that has imported the app's modules once: each builds its own app
(and database engine) from nothing, quickly."""
import multiprocessing
import os
import signal

import pytest
import sqlalchemy as sa

from whoosh.writing import SegmentWriter

from catalog import queries, search
from catalog.manage import services as manage
from catalog.models import Product
from catalog.search import indexer
from catalog.search.models import SearchOutbox
from catalog.search.query import parse_query
from storefront import create_app
from storefront.config import TestConfig
from storefront.extensions import db
from storefront.models import User
from tests.catalog.search.conftest import request_context, search_filter
from tests.factories import make_product, make_vendor
from vendors.models import Vendor

WORKERS = 4
PRODUCTS_EACH = 2
DIED = 3  # exit status of a worker that died where the test wanted it to
PROCESSES = multiprocessing.get_context("forkserver")
PROCESSES.set_forkserver_preload([__name__])  # this module imports the app's (ignored if already running)


def worker_app(settings, instance):
    return create_app(type("Config", (TestConfig,), {"INSTANCE_PATH": instance, **settings}))


def write_products(settings, instance, worker, vendor_id, user_id):
    """In a worker process: create products through the dashboard's service, then rename each.
    Returns {product id: final name}. Any exception (a LockError, say) fails the test."""
    app = worker_app(settings, instance)
    final = {}
    with app.test_request_context():
        vendor, user = db.session.get(Vendor, vendor_id), db.session.get(User, user_id)
        for i in range(PRODUCTS_EACH):
            values = {"name": f"Kẹo dừa xưởng {worker} mẻ {i}", "group": "thuc_pham", "price_vnd": 50_000 + i}
            final[manage.create_product(vendor, user, values, stock=3).id] = values["name"]
        for i, product_id in enumerate(final):
            name = f"Mật ong xưởng {worker} lô {i}"
            manage.update_product(db.session.get(Product, product_id), user,
                                  {"name": name, "group": "thuc_pham", "price_vnd": 60_000})
            final[product_id] = name
        db.session.remove()
        db.engine.dispose()
    return final


def rename_and_die(settings, instance, user_id, product_id, name, when):
    """In a worker process: rename a product and die (os._exit, as a killed worker) at `when` of the
    drain that follows the commit."""
    def die(*_args, **_kw):
        os._exit(DIED)

    if when == "before-index-write":
        indexer._apply = die
    elif when == "after-index-commit":  # the index has the change, the outbox rows are not deleted yet
        apply = indexer._apply
        indexer._apply = lambda *args, **kw: (apply(*args, **kw), die())
    else:  # "during-index-write": inside Whoosh's writer, holding its write lock, before its commit
        SegmentWriter.commit = die
    app = worker_app(settings, instance)
    with app.test_request_context():
        product, user = db.session.get(Product, product_id), db.session.get(User, user_id)
        manage.update_product(product, user, {"name": name, "group": "thuc_pham", "price_vnd": 70_000})
    os._exit(0)  # not reached: the drain after the commit died


def hold_the_lock(settings, instance, held):
    """In a worker process: take the indexer's lock, say so, and hang until killed."""
    app = worker_app(settings, instance)
    with app.app_context(), search.backend().lock(blocking=True) as got:
        assert got
        held.set()
        signal.pause()


def prepare(app):
    """(settings for worker apps on the same database and index as `app`, a booth id, a user id)."""
    with request_context(app):
        user = User(email="owner@example.vn")
        db.session.add(user)
        vendor = make_vendor("Hợp tác xã Thanh Long")
        ids = (vendor.id, user.id)
    settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "SEARCH_BACKEND": app.config["SEARCH_BACKEND"],
                "SEARCH_DIR": str(search.index_folder(app)), "WTF_CSRF_ENABLED": False}
    return settings, *ids


@pytest.fixture
def shared(search_app):
    return prepare(search_app)


@pytest.fixture
def whoosh_app(build_app):
    app = build_app(SEARCH_BACKEND="whoosh")
    with app.app_context():
        search.reindex()
    return app


def index_ids(text=""):
    return set(search.backend().search(parse_query(text), search_filter(per_page=100)).ids)


def outbox_rows():
    return db.session.scalar(sa.select(sa.func.count()).select_from(SearchOutbox))


def assert_index_holds(names):
    """Every product is found by its latest name, and the index holds exactly the visible products, once."""
    visible = set(db.session.scalars(queries.visible_products().with_only_columns(Product.id)))
    assert index_ids() == visible == set(names)
    assert search.backend().search(parse_query(""), search_filter()).total == len(visible)
    for product_id, name in names.items():
        assert product_id in index_ids(name), name


@pytest.mark.slow
def test_workers_writing_at_once_lose_no_update(search_app, shared, tmp_path):
    settings, vendor_id, user_id = shared
    jobs = [(settings, str(tmp_path / f"worker-{n}"), n, vendor_id, user_id) for n in range(WORKERS)]
    with PROCESSES.Pool(WORKERS) as pool:
        results = pool.starmap(write_products, jobs)  # re-raises the first exception of any worker
        pool.close()
        pool.join()
    names = {k: v for result in results for k, v in result.items()}
    assert len(names) == WORKERS * PRODUCTS_EACH
    with request_context(search_app):
        search.drain(blocking=True)  # rows a worker left to the lock holder as it finished
        assert outbox_rows() == 0
        assert_index_holds(names)
        assert index_ids("kẹo dừa") == set()  # no first name survives


def rename_in_a_dying_worker(app, settings, vendor_id, user_id, tmp_path, when):
    with request_context(app):
        product_id = make_product(db.session.get(Vendor, vendor_id), "Kẹo dừa sầu riêng").id
    worker = PROCESSES.Process(target=rename_and_die, args=(settings, str(tmp_path / "worker"), user_id, product_id,
                                                            "Kẹo dừa bưởi", when))
    worker.start()
    worker.join(60)
    assert worker.exitcode == DIED
    with request_context(app):
        assert outbox_rows() > 0  # the change is committed and its row kept
        assert search.drain() is not None  # the dead worker's lock is free
        assert outbox_rows() == 0
        assert_index_holds({product_id: "Kẹo dừa bưởi"})
        assert index_ids("sầu riêng") == set()


@pytest.mark.parametrize("when", ["before-index-write", "after-index-commit"])
def test_a_worker_killed_while_applying_changes_loses_nothing(search_app, shared, tmp_path, when):
    rename_in_a_dying_worker(search_app, *shared, tmp_path, when)


def test_a_worker_killed_inside_the_whoosh_writer_loses_nothing(whoosh_app, tmp_path):
    """Whoosh's write lock of the dead worker is released with it: the next writer does not wait."""
    rename_in_a_dying_worker(whoosh_app, *prepare(whoosh_app), tmp_path, "during-index-write")


def test_a_worker_killed_while_holding_the_lock_loses_nothing(search_app, shared, tmp_path):
    settings, _vendor_id, _user_id = shared
    with request_context(search_app):
        product_id = make_product(name="Kẹo dừa sầu riêng").id
    held = PROCESSES.Event()
    worker = PROCESSES.Process(target=hold_the_lock, args=(settings, str(tmp_path / "worker"), held))
    worker.start()
    try:
        assert held.wait(60)
        with request_context(search_app):
            product = db.session.get(Product, product_id)
            product.name = "Kẹo dừa bưởi"
            db.session.commit()  # its drain finds the lock taken: no error, the row waits
            assert outbox_rows() == 1
            assert index_ids("bưởi") == set()
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(60)
    with request_context(search_app):
        search.drain(blocking=True)
        assert outbox_rows() == 0
        assert_index_holds({product_id: "Kẹo dừa bưởi"})
