"""Fixtures: one app and schema per run (built by the Alembic migrations), emptied after every test.

The database comes from TEST_DATABASE_URL (`make test` runs the suite once on SQLite and once on a fresh
PostgreSQL database); without it, an SQLite file in a temporary folder."""
import os
import time
from contextlib import contextmanager
from email import policy
from email.parser import BytesParser

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from catalog import search
from storefront import create_app
from storefront.config import TestConfig
from storefront.extensions import db
from storefront.mail import outbox_path
from tests.cleaning import empty_database, remember_seeds


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance / 'test.sqlite'}"

    class Config(TestConfig):
        INSTANCE_PATH = str(instance)
        SQLALCHEMY_DATABASE_URI = TestConfig.SQLALCHEMY_DATABASE_URI or url
        WTF_CSRF_ENABLED = False

    app = create_app(Config)
    with app.app_context():
        upgrade()
        search.reindex()
    remember_seeds(app)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Empty every table after each test that used the app, so tests never see each other's rows."""
    yield
    if "app" not in request.fixturenames:
        return
    empty_database(request.getfixturevalue("app"))


@pytest.fixture
def build_app(app, tmp_path):
    """`build_app(**settings)` → another app on the test database, with its own instance folder."""
    built = []

    def build(**settings):
        if "SEARCH_BACKEND" not in settings and "SEARCH_DIR" not in settings:
            # Share the run's ready index: a fresh, empty folder would start a background rebuild whose
            # database connection outlives the test (and can deadlock with the cleanup on PostgreSQL).
            settings["SEARCH_DIR"] = str(search.index_folder(app))
        config = type("Config", (TestConfig,), {
            "INSTANCE_PATH": str(tmp_path / f"instance-{len(built)}"),
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": False,
            **settings,
        })
        other = create_app(config)
        built.append(other)
        return other

    yield build
    for other in built:
        rebuilding = search.state(other).rebuilding
        for _ in range(600):  # a background rebuild started by the test finishes before its engine goes
            if not rebuilding.is_set():
                break
            time.sleep(0.05)
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def csrf_app(build_app):
    """Another app on the test database with CSRF protection on, as in production."""
    return build_app(WTF_CSRF_ENABLED=True)


@pytest.fixture
def outbox(app):
    """`outbox()` → the messages written so far, oldest first, as email.message.EmailMessage."""

    def read():
        with app.app_context():
            folder = outbox_path()
        files = sorted(folder.glob("*.eml")) if folder.exists() else []
        return [BytesParser(policy=policy.default).parsebytes(f.read_bytes()) for f in files]

    return read


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An app context with a request context, for calling services and queries directly."""
    with app.test_request_context():
        yield
        db.session.remove()


class QueryCounter:
    def __init__(self):
        self.statements = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def count(self):
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as q: …` then `q.count` is the number of SQL statements run."""

    @contextmanager
    def counting():
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", counter)

    return counting
