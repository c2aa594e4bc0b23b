"""Signed-in visitors and the anonymous page cache never meet: no cached page for them, none stored of them."""
import pytest
from flask_login import current_user

from storefront.pagecache import cached_page
from tests.storefront.conftest import sign_in


@pytest.fixture
def whoami_app(build_app, make_user):
    """An app with a cached page that greets the signed-in visitor by name (as a careless template might)."""
    app = build_app()

    @cached_page
    def whoami():
        return f"xin chào {current_user.name}" if current_user.is_authenticated else "xin chào khách"

    app.add_url_rule("/_whoami", "whoami", whoami)
    make_user(name="Lan")
    return app


def test_signing_in_always_gives_the_visitor_a_session_cookie(whoami_app):
    client = whoami_app.test_client()
    response = sign_in(client)
    assert response.status_code == 302 and any(h.startswith("session=") for h in response.headers.getlist("Set-Cookie"))


def test_a_signed_in_visitor_never_gets_the_anonymous_copy(whoami_app):
    assert whoami_app.test_client().get("/_whoami").get_data(as_text=True) == "xin chào khách"
    client = whoami_app.test_client()
    sign_in(client)
    response = client.get("/_whoami")
    assert response.get_data(as_text=True) == "xin chào Lan" and "X-Page-Cache" not in response.headers


def test_a_page_showing_a_signed_in_name_is_never_stored_for_strangers(whoami_app):
    client = whoami_app.test_client()
    sign_in(client)
    assert client.get("/_whoami").get_data(as_text=True) == "xin chào Lan"
    assert whoami_app.test_client().get("/_whoami").get_data(as_text=True) == "xin chào khách"


def test_a_remembered_visitor_without_a_session_is_not_stored_either(whoami_app):
    client = whoami_app.test_client()
    sign_in(client, remember="y")
    client.delete_cookie("session")
    response = client.get("/_whoami")
    assert response.get_data(as_text=True) == "xin chào Lan"
    assert any(h.startswith("session=") for h in response.headers.getlist("Set-Cookie"))
    assert whoami_app.test_client().get("/_whoami").get_data(as_text=True) == "xin chào khách"
    assert whoami_app.extensions["page_cache"].pages == {} or all(
        b"Lan" not in body for body, _mimetype in whoami_app.extensions["page_cache"].pages.values())


def test_after_signing_out_the_shop_pages_are_cached_again(app, client, make_user):
    make_user()
    sign_in(client)
    assert client.get("/").headers.get("X-Page-Cache") is None
    client.post("/account/signout")
    client.get("/")  # shows the "signed out" notice, so it is not stored
    client.get("/")
    assert client.get("/").headers.get("X-Page-Cache") == "hit"


def test_a_remembered_visitor_served_a_cached_page_gets_their_session_back_for_the_next_one(whoami_app):
    whoami_app.test_client().get("/_whoami")  # a stranger fills the cache
    client = whoami_app.test_client()
    sign_in(client, remember="y")
    client.delete_cookie("session")  # the browser was closed; the remember-me cookie stays
    first = client.get("/_whoami")
    assert first.get_data(as_text=True) == "xin chào khách"  # the anonymous copy: nothing personal in it
    assert any(h.startswith("session=") for h in first.headers.getlist("Set-Cookie"))
    assert client.get("/_whoami").get_data(as_text=True) == "xin chào Lan"
