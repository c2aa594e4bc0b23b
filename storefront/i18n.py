"""Vietnamese by default; the visitor's choice of English is kept in the `lang` cookie."""
from pathlib import Path

from flask import Blueprint, current_app, has_request_context, make_response, redirect, request

from storefront.extensions import babel
from storefront.urls import safe_next

bp = Blueprint("i18n", __name__)
COOKIE = "lang"
DOMAINS = ("storefront", "vendors", "catalog", "orders")


def select_locale():
    if not has_request_context():  # commands and background jobs speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    lang = request.cookies.get(COOKIE)
    return lang if lang in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.get("/lang/<code>")
def switch(code):
    """Remember the language and go back where the visitor was (only ever to this site)."""
    response = make_response(redirect(safe_next(request.args.get("next"))))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response


def translation_directories(root, compiled_only=True):
    """Each domain's `translations/` and its subpackages' (Flask-Babel merges them all). Folders without a
    compiled catalogue are left out: Flask-Babel would otherwise fall back to English plural rules."""
    found = []
    for domain in DOMAINS:
        for pattern in ("translations", "*/translations"):
            found += sorted(str(p) for p in Path(root, domain).glob(pattern)
                            if not compiled_only or any(p.glob("*/LC_MESSAGES/messages.mo")))
    return found


def init_app(app):
    dirs = translation_directories(Path(app.root_path).parent)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(dirs) or "translations"
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(bp)
