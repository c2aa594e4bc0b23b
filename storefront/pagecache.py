"""Page cache: whole pages for anonymous visitors, page skeletons for visitors with a session.

Visitors without a session cookie get whole cached pages; visitors with one get a cached skeleton whose
personal holes (account links with the cart count, flashed messages, the CSRF token of add-to-cart forms)
are filled for them on every request. Keys are host, path and query, language, today's date (OCOP
certificates lapse by date) and whether the visitor has a session. A response is stored only if it is a
200 that neither wrote to the session nor set a cookie. Every committed database write bumps a generation
stamp, which empties every worker's cache on its next request; the stamp is a file in the instance folder,
shared by the workers of one host.
"""
import os
import time
from collections import OrderedDict
from datetime import date
from functools import wraps
from pathlib import Path

from flask import current_app, g, has_app_context, render_template, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import Session


class PageCache:
    def __init__(self, stamp_path, size, memo_size=4096):
        self.stamp = Path(stamp_path)
        self.size = size
        self.pages = OrderedDict()
        self.generation = None
        self.hits = self.misses = 0
        self.memo_size = memo_size
        self.values = OrderedDict()
        self.values_generation = None

    def current_generation(self):
        try:
            return os.stat(self.stamp).st_mtime_ns
        except FileNotFoundError:
            return 0

    def bump(self):
        self.stamp.parent.mkdir(parents=True, exist_ok=True)
        now = time.time_ns()
        self.stamp.touch()
        os.utime(self.stamp, ns=(now, now))
        self.clear()

    def get(self, key):
        generation = self.current_generation()
        if generation != self.generation:
            self.pages.clear()
            self.generation = generation
            return None
        page = self.pages.get(key)
        if page is not None:
            self.pages.move_to_end(key)
        return page

    def memo(self, key, compute):
        """`compute()`, remembered until the next committed write (for counts that scan the catalogue)."""
        generation = self.current_generation()
        if generation != self.values_generation:
            self.values.clear()
            self.values_generation = generation
        if key in self.values:
            self.values.move_to_end(key)
            return self.values[key]
        value = self.values[key] = compute()
        if len(self.values) > self.memo_size:
            self.values.popitem(last=False)
        return value

    def clear(self):
        self.pages.clear()
        self.values.clear()

    def put(self, key, page):
        self.pages[key] = page
        if len(self.pages) > self.size:
            self.pages.popitem(last=False)


def _cache():
    return current_app.extensions["page_cache"]


def memoize(key, compute):
    """Remember `compute()` under `key` (plus today's date) in this worker until the next committed write.
    For aggregates that scan the catalogue (counts, facets), which even signed-in visitors then skip."""
    return _cache().memo((key, date.today()), compute)


PERSONAL = (("<!--ocop:account-->", "_account_nav.html"), ("<!--ocop:flashes-->", "_flashes.html"))
CSRF_HOLE = "<!--ocop:csrf-->"


def form_token():
    """The CSRF token of a form on a cached page (add to cart). In a skeleton it is a hole, filled with the
    visitor's own token on every request; the anonymous copy has none (a visitor without a session cannot
    hold a token: orders.views accepts that first add from this site only); anywhere else, the token."""
    if g.get("page_skeleton"):
        return Markup(CSRF_HOLE)
    if g.get("page_anonymous"):
        return ""
    return generate_csrf()


def _personalise(body):
    """Fill a page skeleton's holes with this visitor's own header links, flashed messages and CSRF token."""
    text = body.decode()
    for marker, template in PERSONAL:
        if marker in text:
            text = text.replace(marker, render_template(template), 1)
    if CSRF_HOLE in text:
        text = text.replace(CSRF_HOLE, generate_csrf())
    return text.encode()


def _render_anonymous(view, args, kwargs):
    g.page_anonymous = True
    try:
        return current_app.make_response(view(*args, **kwargs))
    finally:
        g.page_anonymous = False


def _storable(response):
    return (response.status_code == 200 and not session.modified and "Set-Cookie" not in response.headers
            and not response.direct_passthrough)


def _render_skeleton(view, args, kwargs):
    """Render the page as a stranger would see it (anonymous user), with holes for the personal parts, so
    that even a careless template cannot put one visitor's details into another's cached page."""
    signed_in = g.pop("_login_user", None)
    g._login_user = current_app.login_manager.anonymous_user()
    g.page_skeleton = True
    try:
        return current_app.make_response(view(*args, **kwargs))
    finally:
        g.page_skeleton = False
        g.pop("_login_user", None)
        if signed_in is not None:
            g._login_user = signed_in


def cached_page(view):
    """Serve `view` from the page cache.

    Visitors without a session get the whole cached page. Visitors with one (signed in, flashed messages,
    later a cart) get a cached *skeleton*: the page as an anonymous visitor would see it, with holes where
    base.html shows personal things (`g.page_skeleton`), filled per request from _account_nav.html and
    _flashes.html. A page that writes the session while rendering (a CSRF token, say) is never stored."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        cache = _cache()
        if cache.size <= 0 or request.method != "GET":
            return view(*args, **kwargs)
        personal = current_app.config["SESSION_COOKIE_NAME"] in request.cookies
        key = (request.host, request.scheme, request.full_path, str(get_locale()), date.today(), personal)
        page = cache.get(key)
        if page is not None:
            cache.hits += 1
            body, mimetype = page
            if personal:
                body = _personalise(body)
            return current_app.response_class(body, mimetype=mimetype, headers={"Vary": "Cookie", "X-Page-Cache": "hit"})
        cache.misses += 1
        response = _render_skeleton(view, args, kwargs) if personal else _render_anonymous(view, args, kwargs)
        response.vary.add("Cookie")
        if _storable(response):
            cache.put(key, (response.get_data(), response.mimetype))
        if personal and response.mimetype == "text/html" and not response.direct_passthrough:
            response.set_data(_personalise(response.get_data()))
        return response

    return wrapper


def _mark_dirty(session_, flush_context, instances):
    if session_.new or session_.dirty or session_.deleted:
        session_.info["page_cache_dirty"] = True


def _mark_dirty_dml(state):
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["page_cache_dirty"] = True


def _after_commit(session_):
    if session_.info.pop("page_cache_dirty", False) and has_app_context():
        cache = current_app.extensions.get("page_cache")
        if cache is not None:
            cache.bump()


def _after_rollback(session_):
    session_.info.pop("page_cache_dirty", None)


def init_app(app):
    stamp = Path(app.instance_path) / "page-cache.stamp"
    app.extensions["page_cache"] = PageCache(stamp, app.config["PAGE_CACHE_SIZE"])
    app.jinja_env.globals["form_token"] = form_token
    if not getattr(Session, "_ocop_page_cache_hooks", False):
        event.listen(Session, "before_flush", _mark_dirty)
        event.listen(Session, "do_orm_execute", _mark_dirty_dml)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda s, previous: _after_rollback(s))
        Session._ocop_page_cache_hooks = True
