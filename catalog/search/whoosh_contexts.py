"""The contexts of the Whoosh backend's documents: the words of a product's booth, place and labels
(catalog.search.documents joins them with PART_SEPARATOR).

At 100,000 products there are some 40,000 distinct contexts but only a few thousand distinct parts ('Hợp
tác xã Dừa Sáp', 'Bến Tre', 'Thực phẩm'): each part is split into words once, and a context is the
list of its parts. A word's contexts are those of the parts holding it; its count in a context is the
sum over the parts; two words stand together within a part or across the boundary of two parts."""
import threading
from array import array

from catalog.search.analysis import folded_words

PART_SEPARATOR = " · "  # makes no word: splitting there changes none


def together(words, phrase):
    """True when the words of `phrase` stand together, in order, among `words`."""
    n, first = len(phrase), phrase[0]
    return any(w == first and tuple(words[i:i + n]) == phrase for i, w in enumerate(words[:len(words) - n + 1]))


class Part:
    __slots__ = ("words", "counts", "pairs")

    def __init__(self, text):
        self.words = tuple(folded_words(text))
        self.counts = {}
        for word in self.words:
            self.counts[word] = self.counts.get(word, 0) + 1
        self.pairs = {f"{a} {b}" for a, b in zip(self.words, self.words[1:])}


class Contexts:
    """The context texts of one segment table, by id."""

    def __init__(self):
        self.ids, self.items, self.lengths = {}, [], []  # text -> id; id -> part ids; id -> words
        self.parts, self._part_ids = [], {}
        self._of_part = []  # part id -> ids of the contexts holding it
        self._parts_with = {}  # word or pair within a part -> part ids
        self._across = {}  # pair across two parts -> context ids
        self._lock = threading.Lock()

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "_lock"}

    def __setstate__(self, state):
        self.__dict__.update(state, _lock=threading.Lock())

    def id_of(self, text):
        found = self.ids.get(text)
        if found is None:
            with self._lock:
                found = self.ids.get(text)
                if found is None:
                    found = self.ids[text] = self._add(text)
        return found

    def _add(self, text):
        ctx, parts = len(self.items), []
        for piece in text.split(PART_SEPARATOR):
            part = self._part_ids.get(piece)
            if part is None:
                part = self._part_ids[piece] = len(self.parts)
                self.parts.append(Part(piece))
                self._of_part.append([])
                for key in {*self.parts[part].counts, *self.parts[part].pairs}:
                    self._parts_with.setdefault(key, []).append(part)
            parts.append(part)
        for part in set(parts):
            self._of_part[part].append(ctx)
        held = [self.parts[p].words for p in parts if self.parts[p].words]
        for before, after in zip(held, held[1:]):
            self._across.setdefault(f"{before[-1]} {after[0]}", []).append(ctx)
        self.items.append(tuple(parts))
        self.lengths.append(sum(len(words) for words in held))
        return ctx

    def freeze(self):
        """Once every context of the table is in: keep the lists compact, forget the texts."""
        self._of_part = [array("i", ctxs) for ctxs in self._of_part]
        self._across = {pair: array("i", ctxs) for pair, ctxs in self._across.items()}
        self.ids = self._part_ids = None

    def holding(self, word):
        """The ids of the contexts holding `word`, or the pair 'a b' (two words next to each other)."""
        found = {ctx for part in self._parts_with.get(word, ()) for ctx in self._of_part[part]}
        return found.union(self._across.get(word, ()))

    def words(self, ctx):
        return tuple(w for part in self.items[ctx] for w in self.parts[part].words)

    def count(self, ctx, word):
        """How often `word` appears in context `ctx`."""
        return sum(self.parts[part].counts.get(word, 0) for part in self.items[ctx])

    def with_phrase(self, words):
        """The ids of the contexts where `words` stand together, in order: those of the parts holding
        them all, and the others holding each pair of them once checked (the words may span parts)."""
        pairs = [f"{a} {b}" for a, b in zip(words, words[1:])]
        whole = [p for p in self._parts_with.get(pairs[0], ()) if together(self.parts[p].words, words)]
        found = {ctx for part in whole for ctx in self._of_part[part]}
        candidates = set.intersection(*sorted((self.holding(pair) for pair in pairs), key=len)) - found
        return found.union(c for c in candidates if together(self.words(c), words))

    def vocabulary(self):
        """Every word of every part."""
        return {word for part in self.parts for word in part.counts}
