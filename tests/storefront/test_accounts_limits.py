"""Sign-in is rate-limited per account and per client address, in memory or in Redis, with a clear 429 page."""
import uuid

import pytest
import redis

from storefront.accounts.services import sign_up
from storefront.extensions import db
from tests.storefront.conftest import PASSWORD, sign_in

REDIS_URL = "redis://127.0.0.1:6379"


def from_address(client, address):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_the_sixth_attempt_on_one_account_within_a_minute_is_refused_even_with_the_right_password(app, make_user):
    make_user(phone="0912345678")
    spellings = ["lan@example.vn", "LAN@example.vn", "0912 345 678", "+84912345678", "84912345678"]
    for n, spelling in enumerate(spellings):  # five wrong guesses, each from another address and spelling
        assert sign_in(from_address(app.test_client(), f"10.0.0.{n}"), spelling, "sai mật khẩu").status_code == 400
    client = from_address(app.test_client(), "10.0.1.1")
    response = sign_in(client, "lan@example.vn", PASSWORD)
    page = response.get_data(as_text=True)
    assert response.status_code == 429 and "Bạn đã thử quá nhiều lần" in page
    assert int(response.headers["Retry-After"]) > 0
    assert 'value="lan@example.vn"' in page and PASSWORD not in page  # the form again, as sent
    assert client.get("/account/").status_code == 302  # not signed in
    assert sign_in(client, "mai@example.vn", PASSWORD).status_code == 400  # other accounts are unaffected


def test_one_address_gets_thirty_attempts_a_minute_whatever_the_accounts(app):
    client = from_address(app.test_client(), "10.0.2.1")
    for n in range(30):
        assert sign_in(client, f"khach{n}@example.vn", "sai mật khẩu").status_code == 400
    assert sign_in(client, "khach99@example.vn", "sai mật khẩu").status_code == 429
    assert sign_in(from_address(app.test_client(), "10.0.2.2"), "khach99@example.vn", "x").status_code == 400


def test_looking_at_the_form_is_not_an_attempt(app):
    client = from_address(app.test_client(), "10.0.3.1")
    for _ in range(40):
        assert client.get("/account/signin").status_code == 200


def test_the_limits_are_settings(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_SIGNIN_ACCOUNT", "2/minute")
    client = app.test_client()
    assert [sign_in(client, "lan@example.vn", "x").status_code for _ in range(3)] == [400, 400, 429]


def test_the_limited_page_speaks_english_to_english_visitors(app):
    client = app.test_client()
    client.set_cookie("lang", "en")
    for _ in range(5):
        sign_in(client, "lan@example.vn", "wrong password")
    assert "Too many attempts. Please wait a few minutes" in sign_in(client).get_data(as_text=True)


def test_password_reset_requests_are_limited_too(app, outbox, make_user):
    make_user()
    client = app.test_client()
    statuses = [client.post("/account/reset", data={"email": "lan@example.vn"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429] and len(outbox()) == 3


@pytest.fixture
def redis_app(build_app):
    """An app counting in the Redis server on this machine, under a key prefix no one else uses."""
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis server at " + REDIS_URL)
    prefix = f"ocop-test-{uuid.uuid4().hex}"
    yield build_app(REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix), connection, prefix
    for key in connection.scan_iter(match=f"*{prefix}*"):
        connection.delete(key)
    connection.close()


def test_with_redis_the_counts_live_in_redis_and_are_shared_by_every_worker(redis_app, build_app):
    app, connection, prefix = redis_app
    with app.test_request_context():
        sign_up("lan@example.vn", PASSWORD)
        db.session.remove()
    assert app.extensions["account_limiter"].storage.__class__.__name__ == "RedisStorage"
    for _ in range(5):
        assert sign_in(app.test_client(), "lan@example.vn", "sai mật khẩu").status_code == 400
    assert any(prefix.encode() in key for key in connection.scan_iter(match=f"*{prefix}*"))
    other_worker = build_app(REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
    response = sign_in(other_worker.test_client(), "lan@example.vn", PASSWORD)
    assert response.status_code == 429 and "Bạn đã thử quá nhiều lần" in response.get_data(as_text=True)


def test_with_redis_the_address_limit_holds_too(redis_app):
    app, _connection, _prefix = redis_app
    client = from_address(app.test_client(), "10.0.4.1")
    assert all(sign_in(client, f"khach{n}@example.vn", "x").status_code == 400 for n in range(30))
    assert sign_in(client, "khach@example.vn", "x").status_code == 429
