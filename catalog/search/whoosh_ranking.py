"""Matching and ranking for the Whoosh backend, over the sets of a generation (whoosh_view).

Matching: every word of the query must be found, in the name (folded, or as typed with its tone marks),
the context (booth, place, labels), the description, or, for words of FUZZY_MIN letters or more, as a
known word one edit away in the name or context (first letter kept, at most FUZZY_LIMIT such words).

Scoring, per document: each word scores BM25 in each field that holds it, times the field's weight; the
word counts its best field plus TIEBREAK times the others. All the words together, in order, in the name
or the context add PHRASE_WEIGHT times their BM25 in that field. Ties keep document order.

Ranking scores few documents one by one. The matches are split best-first, with set operations, by what
decides a score: whether the phrases stand in the name and context, which fields hold each word and how
often, the lengths of the fields. A part is split further only while its upper bound can still reach the
page; a part whose documents all score alike is taken whole, in document order; small parts are scored
document by document."""
import heapq
import math
from dataclasses import dataclass, field

from catalog.search import bitsets
from catalog.search.whoosh_tables import CONTEXT, DESCRIPTION, EXACT, NAME

K1, B = 1.2, 0.75  # BM25, as Whoosh's BM25F
WEIGHTS = {EXACT: 6.0, NAME: 4.0, CONTEXT: 2.0, DESCRIPTION: 0.4}
FUZZY_WEIGHTS = {NAME: 1.5, CONTEXT: 0.75}
PHRASE_WEIGHTS = {NAME: 6.0, CONTEXT: 3.0}
TIEBREAK = 0.3
FUZZY_MIN = 5
FUZZY_LIMIT = 8  # known words one edit away, per word and field: the commonest
LENGTH_OF = {NAME: NAME, EXACT: NAME, CONTEXT: CONTEXT, DESCRIPTION: DESCRIPTION}
UNDECIDED, ABSENT = 0, -1  # an alternative or phrase in a part; else how many times each document holds it
GENERAL, TAKEN = 0, 1  # at equal bounds: parts to split first, then parts to take whole
SMALL = 8  # parts of at most this many documents are scored document by document


def bm25(idf, count, length, average):
    return idf * (count * (K1 + 1)) / (count + K1 * (1 - B + B * length / average))


def combined(scores):
    """A word's score from its fields' scores: the best plus TIEBREAK times the others."""
    best = max(scores)
    return best + TIEBREAK * (sum(scores) - best)


def one_edit(a, b):
    """True when `b` is `a` with one letter substituted, deleted or inserted."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1 or a == b:
        return False
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1:] == b[i + 1:] if len(a) == len(b) else a[i:] == b[i + 1:]


@dataclass
class Alternative:
    """One way a query word can match: `word` in `field`."""
    field: str
    word: str
    weight: float
    bits: int
    idf: float
    most: int  # the most times one document holds it


@dataclass
class Phrase:
    """All the query's words together, in order, in `field`."""
    field: str
    bits: int  # the documents where they are
    idfs: tuple
    most: tuple
    alts: tuple  # the alternative of each word in this field


@dataclass
class Node:
    """Documents that score alike as far as decided: `alts` per alternative (UNDECIDED, ABSENT, or how
    many times each document holds it), `phrases` (UNDECIDED, ABSENT, 1), `lengths` of fields (or
    `floors`: an index into the field's length buckets below which none of them is). Or scored documents."""
    bits: int
    alts: tuple
    phrases: tuple
    lengths: dict = field(default_factory=dict)
    floors: dict = field(default_factory=dict)
    docs: list | None = None


