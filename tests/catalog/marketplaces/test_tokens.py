"""Access tokens: fetched once and kept (encrypted) in the booth's account row, renewed before they expire,
renewed once when the marketplace refuses one; refused credentials are a clean error."""
from datetime import timedelta, timezone

import pytest
import sqlalchemy as sa

from catalog.listings.models import MarketplaceAccount
from catalog.marketplaces import accounts
from catalog.marketplaces.errors import RateLimited
from catalog.marketplaces.push import push_products
from catalog.marketplaces.sendo import SendoClient
from catalog.marketplaces.tokens import MemoryTokenCache
from storefront.extensions import db
from storefront.models import utcnow
from tests.catalog.marketplaces.conftest import SENDO_KEY, SENDO_SECRET


def account(vendor, marketplace):
    return accounts.account_for(vendor.id, marketplace)


@pytest.mark.parametrize("marketplace, token_path", [("tiki", "/sc/oauth2/token"), ("sendo", "/login")])
def test_one_token_serves_many_pushes(world, standin, transport, marketplace, token_path):
    push_products(world.vendor, marketplace, world.ids[:2], world.user, transport=transport)
    push_products(world.vendor, marketplace, world.ids[2:], world.user, transport=transport)

    assert len(standin.requests_to(token_path)) == 1
    assert len(standin.received) == 4
    stored = account(world.vendor, marketplace)
    assert stored.token and stored.token_expires_at is not None


def test_tiki_token_request_is_client_credentials_with_basic_auth(world, standin, transport):
    push_products(world.vendor, "tiki", world.ids[:1], world.user, transport=transport)

    (token_request,) = standin.requests_to("/sc/oauth2/token")
    assert token_request.body == {"grant_type": "client_credentials"}
    assert token_request.headers["Authorization"].startswith("Basic ")


@pytest.mark.parametrize("marketplace, token_path", [("tiki", "/sc/oauth2/token"), ("sendo", "/login")])
def test_a_token_about_to_expire_is_renewed_first(world, standin, transport, marketplace, token_path):
    push_products(world.vendor, marketplace, world.ids[:1], world.user, transport=transport)
    account(world.vendor, marketplace).token_expires_at = utcnow() + timedelta(seconds=30)
    db.session.commit()

    (result,) = push_products(world.vendor, marketplace, world.ids[1:2], world.user, transport=transport)

    assert result.ok and len(standin.requests_to(token_path)) == 2
    renewed = account(world.vendor, marketplace).token_expires_at
    renewed = renewed if renewed.tzinfo else renewed.replace(tzinfo=timezone.utc)  # SQLite gives it naive
    assert renewed > utcnow() + timedelta(minutes=50)


@pytest.mark.parametrize("marketplace, token_path", [("tiki", "/sc/oauth2/token"), ("sendo", "/login")])
def test_a_refused_token_is_renewed_once_and_the_request_retried(world, standin, transport, marketplace,
                                                                 token_path):
    push_products(world.vendor, marketplace, world.ids[:1], world.user, transport=transport)
    standin.expire_tokens()  # the marketplace ends the token before the expiry it announced

    (result,) = push_products(world.vendor, marketplace, world.ids[1:2], world.user, transport=transport)

    assert result.ok and len(standin.requests_to(token_path)) == 2
    second_product = [r for r in standin.received if r.method == "POST" and not r.path.endswith(token_path)][1:]
    assert len(second_product) == 2  # refused once, sent again with the new token


def test_a_token_refused_again_stops_the_batch_with_a_credentials_message(world, standin, transport):
    push_products(world.vendor, "tiki", world.ids[:1], world.user, transport=transport)
    standin.fail_next(10, 401, path="/tiki/integration")

    results = push_products(world.vendor, "tiki", world.ids[1:], world.user, transport=transport)

    assert [r.ok for r in results] == [False, False]
    assert len(standin.requests_to("/integration/v2.1/requests")) == 1 + 2  # one retry, then nothing more
    assert len(standin.requests_to("/sc/oauth2/token")) == 2


def test_wrong_credentials_are_reported_and_nothing_is_recorded(world, standin, transport):
    accounts.save_credentials(world.vendor, "tiki", "tiki-client-id", "not-the-secret", world.user)

    results = push_products(world.vendor, "tiki", world.ids, world.user, transport=transport)

    assert [r.ok for r in results] == [False, False, False]
    assert len(standin.requests_to("/sc/oauth2/token")) == 1  # not asked again for each product
    assert standin.requests_to("/integration/v2.1/requests") == []
    assert account(world.vendor, "tiki").token is None


def test_sendo_login_is_limited_to_five_a_second_and_retry_after_is_honoured(standin, standin_server, transport):
    client = SendoClient(standin_server.url + "/sendo", SENDO_KEY, SENDO_SECRET, MemoryTokenCache(), transport)
    for _ in range(5):
        client.fetch_token()
    with pytest.raises(RateLimited):
        client.fetch_token()
    assert transport.waits == [1.0, 1.0, 1.0]  # Retry-After: 1, honoured (recorded, not slept)
    assert len(standin.requests_to("/login")) == 5 + 4


def test_tokens_are_encrypted_at_rest(world, standin, transport):
    push_products(world.vendor, "tiki", world.ids[:1], world.user, transport=transport)
    (issued,) = standin.tokens

    raw = db.session.execute(sa.select(sa.text("token")).select_from(MarketplaceAccount.__table__)
                             .where(sa.text("marketplace = 'tiki'"))).scalar_one()
    assert issued.encode() not in bytes(raw)
