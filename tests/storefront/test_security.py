"""Security headers on every kind of response, CSRF on the account forms, and secure cookies in production."""
import re

import pytest
from flask_migrate import upgrade

from storefront import create_app
from storefront.accounts.security import HEADERS
from storefront.config import Config
from storefront.extensions import db
from tests.storefront.conftest import PASSWORD, sign_in

CSP = ("default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; frame-ancestors 'none'; "
       "form-action 'self'; base-uri 'self'")


def assert_security_headers(response):
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path, status", [
    ("/", 200), ("/products/", 200), ("/account/signin", 200), ("/account/", 302), ("/khong-co-trang-nay", 404),
    ("/api/v1/products", 200), ("/api/v1/khong-co", 404), ("/static/css/site.css", 200), ("/robots.txt", 200),
])
def test_every_kind_of_response_carries_the_security_headers(client, path, status):
    response = client.get(path)
    response.close()  # static files are streamed from an open file
    assert response.status_code == status
    assert_security_headers(response)


def test_a_cached_page_carries_them_too(client):
    client.get("/")
    response = client.get("/")
    assert response.headers.get("X-Page-Cache") == "hit"
    assert_security_headers(response)


def test_an_unexpected_error_page_carries_them(app, client, monkeypatch):
    import catalog.queries

    monkeypatch.setattr(catalog.queries, "showroom_summaries", lambda *a, **k: 1 / 0)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/")
    assert response.status_code == 500
    assert_security_headers(response)


def test_no_page_uses_inline_script_or_style(client, make_user):
    """The CSP forbids inline script and style, so no page may depend on them."""
    make_user()
    sign_in(client)
    for path in ("/", "/products/", "/booths/", "/account/", "/account/signout", "/khong-co"):
        page = client.get(path).get_data(as_text=True)
        scripts = re.findall(r"<script(?![^>]*application/ld\+json)[^>]*>", page)
        assert all("src=" in tag for tag in scripts), (path, scripts)
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", page), path


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _token(page):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("token", [None, "", "forged-token", "ImFiYyI.Zm9yZ2Vk.c2lnbmF0dXJl"])
def test_signing_in_without_a_genuine_csrf_token_is_refused(client, make_user, csrf_on, token):
    make_user()
    client.get("/account/signin")
    data = {"identifier": "lan@example.vn", "password": PASSWORD}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/account/signin", data=data)
    assert response.status_code == 400 and "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)
    assert client.get("/account/").status_code == 302


def test_signing_in_with_the_forms_own_token_works(client, make_user, csrf_on):
    make_user()
    token = _token(client.get("/account/signin").get_data(as_text=True))
    response = sign_in(client, csrf_token=token)
    assert response.status_code == 302 and client.get("/account/").status_code == 200


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_signing_out_without_a_genuine_csrf_token_is_refused(client, make_user, csrf_on, token):
    make_user()
    sign_in(client, csrf_token=_token(client.get("/account/signin").get_data(as_text=True)))
    data = {} if token is None else {"csrf_token": token}
    assert client.post("/account/signout", data=data).status_code == 400
    assert client.get("/account/").status_code == 200  # still signed in
    token = _token(client.get("/account/signout").get_data(as_text=True))
    assert client.post("/account/signout", data={"csrf_token": token}).status_code == 302
    assert client.get("/account/").status_code == 302


def test_another_visitors_token_does_not_work(app, make_user, csrf_on):
    make_user()
    attacker, victim = app.test_client(), app.test_client()
    stolen = _token(attacker.get("/account/signin").get_data(as_text=True))
    victim.get("/account/signin")
    assert sign_in(victim, csrf_token=stolen).status_code == 400


@pytest.fixture
def production_app(tmp_path):
    class Production(Config):
        SECRET_KEY = "a-production-secret"
        INSTANCE_PATH = str(tmp_path / "instance")
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'production.sqlite'}"
        BASE_URL = "https://cho-ocop.vn"
        WTF_CSRF_ENABLED = False
        MAIL_BACKEND = "outbox"

    production = create_app(Production)
    with production.app_context():
        upgrade()
    yield production
    with production.app_context():
        db.engine.dispose()


def test_in_production_cookies_are_secure_and_https_is_required(production_app):
    from storefront.accounts.services import sign_up

    with production_app.test_request_context():
        sign_up("lan@example.vn", PASSWORD)
    client = production_app.test_client()
    response = client.post("/account/signin", base_url="https://cho-ocop.vn",
                           data={"identifier": "lan@example.vn", "password": PASSWORD, "remember": "y"})
    cookies = {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        assert "; Secure" in cookies[name] and "; HttpOnly" in cookies[name] and "SameSite=Lax" in cookies[name]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_outside_production_there_is_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_every_header_value_is_the_documented_one():
    assert HEADERS["Content-Security-Policy"] == CSP