class Plan:
    """A query over one generation: its alternatives (each word's ways to match, flattened, likely best
    first), the documents matching every word, and the phrases."""

    def __init__(self, view, readers, q, fuzzy=True):
        self.view, self.readers, self.n = view, readers, max(1, view.count)
        words = []
        for exact, folded in zip(q.exact, q.folded):
            alts = [self._alt(NAME, folded, WEIGHTS[NAME]), self._alt(CONTEXT, folded, WEIGHTS[CONTEXT]),
                    self._alt(DESCRIPTION, folded, WEIGHTS[DESCRIPTION])]
            if exact != folded:
                alts.append(self._alt(EXACT, exact, WEIGHTS[EXACT]))
            if fuzzy and len(folded) >= FUZZY_MIN:
                for f, weight in FUZZY_WEIGHTS.items():
                    alts += [self._alt(f, w, weight) for w in self.near(f, folded)]
            words.append([a for a in alts if a.bits])
        self.matches = view.live
        for alts in sorted(words, key=lambda alts: sum(a.bits.bit_count() for a in alts)):
            union = 0
            for a in alts:
                union |= a.bits
            self.matches &= union
        self.words = len(words)
        flat = sorted(((i, a) for i, alts in enumerate(words) for a in alts), key=lambda ia: -ia[1].weight * ia[1].idf)
        self.alts = [a for _i, a in flat]
        self.word_of = [i for i, _a in flat]
        self.length_of = [LENGTH_OF[a.field] for a in self.alts]
        where = {(a.field, a.word): k for k, a in enumerate(self.alts)}
        self.phrases = []
        if len(q.folded) > 1 and self.matches:
            for f in PHRASE_WEIGHTS:
                bits = self.matches & view.phrase_bits(f, tuple(q.folded), readers)
                if bits:
                    alts = [self.alts[where[f, w]] for w in q.folded]
                    self.phrases.append(Phrase(f, bits, tuple(a.idf for a in alts), tuple(a.most for a in alts),
                                               tuple(where[f, w] for w in q.folded)))
        self.average = {f: view.average_length(f, readers) for f in (NAME, CONTEXT, DESCRIPTION)}
        self.buckets = {f: view.length_buckets(f, readers) or [(0, 0)] for f in self.average}

    def _alt(self, f, word, weight):
        bits = self.view.bits(f, word, self.readers)
        most = self.view.max_count(f, word, self.readers) if bits else 1
        return Alternative(f, word, weight, bits, math.log(self.n / (bits.bit_count() + 1)) + 1, most)

    def near(self, f, word):
        """Known words one edit from `word` in field `f`, first letter kept, the commonest first."""
        vocabulary = self.view.vocabulary(f)
        found = [w for size in (len(word) - 1, len(word), len(word) + 1)
                 for w in vocabulary.get((word[:1], size), ()) if one_edit(word, w)]
        if len(found) > FUZZY_LIMIT:
            found.sort(key=lambda w: -self.view.bits(f, w, self.readers).bit_count())
        return found[:FUZZY_LIMIT]

    # -- scores -------------------------------------------------------------------------------------------------

    def bound(self, node):
        """The most a document of `node` can score (what each of them scores once all is decided)."""
        lengths = {f: node.lengths[f] if f in node.lengths else self.buckets[f][node.floors.get(f, 0)][0]
                   for f in self.buckets}
        return self._score(node.alts, node.phrases, None, lengths)

    def doc_score(self, node, doc):
        """One document's score, whatever is left undecided in its `node`."""
        part, table, local = self.view.locate(doc)
        reader = self.readers[part]
        counts = [table.count(a.field, a.word, local, reader) if state != ABSENT else 0
                  for a, state in zip(self.alts, node.alts)]
        phrases = tuple(1 if state == 1 or (state == UNDECIDED and p.bits >> doc & 1) else ABSENT
                        for p, state in zip(self.phrases, node.phrases))
        lengths = {f: table.lengths(f, reader)[local] for f in self.buckets}
        return self._score(tuple(n or ABSENT for n in counts), phrases, counts, lengths)

    def _score(self, states, phrases, counts, lengths):
        """The score with these alternatives and phrases (UNDECIDED counting as present), each
        alternative's count from `counts` or else its state (the most found when undecided), at these
        field lengths."""
        per_word = [[] for _ in range(self.words)]
        average = self.average
        for k, state in enumerate(states):
            if state != ABSENT:
                a, f = self.alts[k], self.length_of[k]
                count = counts[k] if counts else state or a.most
                per_word[self.word_of[k]].append(a.weight * bm25(a.idf, count, lengths[f], average[f]))
        total = 0.0
        for scores in per_word:
            if not scores:
                return -math.inf
            total += combined(scores)
        for p, state in zip(self.phrases, phrases):
            if state != ABSENT:
                f, weight = p.field, PHRASE_WEIGHTS[p.field]
                for k, idf, most in zip(p.alts, p.idfs, p.most):
                    count = counts[k] if counts else max(states[k], 0) or most
                    total += weight * bm25(idf, count, lengths[f], average[f])
        return total


