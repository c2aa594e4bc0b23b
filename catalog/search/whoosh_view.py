"""One generation of the Whoosh index as sets of document numbers (catalog.search.bitsets): the segment
tables (whoosh_tables) at their offsets, less the documents deleted in this generation.

Everything derived here (a word's documents, a filter, a facet value, length buckets, vocabularies) is
remembered for the generation, within CACHE_ITEMS sets; a generation lives until the next commit."""
import threading
from collections import OrderedDict

from catalog.search import bitsets
from catalog.search.base import FACETS
from catalog.search.analysis import fold_word
from catalog.search.whoosh_tables import CONTEXT, EXACT

CACHE_ITEMS = 1024  # at most about 13 MB of sets at 100,000 products


class View:
    """The live documents of one index generation."""

    def __init__(self, key, leaves, tables):
        """`leaves` are the generation's [(segment reader, offset)], `tables` their SegmentTables."""
        self.key = key
        self.parts = [(table, offset) for table, (_reader, offset) in zip(tables, leaves)]
        live, self.deleted = [], []
        for table, (reader, offset) in zip(tables, leaves):
            deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
            self.deleted.append(deleted)
            live.append((table.present & ~bitsets.from_docs(deleted) if deleted else table.present, offset))
        self.live = bitsets.shifted(live)
        self.count = self.live.bit_count()
        self.size = sum(table.size for table, _offset in self.parts)
        self._cache = OrderedDict()
        self._lock = threading.Lock()

    def cached(self, key, compute):
        """`compute()`, remembered for this generation (least recently used first out)."""
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = compute()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > CACHE_ITEMS:
                self._cache.popitem(last=False)
        return value

    def forget(self):
        with self._lock:
            self._cache.clear()

    def locate(self, doc):
        """(part, table, document number in its segment) of a document of the generation."""
        for part in range(len(self.parts) - 1, -1, -1):
            table, offset = self.parts[part]
            if doc >= offset:
                return part, table, doc - offset
        raise IndexError(doc)

    def _each(self, per_table, readers=None):
        readers = readers or [None] * len(self.parts)
        return bitsets.shifted((per_table(table, reader), offset)
                               for (table, offset), reader in zip(self.parts, readers)) & self.live

    # -- words ----------------------------------------------------------------------------------------------

    def bits(self, field, word, readers=None):
        """The live documents holding `word` in `field` (NAME, EXACT, CONTEXT, DESCRIPTION)."""
        return self.cached(("bits", field, word), lambda: self._each(
            lambda table, reader: table.bits(field, word, reader), readers))

    def phrase_bits(self, field, words, readers=None):
        """The live documents where `words` (folded) stand together, in order, in the name or context."""
        return self.cached(("phrase", field, words), lambda: self._each(
            lambda table, _reader: table.phrase_bits(field, words)))

    def count_bits(self, field, word, readers):
        """{count: the live documents holding `word` that many times in `field`}, for counts above 1."""
        def compute():
            merged = {}
            for (table, offset), reader in zip(self.parts, readers):
                for count, bits in table.count_bits(field, word, reader).items():
                    merged[count] = merged.get(count, 0) | (bits << offset)
            return {count: bits & self.live for count, bits in sorted(merged.items()) if bits & self.live}
        return self.cached(("counts", field, word), compute)

    def average_length(self, field, readers):
        """The mean length of `field` over the live documents (at least 1)."""
        def compute():
            total = sum(length * bits.bit_count() for length, bits in self.length_buckets(field, readers))
            return max(1.0, total / self.count) if self.count else 1.0
        return self.cached(("avg", field), compute)

    def max_count(self, field, word, readers):
        """The most times one live document holds `word` in `field` (1 when none holds it twice)."""
        return max(self.count_bits(field, word, readers), default=1)

    def length_buckets(self, field, readers=None):
        """[(length, live documents of that length in `field`)], shortest first."""
        def compute():
            merged = {}
            for (table, offset), reader in zip(self.parts, readers or [None] * len(self.parts)):
                for length, bits in table.length_buckets(field, reader).items():
                    merged[length] = merged.get(length, 0) | (bits << offset)
            return sorted((length, bits & self.live) for length, bits in merged.items() if bits & self.live)
        return self.cached(("buckets", field), compute)

    def vocabulary(self, field):
        """{(first letter, length): [words]} of the names' (NAME) or contexts' (CONTEXT) folded words."""
        def compute():
            if field == CONTEXT:
                words = set().union(*(table.contexts.vocabulary() for table, _offset in self.parts))
            else:
                words = {w for table, _offset in self.parts for w in table.words[field]}
            grouped = {}
            for word in sorted(words):
                grouped.setdefault((word[:1], len(word)), []).append(word)
            return grouped
        return self.cached(("vocabulary", field), compute)

    def lexicon(self, field):
        """The sorted folded words of the names (NAME) or contexts (CONTEXT)."""
        return self.cached(("lexicon", field), lambda: sorted(
            w for words in self.vocabulary(field).values() for w in words))

    def spellings(self):
        """{folded word: the commonest way product names write it, with tone marks} (counting the
        documents of every segment, deleted or not: a count, not a result)."""
        def compute():
            counts = {}
            for table, _offset in self.parts:
                for word, docs in table.words[EXACT].items():
                    counts[word] = counts.get(word, 0) + len(docs)
            best = {}
            for word in sorted(counts):
                folded = fold_word(word)
                if counts[word] > best.get(folded, ("", 0))[1]:
                    best[folded] = (word, counts[word])
            return {folded: word for folded, (word, _n) in best.items()}
        return self.cached(("spellings",), compute)

    # -- filters, facets, sorts -----------------------------------------------------------------------------

    def value_bits(self, column, value):
        """The live documents whose facet `column` holds `value`."""
        return self.cached(("value", column, value), lambda: self._each(
            lambda table, _reader: table.values[column].get(value, 0)))

    def values(self, column):
        """{value: live documents} of a facet column."""
        def compute():
            found = {v for table, _offset in self.parts for v in table.values[column]}
            return {v: bits for v in sorted(found) if (bits := self.value_bits(column, v))}
        return self.cached(("values", column), compute)

    def in_stock(self):
        return self.cached(("in_stock",), lambda: self._each(lambda table, _r: table.in_stock))

    def vendor_bits(self, vendor_id):
        """The live documents of one booth."""
        return self.cached(("vendor", vendor_id), lambda: self._each(lambda table, _r: table.vendor_bits(vendor_id)))

    def between(self, column, low, high):
        """The live documents whose `column` is within [low, high] (either may be None)."""
        return self.cached(("between", column, low, high), lambda: self._each(
            lambda table, _reader: table.between(column, low, high)))

    def filters(self, f):
        """{dimension: documents} for each active filter."""
        sets = {}

        def any_of(column, values):
            bits = 0
            for value in values:
                bits |= self.value_bits(column, value)
            return bits

        if f.groups:
            sets["group"] = any_of("group", f.groups)
        if f.stars:
            sets["star"] = any_of("star", f.stars)
        if f.province:
            sets["province"] = self.value_bits("province", f.province)
        if f.entity_type:
            sets["entity_type"] = self.value_bits("entity_type", f.entity_type)
        if f.in_stock:
            sets["in_stock"] = self.in_stock()
        if f.vendor_id is not None:
            sets["vendor"] = self.vendor_bits(f.vendor_id)
        if f.price_min is not None or f.price_max is not None:
            sets["price"] = self.between("price", f.price_min, f.price_max)
        return sets

    def facet_counts(self, matches, sets):
        """Counts per facet value over the matches, each facet ignoring its own filter."""
        facets = {}
        for dim in FACETS:
            docs = matches
            for other, allowed in sets.items():
                if other != dim:
                    docs &= allowed
            facets[dim] = {value: n for value, bits in self.values(dim).items() if (n := (docs & bits).bit_count())}
        return facets

    def sorted_page(self, allowed, keys, count):
        """The first `count` of the `allowed` documents in the order of `keys` ((column, descending), …),
        ties in document order (the sorts end with the product id)."""
        found = []
        for table, offset in self.parts:
            local = (allowed >> offset) & bitsets.below(table.size)
            if not local:
                continue
            rank, chunks = table.order(keys)[:2]
            taken = []
            for chunk in chunks:
                hit = chunk & local
                if hit:
                    taken += sorted(bitsets.members(hit), key=rank.__getitem__)
                    if len(taken) >= count:
                        break
            columns = [(table.columns[c], -1 if descending else 1) for c, descending in keys]
            found += [(tuple(sign * col[d] for col, sign in columns), d + offset) for d in taken[:count]]
        found.sort()
        return [doc for _key, doc in found[:count]]

    def product_ids(self, docs):
        ids = []
        for doc in docs:
            _part, table, local = self.locate(doc)
            ids.append(table.product_id[local])
        return ids

