"""Fixtures of the search suite, which runs once per backend: `whoosh` always, `postgres` when the tests
run on PostgreSQL. Each backend gets its own app (and so its own index) on the test database.

- `search_app`: an empty market with a ready index, per test (for tests that change things);
- `catalogue`: the fixed catalogue of catalogue.py, loaded once per module and backend and only read by
  its tests (the per-test emptying of tables waits until the module is done);
- `find` / `names`: run a search in the catalogue's app and name what it found."""
import os
from contextlib import contextmanager

import pytest

from catalog import search
from catalog.filters import CatalogFilter
from storefront import create_app
from storefront.config import TestConfig
from storefront.extensions import db
from tests import cleaning
from tests.catalog.search import catalogue as fixed

BACKENDS = ["whoosh"] + (["postgres"] if os.environ.get("TEST_DATABASE_URL", "").startswith("postgres") else [])


def make_app(app, instance, backend, **settings):
    """Another app on the test database, with its own instance folder (and Whoosh index) and backend."""
    config = type("Config", (TestConfig,), {
        "INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "WTF_CSRF_ENABLED": False, "SEARCH_BACKEND": backend, **settings})
    return create_app(config)


def empty_database(app):
    """What tests/conftest.py does after each test: empty every table and the index."""
    cleaning.empty_database(app, reset_search=False)
    with app.app_context():
        search.reset()


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Tests reading the shared fixed catalogue leave it in place; every other test is cleaned as usual."""
    if "catalogue" not in request.fixturenames:
        request.getfixturevalue("_clean_database")  # the one of tests/conftest.py
    yield


@pytest.fixture(params=BACKENDS)
def search_app(request, build_app):
    """An app using the backend of this run, with a ready, empty index."""
    other = build_app(SEARCH_BACKEND=request.param)
    with other.app_context():
        search.reindex()
    return other


@pytest.fixture(scope="module", params=BACKENDS)
def catalogue(request, app, tmp_path_factory):
    """(app, fixed.Catalogue): the fixed catalogue indexed by this backend, shared by the module's tests."""
    other = make_app(app, tmp_path_factory.mktemp("catalogue"), request.param)
    with other.app_context():
        search.reindex()
        loaded = fixed.load()
        db.session.remove()
    yield other, loaded
    empty_database(other)
    with other.app_context():
        db.engine.dispose()


@contextmanager
def request_context(app):
    """A request context on `app` (its database session and search backend); yields the app."""
    with app.test_request_context():
        yield app
        db.session.remove()


def search_filter(**kw):
    """A CatalogFilter for the search tests: ranked by relevance, one page holding everything."""
    return CatalogFilter(**{"sort": "relevance", "per_page": 100, **kw})


@pytest.fixture
def find(catalogue):
    """`find(text, **filter)` → the SearchResult of search_products in the catalogue's app (with facets)."""
    app, _loaded = catalogue

    def run(text, today=None, **kw):
        with request_context(app):
            return search.search_products(text, search_filter(**kw), facets=True, today=today)

    return run


@pytest.fixture
def names(find):
    """`names(text, **filter)` → the names of the products found, best first."""
    return lambda text, **kw: [p.name for p in find(text, **kw).page.items]
