"""Encryption at rest of booths' marketplace credentials and access tokens (Fernet: AES-128-CBC + HMAC).

The key is MARKETPLACE_SECRETS_KEY, a Fernet key from the environment. Several keys separated by commas
rotate it: values are encrypted with the first and decrypted with any (re-save credentials to move them).
Errors never include the key, the plaintext or the stored token."""
import json
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

from catalog.marketplaces.errors import SecretsKeyError

log = logging.getLogger(__name__)


def _fernet():
    raw = current_app.config.get("MARKETPLACE_SECRETS_KEY") or ""
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        log.error("MARKETPLACE_SECRETS_KEY is not set: marketplace credentials cannot be used")
        raise SecretsKeyError()
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except (ValueError, TypeError):
        log.error("MARKETPLACE_SECRETS_KEY is not a valid Fernet key (32 url-safe base64-encoded bytes)")
        raise SecretsKeyError() from None


def check_key():
    """Raise SecretsKeyError unless MARKETPLACE_SECRETS_KEY is usable (before asking for secrets)."""
    _fernet()


def encrypt_text(text):
    """The Fernet token (bytes) of `text`."""
    return _fernet().encrypt(text.encode("utf-8"))


def decrypt_text(token):
    """The text encrypted in `token`; SecretsKeyError when the key cannot open it."""
    try:
        return _fernet().decrypt(bytes(token)).decode("utf-8")
    except (InvalidToken, TypeError, UnicodeDecodeError):
        log.error("a stored marketplace secret could not be decrypted with MARKETPLACE_SECRETS_KEY")
        raise SecretsKeyError() from None


def encrypt_json(value):
    return encrypt_text(json.dumps(value, ensure_ascii=False))


def decrypt_json(token):
    return json.loads(decrypt_text(token))
