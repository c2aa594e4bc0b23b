"""Keeping the index true to the database.

1. `record_changes` (a Session `after_flush` listener) writes a search_outbox row for every product or
   booth change in the same transaction as the change: if the transaction rolls back, so does the row.
2. After the commit, `drain` applies the outbox to the index. Only the holder of the backend's lock
   writes, so several workers never meet Whoosh's LockError; a worker that finds the lock taken leaves
   its rows to the holder, which looks again after releasing. Rows are deleted only after the index
   committed them, so a worker killed mid-drain loses nothing: the next drain applies them again.
3. `rebuild` writes a whole new index from the database (`ocop reindex`, or a missing or corrupt index).

Certificates lapse without any write, so the index remembers the day its stars were computed for
(`stars_as_of`) and each drain re-indexes the products whose certificate expired since."""
import logging
from datetime import date
from itertools import chain

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import Product
from catalog.search import documents
from catalog.search.models import SearchOutbox
from storefront.models import utcnow
from vendors.models import Vendor

log = logging.getLogger(__name__)
BATCH = 500
VENDOR_FIELDS = ("name", "slug", "status", "province", "commune", "legacy_district", "entity_type")
PENDING = "search_outbox_pending"


def _changed(obj, names):
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def record_changes(session, _flush_context):
    """after_flush: one outbox row per product or booth touched by this flush."""
    rows = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Product):
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            rows.add(("product", obj.id))
        elif isinstance(obj, Vendor):
            if obj in session.dirty and not _changed(obj, VENDOR_FIELDS):
                continue
            rows.add(("vendor", obj.id))
    if rows:
        enqueue(session, rows)


def enqueue(session, rows):
    """Write outbox rows [(kind, id)] in the session's transaction; for changes made with bulk SQL
    statements, which the flush listener does not see (stock updates, for instance)."""
    now = utcnow()
    session.connection().execute(sa.insert(SearchOutbox),
                                 [{"kind": kind, "ref_id": ref, "created_at": now} for kind, ref in sorted(rows)])
    session.info[PENDING] = True


def enqueue_products(session, product_ids):
    enqueue(session, {("product", i) for i in product_ids})


def take_pending(session):
    """True once after a commit whose transaction wrote outbox rows."""
    return session.info.pop(PENDING, False)


def forget_pending(session):
    session.info.pop(PENDING, None)


def _apply(backend, session, rows, today):
    product_ids = {ref for kind, ref in rows if kind == "product"}
    vendor_ids = {ref for kind, ref in rows if kind == "vendor"}
    booths, removed_booths = [], []
    if vendor_ids:
        product_ids.update(documents.product_ids_of_vendors(session, vendor_ids))
        for vendor_id in vendor_ids:  # products the index still holds for a booth that is gone
            product_ids.update(backend.vendor_product_ids(vendor_id))
        approved = {b.id: b for b in documents.approved_booths(session, vendor_ids)}
        booths = list(approved.values())
        removed_booths = sorted(vendor_ids - approved.keys())
    docs, removed = documents.load(session, product_ids, today)
    backend.apply(docs, removed, booths, removed_booths)


def _sweep_expired(backend, session, today):
    as_of = backend.get_meta("stars_as_of")
    if as_of and as_of >= today.isoformat():
        return
    if as_of:
        expired = documents.expired_between(session, date.fromisoformat(as_of), today)
        for start in range(0, len(expired), BATCH):
            _apply(backend, session, [("product", i) for i in expired[start:start + BATCH]], today)
    backend.set_meta("stars_as_of", today.isoformat())


def drain(backend, engine, blocking=False, today=None):
    """Apply the outbox to the index until it is empty. Returns how many rows were applied, or None when
    another process holds the lock (it will pick up these rows)."""
    today = today or date.today()
    if not backend.is_ready():
        return None  # nothing to update yet: the rebuild that creates the index reads the database
    applied = None
    while True:
        with backend.lock(blocking) as got:
            if not got:
                return applied
            applied = applied or 0
            with Session(engine) as session:
                _sweep_expired(backend, session, today)
                while rows := session.execute(
                    sa.select(SearchOutbox.id, SearchOutbox.kind, SearchOutbox.ref_id)
                    .order_by(SearchOutbox.id).limit(BATCH)
                ).all():
                    _apply(backend, session, [(r.kind, r.ref_id) for r in rows], today)
                    session.execute(sa.delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in rows])))
                    session.commit()
                    applied += len(rows)
                session.commit()
        # A writer that found the lock taken while we held it left its rows to us.
        with Session(engine) as session:
            if session.scalar(sa.select(SearchOutbox.id).limit(1)) is None:
                return applied


def rebuild(backend, engine, progress=None, today=None):
    """Rebuild the whole index from the database, then apply what changed meanwhile. Returns the number
    of products indexed."""
    today = today or date.today()
    indexed = 0
    with backend.lock(blocking=True), Session(engine) as session:
        # Rows committed before this point are covered by the read below; later ones stay for the drain.
        seen = session.scalars(sa.select(SearchOutbox.id)).all()

        def batches():
            nonlocal indexed
            for docs, scanned in documents.iter_all(session, today=today):
                indexed += len(docs)
                if progress:
                    progress(scanned)
                yield docs

        backend.rebuild(batches(), documents.approved_booths(session), {"stars_as_of": today.isoformat()})
        for start in range(0, len(seen), BATCH):
            session.execute(sa.delete(SearchOutbox).where(SearchOutbox.id.in_(seen[start:start + BATCH])))
        session.commit()
    drain(backend, engine, blocking=True, today=today)
    return indexed
