"""The embedded backend: a Whoosh index in the instance folder, searched in memory.

Layout of `instance/search/`: `current.json` names the live index directory, its schema version and the
day its stars were computed for; a rebuild writes a new directory and then swaps the pointer, so readers
never see a half-built index. Only the holder of `indexer.lock` (an fcntl lock the kernel drops when a
process dies) writes.

Whoosh stores the documents and the descriptions' postings; it keeps segments, deletions and commits.
Searching is done on structures each process builds from the index (whoosh_tables per segment,
whoosh_view per generation, whoosh_ranking, whoosh_suggest): Whoosh's own matchers and scorers, in pure
Python, took 100-300 ms a query at 20,000 products. An index of an older schema is rebuilt on start-up."""
import fcntl
import json
import logging
import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq

from catalog.search import whoosh_ranking
from catalog.search.analysis import folded_words
from catalog.search.base import Hits, Suggestion, edit_distance
from catalog.search.whoosh_suggest import BOOTHS, BoothCache, product_docs
from catalog.search.whoosh_store import (SORT_KEYS, booth_fields, booth_schema, fields, load_table, product_schema,
                                         save_table)
from catalog.search.whoosh_tables import CONTEXT, NAME, SegmentTable
from catalog.search.whoosh_view import View

log = logging.getLogger(__name__)
PRODUCTS, BOOTHS_INDEX = "products", "booths"
SCHEMA_VERSION = 2  # 2: names, contexts and columns stored, searched in memory
WRITER_MB = 512  # a rebuild sorts its postings in memory with this much room


