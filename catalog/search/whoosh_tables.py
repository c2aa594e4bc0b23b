"""In-memory tables of the Whoosh index, built once per segment from its stored fields.

A Whoosh segment never changes once written (deletions are kept aside), so what is read from it is kept
for as long as the segment lives: a product saved adds a small segment, which is all that is read anew.
Names and contexts (booth, place, labels) are split into words here, as the analyzers would; the
description, long and weighing little, is read from Whoosh's postings when a word is first asked for.
Per-generation views (whoosh_view) put the segments together and apply their deletions."""
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict

from catalog.search import bitsets
from catalog.search.analysis import exact_words, fold_word
from catalog.search.whoosh_contexts import Contexts
from catalog.search.whoosh_store import RECORD, SEPARATOR, SORT_KEYS, postings

NAME, EXACT, CONTEXT, DESCRIPTION = "name", "exact", "context", "description"
PAIRS, CONTEXT_PAIRS = "pairs", "context pairs"  # two folded words next to each other: 'keo dua'

FACET_COLUMNS = ("group", "star", "province", "entity_type")
SORT_COLUMNS = ("price", "created", "star_rank")
CHUNK = 1024  # documents per step when walking a sort order
BITS_KEPT = 2048  # sets of documents (of words, pairs, counts, lengths) a segment table keeps


