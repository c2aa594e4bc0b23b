"""Product search that understands Vietnamese, behind one small interface (catalog.search.base) with two
backends chosen by SEARCH_BACKEND: `whoosh` (default, an index in instance/search) and `postgres`
(full-text search in the shared database, for several app servers).

The database is the source of truth: catalog.search.indexer keeps the index true through an outbox, and
while an index is missing or being rebuilt, searches are answered from the database (catalog.search.fallback)."""
import importlib
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from catalog import queries
from catalog.search import fallback, indexer
from catalog.search.query import begins_with, parse_prefix, parse_query
from storefront.extensions import db

log = logging.getLogger(__name__)
# Registry of backends: name -> "module:Class". Each class takes the app.
BACKENDS = {
    "whoosh": "catalog.search.whoosh_backend:make_backend",
    "postgres": "catalog.search.postgres_backend:make_backend",
}
SWEEP_EVERY = 60  # seconds between checks that the index's stars are today's


@dataclass
class SearchState:
    backend: object
    raise_errors: bool = False
    checked: bool = False
    rebuilding: threading.Event = field(default_factory=threading.Event)
    swept_at: float = 0.0


def init_app(app):
    name = app.config.get("SEARCH_BACKEND") or "whoosh"
    if name not in BACKENDS:
        raise RuntimeError(f"SEARCH_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}")
    module, factory = BACKENDS[name].split(":")
    backend = getattr(importlib.import_module(module), factory)(app)
    app.extensions["search"] = SearchState(backend, raise_errors=app.config.get("SEARCH_RAISE_ERRORS", False))
    if not event.contains(Session, "after_flush", indexer.record_changes):
        event.listen(Session, "after_flush", indexer.record_changes)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda session, _previous: indexer.forget_pending(session))
    app.before_request(_ensure_index)


def index_folder(app):
    return Path(app.config.get("SEARCH_DIR") or Path(app.instance_path) / "search")


def state(app=None):
    return (app or current_app).extensions["search"]


def backend(app=None):
    return state(app).backend


def _after_commit(session):
    if indexer.take_pending(session) and has_app_context() and "search" in current_app.extensions:
        drain()


def drain(blocking=False, today=None):
    """Apply pending changes to the index now (after every commit that changed products or booths), with
    stars as of `today` (default: the real today)."""
    st = state()
    try:
        return indexer.drain(st.backend, db.engine, blocking=blocking, today=today)
    except Exception:
        if st.raise_errors:
            raise
        # The change is committed and its outbox row kept: the next drain or a reindex applies it.
        log.exception("search index update failed; the outbox keeps the change for the next attempt")
        return None


def reindex(progress=None):
    """Rebuild the whole index from the database; returns how many products it holds."""
    return indexer.rebuild(backend(), db.engine, progress=progress)


def reset():
    """Empty the index (tests; the outbox is a table and is emptied with the others)."""
    b = backend()
    with b.lock(blocking=True):
        b.clear()


def _ensure_index():
    """Once per process, on its first request: rebuild a missing or corrupt index in the background."""
    st = state()
    if st.checked:
        return
    st.checked = True
    if st.backend.is_ready() or st.rebuilding.is_set():
        return
    st.rebuilding.set()
    app = current_app._get_current_object()
    threading.Thread(target=_rebuild_in_background, args=(app,), name="search-rebuild", daemon=True).start()


def _rebuild_in_background(app):
    with app.app_context():
        try:
            count = reindex()
            log.info("search index rebuilt: %s products", count)
        except Exception:
            log.exception("search index rebuild failed; searches keep using the database")
        finally:
            state(app).rebuilding.clear()
            db.session.remove()


def _keep_stars_current(st, today):
    """Re-index lapsed certificates once a day even when nothing is written (checked once a minute)."""
    now = time.monotonic()
    if now - st.swept_at < SWEEP_EVERY:
        return
    st.swept_at = now
    as_of = st.backend.get_meta("stars_as_of")
    if as_of and as_of < today.isoformat():
        drain(today=today)


@dataclass
class SearchResult:
    page: queries.Page
    query: object  # ParsedQuery
    facets: dict | None = None
    suggestion: str | None = None
    degraded: bool = False


def search_products(text, f, facets=False, today=None):
    """A page of visible products matching `text` under filter `f` (f.sort may be 'relevance'), with facet
    counts when asked and a "did you mean" when nothing matches."""
    today = today or date.today()
    q = parse_query(text)
    if not q and f.sort == "relevance":
        f.sort = "newest"
    st = state()
    if not st.backend.is_ready():
        return SearchResult(fallback.search(q, f, today), q, degraded=True)
    _keep_stars_current(st, today)
    hits = st.backend.search(q, f, facets=facets)
    suggestion = did_you_mean(st.backend, q, f) if q and hits.total == 0 else None
    page = queries.Page(queries.products_by_ids(hits.ids), hits.total, f.page, f.per_page)
    return SearchResult(page, q, hits.facets, suggestion)


def did_you_mean(b, q, f):
    """Another query that has results: unknown words replaced by close known ones, or else the query
    without the word whose absence finds most. Spelled with tone marks as product names spell it."""
    words = list(q.folded)
    corrected = [w if b.vocabulary(w) else next(iter(b.corrections(w)), w) for w in words]

    def spelled(candidate):
        return " ".join(b.spelling(w) or w for w in candidate)

    if corrected != words and b.count(parse_query(spelled(corrected)), f):
        return spelled(corrected)
    best, best_count = None, 0
    for i in range(len(corrected) if len(corrected) > 1 else 0):
        text = spelled(corrected[:i] + corrected[i + 1:])
        n = b.count(parse_query(text), f)
        if n > best_count:
            best, best_count = text, n
    return best


def suggest(text, limit=8):
    """Up to `limit` product and booth names for what has been typed so far."""
    words, prefix = parse_prefix(text)
    if not words and len(prefix) < 2:
        return []
    b = backend()
    if not b.is_ready():
        return fallback.suggest(words, prefix, limit)
    # Whatever the backend, names that start with what was typed come first (a stable sort keeps its order).
    return sorted(b.suggest(words, prefix, limit), key=lambda s: not begins_with(s.text, words, prefix))