class WhooshBackend:
    name = "whoosh"

    def __init__(self, folder):
        self.folder = Path(folder)
        self._local = threading.local()
        self._tables, self._views = {}, {}
        self._booths = BoothCache()
        self._lock = threading.Lock()

    # -- the pointer to the live index ------------------------------------------------------------------

    def _pointer(self):
        try:
            return json.loads((self.folder / "current.json").read_text())
        except (OSError, ValueError):
            return None

    def _write_pointer(self, data):
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f"current.json.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(data))
        os.replace(tmp, self.folder / "current.json")

    def _live_dir(self):
        pointer = self._pointer()
        if not pointer or not pointer.get("dir") or pointer.get("schema") != SCHEMA_VERSION:
            return None
        return self.folder / pointer["dir"]

    def get_meta(self, key):
        return (self._pointer() or {}).get(key)

    def set_meta(self, key, value):
        pointer = self._pointer()
        if pointer:
            self._write_pointer({**pointer, key: value})

    # -- reading ------------------------------------------------------------------------------------------

    def _searchers(self):
        """(products searcher, booths searcher) for this thread, refreshed to the latest commit."""
        live = self._live_dir()
        if live is None:
            raise FileNotFoundError("no search index of this schema yet")
        held = getattr(self._local, "held", None)
        if held is None or held[0] != live:
            if held:
                held[1].close()
                held[2].close()
            held = self._local.held = [live, _open(live, PRODUCTS), _open(live, BOOTHS_INDEX)]
        for i, name in ((1, PRODUCTS), (2, BOOTHS_INDEX)):
            if not held[i].up_to_date():
                # Not Searcher.refresh(): it cannot refresh a searcher opened on an empty index, and reusing
                # segment readers by segment id, it would count documents deleted since as live.
                held[i].close()
                held[i] = _open(live, name)
        return held[1], held[2]

    def is_ready(self):
        try:
            self._searchers()
        except Exception:  # missing, of an older schema, half-written or corrupt: the caller rebuilds
            return False
        return True

    def is_empty(self):
        try:
            products, booths = self._searchers()
        except Exception:
            return True
        return products.doc_count_all() == 0 and booths.doc_count_all() == 0

    def _view(self):
        """(View of the products index's generation, this thread's segment readers in the same order)."""
        products, _booths = self._searchers()
        leaves = [(r, offset) for r, offset in products.reader().leaf_readers() if r.segment() is not None]
        key = (products.ocop_source, products.reader().generation())
        view = self._views.get(key)
        if view is None:
            with self._lock:
                view = self._views.get(key)
                if view is None:
                    tables = []
                    for reader, _offset in leaves:
                        table_key = (key[0], reader.segment().segment_id())
                        if table_key not in self._tables:
                            self._tables[table_key] = (load_table(Path(key[0][0]), PRODUCTS, reader)
                                                       or SegmentTable(reader))
                        tables.append(self._tables[table_key])
                    view = View(key, leaves, tables)
                    self._views = {key: view}  # threads still on an older generation keep theirs
                    used = {(key[0], t.key) for t in tables}
                    self._tables = {k: t for k, t in self._tables.items() if k in used}
        return view, [reader for reader, _offset in leaves]

    def _booth_names(self):
        _products, booths = self._searchers()
        return self._booths.get((booths.ocop_source, booths.reader().generation()), booths.reader())

    def forget(self):
        """Forget every query's results, filters and word sets (benchmarks measure new queries with it);
        what was read from the index stays, as in a server that has been answering for a while."""
        for view in list(self._views.values()):
            view.forget()

    def search(self, q, f, facets=False):
        view, readers = self._view()
        plan = whoosh_ranking.Plan(view, readers, q)
        sets = view.filters(f)
        allowed = plan.matches
        for docs in sets.values():
            allowed &= docs
        total = allowed.bit_count()
        counts = view.facet_counts(plan.matches, sets) if facets else None
        first = (f.page - 1) * f.per_page
        if first >= total:
            return Hits([], total, counts)
        wanted = first + f.per_page
        if f.sort in SORT_KEYS:
            docs = view.sorted_page(allowed, SORT_KEYS[f.sort], wanted)
        else:
            docs = view.cached(("ranked", q.key, f.count_key(), wanted),
                               lambda: whoosh_ranking.top(plan, allowed, wanted))
        return Hits(view.product_ids(docs[first:wanted]), total, counts)

    def count(self, q, f):
        view, readers = self._view()
        docs = whoosh_ranking.Plan(view, readers, q, fuzzy=False).matches
        for allowed in view.filters(f).values():
            docs &= allowed
        return docs.bit_count()

    def vendor_product_ids(self, vendor_id):
        products, _booths = self._searchers()
        return [int(products.stored_fields(d)["id"])
                for d in products.docs_for_query(wq.Term("vendor", str(vendor_id)))]

    def vocabulary(self, word):
        """How many documents hold `word` (folded) in a name or context, and booths in their names."""
        view, readers = self._view()
        return (view.bits(NAME, word).bit_count() + view.bits(CONTEXT, word, readers).bit_count()
                + self._booth_names().count(word))

    def corrections(self, word):
        """Known folded words one or two edits from `word` (first letter kept), commonest first."""
        view, _readers = self._view()
        found = set()
        for field in (NAME, CONTEXT):
            vocabulary = view.vocabulary(field)
            for size in range(len(word) - 2, len(word) + 3):
                found.update(w for w in vocabulary.get((word[:1], size), ())
                             if w != word and edit_distance(word, w) <= 2)
        return sorted(found, key=lambda w: (edit_distance(word, w), -self.vocabulary(w), w))[:10]

    def spelling(self, folded):
        """The commonest way the folded word is written with its tone marks in product names, or None."""
        view, _readers = self._view()
        return view.spellings().get(folded)

    def suggest(self, words, prefix, limit=8):
        products, _booths = self._searchers()
        view, _readers = self._view()
        found = self._booth_names().suggest(words, prefix, BOOTHS)
        seen = {" ".join(folded_words(s.text)) for s in found}
        for doc in product_docs(view, words, prefix, limit + len(found)):
            stored = products.stored_fields(doc)
            key = " ".join(folded_words(stored["name"]))
            if key not in seen:
                seen.add(key)
                found.append(Suggestion(stored["name"], "product", stored["slug"]))
        return found[:limit]

    # -- writing (only under self.lock) -----------------------------------------------------------------------

    @contextmanager
    def lock(self, blocking=False):
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "indexer.lock", "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def apply(self, docs, removed, booths=(), removed_booths=()):
        live = self._live_dir()
        if live is None:
            raise FileNotFoundError("no search index of this schema yet")
        if docs or removed:
            _write(live, PRODUCTS, removed, [fields(d) for d in {d["id"]: d for d in docs}.values()])
        if booths or removed_booths:
            _write(live, BOOTHS_INDEX, removed_booths, [booth_fields(b) for b in booths])

    def rebuild(self, batches, booths, meta):
        """Write a whole new index from `batches` (iterables of documents) and make it the live one."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"ix-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        target = self.folder / name
        target.mkdir()
        writer = whoosh_index.create_in(str(target), product_schema(), indexname=PRODUCTS).writer(limitmb=WRITER_MB)
        for batch in batches:
            for doc in batch:
                writer.add_document(**fields(doc))
        writer.commit(optimize=True)
        self._save_table(target)
        writer = whoosh_index.create_in(str(target), booth_schema(), indexname=BOOTHS_INDEX).writer()
        for booth in booths:
            writer.add_document(**booth_fields(booth))
        writer.commit()
        old = self._live_dir()
        self._write_pointer({**meta, "dir": name, "schema": SCHEMA_VERSION})
        # The previous index stays one more round: another worker may be between reading the pointer
        # and opening its files.
        self._remove_old(keep={name, old.name if old else None})

    def _save_table(self, folder):
        """Build the table of a new index's one segment with its lengths, sort orders and suggestion keys,
        keep it and save it beside the index for the other workers."""
        with whoosh_index.open_dir(str(folder), indexname=PRODUCTS).reader() as reader:
            leaves = reader.leaf_readers()
            if len(leaves) != 1 or leaves[0][0].segment() is None:  # none when the index is empty
                return
            table = SegmentTable(reader).warm(reader)
        save_table(folder, PRODUCTS, table)
        with self._lock:  # requests prune this dict under the lock while the rebuild thread adds to it
            self._tables[((str(folder), PRODUCTS), table.key)] = table

    def _remove_old(self, keep):
        for path in self.folder.glob("ix-*"):
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)

    def clear(self):
        """Make the live index empty (tests; `reindex` on an empty market)."""
        self.rebuild([], [], {key: value for key, value in (self._pointer() or {}).items() if key != "dir"})


def _write(live, indexname, removed, added):
    """One commit: remove the documents of ids `removed`, add or replace the documents `added`."""
    writer = whoosh_index.open_dir(str(live), indexname=indexname).writer(timeout=30)
    for removed_id in removed:
        writer.delete_by_term("id", str(removed_id))
    for item in added:
        writer.update_document(**item)
    writer.commit()


def _open(live, indexname):
    searcher = whoosh_index.open_dir(str(live), indexname=indexname).searcher()
    searcher.ocop_source = (str(live), indexname)
    return searcher


def make_backend(app):
    from catalog.search import index_folder

    return WhooshBackend(index_folder(app))
