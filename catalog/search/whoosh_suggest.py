"""As-you-type suggestions of the Whoosh backend, from the names it keeps in memory.

What was typed is complete words and the start of the next one ('keo d'). Names that start with it come
first, found by bisection in each segment's sorted folded names; then names holding the words and a word
with that start anywhere, from the names' word sets. Shorter names first; each name once; booths first,
at most BOOTHS of them."""
import heapq
import threading
from bisect import bisect_left
from dataclasses import dataclass

from catalog.search import bitsets
from catalog.search.analysis import folded_words
from catalog.search.base import Suggestion
from catalog.search.whoosh_tables import NAME

BOOTHS = 3
SCAN = 5000  # names starting with what was typed looked at per segment, at most
_END = "\U0010ffff"


def typed_key(words, prefix):
    """What a name's key ('kẹo dừa lá dứa' -> 'keo dua la dua ') starts with when the name starts with
    the typed words and prefix."""
    return " ".join([*words, prefix]) if prefix else " ".join(words) + " "


def _shortest(keys, candidates, limit):
    return heapq.nsmallest(limit, sorted(candidates), key=lambda i: len(keys[i]))


def product_docs(view, words, prefix, limit):
    """Up to `limit` documents (of `view`) with distinct names for what was typed, best first."""
    typed = typed_key(words, prefix)
    found, seen = [], set()

    def take(doc, key):
        if key not in seen and len(found) < limit:
            seen.add(key)
            found.append(doc)

    starting = []
    for (table, offset), deleted in zip(view.parts, view.deleted):
        keys, lengths, docs = table.suggest_keys()
        start = bisect_left(keys, typed)
        end = min(bisect_left(keys, typed + _END, start), start + SCAN)
        best = heapq.nsmallest(limit * 4, range(start, end), key=lengths.__getitem__)  # alphabetical among equals
        starting += [(len(keys[i]), keys[i], docs[i] + offset) for i in best if docs[i] not in deleted]
    for _size, key, doc in sorted(starting):
        take(doc, key)
    if len(found) < limit:
        for doc in _containing(view, words, prefix, limit * 4):
            _part, table, local = view.locate(doc)
            take(doc, table.keys[local])
    return found


def _containing(view, words, prefix, limit):
    """Documents whose names hold the complete words and a word starting with `prefix`, shortest first."""
    bits = view.live
    for word in words:
        bits &= view.bits(NAME, word)
    if prefix:
        lexicon, starting = view.lexicon(NAME), 0
        for i in range(bisect_left(lexicon, prefix), len(lexicon)):
            if not lexicon[i].startswith(prefix):
                break
            starting |= view.bits(NAME, lexicon[i])
        bits &= starting
    found = []
    for _length, bucket in view.length_buckets(NAME):
        part = bits & bucket
        if part:
            found += bitsets.members(part, limit=limit - len(found))
            if len(found) >= limit:
                break
    return found


@dataclass(frozen=True)
class Booth:
    name: str
    slug: str
    key: str  # folded words, each followed by a space


class BoothNames:
    """The open booths of one generation of the booths index, for suggestions."""

    def __init__(self, reader):
        booths = sorted((Booth(f["name"], f["slug"], " ".join(folded_words(f["name"])) + " ")
                         for _doc, f in reader.iter_docs()), key=lambda b: b.key)
        self.booths, self.keys = booths, [b.key for b in booths]
        self.by_word = {}
        for i, booth in enumerate(booths):
            for word in set(booth.key.split()):
                self.by_word.setdefault(word, set()).add(i)
        self.lexicon = sorted(self.by_word)

    def count(self, word):
        return len(self.by_word.get(word, ()))

    def suggest(self, words, prefix, limit=BOOTHS):
        """Up to `limit` booths for what was typed: those whose names start with it first."""
        typed = typed_key(words, prefix)
        start = bisect_left(self.keys, typed)
        first = list(range(start, bisect_left(self.keys, typed + _END, start)))
        if words:
            others = set.intersection(*(self.by_word.get(w, set()) for w in words))
        else:
            others = set(range(len(self.booths)))
        if prefix:
            starting = set()
            for i in range(bisect_left(self.lexicon, prefix), len(self.lexicon)):
                if not self.lexicon[i].startswith(prefix):
                    break
                starting |= self.by_word[self.lexicon[i]]
            others &= starting
        others -= set(first)
        chosen = _shortest(self.keys, first, limit) + _shortest(self.keys, others, limit)
        return [Suggestion(self.booths[i].name, "booth", self.booths[i].slug) for i in chosen[:limit]]


class BoothCache:
    """BoothNames per generation of the booths index, shared by threads."""

    def __init__(self):
        self._held, self._lock = (None, None), threading.Lock()

    def get(self, key, reader):
        with self._lock:
            held_key, names = self._held
            if held_key != key:
                names = BoothNames(reader)
                self._held = (key, names)
            return names
