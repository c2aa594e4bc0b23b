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
from itertools import islice
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.matching import DisjunctionMaxMatcher, FilterMatcher

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
CACHE_DOCS = 1_500_000  # document numbers the cache may hold in all (about 60 MB at most)
# Orders of the catalogue's sorts, as (column, descending) keys; ties in document order, as Whoosh sorts them.
SORT_KEYS = {"price_asc": (("price", False),), "price_desc": (("price", True),), "newest": (("created", True),),
             "stars": (("star_rank", True), ("created", True))}


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
                return self._cache[full][0]
        value = compute()
        size = len(value) if isinstance(value, (frozenset, tuple, list)) else 1
        with self._cache_lock:
            self._cache[full] = (value, size)
            held = sum(n for _value, n in self._cache.values())
            while len(self._cache) > 1 and (len(self._cache) > CACHE_SIZE or held > CACHE_DOCS):
                held -= self._cache.popitem(last=False)[1][1]
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
        return self._cached(searcher, ("q", q.key), lambda: self._docs(searcher, self.text_query(q)))

    def _docs(self, searcher, query):
        """The documents matching `query`, from set operations on postings: what `docs_for_query` finds,
        without walking Whoosh's matchers document by document. Each word's postings are cached, as words
        recur from one query to the next."""
        if isinstance(query, wq.AndMaybe):
            return self._docs(searcher, query.a)
        if isinstance(query, wq.And):
            sets = sorted((self._docs(searcher, sub) for sub in query.subqueries), key=len)
            return sets[0].intersection(*sets[1:])
        if isinstance(query, (wq.Or, wq.DisjunctionMax)):
            return self._cached(searcher, ("docs", repr(query)), lambda: frozenset().union(
                *(self._docs(searcher, sub) for sub in query.subqueries)))
        if isinstance(query, (wq.Term, wq.FuzzyTerm)):
            return self._cached(searcher, ("docs", repr(query.with_boost(1.0))), lambda: _term_docs(searcher, query))
        return frozenset(searcher.docs_for_query(query))

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

    def _column(self, searcher, name):
        """Every document's value of a sortable field, by document number (reading a column once per index
        generation costs less than reading it one document at a time on every search)."""
        return self._cached(searcher, ("column", name), lambda: tuple(searcher.reader().column_reader(name)))

    def _facet_counts(self, searcher, matches, sets):
        """Counts per facet value over the matches, each facet ignoring its own filter."""
        facets = {}
        for dim in FACETS:
            docs = matches
            for other, allowed in sets.items():
                if other != dim:
                    docs = docs & allowed
            counts = Counter(map(self._column(searcher, dim).__getitem__, docs))
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
        if f.sort in SORT_KEYS:
            order = self._cached(products, ("order", f.sort), lambda: self._sort_order(products, f.sort))
            page = list(islice(filter(allowed.__contains__, order), first, first + f.per_page))
        else:
            key = ("ranked", q.key, f.count_key())
            page = self._cached(products, key, lambda: self._ranked(products, q, allowed))[first:first + f.per_page]
        ids = [int(products.stored_fields(d)["id"]) for d in page]
        return Hits(ids, total, counts)

    def _sort_order(self, searcher, sort):
        """Every document in the order of a catalogue sort, ties in document order."""
        columns = [(self._column(searcher, name), descending) for name, descending in SORT_KEYS[sort]]
        return tuple(sorted(range(searcher.doc_count_all()),
                            key=lambda d: tuple(-c[d] if descending else c[d] for c, descending in columns)))

    def _ranked(self, searcher, q, allowed):
        """The `allowed` documents best first, ties in document order. The full query's matcher visits only
        these documents (skip_to) and scores each as Whoosh does, where a search with a filter would walk
        every posting of every word and, at this size, rank some phrase matches below where they belong."""
        query = self.text_query(q, phrase_fields=self._phrase_fields(searcher))
        context = searcher.context()
        docs, scored, i = sorted(allowed), [], 0
        for leaf, offset in searcher.leaf_searchers():
            matcher, end = query.matcher(leaf, context), offset + leaf.doc_count_all()
            while i < len(docs) and docs[i] < end:
                doc, i = docs[i], i + 1
                if matcher.is_active():
                    matcher.skip_to(doc - offset)
                score = matcher.score() if matcher.is_active() and matcher.id() == doc - offset else 0.0
                scored.append((-score, doc))
        scored.sort()
        return tuple(doc for _score, doc in scored)

    def count(self, q, f):
        products, _booths = self._searchers()
        docs = self._docs(products, self.text_query(q, fuzzy=False))
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


def _term_docs(searcher, query):
    """Documents holding a Term's word, or any of the words a FuzzyTerm stands for, as a frozenset."""
    docs = set()
    for leaf, offset in searcher.reader().leaf_readers():
        texts = query._btexts(leaf) if isinstance(query, wq.FuzzyTerm) else [query.text]
        for text in texts:
            if text and (query.fieldname, text) in leaf:
                ids = _posting_ids(leaf, query.fieldname, text)
                docs.update((d + offset for d in ids) if offset else ids)
    return frozenset(docs)


def _posting_ids(leaf, field, text):
    """Document numbers of one term in one segment. Whoosh's all_ids() makes several calls per document;
    its on-disk postings are read here a block at a time (Whoosh 2.7's block reader, and the generic way
    for any other matcher)."""
    matcher, deleted = leaf.postings(field, text), None
    if isinstance(matcher, FilterMatcher):  # a segment with deleted documents
        matcher, deleted = matcher.child, leaf.deleted_docs_set
    if isinstance(matcher, W3LeafMatcher):
        ids = []
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            ids.extend(matcher._ids[matcher._i:])
            matcher._next_block()
    else:
        ids = matcher.all_ids()
    return [d for d in ids if d not in deleted] if deleted else ids


def make_backend(app):
    from catalog.search import index_folder

    return WhooshBackend(index_folder(app))

