"""Whole-page cache for anonymous visitors.

A page is served from the cache only to a request that carries no session cookie (so no sign-in, cart
or flashed message can be involved), keyed by host, path and query, language and today's date (OCOP
certificates lapse by date). A response is stored only if it is a 200 that neither wrote to the session
nor set a cookie. Every committed database write bumps a generation stamp, which empties every worker's
cache on its next request; the stamp is a file in the instance folder, shared by the workers of one host.
"""
import os
import time
from collections import OrderedDict
from datetime import date
from functools import wraps
from pathlib import Path

from flask import current_app, has_app_context, request, session
from flask_babel import get_locale
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


def cached_page(view):
    """Serve `view` from the page cache to visitors without a session."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        cache = _cache()
        if cache.size <= 0 or request.method != "GET" or current_app.config["SESSION_COOKIE_NAME"] in request.cookies:
            return view(*args, **kwargs)
        key = (request.host, request.scheme, request.full_path, str(get_locale()), date.today())
        page = cache.get(key)
        if page is not None:
            cache.hits += 1
            body, mimetype = page
            return current_app.response_class(body, mimetype=mimetype, headers={"Vary": "Cookie", "X-Page-Cache": "hit"})
        cache.misses += 1
        response = current_app.make_response(view(*args, **kwargs))
        response.vary.add("Cookie")
        if response.status_code == 200 and not session.modified and "Set-Cookie" not in response.headers \
                and not response.direct_passthrough:
            cache.put(key, (response.get_data(), response.mimetype))
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
    if not getattr(Session, "_ocop_page_cache_hooks", False):
        event.listen(Session, "before_flush", _mark_dirty)
        event.listen(Session, "do_orm_execute", _mark_dirty_dml)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda s, previous: _after_rollback(s))
        Session._ocop_page_cache_hooks = True
