"""Accounts and security: sign-in with Flask-Login, the account pages, rate limits, security headers, and the
one permission check (storefront.accounts.permissions) every view uses.

The session and the remember-me cookie hold `User.get_id()`: the id and a fingerprint of the password
hash. A new password changes it, so every other session and remember-me cookie stops working.
"""
from flask import current_app, request
from flask_login import current_user

from storefront.accounts.phone import display_phone
from storefront.extensions import db, login_manager
from storefront.models import User
from storefront.urls import canonical_url


def load_user(session_id):
    user_id, _, _fingerprint = (session_id or "").partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.get_id() != session_id:
        return None
    return user


def restore_remembered_session():
    """A remembered visitor whose browser dropped the session cookie gets a session again on whatever page
    they open, so the page cache (which serves only requests without one) stops treating them as a stranger."""
    cookies = request.cookies
    if current_app.config["REMEMBER_COOKIE_NAME"] in cookies and current_app.config["SESSION_COOKIE_NAME"] not in cookies:
        current_user._get_current_object()


def init_app(app):
    from storefront.accounts import limits, permissions, security, views

    app.config.setdefault("REMEMBER_COOKIE_NAME", "remember_token")
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    # Off: "basic" only marks sessions stale (we never ask for a fresh sign-in) and, doing so, writes to every
    # session, which would keep signed-out visitors out of the page cache; "strong" would sign out phones
    # every time they change network.
    login_manager.session_protection = None
    app.before_request(restore_remembered_session)
    app.register_blueprint(views.bp)
    limits.init_app(app, on_breach=views.limited_page)
    security.init_app(app)
    app.jinja_env.globals.update(can=permissions.can, display_phone=display_phone, canonical_url=canonical_url)
