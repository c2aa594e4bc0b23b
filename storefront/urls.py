"""URL helpers: safe redirects and canonical absolute URLs."""
from urllib.parse import urlsplit

from flask import current_app, request, url_for


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