class SegmentTable:
    """One segment's documents: ids, names, contexts, filter and sort columns, words of the names.
    Picklable (a rebuild saves the table of its one segment beside it, whoosh_backend)."""

    def __init__(self, reader):
        self.key = reader.segment().segment_id()
        self.size = n = reader.doc_count_all()
        self.contexts = contexts = Contexts()
        rows = [(doc, raw.decode("utf-8").split(SEPARATOR))
                for doc, raw in enumerate(reader.column_reader("data", translate=False)) if raw]
        present = [doc for doc, _row in rows]
        columns = list(zip(*(row for _doc, row in rows))) or [()] * len(RECORD)
        at = dict(zip(RECORD, range(len(RECORD))))

        def column(name, typecode="q"):
            values = array(typecode, bytes(array(typecode).itemsize * n))
            for doc, value in zip(present, map(int, columns[at[name]])):
                values[doc] = value
            return values

        self.product_id, self.vendor = column("id"), column("vendor_id")
        self.columns = {c: column(c) for c in SORT_COLUMNS}
        self.columns["id"] = self.product_id
        self.present = bitsets.from_docs(present)
        self.in_stock = bitsets.from_docs([d for d, v in zip(present, columns[at["in_stock"]]) if v == "1"])
        self.values = {}
        for c in FACET_COLUMNS:
            by_value = {}
            for doc, value in zip(present, columns[at[c]]):
                by_value.setdefault(value, []).append(doc)
            self.values[c] = {v: bitsets.from_docs(docs) for v, docs in by_value.items() if v}
        self.ctx, by_context = array("i", bytes(4 * n)), {}
        for doc, text in zip(present, columns[at["context"]]):
            ctx = self.ctx[doc] = contexts.id_of(text)
            by_context.setdefault(ctx, []).append(doc)
        self.by_context = {ctx: array("i", docs) for ctx, docs in by_context.items()}
        contexts.freeze()
        self.words = {NAME: {}, EXACT: {}, PAIRS: {}}  # word (PAIRS: (word, next word, where)) -> documents
        self.heavy = {NAME: {}, EXACT: {}, PAIRS: {}}  # word -> {document: count} where it appears more than once
        self.name_len = bytearray(n)
        self.pair_at = {}  # (word, next word) in names -> where they stand in some name
        self.keys = [None] * n  # folded name, each word followed by a space (suggestions)
        for doc, name in zip(present, columns[at["name"]]):
            exact = exact_words(name)
            self.name_len[doc] = min(255, len(exact))
            folded = [fold_word(w) for w in exact]
            self.keys[doc] = " ".join(folded) + " "
            self._add_words(doc, EXACT, exact)
            self._add_words(doc, NAME, folded)
            self._add_words(doc, PAIRS, [(a, b, i) for i, (a, b) in enumerate(zip(folded, folded[1:]))])
        for a, b, i in self.words[PAIRS]:
            self.pair_at.setdefault((a, b), []).append(i)
        self._forget()

    def _forget(self):
        """The caches, empty (and a lock): what a pickle leaves out."""
        self._bits, self._kept, self._lock = OrderedDict(), {}, threading.Lock()
        self._description_len = None
        self._orders, self._suggest_keys, self._vendors = {}, None, None

    def __getstate__(self):
        """What is kept for the table's life (lengths, sort orders, suggestion keys) is pickled with it;
        the caches of words are not."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_bits", "_lock", "_description", "_vendors")}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._bits, self._lock, self._vendors = OrderedDict(), threading.Lock(), None

    def warm(self, reader):
        """Work out now what is kept for the table's life (and saved with it): lengths, sort orders,
        suggestion keys. Returns the table."""
        for field in (NAME, CONTEXT, DESCRIPTION):
            self.length_buckets(field, reader)
        for keys in (*SORT_KEYS.values(), (("price", False),)):
            self.order(keys)
        self.suggest_keys()
        return self

    def _add_words(self, doc, field, words):
        """Add `doc` to each word's documents (documents come in order: a word already ending its list
        with `doc` appears again in it)."""
        table = self.words[field]
        for word in words:
            docs = table.get(word)
            if docs is None:
                table[word] = array("i", (doc,))
            elif docs[-1] != doc:
                docs.append(doc)
            else:
                heavy = self.heavy[field].setdefault(word, {})
                heavy[doc] = heavy.get(doc, 1) + 1

    # -- words ------------------------------------------------------------------------------------------------

    def _remember(self, key, compute):
        """`compute()`, remembered among the BITS_KEPT sets last used (at 100,000 documents a set is
        12.5 kB, whatever its size, when its documents are at the end)."""
        with self._lock:
            found = self._bits.get(key)
            if found is not None:
                self._bits.move_to_end(key)
                return found
        found = compute()
        with self._lock:
            self._bits[key] = found
            while len(self._bits) > BITS_KEPT:
                self._bits.popitem(last=False)
        return found

    def _context_docs(self, contexts):
        """The documents of these contexts."""
        held = self.by_context
        return bitsets.from_docs(sorted(d for ctx in contexts if ctx in held for d in held[ctx]))

    def _fixed(self, key, compute):
        """`compute()`, kept for the table's life (lengths: one per field)."""
        found = self._kept.get(key)
        if found is None:
            found = self._kept[key] = compute()
        return found

    def bits(self, field, word, reader=None):
        """The documents holding `word` in `field` (description: read from `reader`'s postings)."""
        if field in (CONTEXT, CONTEXT_PAIRS):
            return self._remember((field, word), lambda: self._context_docs(self.contexts.holding(word)))
        if field == DESCRIPTION:
            return self._remember((field, word), lambda: bitsets.from_docs(self.description(reader, word)[0]))
        return self._remember((field, word), lambda: bitsets.from_docs(self.words[field].get(word, ())))

    def phrase_bits(self, field, words):
        """The documents where `words` stand together, in order, in the name or the context. In names,
        from the pairs of words at each position; in contexts, from those where they do."""
        if field == CONTEXT:
            if len(words) == 2:
                return self.bits(CONTEXT_PAIRS, f"{words[0]} {words[1]}")
            return self._remember(("phrase", words), lambda: self._context_docs(self.contexts.with_phrase(words)))
        pairs = list(zip(words, words[1:]))
        table, found = self.words[PAIRS], set()
        for at in self.pair_at.get(pairs[0], ()):
            docs = set(table[(*pairs[0], at)])
            for i, (a, b) in enumerate(pairs[1:], 1):
                docs.intersection_update(table.get((a, b, at + i), ()))
            found |= docs
        return bitsets.from_docs(sorted(found))

    def count_bits(self, field, word, reader=None):
        """{count: the documents holding `word` that many times in `field`}, for counts above 1."""
        def build():
            by_count = {}
            if field == CONTEXT:
                for ctx in self.contexts.holding(word):
                    if ctx in self.by_context:
                        count = self.contexts.count(ctx, word)
                        if count > 1:
                            by_count.setdefault(count, []).extend(self.by_context[ctx])
            else:
                if field == DESCRIPTION:
                    heavy = zip(*self.description(reader, word)[1:])
                else:
                    heavy = self.heavy[field].get(word, {}).items()
                for doc, count in heavy:
                    by_count.setdefault(count, []).append(doc)
            return {count: bitsets.from_docs(sorted(docs)) for count, docs in by_count.items()}
        return self._remember(("counts", field, word), build)

    def count(self, field, word, doc, reader=None):
        """How often `word` appears in `field` of `doc` (0: not at all)."""
        if field == CONTEXT:
            return self.contexts.count(self.ctx[doc], word)
        if field == DESCRIPTION:
            docs, heavy, counts = self.description(reader, word)
            i, j = bisect_left(docs, doc), bisect_left(heavy, doc)
            return 0 if i == len(docs) or docs[i] != doc else counts[j] if j < len(heavy) and heavy[j] == doc else 1
        docs = self.words[field].get(word, ())
        i = bisect_left(docs, doc)
        return self.heavy[field].get(word, {}).get(doc, 1) if i < len(docs) and docs[i] == doc else 0

    def description(self, reader, word):
        """(documents in order, those holding it more than once, how many times) of a description word,
        read from Whoosh once."""
        return self._remember(("postings", "description", word), lambda: postings(reader, "description", word))

    def lengths(self, field, reader=None):
        """Every document's length of `field` in words, as a sequence by document number."""
        if field in (NAME, EXACT):
            return self.name_len
        if field == CONTEXT:
            lengths = self.contexts.lengths
            return self._fixed(("lengths", field), lambda: bytearray(min(255, lengths[c]) for c in self.ctx))
        if self._description_len is None:
            self._description_len = bytearray(min(255, reader.doc_field_length(d, "description", 0) or 0)
                                              for d in range(self.size))
        return self._description_len

    def length_buckets(self, field, reader=None):
        """{length: documents of that length in `field`}."""
        def build():
            by_length = {}
            for doc, length in enumerate(self.lengths(field, reader)):
                by_length.setdefault(length, []).append(doc)
            return {length: bitsets.from_docs(docs) for length, docs in by_length.items()}
        return self._fixed(("buckets", field), build)

    # -- filters, sorts, suggestions --------------------------------------------------------------------------

    def vendor_bits(self, vendor_id):
        """The documents of one booth."""
        if self._vendors is None:
            by_vendor = {}
            for doc, vendor in enumerate(self.vendor):
                by_vendor.setdefault(vendor, []).append(doc)
            self._vendors = {vendor: array("i", docs) for vendor, docs in by_vendor.items()}
        return bitsets.from_docs(self._vendors.get(vendor_id, ())) & self.present

    def between(self, column, low, high):
        """The documents whose `column` is within [low, high] (either may be None): whole chunks of the
        column's order, and documents one by one only at both ends."""
        _rank, chunks, ordered, values = self.order(((column, False),))
        start = 0 if low is None else bisect_left(values, low)
        end = len(values) if high is None else bisect_right(values, high)
        first, last = -(-start // CHUNK), end // CHUNK  # the whole chunks inside
        if first >= last:
            return bitsets.from_docs(ordered[start:end]) & self.present
        bits = bitsets.from_docs(ordered[start:first * CHUNK]) | bitsets.from_docs(ordered[last * CHUNK:end])
        for chunk in chunks[first:last]:
            bits |= chunk
        return bits & self.present

    def order(self, keys):
        """(rank of each document in the order of `keys` ((column, descending), …), ties in document
        order; that order in chunks of CHUNK documents, as sets; the documents in that order; the first
        key's values in that order)."""
        key = tuple(keys)
        if key not in self._orders:
            columns = [(self.columns[c], -1 if descending else 1) for c, descending in keys]
            ordered = array("i", sorted(range(self.size), key=lambda d: tuple(sign * col[d] for col, sign in columns)))
            rank = array("i", bytes(4 * self.size))
            for i, doc in enumerate(ordered):
                rank[doc] = i
            chunks = [bitsets.from_docs(ordered[i:i + CHUNK]) for i in range(0, len(ordered), CHUNK)]
            first = self.columns[keys[0][0]]
            with self._lock:
                self._orders[key] = (rank, chunks, ordered, array("q", (first[d] for d in ordered)))
        return self._orders[key]

    def suggest_keys(self):
        """(the documents' `keys` sorted, their lengths, their documents), for names starting with what
        was typed."""
        if self._suggest_keys is None:
            keyed = sorted((key, doc) for doc, key in enumerate(self.keys) if key is not None)
            self._suggest_keys = ([k for k, _d in keyed], array("H", [min(len(k), 65535) for k, _d in keyed]),
                                  array("i", [d for _k, d in keyed]))
        return self._suggest_keys
