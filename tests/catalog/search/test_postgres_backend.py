"""The `postgres` backend's own machinery; the behaviour it shares with Whoosh is tested by the rest of
this folder, for both backends. Apart from the first test, these run only on PostgreSQL: they are not
collected at all on SQLite (TestOnPostgres.__test__)."""
import os
import unicodedata
from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from catalog import search
from catalog.filters import CatalogFilter
from catalog.search import postgres_backend
from catalog.search.query import parse_query
from storefront.extensions import db
from tests.catalog.search.conftest import request_context, search_filter
from tests.factories import make_product, make_vendor

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")


@pytest.mark.parametrize("url", ["sqlite:////tmp/shop.sqlite", "mysql://db/shop", ""])
def test_the_backend_refuses_a_database_that_is_not_postgresql(url):
    with pytest.raises(RuntimeError, match="needs a PostgreSQL database"):
        postgres_backend.make_backend(SimpleNamespace(config={"SQLALCHEMY_DATABASE_URI": url}))


@pytest.fixture
def pg(build_app):
    """(app, backend): an app searching with the postgres backend, its index built, in a request context."""
    app = build_app(SEARCH_BACKEND="postgres")
    with app.app_context():
        search.reindex()
    with request_context(app):
        yield app, search.backend()


def ids(backend, text="", **filters):
    return set(backend.search(parse_query(text), search_filter(**filters)).ids)


def sql(backend, statement, **params):
    with backend.engine.connect() as conn:
        return conn.execute(sa.text(statement), params).all()


def plan_of(backend, statement, params):
    """The EXPLAIN of `statement` with whole-table scans priced out (the test tables are tiny, so scanning
    them is cheapest): the indexes it can use."""
    with backend.engine.connect() as conn:
        for scan in ("seqscan", "indexonlyscan"):
            conn.execute(sa.text(f"SET LOCAL enable_{scan} = off"))
        return "\n".join(conn.execute(sa.text("EXPLAIN " + statement), params).scalars())


