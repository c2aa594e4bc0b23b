"""Password hashes (Werkzeug scrypt) and password-reset tokens.

A reset token is an itsdangerous signed, timestamped user id whose salt includes the user's current
password hash: once the password changes (by this link or any other way) every earlier link stops working.
"""
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from storefront.accounts.errors import ResetLinkExpired, ResetLinkInvalid, WeakPassword

# Checked when no account matches, so a miss takes as long as a wrong password (no account probing by timing).
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")
MAX_LENGTH = 200  # scrypt takes anything; a cap keeps a megabyte "password" from costing a request


def hash_password(password):
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < min_length or len(password) > MAX_LENGTH:
        raise WeakPassword(min=min_length)
    return generate_password_hash(password, method="scrypt")


def password_matches(user, password):
    """True if `password` is the user's; always spends the time of one scrypt check."""
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password or "")
        return False
    return check_password_hash(user.password_hash, password or "")


def _serializer(user):
    salt = "password-reset:" + (user.password_hash or "")
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def make_reset_token(user):
    return _serializer(user).dumps(user.id)


def user_id_in_token(token):
    """The user id a token claims (unverified: only to find whose password hash to verify it against)."""
    try:
        _valid, user_id = URLSafeTimedSerializer(current_app.config["SECRET_KEY"]).loads_unsafe(token)
    except Exception:  # loads_unsafe promises not to raise, but a mangled payload is no business of ours
        return None
    return user_id if isinstance(user_id, int) else None


def verify_reset_token(user, token):
    """Raise ResetLinkExpired or ResetLinkInvalid unless `token` is a live link for `user`."""
    if user is None:
        raise ResetLinkInvalid()
    try:
        user_id = _serializer(user).loads(token, max_age=current_app.config["RESET_TOKEN_MAX_AGE"])
    except SignatureExpired:
        raise ResetLinkExpired() from None
    except BadSignature:
        raise ResetLinkInvalid() from None
    if user_id != user.id:
        raise ResetLinkInvalid()
