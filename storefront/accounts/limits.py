"""Rate limits on the account forms (Flask-Limiter), counted per account and per client address.

Counters live in Redis when REDIS_URL is set (shared by every worker; if Redis goes away the limits carry on
in memory), otherwise in this process. Each app gets its own Limiter, because a Limiter keeps its storage on
itself. The limits are settings (RATELIMIT_*), read on every request. Behind a proxy, the client address
is only right once the app is wrapped in werkzeug's ProxyFix.
"""
import time
from functools import partial

from flask import current_app, g, render_template, request
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded

from storefront.accounts.services import find_user, normalise_identifier

EXTENSION = "account_limiter"


def account_key():
    """The account the form names, whichever way it is written: its e-mail and its phone share one count."""
    if "limit_account_key" not in g:
        identifier = request.form.get("identifier") or request.form.get("email") or ""
        user = find_user(identifier)
        g.limit_account_key = f"account:{user.id}" if user else "unknown:" + normalise_identifier(identifier)
    return g.limit_account_key


def address_key():
    return "address:" + (request.remote_addr or "unknown")


# (endpoint, setting, what is counted). Only POSTs count: looking at a form is free.
LIMITS = (
    ("accounts.signin", "RATELIMIT_SIGNIN_ACCOUNT", account_key),
    ("accounts.signin", "RATELIMIT_SIGNIN_ADDRESS", address_key),
    ("accounts.reset_request", "RATELIMIT_RESET_ACCOUNT", account_key),
    ("accounts.reset_request", "RATELIMIT_RESET_ADDRESS", address_key),
    ("accounts.signup", "RATELIMIT_SIGNUP_ADDRESS", address_key),
)


def _setting(name):
    return current_app.config[name]


def limiter():
    return current_app.extensions[EXTENSION]


def retry_after(request_limit):
    """Whole seconds until the breached limit lets the next attempt through."""
    return max(1, int(request_limit.reset_at - time.time()) + 1)


def init_app(app, on_breach):
    """Limit the endpoints in LIMITS (registered already). `on_breach(request_limit)` answers a limited
    request, typically with its form and a message (HTTP 429)."""
    redis_url = app.config["REDIS_URL"]
    limiter_ = Limiter(
        key_func=address_key, storage_uri=redis_url or "memory://", strategy="moving-window",
        key_prefix=app.config["RATELIMIT_KEY_PREFIX"], in_memory_fallback_enabled=bool(redis_url),
        headers_enabled=False, on_breach=on_breach,
    )
    limiter_.init_app(app)
    limited = {endpoint for endpoint, _setting, _key in LIMITS}
    # Settle every other request at once: Flask-Limiter otherwise resolves its limits on each one.
    limiter_.request_filter(lambda: request.method != "POST" or request.endpoint not in limited)
    app.extensions[EXTENSION] = limiter_
    for endpoint, setting, key in LIMITS:
        rule = limiter_.limit(partial(_setting, setting), key_func=key, methods=["POST"])
        app.view_functions[endpoint] = rule(app.view_functions[endpoint])
    app.register_error_handler(RateLimitExceeded, _too_many_requests)


def _too_many_requests(exc):
    if exc.response is not None:
        return exc.response
    return render_template("errors/error.html", code=429, title=_("Too many attempts"),
                           message=_("Please wait a little and try again.")), 429
