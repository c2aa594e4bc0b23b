"""URL helpers: safe redirects and canonical absolute URLs."""
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from werkzeug.routing import IntegerConverter


def safe_next(target, default="/"):
    """`target` if it is a path on this site, else `default`. Refuses //evil, https://evil, \\evil."""
    if not target or not isinstance(target, str):
        return default
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ch in target for ch in "\r\n\\"):
        return default
    return target


def canonical_url(endpoint, **values):
    """Absolute URL on the configured BASE_URL (or this request's host when none is set)."""
    path = url_for(endpoint, **values)
    base = current_app.config.get("BASE_URL") or request.host_url.rstrip("/")
    return base + path


MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds


def parse_id(text):
    """The id a piece of user input names (plain ASCII digits, 1 to MAX_ID), or None."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID else None


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` in every route: at most 2³¹−1 unless a route says otherwise, so an id too large for an
    INTEGER column is a 404, not a database error."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

