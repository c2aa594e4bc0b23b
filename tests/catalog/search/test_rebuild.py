"""Rebuilding the index from the database: `ocop reindex`, and by itself when the index is missing or
corrupt, while searches keep answering from the database; stars that lapse without any write."""
import gc
import shutil
import threading
import time
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from catalog import search
from catalog.models import Product
from catalog.search.query import parse_query
from storefront.extensions import db
from tests.catalog.search.conftest import request_context, search_filter
from tests.factories import make_product, make_vendor


def index_ids(text="", **filters):
    return set(search.backend().search(parse_query(text), search_filter(**filters)).ids)


@pytest.fixture
def market(search_app):
    """Two coconut sweets and a rice cake, visible; one hidden product."""
    with request_context(search_app):
        coop = make_vendor("Hợp tác xã Kẹo dừa Thanh Long")
        ids = {name: make_product(coop, name, star=4).id for name in ("Kẹo dừa sầu riêng", "Kẹo dừa lá dứa",
                                                                       "Bánh tét lá cẩm")}
        make_product(coop, "Kẹo dừa bí đỏ", is_published=False)
    return ids


def test_reindex_command_rebuilds_from_the_database_and_reports_the_count(search_app, market):
    with request_context(search_app):
        # A change the outbox never saw (a bulk SQL edit): only a rebuild from the database picks it up.
        db.session.execute(sa.update(Product).where(Product.id == market["Bánh tét lá cẩm"])
                           .values(name="Bánh tét Trà Cuôn", search_name="banh tet tra cuon"))
        db.session.commit()
        assert index_ids("Trà Cuôn") == set()
    result = search_app.test_cli_runner().invoke(args=["ocop", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Search index: 3 products" in result.output
    with request_context(search_app):
        assert index_ids("Trà Cuôn") == {market["Bánh tét lá cẩm"]}
        assert index_ids() == set(market.values())


def break_index(app, how):
    folder = search.index_folder(app)
    if how == "deleted":
        shutil.rmtree(folder)
    elif how == "corrupt-pointer":
        (folder / "current.json").write_text("{not json")
    else:  # a damaged segment file
        with request_context(app):
            live = search.backend()._live_dir()
        for segment in live.glob("products_*.seg"):
            segment.write_bytes(b"\x00garbage" * 4)


def wait_for_rebuild(app, timeout=20):
    deadline = time.monotonic() + timeout
    while search.state(app).rebuilding.is_set() and time.monotonic() < deadline:
        time.sleep(0.02)
    for thread in threading.enumerate():
        if thread.name == "search-rebuild":
            thread.join(timeout)
    assert not search.state(app).rebuilding.is_set()


@pytest.fixture
def collect_garbage():
    """Whoosh leaves a damaged segment file open when it fails to read it: let the files be closed while
    the test's warning filter applies, not in whichever test runs next."""
    yield
    gc.collect()


# Whoosh only: the postgres backend keeps its index in the database, which has no folder to lose.
@pytest.mark.parametrize("how", ["deleted", "corrupt-pointer", "corrupt-segment"])
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_missing_or_corrupt_index_answers_from_the_database_then_rebuilds_itself(build_app, how, collect_garbage):
    with request_context(build_app(SEARCH_BACKEND="whoosh")) as app:
        search.reindex()
        coop = make_vendor("Hợp tác xã Thanh Long")
        for name in ("Kẹo dừa sầu riêng", "Kẹo dừa lá dứa", "Bánh tét lá cẩm"):
            make_product(coop, name)
    break_index(app, how)
    app = build_app(SEARCH_BACKEND="whoosh", SEARCH_DIR=str(search.index_folder(app)))  # a worker starting now
    with request_context(app):
        assert not search.backend().is_ready()
        result = search.search_products("keo dua", search_filter())
        assert result.degraded
        assert {p.name for p in result.page.items} == {"Kẹo dừa sầu riêng", "Kẹo dừa lá dứa"}
        assert [s.text for s in search.suggest("keo dua s")] == ["Kẹo dừa sầu riêng"]
        # Writes go on meanwhile: the change waits in the outbox for the rebuilt index.
        make_product(make_vendor("Hộ kinh doanh Dừa Sáp"), "Kẹo dừa sáp")

    assert app.test_client().get("/").status_code == 200  # the first request starts the rebuild
    wait_for_rebuild(app)
    with request_context(app):
        assert search.backend().is_ready()
        result = search.search_products("keo dua", search_filter())
        assert not result.degraded
        assert {p.name for p in result.page.items} == {"Kẹo dừa sầu riêng", "Kẹo dừa lá dứa", "Kẹo dừa sáp"}


def test_a_certificate_that_lapses_without_any_write_stops_counting_for_later_days(search_app, monkeypatch):
    monkeypatch.setattr(search, "SWEEP_EVERY", 0)
    today = date.today()
    with request_context(search_app):
        lapsing = make_product(name="Mật ong bạc hà", star=4, decided_on=today - timedelta(days=3 * 365 - 5))
        lasting = make_product(name="Mật ong rừng", star=4)
        assert lapsing.certificates[0].expires_on < today + timedelta(days=30)
        four = search_filter(stars=["4"])
        assert {p.id for p in search.search_products("mật ong", four).page.items} == {lapsing.id, lasting.id}
        later = today + timedelta(days=30)
        found = search.search_products("mật ong", four, today=later).page.items
        assert [p.id for p in found] == [lasting.id]


def test_stars_are_swept_when_the_index_was_last_computed_for_an_earlier_day(search_app, monkeypatch):
    monkeypatch.setattr(search, "SWEEP_EVERY", 0)
    with request_context(search_app):
        product = make_product(name="Mật ong bạc hà", star=4)
        assert index_ids(stars=["4"]) == {product.id}
        # The certificate lapsed yesterday (no write goes through the ORM), and the index's stars are as of
        # two days ago, as after a quiet weekend.
        db.session.execute(sa.update(Product).where(Product.id == product.id)
                           .values(ocop_expires_on=date.today() - timedelta(days=1)))
        db.session.commit()
        search.backend().set_meta("stars_as_of", (date.today() - timedelta(days=2)).isoformat())
        assert index_ids(stars=["4"]) == {product.id}  # the index alone does not know yet
        assert search.search_products("mật ong", search_filter(stars=["4"])).page.total == 0
        assert index_ids(stars=["4"]) == set()
        assert search.backend().get_meta("stars_as_of") == date.today().isoformat()
