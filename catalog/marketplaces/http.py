"""The one way this package talks HTTP: `requests` with a timeout on every call and retries with
exponential backoff (plus jitter, honouring Retry-After) on 429, 5xx and connection errors.

What is retried: 429 and 500/502/503/504 answers, and failures to connect. A read timeout or a connection
lost after sending is retried only for requests that are safe to repeat (`idempotent=True`: token requests,
tracking); a product creation that got no answer may have been received, and sending it again could list
the product twice, so it fails at once.
A Retry-After longer than `max_wait` is not waited for: the caller gets RateLimited and can try later.

Logs carry the method, the URL path and the status only: never headers, bodies, tokens or secrets."""
import logging
import random
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from flask import current_app, has_app_context
from urllib3.exceptions import NewConnectionError

from catalog.marketplaces.errors import AuthError, RateLimited, Unavailable

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CONNECT_TIMEOUT = 5.0  # seconds to open a connection (MARKETPLACE_TIMEOUT is the wait for the answer)
JITTER = 0.25  # each wait is stretched by up to this fraction, so many clients do not retry in step


class Transport:
    """Sends requests with retries. `sleep` and `jitter` (a callable returning 0 ≤ x < 1) are injectable so
    tests record the waits instead of waiting; `backoff` is the first wait in seconds, doubled each retry."""

    def __init__(self, *, timeout=10.0, attempts=4, backoff=0.5, max_wait=30.0, sleep=time.sleep,
                 jitter=random.random, session=None):
        self.timeout = timeout
        self.attempts = max(1, int(attempts))
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep
        self.jitter = jitter
        self.session = session or requests.Session()

    @classmethod
    def from_config(cls, config, **overrides):
        """A transport with MARKETPLACE_TIMEOUT, MARKETPLACE_ATTEMPTS, MARKETPLACE_BACKOFF, MARKETPLACE_MAX_WAIT."""
        settings = {"timeout": float(config.get("MARKETPLACE_TIMEOUT", 10)),
                    "attempts": int(config.get("MARKETPLACE_ATTEMPTS", 4)),
                    "backoff": float(config.get("MARKETPLACE_BACKOFF", 0.5)),
                    "max_wait": float(config.get("MARKETPLACE_MAX_WAIT", 30))}
        settings.update(overrides)
        return cls(**settings)

    def close(self):
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def request(self, method, url, *, idempotent=None, **kwargs):
        """The response to the first attempt that is not a retryable failure (2xx, or a 4xx other than 429,
        for the caller to read); RateLimited or Unavailable when the attempts run out."""
        if idempotent is None:
            idempotent = method.upper() in ("GET", "HEAD", "PUT", "DELETE")
        path = urlsplit(url).path
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                response = self.session.request(method, url, timeout=(min(CONNECT_TIMEOUT, self.timeout),
                                                                      self.timeout), **kwargs)
            except requests.ReadTimeout:
                log.warning("%s %s: no answer within %.0f s (attempt %d/%d)", method, path, self.timeout,
                            attempt, self.attempts)
                if last or not idempotent:
                    raise Unavailable() from None
                self._wait(self._backoff(attempt))
                continue
            except requests.ConnectionError as exc:
                log.warning("%s %s: connection failed (%s, attempt %d/%d)", method, path, type(exc).__name__,
                            attempt, self.attempts)
                if last or not (idempotent or _never_sent(exc)):
                    raise Unavailable() from None
                self._wait(self._backoff(attempt))
                continue
            except requests.RequestException as exc:
                log.error("%s %s: request failed (%s)", method, path, type(exc).__name__)
                raise Unavailable() from None
            status = response.status_code
            log.info("%s %s -> %d (attempt %d/%d)", method, path, status, attempt, self.attempts)
            if status not in RETRY_STATUSES:
                return response
            retry_after = _retry_after(response)
            response.close()
            error = RateLimited if status == 429 else Unavailable
            if last:
                raise error()
            wait = self._backoff(attempt) if retry_after is None else retry_after * (1 + JITTER * self.jitter())
            if wait > self.max_wait:
                log.warning("%s %s: asked to wait %.0f s, more than %.0f s: giving up", method, path, wait,
                            self.max_wait)
                raise error()
            self._wait(wait)
        raise Unavailable()  # not reached: the last attempt returns or raises

    def _backoff(self, attempt):
        return min(self.max_wait, self.backoff * 2 ** (attempt - 1)) * (1 + JITTER * self.jitter())

    def _wait(self, seconds):
        self.sleep(max(0.0, seconds))


def _never_sent(exc):
    """True when the connection failed before the request went out (refused, unknown host, connect
    timeout), so even a request that is not safe to repeat can be sent again."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError)


def _retry_after(response):
    """Retry-After in seconds (a number, or an HTTP date), or None when absent or unreadable."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def json_body(response):
    """The response's JSON object, or {} when it has none (or it is not an object)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def error_message(response, limit=500):
    """The marketplace's own explanation of a refused request, from the usual JSON shapes
    (`message`, `error` text or object, `errors` list, `error_description`), else the HTTP status."""
    body = json_body(response)
    parts = []
    for key in ("message", "error_description", "error", "errors", "detail"):
        value = body.get(key)
        if isinstance(value, dict):
            value = value.get("message") or value.get("detail")
        if isinstance(value, list):
            value = "; ".join(str(v.get("message", v)) if isinstance(v, dict) else str(v) for v in value)
        if isinstance(value, str) and value.strip() and value.strip() not in parts:
            parts.append(value.strip())
    text = " — ".join(parts) or f"HTTP {response.status_code}"
    return text[:limit]


class TokenClient:
    """The base of the marketplace clients: requests carry a Bearer token from `fetch_token()` (kept in
    `token_cache`); a 401 on a cached token gets one new token and one more try, a second 401 is AuthError.
    Close the client (or use it in a `with`) to release its connections."""

    def __init__(self, base_url, token_cache, transport=None):
        self.base_url = base_url.rstrip("/")
        self.token_cache = token_cache
        self._owns_transport = transport is None
        if transport is None:
            transport = Transport.from_config(current_app.config) if has_app_context() else Transport()
        self.transport = transport

    def fetch_token(self):
        """(access token, expires_at) from the marketplace."""
        raise NotImplementedError

    def close(self):
        if self._owns_transport:
            self.transport.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _new_token(self):
        token, expires_at = self.fetch_token()
        self.token_cache.put(token, expires_at)
        return token

    def authorized(self, method, path, **kwargs):
        """The response to `method path` with the Bearer token; AuthError when the marketplace refuses it."""
        cached = self.token_cache.get()
        token = cached or self._new_token()
        response = self.transport.request(method, self.base_url + path,
                                          headers={"Authorization": f"Bearer {token}"}, **kwargs)
        if response.status_code == 401 and cached:
            log.info("%s %s: the cached token was refused, getting a new one", method, path)
            response.close()
            self.token_cache.clear()
            token = self._new_token()
            response = self.transport.request(method, self.base_url + path,
                                              headers={"Authorization": f"Bearer {token}"}, **kwargs)
        if response.status_code in (401, 403):
            response.close()
            raise AuthError()
        return response