# -- best first ---------------------------------------------------------------------------------------------------

def top(plan, allowed, count):
    """The `count` best of the `allowed` documents (a set within plan.matches), best first."""
    if not plan.alts or not allowed:
        return bitsets.members(allowed, limit=count)
    heap, order, found = [], iter(range(1 << 62)), []

    def push(node, tier=GENERAL, value=None):
        if tier == GENERAL and _decided(plan, node):
            tier = TAKEN
        heapq.heappush(heap, (-(plan.bound(node) if value is None else value), tier, next(order), node))

    push(Node(allowed, (UNDECIDED,) * len(plan.alts), (UNDECIDED,) * len(plan.phrases)))
    while heap and len(found) < count:
        negative, tier, _n, node = heapq.heappop(heap)
        if tier == TAKEN:  # with every other part of the same score: ties in document order
            docs = _docs(node, count - len(found))
            while heap and heap[0][0] == negative and heap[0][1] == TAKEN:
                docs += _docs(heapq.heappop(heap)[3], count - len(found))
            found += sorted(docs)[:count - len(found)]
        else:
            _refine(plan, node, push)
    return found


def _docs(node, limit):
    return node.docs if node.docs is not None else bitsets.members(node.bits, limit=limit)


def _decided(plan, node):
    return UNDECIDED not in node.alts and UNDECIDED not in node.phrases and not _lengths_to_decide(plan, node)


def _lengths_to_decide(plan, node):
    needed = {plan.length_of[k] for k, state in enumerate(node.alts) if state != ABSENT}
    needed |= {p.field for p, state in zip(plan.phrases, node.phrases) if state != ABSENT}
    return [f for f in (NAME, CONTEXT, DESCRIPTION) if f in needed and f not in node.lengths]


def _split(node, bits, **changes):
    return Node(bits, changes.get("alts", node.alts), changes.get("phrases", node.phrases),
                changes.get("lengths", node.lengths), changes.get("floors", node.floors))


def _refine(plan, node, push):
    """Push `node`'s parts, split by the next undecided thing (the phrases, the name's alternatives, the
    name's length, the other alternatives, the other lengths); or its documents, each scored."""
    if node.bits.bit_count() <= SMALL:
        for doc in bitsets.members(node.bits):
            push(Node(0, node.alts, node.phrases, docs=[doc]), TAKEN, plan.doc_score(node, doc))
        return
    if UNDECIDED in node.phrases:
        k = node.phrases.index(UNDECIDED)
        inside = node.bits & plan.phrases[k].bits
        for bits, state in ((inside, 1), (node.bits ^ inside, ABSENT)):
            if bits:
                push(_split(node, bits, phrases=node.phrases[:k] + (state,) + node.phrases[k + 1:]))
        return
    undecided = [k for k, state in enumerate(node.alts) if state == UNDECIDED]
    in_name = [k for k in undecided if plan.length_of[k] == NAME]
    fields = _lengths_to_decide(plan, node)
    if in_name:
        _split_alt(plan, node, in_name[0], push)
    elif NAME in fields:
        _split_length(plan, node, NAME, push)
    elif undecided:
        _split_alt(plan, node, undecided[0], push)
    else:
        _split_length(plan, node, fields[0], push)


def _split_alt(plan, node, k, push):
    """Parts without alternative k, and with it once, twice… in each document."""
    a = plan.alts[k]
    inside = node.bits & a.bits
    parts = [(node.bits ^ inside, ABSENT)]
    if a.most > 1:
        for count, bits in plan.view.count_bits(a.field, a.word, plan.readers).items():
            part = inside & bits
            if part:
                parts.append((part, count))
                inside ^= part
    parts.append((inside, 1))
    for bits, state in parts:
        if bits:
            push(_split(node, bits, alts=node.alts[:k] + (state,) + node.alts[k + 1:]))


def _split_length(plan, node, f, push):
    """The part of the shortest length of field `f` present, and the rest (at least the next length)."""
    buckets, i = plan.buckets[f], node.floors.get(f, 0)
    while not node.bits & buckets[i][1]:
        i += 1
    part = node.bits & buckets[i][1]
    push(_split(node, part, lengths={**node.lengths, f: buckets[i][0]}))
    if part != node.bits:
        push(_split(node, node.bits ^ part, floors={**node.floors, f: i + 1}))
