"""The whole-page cache serves anonymous visitors only, per language, and forgets on every write."""
import pytest
from flask import session
from flask_babel import get_locale

from storefront import create_app
from storefront.config import TestConfig
from storefront.extensions import db
from storefront.pagecache import cached_page
from tests.factories import make_vendor


@pytest.fixture(scope="module")
def probe_app(app, tmp_path_factory):
    """An app on the suite's database with two probe views, built before it serves any request."""

    class Config(TestConfig):
        INSTANCE_PATH = str(tmp_path_factory.mktemp("probe-instance"))
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]

    probe = create_app(Config)

    @cached_page
    def cached_probe():
        probe.config["_probe_calls"]["n"] += 1
        return f"{get_locale()}:{probe.config['_probe_calls']['n']}"

    @cached_page
    def session_probe():
        session["seen"] = True
        return "wrote to the session"

    probe.add_url_rule("/_probe", "cached_probe", cached_probe)
    probe.add_url_rule("/_probe_session", "session_probe", session_probe)
    yield probe
    with probe.app_context():
        db.engine.dispose()


@pytest.fixture
def counting_app(probe_app):
    probe_app.config["_probe_calls"] = calls = {"n": 0}
    probe_app.extensions["page_cache"].pages.clear()
    return calls


@pytest.fixture
def client(probe_app):
    return probe_app.test_client()


def test_anonymous_repeat_visits_are_served_from_the_cache(client, counting_app):
    first = client.get("/_probe")
    second = client.get("/_probe")
    assert first.get_data() == second.get_data() == b"vi:1"
    assert second.headers["X-Page-Cache"] == "hit"
    assert "Cookie" in second.headers["Vary"]


def test_each_language_gets_its_own_page(probe_app, counting_app):
    app = probe_app
    vi = app.test_client().get("/_probe").get_data()
    english = app.test_client()
    english.set_cookie("lang", "en")
    assert english.get("/_probe").get_data() == b"en:2"
    assert app.test_client().get("/_probe").get_data() == vi


def test_visitors_with_a_session_never_get_the_anonymous_page_but_their_own_skeleton(probe_app, counting_app):
    app = probe_app
    app.test_client().get("/_probe")
    signed_in = app.test_client()
    signed_in.set_cookie(app.config["SESSION_COOKIE_NAME"], "anything")
    first = signed_in.get("/_probe")
    assert first.get_data() == b"vi:2" and "X-Page-Cache" not in first.headers
    assert signed_in.get("/_probe").headers.get("X-Page-Cache") == "hit"


def test_query_strings_are_part_of_the_key(client, counting_app):
    assert client.get("/_probe?a=1").get_data() == b"vi:1"
    assert client.get("/_probe?a=2").get_data() == b"vi:2"


def test_a_page_that_wrote_to_the_session_is_not_stored(probe_app, client, counting_app):
    app = probe_app
    client.get("/_probe_session")
    other = app.test_client()
    assert "X-Page-Cache" not in other.get("/_probe_session").headers


def test_a_committed_write_empties_the_cache(probe_app, client, counting_app):
    app = probe_app
    client.get("/_probe")
    with app.app_context():
        make_vendor()
    assert client.get("/_probe").get_data() == b"vi:2"


def test_a_rolled_back_write_keeps_the_cache(probe_app, client, counting_app):
    app = probe_app
    client.get("/_probe")
    with app.app_context():
        make_vendor(commit=False)
        db.session.flush()
        db.session.rollback()
    assert client.get("/_probe").headers.get("X-Page-Cache") == "hit"


def test_another_process_bumping_the_stamp_is_seen(probe_app, client, counting_app):
    app = probe_app
    from storefront.pagecache import PageCache

    client.get("/_probe")
    PageCache(app.extensions["page_cache"].stamp, 10).bump()  # as another worker would
    assert client.get("/_probe").get_data() == b"vi:2"


def test_memoized_values_last_until_the_next_committed_write(probe_app):
    from storefront.pagecache import memoize

    calls = []
    with probe_app.app_context():
        assert memoize("k", lambda: calls.append(1) or len(calls)) == 1
        assert memoize("k", lambda: calls.append(1) or len(calls)) == 1
        make_vendor()
        assert memoize("k", lambda: calls.append(1) or len(calls)) == 2
