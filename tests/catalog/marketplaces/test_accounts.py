"""Booths' credentials: checked, encrypted at rest, replaced, deleted, never shown back or written to the
audit log; a missing or wrong MARKETPLACE_SECRETS_KEY is a clear error that reveals nothing."""
import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from catalog.listings.models import MarketplaceAccount
from catalog.marketplaces import accounts
from catalog.marketplaces.errors import InvalidCredentials, NoCredentials, SecretsKeyError, Unsupported
from catalog.marketplaces.push import push_products, refresh_submissions
from storefront.extensions import db
from storefront.models import User
from tests.catalog.marketplaces.conftest import SENDO_SECRET, TIKI_ID, TIKI_SECRET
from tests.factories import make_vendor
from vendors.models import AuditEntry


def raw_credentials():
    return [bytes(v) for v in db.session.execute(sa.text("SELECT credentials FROM marketplace_accounts")).scalars()]


def test_credentials_are_encrypted_at_rest(world):
    stored = raw_credentials()
    assert len(stored) == 2
    for secret in (TIKI_ID, TIKI_SECRET, SENDO_SECRET):
        assert not any(secret.encode() in value for value in stored)
    assert accounts.configured(world.vendor.id) == {"tiki", "sendo"}


def test_saving_again_replaces_the_credentials_and_forgets_the_token(world, standin, transport):
    push_products(world.vendor, "tiki", world.ids[:1], world.user, transport=transport)
    accounts.save_credentials(world.vendor, "tiki", "  new-id ", " new-secret\t", world.user)

    (row,) = db.session.scalars(sa.select(MarketplaceAccount).where(MarketplaceAccount.marketplace == "tiki"))
    assert row.token is None and row.token_expires_at is None
    client = accounts.open_client(world.vendor.id, "tiki")
    assert client._basic == ("new-id", "new-secret")
    client.close()


def test_saved_on_is_when_the_credentials_were_saved_not_when_a_token_was_fetched(world, standin, transport):
    from datetime import timedelta

    (row,) = db.session.scalars(sa.select(MarketplaceAccount).where(MarketplaceAccount.marketplace == "tiki"))
    row.updated_at = row.updated_at - timedelta(days=3)
    db.session.commit()
    saved = accounts.saved_on(world.vendor.id)["tiki"]
    push_products(world.vendor, "tiki", world.ids[:1], world.user, transport=transport)  # fetches and caches a token
    assert db.session.scalar(sa.select(MarketplaceAccount.token).where(MarketplaceAccount.marketplace == "tiki"))
    assert accounts.saved_on(world.vendor.id)["tiki"] == saved
    accounts.save_credentials(world.vendor, "tiki", "new-id", "new-secret", world.user)
    assert accounts.saved_on(world.vendor.id)["tiki"] > saved


def test_bad_values_are_refused_under_their_field(ctx):
    vendor = make_vendor()
    for key, secret, field in (("", "s", "key"), ("k", "   ", "secret"), ("k" * 501, "s", "key"),
                               ("k", "a\nb", "secret")):
        with pytest.raises(InvalidCredentials) as refused:
            accounts.save_credentials(vendor, "tiki", key, secret, None)
        assert refused.value.field == field
    assert accounts.configured(vendor.id) == set()


def test_only_tiki_and_sendo_take_credentials(ctx):
    with pytest.raises(Unsupported):
        accounts.save_credentials(make_vendor(), "voso", "k", "s", None)


def test_delete_forgets_them(world):
    assert accounts.delete_credentials(world.vendor, "sendo", world.user)
    assert not accounts.delete_credentials(world.vendor, "sendo", world.user)
    assert accounts.configured(world.vendor.id) == {"tiki"}
    with pytest.raises(NoCredentials):
        push_products(world.vendor, "sendo", world.ids, world.user)


def test_staff_changes_to_an_assisted_booth_are_audited_without_the_values(world):
    staff = User(email="can-bo@example.vn", role="staff")
    db.session.add(staff)
    db.session.commit()

    accounts.save_credentials(world.vendor, "tiki", TIKI_ID, TIKI_SECRET, staff)
    accounts.delete_credentials(world.vendor, "tiki", staff)

    entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["marketplace.credentials", "marketplace.credentials.delete"]
    assert all(TIKI_SECRET not in repr((e.before, e.after)) and TIKI_ID not in repr((e.before, e.after))
               for e in entries)


@pytest.mark.parametrize("key", ["", "not-a-fernet-key"])
def test_a_missing_or_malformed_key_is_a_clear_error(world, monkeypatch, app, key):
    monkeypatch.setitem(app.config, "MARKETPLACE_SECRETS_KEY", key)
    with pytest.raises(SecretsKeyError) as refused:
        accounts.save_credentials(world.vendor, "tiki", TIKI_ID, TIKI_SECRET, world.user)
    assert "MARKETPLACE_SECRETS_KEY" not in str(refused.value)  # for booths: "tell the programme staff"
    assert TIKI_SECRET not in str(refused.value) and refused.value.__cause__ is None


def test_credentials_saved_with_another_key_cannot_be_used_and_say_so(world, monkeypatch, app, standin):
    monkeypatch.setitem(app.config, "MARKETPLACE_SECRETS_KEY", Fernet.generate_key().decode())
    with pytest.raises(SecretsKeyError) as refused:
        push_products(world.vendor, "tiki", world.ids, world.user)
    assert refused.value.__suppress_context__  # tracebacks do not show the decryption failure underneath
    assert standin.received == []


def test_keys_can_be_rotated(world, monkeypatch, app, standin, transport):
    old = app.config["MARKETPLACE_SECRETS_KEY"]
    monkeypatch.setitem(app.config, "MARKETPLACE_SECRETS_KEY", f"{Fernet.generate_key().decode()},{old}")
    (result,) = push_products(world.vendor, "tiki", world.ids[:1], world.user, transport=transport)
    assert result.ok


def test_refresh_of_sendo_is_explained_not_attempted(world, standin):
    with pytest.raises(Unsupported):
        refresh_submissions(world.vendor, "sendo")
    assert refresh_submissions(world.vendor, "tiki") == []  # nothing submitted: Tiki is not even asked
    assert standin.received == []
