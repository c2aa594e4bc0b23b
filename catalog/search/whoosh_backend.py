"""The embedded backend: a Whoosh index in the instance folder.

Layout of `instance/search/`: `current.json` names the live index directory and the day its stars were
computed for; a rebuild writes a new directory and then swaps the pointer, so readers never see a half-built
index. Only the holder of `indexer.lock` (an fcntl lock the kernel drops when a process dies) writes.

Speed (tech-notes.md): ranking searches only short fields plus a lightly weighted description; filters and
facets work on sets of document numbers that are cached per index generation; searchers are reused."""
import fcntl
import json
import logging
import os
import shutil
import threading
import time
from collections import Counter, OrderedDict
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.matching import DisjunctionMaxMatcher

from catalog.search.analysis import edge_analyzer, exact_analyzer, folded_analyzer
from catalog.search.base import FACETS, Hits, Suggestion, edit_distance
from catalog.search.query import begins_with
from storefront.text import fold

log = logging.getLogger(__name__)
PRODUCTS, BOOTHS = "products", "booths"
FUZZY_MIN = 5  # one edit is forgiven on words of at least this many letters
# Field weights: a word in the name (with the typed tone marks) > in the name > booth, place, group > description
WEIGHTS = {"name_exact": 6.0, "name": 4.0, "context": 2.0, "description": 0.4}
FUZZY_WEIGHT = 1.5
PHRASE_WEIGHT = {"name": 6.0, "context": 3.0}  # all the words together: in the name, or a place ("Hà Giang")
CACHE_SIZE = 512


class _BestFieldMatcher(DisjunctionMaxMatcher):
    """Whoosh's DisjunctionMaxMatcher scores a document with the max of both sub-matchers' current
    postings even when one of them sits on another document, and drops its tiebreak: `dừa` then scored
    melons like coconuts. Score only the postings on this document: the best plus `tiebreak` × the other."""

    def score(self):
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        if a.id() != b.id():
            return a.score() if a.id() < b.id() else b.score()
        sa, sb = a.score(), b.score()
        return max(sa, sb) + self.tiebreak * min(sa, sb)

    def max_quality(self):
        return super().max_quality() * (1 + self.tiebreak)

    def block_quality(self):
        return super().block_quality() * (1 + self.tiebreak)

    def skip_to_quality(self, minquality):
        return super().skip_to_quality(minquality / (1 + self.tiebreak))

    def replace(self, minquality=0):
        replaced = super().replace(minquality / (1 + self.tiebreak))
        if isinstance(replaced, _BestFieldMatcher):
            replaced.tiebreak = self.tiebreak
        return replaced


class BestField(wq.DisjunctionMax):
    """DisjunctionMax scored by _BestFieldMatcher."""

    def _matcher(self, subs, searcher, context):
        reader = searcher.reader()
        return self._tree_matcher(subs, _BestFieldMatcher, searcher, context, lambda q: q.estimate_size(reader),
                                  tiebreak=self.tiebreak)


def product_schema():
    folded = folded_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        name=TEXT(analyzer=folded, phrase=True),
        name_exact=TEXT(analyzer=exact_analyzer(), phrase=False),
        name_edge=TEXT(analyzer=edge_analyzer(), phrase=False),
        context=TEXT(analyzer=folded, phrase=True),
        description=TEXT(analyzer=folded, phrase=False),
        display=STORED, slug=STORED,
        group=ID(sortable=True), star=ID(sortable=True), province=ID(sortable=True),
        entity_type=ID(sortable=True), vendor=ID, in_stock=ID, product_set=ID,
        price=NUMERIC(int, bits=64, sortable=True), created=NUMERIC(int, bits=64, sortable=True),
        star_rank=NUMERIC(int, sortable=True),
    )


def booth_schema():
    return Schema(id=ID(stored=True, unique=True), name=TEXT(analyzer=folded_analyzer(), phrase=False),
                  name_edge=TEXT(analyzer=edge_analyzer(), phrase=False), display=STORED, slug=STORED)


