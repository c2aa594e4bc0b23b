"""Security headers on every response (pages, error pages, the API, static files) and a readable answer to
a failed CSRF check. Cookies: see the SESSION_COOKIE_* and REMEMBER_COOKIE_* settings in storefront/config.py.
"""
from urllib.parse import urlsplit

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

# Stripe.js's script, its card and 3-D Secure frames and its API calls, on the card payment page only (the one
# page that needs a third-party script): https://docs.stripe.com/security/guide#content-security-policy
STRIPE_ORIGINS = {"https://js.stripe.com": {"frame-src": "https://js.stripe.com https://hooks.stripe.com",
                                            "connect-src": "'self' https://api.stripe.com"}}


def policy_with_stripe(js_url):
    """The site's policy plus what Stripe.js needs when loaded from `js_url` (Stripe's own, or a stand-in that
    serves the script, frames and API from one origin)."""
    parts = urlsplit(js_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    extra = STRIPE_ORIGINS.get(origin, {"frame-src": origin, "connect-src": f"'self' {origin}"})
    return "; ".join((CONTENT_SECURITY_POLICY.replace("script-src 'self'", f"script-src 'self' {origin}"),
                      f"frame-src {extra['frame-src']}", f"connect-src {extra['connect-src']}"))


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
