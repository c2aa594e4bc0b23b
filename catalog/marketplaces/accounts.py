"""Booths' marketplace credentials: Tiki's client id and secret, Sendo's shop key and secret key.

They are stored only encrypted (catalog.marketplaces.secrets) and never shown back: screens can learn
which marketplaces a booth has credentials for and since when, nothing more. When programme staff change
an assisted booth's credentials the audit log says so, without the values."""
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from catalog.listings.models import MarketplaceAccount
from catalog.marketplaces import secrets
from catalog.marketplaces.errors import InvalidCredentials, NoCredentials, Unsupported
from catalog.marketplaces.sendo import SendoClient
from catalog.marketplaces.tiki import TikiClient
from catalog.marketplaces.tokens import AccountTokenCache
from storefront.extensions import db
from storefront.models import utcnow
from vendors.audit import record_change

API_MARKETPLACES = {"tiki": "Tiki", "sendo": "Sendo"}  # key -> name shown in messages
MAX_LENGTH = 500


def _check_marketplace(marketplace):
    if marketplace not in API_MARKETPLACES:
        raise Unsupported(marketplace=str(marketplace)[:20])


def _clean(value, field):
    value = (value or "").strip()
    if not value:
        raise InvalidCredentials(_l("Please fill this in."), field)
    if len(value) > MAX_LENGTH or any(ord(c) < 32 for c in value):
        raise InvalidCredentials(_l("This does not look like a key from the marketplace: copy it again."), field)
    return value


def account_for(vendor_id, marketplace):
    """The booth's MarketplaceAccount for `marketplace`, or None."""
    return db.session.scalar(sa.select(MarketplaceAccount).where(
        MarketplaceAccount.vendor_id == vendor_id, MarketplaceAccount.marketplace == marketplace))


def save_credentials(vendor, marketplace, key, secret, user):
    """Store (or replace) the booth's credentials for `marketplace`, encrypted; the cached token goes
    with the old credentials. Raises InvalidCredentials (field "key" or "secret") or SecretsKeyError."""
    _check_marketplace(marketplace)
    values = {"key": _clean(key, "key"), "secret": _clean(secret, "secret")}
    encrypted = secrets.encrypt_json(values)
    account = account_for(vendor.id, marketplace)
    if account is None:
        account = MarketplaceAccount(vendor_id=vendor.id, marketplace=marketplace, credentials=encrypted)
        db.session.add(account)
    else:
        account.credentials = encrypted
        account.updated_at = utcnow()
    account.token = None
    account.token_expires_at = None
    db.session.flush()
    record_change(user, vendor.id, "marketplace.credentials", account, None, {"marketplace": marketplace})
    db.session.commit()
    return account


def delete_credentials(vendor, marketplace, user):
    """Forget the booth's credentials for `marketplace`; False when there were none."""
    _check_marketplace(marketplace)
    account = account_for(vendor.id, marketplace)
    if account is None:
        return False
    record_change(user, vendor.id, "marketplace.credentials.delete", account, {"marketplace": marketplace}, None)
    db.session.delete(account)
    db.session.commit()
    return True


def configured(vendor_id):
    """The marketplaces the booth has stored credentials for."""
    return set(db.session.scalars(sa.select(MarketplaceAccount.marketplace).where(
        MarketplaceAccount.vendor_id == vendor_id)))


def saved_on(vendor_id):
    """{marketplace: when its credentials were last saved}, for "saved on …" on the credentials page."""
    rows = db.session.execute(sa.select(MarketplaceAccount.marketplace, MarketplaceAccount.updated_at).where(
        MarketplaceAccount.vendor_id == vendor_id))
    return {marketplace: when for marketplace, when in rows}


def open_client(vendor_id, marketplace, transport=None):
    """A client for the booth's account on `marketplace` (close it when done), its token cached in the
    account row. NoCredentials when the booth has none; SecretsKeyError when they cannot be decrypted."""
    _check_marketplace(marketplace)
    account = account_for(vendor_id, marketplace)
    if account is None:
        raise NoCredentials(marketplace=API_MARKETPLACES[marketplace])
    values = secrets.decrypt_json(account.credentials)
    cache = AccountTokenCache(account)
    if marketplace == "tiki":
        return TikiClient(current_app.config["TIKI_API_BASE"], values["key"], values["secret"], cache, transport)
    return SendoClient(current_app.config["SENDO_API_BASE"], values["key"], values["secret"], cache, transport)