def _fields(doc):
    return {
        "id": str(doc["id"]), "name": doc["name"], "name_exact": doc["name"], "name_edge": doc["name"],
        "context": doc["context"], "description": doc["description"], "display": doc["name"], "slug": doc["slug"],
        "group": doc["group"], "star": doc["star"] or "none", "province": doc["province"],
        "entity_type": doc["entity_type"], "vendor": str(doc["vendor_id"]), "in_stock": "1" if doc["in_stock"] else "0",
        "product_set": doc["product_set"] or "none", "price": doc["price"], "created": doc["created"],
        "star_rank": doc["star_rank"],
    }


def _booth_fields(booth):
    return {"id": str(booth.id), "name": booth.name, "name_edge": booth.name, "display": booth.name,
            "slug": booth.slug}


class WhooshBackend:
    name = "whoosh"

    def __init__(self, folder):
        self.folder = Path(folder)
        self._local = threading.local()
        self._cache = OrderedDict()
        self._cache_lock = threading.Lock()

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
        return (self.folder / pointer["dir"]) if pointer and pointer.get("dir") else None

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
            raise FileNotFoundError("no search index yet")
        held = getattr(self._local, "held", None)
        if held is None or held[0] != live:
            if held:
                held[1].close()
                held[2].close()
            held = self._local.held = [live, _open(live, PRODUCTS), _open(live, BOOTHS)]
        for i, name in ((1, PRODUCTS), (2, BOOTHS)):
            if not held[i].up_to_date():
                # Not Searcher.refresh(): it cannot refresh a searcher opened on an empty index, and it reuses
                # segment readers by segment id, so documents deleted or replaced since in an existing segment
                # would still be found.
                held[i].close()
                held[i] = _open(live, name)
        return held[1], held[2]

    def is_ready(self):
        try:
            self._searchers()
        except Exception:  # missing, half-written or corrupt: the caller rebuilds
            return False
        return True

    def is_empty(self):
        try:
            products, booths = self._searchers()
        except Exception:
            return True
        return products.doc_count_all() == 0 and booths.doc_count_all() == 0

    def _cached(self, searcher, key, compute):
        # Per index directory and generation: the same content for every thread (an id() could be reused).
        full = (searcher.ocop_source, searcher.reader().generation(), key)
        with self._cache_lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
        value = compute()
        with self._cache_lock:
            self._cache[full] = value
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    @staticmethod
    def text_query(q, fuzzy=True, phrase_fields=("name",)):
        """Every word must match somewhere; the best field for each word counts (with a little of the
        others), tone marks as typed count most, and the words as a phrase in `phrase_fields` count extra."""
        if not q:
            return wq.Every()
        clauses = []
        for exact, folded in zip(q.exact, q.folded):
            alternatives = [wq.Term("name", folded, boost=WEIGHTS["name"]),
                            wq.Term("context", folded, boost=WEIGHTS["context"]),
                            wq.Term("description", folded, boost=WEIGHTS["description"])]
            if exact != folded:
                alternatives.append(wq.Term("name_exact", exact, boost=WEIGHTS["name_exact"]))
            if fuzzy and len(folded) >= FUZZY_MIN:
                alternatives += [wq.FuzzyTerm("name", folded, boost=FUZZY_WEIGHT, maxdist=1, prefixlength=1),
                                 wq.FuzzyTerm("context", folded, boost=FUZZY_WEIGHT / 2, maxdist=1, prefixlength=1)]
            clauses.append(BestField(alternatives, tiebreak=0.3))
        required = clauses[0] if len(clauses) == 1 else wq.And(clauses)
        if len(q.folded) < 2:
            return required
        phrases = [wq.Phrase(field, list(q.folded), slop=1, boost=PHRASE_WEIGHT[field]) for field in phrase_fields]
        return wq.AndMaybe(required, phrases[0] if len(phrases) == 1 else wq.Or(phrases))

    @staticmethod
    def _phrase_fields(searcher):
        """The name, and the booth and place words when the index keeps their positions (an index built
        before they did has none until `ocop reindex`)."""
        return tuple(f for f in PHRASE_WEIGHT if searcher.schema[f].format.supports("positions"))

    def _matches(self, searcher, q):
        return self._cached(searcher, ("q", q.key), lambda: frozenset(searcher.docs_for_query(self.text_query(q))))

    def _filter_sets(self, searcher, f):
        """{dimension: set of docnums} for each active filter."""
        sets = {}

        def terms(field, values):
            return lambda: frozenset(searcher.docs_for_query(wq.Or([wq.Term(field, v) for v in values])))

        if f.groups:
            sets["group"] = self._cached(searcher, ("group", tuple(sorted(f.groups))), terms("group", f.groups))
        if f.stars:
            sets["star"] = self._cached(searcher, ("star", tuple(sorted(f.stars))), terms("star", f.stars))
        if f.province:
            sets["province"] = self._cached(searcher, ("province", f.province), terms("province", [f.province]))
        if f.entity_type:
            sets["entity_type"] = self._cached(searcher, ("entity", f.entity_type),
                                               terms("entity_type", [f.entity_type]))
        if f.in_stock:
            sets["in_stock"] = self._cached(searcher, ("in_stock",), terms("in_stock", ["1"]))
        if f.vendor_id is not None:
            sets["vendor"] = self._cached(searcher, ("vendor", f.vendor_id), terms("vendor", [str(f.vendor_id)]))
        if f.price_min is not None or f.price_max is not None:
            key = ("price", f.price_min, f.price_max)
            sets["price"] = self._cached(searcher, key, lambda: frozenset(searcher.docs_for_query(
                wq.NumericRange("price", f.price_min, f.price_max))))
        return sets

    def _facet_counts(self, searcher, matches, sets):
        """Counts per facet value over the matches, each facet ignoring its own filter."""
        facets = {}
        for dim in FACETS:
            docs = matches
            for other, allowed in sets.items():
                if other != dim:
                    docs = docs & allowed
            column = searcher.reader().column_reader(dim)
            counts = Counter(column[d] for d in docs)
            facets[dim] = {k: n for k, n in counts.items() if k and k != "none"}
        return facets

    def search(self, q, f, facets=False):
        products, _booths = self._searchers()
        matches = self._matches(products, q)
        sets = self._filter_sets(products, f)
        allowed = matches
        for docs in sets.values():
            allowed = allowed & docs
        total = len(allowed)
        counts = None
        if facets:
            key = ("facets", q.key, f.count_key())
            counts = self._cached(products, key, lambda: self._facet_counts(products, matches, sets))
        first = (f.page - 1) * f.per_page
        if first >= total:
            return Hits([], total, counts)
        query = self.text_query(q, phrase_fields=self._phrase_fields(products))
        results = products.search(query, filter=set(allowed), limit=first + f.per_page, sortedby=_sort_facet(f.sort),
                                  terms=False)
        ids = [int(hit["id"]) for hit in results[first:first + f.per_page]]
        return Hits(ids, total, counts)

    def count(self, q, f):
        products, _booths = self._searchers()
        docs = frozenset(products.docs_for_query(self.text_query(q, fuzzy=False)))
        for allowed in self._filter_sets(products, f).values():
            docs = docs & allowed
        return len(docs)

    def vendor_product_ids(self, vendor_id):
        products, _booths = self._searchers()
        return [int(products.stored_fields(d)["id"])
                for d in products.docs_for_query(wq.Term("vendor", str(vendor_id)))]

    def vocabulary(self, word):
        """How many documents hold `word` (folded) in a name or context."""
        products, booths = self._searchers()
        return (products.doc_frequency("name", word) + products.doc_frequency("context", word)
                + booths.doc_frequency("name", word))

    def corrections(self, word):
        """Known folded words one or two edits from `word`, commonest first."""
        products, _booths = self._searchers()
        found = []
        for field in ("name", "context"):
            found += products.suggest(field, word, limit=5, maxdist=2, prefix=1)
        return sorted(dict.fromkeys(found), key=lambda w: (edit_distance(word, w), -self.vocabulary(w)))

    def spelling(self, folded):
        """The commonest way the folded word is written with its tone marks in product names, or None."""
        products, _booths = self._searchers()

        def build():
            best = {}
            reader = products.reader()
            for term in reader.lexicon("name_exact"):
                word = term.decode("utf-8")
                n = reader.doc_frequency("name_exact", word)
                key = fold(word)
                if n > best.get(key, ("", 0))[1]:
                    best[key] = (word, n)
            return {k: w for k, (w, _n) in best.items()}

        return self._cached(products, ("spellings",), build).get(folded)

    def suggest(self, words, prefix, limit=8):
        products, booths = self._searchers()
        terms = [wq.Term("name", w) for w in words]
        if prefix:
            terms.append(wq.Term("name_edge", prefix))
        if not terms:
            return []
        query = terms[0] if len(terms) == 1 else wq.And(terms)
        found = []
        for hit in booths.search(query, limit=3, terms=False):
            found.append(Suggestion(hit["display"], "booth", hit["slug"]))
        seen = {fold(s.text) for s in found}
        for hit in products.search(query, limit=limit * 5, terms=False):
            key = fold(hit["display"])
            if key not in seen:
                seen.add(key)
                found.append(Suggestion(hit["display"], "product", hit["slug"]))
        # Names that start with what was typed first ('keo d' → 'Kẹo dừa …' before 'Hợp tác xã Kẹo dừa …').
        found.sort(key=lambda s: not begins_with(s.text, words, prefix))
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
            raise FileNotFoundError("no search index yet")
        if docs or removed:
            writer = whoosh_index.open_dir(str(live), indexname=PRODUCTS).writer(timeout=30)
            for product_id in removed:
                writer.delete_by_term("id", str(product_id))
            for doc in {d["id"]: d for d in docs}.values():
                writer.update_document(**_fields(doc))
            writer.commit()
        if booths or removed_booths:
            writer = whoosh_index.open_dir(str(live), indexname=BOOTHS).writer(timeout=30)
            for booth_id in removed_booths:
                writer.delete_by_term("id", str(booth_id))
            for booth in booths:
                writer.update_document(**_booth_fields(booth))
            writer.commit()

    def rebuild(self, batches, booths, meta):
        """Write a whole new index from `batches` (iterables of documents) and make it the live one."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"ix-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        target = self.folder / name
        target.mkdir()
        products = whoosh_index.create_in(str(target), product_schema(), indexname=PRODUCTS)
        writer = products.writer(limitmb=256)
        for batch in batches:
            for doc in batch:
                writer.add_document(**_fields(doc))
        writer.commit(optimize=True)
        writer = whoosh_index.create_in(str(target), booth_schema(), indexname=BOOTHS).writer()
        for booth in booths:
            writer.add_document(**_booth_fields(booth))
        writer.commit()
        old = self._live_dir()
        self._write_pointer({"dir": name, **meta})
        # The previous index stays one more round: another worker may be between reading the pointer
        # and opening its files.
        self._remove_old(keep={name, old.name if old else None})

    def _remove_old(self, keep):
        for path in self.folder.glob("ix-*"):
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)

    def clear(self):
        """Make the live index empty (tests; `reindex` on an empty market)."""
        self.rebuild([], [], {key: value for key, value in (self._pointer() or {}).items() if key != "dir"})


def _open(live, indexname):
    searcher = whoosh_index.open_dir(str(live), indexname=indexname).searcher()
    searcher.ocop_source = (str(live), indexname)
    return searcher


def make_backend(app):
    from catalog.search import index_folder

    return WhooshBackend(index_folder(app))


def _sort_facet(sort):
    if sort == "price_asc":
        return sorting.FieldFacet("price")
    if sort == "price_desc":
        return sorting.FieldFacet("price", reverse=True)
    if sort == "newest":
        return sorting.FieldFacet("created", reverse=True)
    if sort == "stars":
        return sorting.MultiFacet([sorting.FieldFacet("star_rank", reverse=True),
                                   sorting.FieldFacet("created", reverse=True)])
    return None  # relevance
