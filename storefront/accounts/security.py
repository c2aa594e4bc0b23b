"""Security headers on every response (pages, error pages, the API, static files) and a readable answer to
a failed CSRF check. Cookies: see the SESSION_COOKIE_* and REMEMBER_COOKIE_* settings in storefront/config.py.
"""
from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from storefront.errors import wants_json

# No inline script or style anywhere: JavaScript and CSS come from /static only.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "img-src 'self' data:",
    "script-src 'self'",
    "style-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
))

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=31536000; includeSubDomains"


def add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def add_hsts(response):
    response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def csrf_failed(exc):
    message = _("This form has expired or did not come from this site. Go back, reload the page and try again.")
    if wants_json():
        return {"error": {"status": 400, "title": _("Bad request"), "message": message}}, 400
    return render_template("errors/error.html", code=400, title=_("Bad request"), message=message), 400


def init_app(app):
    app.after_request(add_security_headers)
    if app.config["ENV_NAME"] == "production":
        app.after_request(add_hsts)
    app.register_error_handler(CSRFError, csrf_failed)
