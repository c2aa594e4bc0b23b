"""Account operations. Each takes plain values, raises an AccountError, and commits once."""
import re

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from storefront.accounts.errors import (AccountDisabled, EmailTaken, InvalidCredentials, InvalidEmail,
                                        InvalidPhoneNumber, PhoneTaken, WrongPassword)
from storefront.accounts.passwords import (hash_password, make_reset_token, password_matches, user_id_in_token,
                                           verify_reset_token)
from storefront.accounts.phone import InvalidPhone, normalise_phone
from storefront.extensions import db
from storefront.mail import send_mail
from storefront.models import ROLES, User, utcnow
from storefront.urls import canonical_url

# Deliberately plain: one @, no spaces, a dot in the domain. The reset mail proves the address works.
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")


def normalise_email(text):
    email = (text or "").strip().lower()
    if len(email) > 254 or not EMAIL.match(email):
        raise InvalidEmail()
    return email


def normalise_identifier(text):
    """An e-mail address or a mobile number as stored, or the trimmed text if it is neither."""
    text = (text or "").strip()
    if "@" in text:
        return text.lower()[:254]
    try:
        return normalise_phone(text)
    except InvalidPhone:
        return text[:254]


def find_user(identifier):
    """The account with this e-mail address or mobile number (in any spelling), or None."""
    key = normalise_identifier(identifier)
    if not key:
        return None
    column = User.email if "@" in key else User.phone
    return db.session.scalar(sa.select(User).where(column == key))


def sign_up(email, password, *, name="", phone=None, role="shopper"):
    """A new account. Shoppers sign themselves up; staff and admins come from `ocop create-user`."""
    if role not in ROLES.codes:
        raise ValueError(f"unknown role {role!r}")
    email = normalise_email(email)
    try:
        phone = normalise_phone(phone) if phone and phone.strip() else None
    except InvalidPhone:
        raise InvalidPhoneNumber() from None
    user = User(email=email, phone=phone, name=(name or "").strip()[:120], role=role,
                password_hash=hash_password(password))
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise EmailTaken()
    if phone and db.session.scalar(sa.select(User.id).where(User.phone == phone)):
        raise PhoneTaken()
    db.session.add(user)
    _commit_or(EmailTaken)
    return user


def authenticate(identifier, password):
    """The account these credentials open. Records the time, which no public page shows (so no page-cache
    flush: the update goes straight to the database rather than through the session)."""
    user = find_user(identifier)
    if not password_matches(user, password):
        raise InvalidCredentials()
    if not user.is_active:
        raise AccountDisabled()
    now = utcnow()
    with db.engine.begin() as conn:
        conn.execute(sa.update(User.__table__).where(User.__table__.c.id == user.id).values(last_login_at=now))
    set_committed_value(user, "last_login_at", now)
    return user


def request_password_reset(email):
    """Mail a reset link if an account has this address. Says nothing either way (no account probing)."""
    try:
        user = find_user(normalise_email(email))
    except InvalidEmail:
        return
    if user is None or not user.is_active:
        return
    link = canonical_url("accounts.reset_password", token=make_reset_token(user))
    send_mail(user.email, _("Reset your Chợ OCOP password"),
              render_template("email/password_reset.txt", user=user, link=link))


def user_for_reset_token(token):
    """The account a live reset link belongs to, or ResetLinkInvalid / ResetLinkExpired."""
    user_id = user_id_in_token(token)
    user = db.session.get(User, user_id) if user_id is not None else None
    verify_reset_token(user, token)
    return user


def reset_password(token, new_password):
    user = user_for_reset_token(token)
    user.password_hash = hash_password(new_password)
    db.session.commit()
    _notify_password_changed(user)
    return user


def change_password(user, current_password, new_password):
    if not password_matches(user, current_password):
        raise WrongPassword()
    user.password_hash = hash_password(new_password)
    db.session.commit()
    _notify_password_changed(user)
    return user


def change_email(user, current_password, new_email):
    """Move the account to a new address; the old one is told, in case it was not its owner's doing."""
    if not password_matches(user, current_password):
        raise WrongPassword()
    new_email = normalise_email(new_email)
    old_email = user.email
    if new_email == old_email:
        return user
    if db.session.scalar(sa.select(User.id).where(User.email == new_email, User.id != user.id)):
        raise EmailTaken()
    user.email = new_email
    _commit_or(EmailTaken)
    if old_email:
        send_mail(old_email, _("Your Chợ OCOP e-mail address was changed"),
                  render_template("email/email_changed.txt", user=user, old_email=old_email))
    return user


def _notify_password_changed(user):
    if user.email:
        send_mail(user.email, _("Your Chợ OCOP password was changed"),
                  render_template("email/password_changed.txt", user=user))


def _commit_or(error):
    """Commit; a unique-constraint race lost to another request becomes `error`."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise error() from None
