"""Signed-in visitors and the page cache: they never get the anonymous copy, and what is cached for them
is a skeleton rendered as a stranger would see it, with only the header holes filled in for each visitor."""
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


def test_a_careless_cached_view_never_shows_one_visitors_name_to_another(whoami_app, make_user):
    make_user("minh@example.vn", name="Minh")
    lan, minh = whoami_app.test_client(), whoami_app.test_client()
    sign_in(lan)
    sign_in(minh, "minh@example.vn")
    for client in (lan, minh, lan, minh):
        assert client.get("/_whoami").get_data(as_text=True) == "xin chào khách"
    assert whoami_app.test_client().get("/_whoami").get_data(as_text=True) == "xin chào khách"


def test_each_signed_in_visitor_sees_their_own_name_in_the_header_of_a_cached_page(app, make_user):
    make_user(name="Khách Alpha")
    make_user("beta@example.vn", name="Khách Beta")
    alpha, beta, stranger = app.test_client(), app.test_client(), app.test_client()
    sign_in(alpha)
    sign_in(beta, "beta@example.vn")
    first = alpha.get("/products/").get_data(as_text=True)
    response = beta.get("/products/")
    page = response.get_data(as_text=True)
    assert response.headers.get("X-Page-Cache") == "hit"
    assert "Khách Beta" in page and "Khách Alpha" not in page
    assert "Khách Alpha" in first and "Khách Beta" not in first
    anonymous = stranger.get("/products/").get_data(as_text=True)
    assert "Khách" not in anonymous and "/account/signin" in anonymous


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
    assert client.get("/account/").status_code == 200  # signed in again, without the form


def test_a_flashed_message_shows_once_in_a_cached_page(app, make_user):
    make_user(name="Khách Alpha")
    client = app.test_client()
    sign_in(client)
    client.get("/products/")  # fills the skeleton
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Đã lưu thay đổi")]
    shown = client.get("/products/")
    assert shown.headers.get("X-Page-Cache") == "hit" and "Đã lưu thay đổi" in shown.get_data(as_text=True)
    assert "Đã lưu thay đổi" not in client.get("/products/").get_data(as_text=True)