class TestOnPostgres:
    __test__ = ON_POSTGRES

    def test_the_indexer_lock_has_one_holder_and_dies_with_its_connection(self, pg):
        app, backend = pg
        other = postgres_backend.PostgresBackend(app)  # another worker
        with backend.lock() as got:
            assert got
            with other.lock() as second:
                assert second is False
        with other.lock() as got:
            assert got
        holder = backend.engine.connect()
        holder.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": postgres_backend.LOCK_KEY})
        pid = holder.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        holder.commit()
        with other.lock() as got:
            assert got is False
        sql(backend, "SELECT pg_terminate_backend(:pid)", pid=pid)  # the worker holding it is killed
        holder.invalidate()
        with other.lock(blocking=True) as got:
            assert got

    def test_an_index_never_built_is_not_ready_and_reset_builds_it_empty(self, pg):
        app, backend = pg
        make_product(make_vendor(), "Kẹo dừa sầu riêng")
        with backend.engine.begin() as conn:
            conn.execute(sa.text("TRUNCATE search_documents, search_booths, search_words, search_meta"))
        restarted = postgres_backend.PostgresBackend(app)  # a worker starting now
        assert not restarted.is_ready() and not restarted.is_empty()
        app.extensions["search"].backend = restarted
        assert search.search_products("kẹo dừa", CatalogFilter()).degraded  # answered from the database
        search.reset()
        backend = restarted
        assert backend.is_ready() and backend.is_empty()
        search.reindex()
        assert backend.is_ready() and not backend.is_empty()
        assert backend.get_meta("stars_as_of") == date.today().isoformat()

    def test_documents_are_replaced_and_removed_with_their_products(self, pg):
        app, backend = pg
        product = make_product(make_vendor("Hợp tác xã Thanh Long"), "Kẹo dừa sầu riêng")
        product.name = "Kẹo dừa lá dứa"
        db.session.commit()
        rows = sql(backend, "SELECT name, name_folded, name_vector::text, document @@ CAST(:q AS tsquery) "
                            "FROM search_documents", q="thanh:C")
        assert rows == [("Kẹo dừa lá dứa", "keo dua la dua",
                         "'=dứa':4 '=dừa':2 '=kẹo':1 '=lá':3 'dua':2,4 'keo':1 'la':3", True)]
        assert backend.vendor_product_ids(product.vendor_id) == [product.id]
        db.session.delete(product)
        db.session.commit()
        assert sql(backend, "SELECT count(*) FROM search_documents") == [(0,)]

    def test_a_rebuild_swaps_in_a_table_the_migrations_would_make(self, pg):
        app, backend = pg
        make_product(make_vendor(), "Bánh tét lá cẩm")
        backend.apply([{**_stale_document(), "id": 999_999}], [])
        search.reindex()
        assert [r[0] for r in sql(backend, "SELECT name FROM search_documents")] == ["Bánh tét lá cẩm"]
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert [d for d in diff if "search_documents" in str(d)] == []

    def test_names_with_query_syntax_are_indexed_and_found(self, pg):
        app, backend = pg
        booth = make_vendor("Cơ sở O'Neil \\ & | ! <-> :*")
        product = make_product(booth, "Rượu 'nếp' \\cái\\ & | ! (ủ) <-> :* A:B")
        assert ids(backend, "nếp cái") == {product.id}
        assert ids(backend, "o neil") == {product.id}
        assert [s.text for s in search.suggest("ruou n")] == [product.name]

    def test_descriptions_are_folded_by_unaccent_even_when_decomposed(self, pg):
        app, backend = pg
        product = make_product(make_vendor(), "Hộp quà", description=unicodedata.normalize("NFD", "<p>Đặc sản Sóc Trăng</p>"))
        assert ids(backend, "dac san soc trang") == {product.id}
        assert sql(backend, "SELECT document @@ CAST(:q AS tsquery) FROM search_documents", q="dac:D & trang:D") == [(True,)]

    def test_one_edit_is_forgiven_on_long_words_with_the_same_first_letter(self, pg):
        app, backend = pg
        robusta = make_product(make_vendor(), "Cà phê Robusta").id
        assert ids(backend, "robustta") == ids(backend, "robsta") == ids(backend, "rubusta") == {robusta}
        assert ids(backend, "xobusta") == ids(backend, "robbustta") == set()  # first letter; two edits
        assert ids(backend, "phe") == {robusta} and ids(backend, "phee") == set()  # short words: none
        assert backend.count(parse_query("robustta"), CatalogFilter()) == 0  # counts are exact

    def test_did_you_mean_words_are_known_counted_and_spelled_as_names_spell_them(self, pg):
        app, backend = pg
        booth = make_vendor("Hợp tác xã Dừa Sáp")
        for name in ("Kẹo dừa", "Dầu dừa", "Dưa lưới"):
            make_product(booth, name)
        assert backend.vocabulary("dua") == 4  # three names and the booth's name
        assert backend.corrections("duaa") == ["dua"] and backend.corrections("duaaa") == ["dua"]
        assert backend.spelling("dua") == "dừa" and backend.spelling("sap") is None  # not in a product name
        booth.status = "suspended"
        db.session.commit()  # the booth and its products are gone: their words are known no more
        assert backend.vocabulary("dua") == 0 and backend.corrections("duaa") == []

    @pytest.mark.parametrize("statement, params, index", [
        ("page", "kẹo dừa", "ix_search_documents_document"),
        ("facets", "nuoc mam", "ix_search_documents_document"),
        ("variants", ["robustta"], "ix_search_words_trigrams"),
        ("starting", "keo d%", "ix_search_documents_name_prefix"),
        ("anywhere", "'keo' & 'd':*", "ix_search_documents_name_vector"),
    ])
    def test_searches_and_suggestions_use_their_indexes(self, pg, statement, params, index):
        app, backend = pg
        if statement in ("page", "facets"):
            with backend.engine.connect() as conn:
                plan = backend._plan(conn, parse_query(params), CatalogFilter(sort="relevance", stars=["4"]))
            query = plan.page_sql(0, 24) if statement == "page" else plan.page_and_facets_sql(0, 24)
            params = plan.params
        else:
            query, name = {"variants": (postgres_backend.VARIANTS, "words"),
                           "starting": (postgres_backend.SUGGEST_STARTING, "start"),
                           "anywhere": (postgres_backend.SUGGEST_ANYWHERE, "tsq")}[statement]
            params = {name: params, "n": 40}
        assert index in plan_of(backend, query, params)


def _stale_document():
    return {"slug": "cu", "name": "Sản phẩm cũ", "context": "", "description": "", "group": "thuc_pham",
            "product_set": "", "star": "", "star_rank": 0, "province": "vinh-long", "entity_type": "hop_tac_xa",
            "vendor_id": 1, "in_stock": True, "price": 1000, "created": 0}
