"""Sets of document numbers as Python integers, bit n standing for document n.

At 100,000 documents a set takes 12.5 kB whatever its size, and intersections, unions and counts run in
C over machine words (a few microseconds), where frozensets of ints cost 50-60 bytes per member and a
hash lookup per member. The Whoosh backend keeps its postings, filters and facet values this way."""
import re
from array import array

_BITS = tuple(tuple(i for i in range(8) if byte >> i & 1) for byte in range(256))
_NONZERO = re.compile(rb"[^\x00]+")


def from_docs(docs):
    """The set holding the document numbers `docs` (any iterable of non-negative ints)."""
    if not isinstance(docs, (list, tuple, range, array)):
        docs = list(docs)
    if not docs:
        return 0
    if isinstance(docs, range) and docs.step == 1:
        return ((1 << len(docs)) - 1) << docs.start
    # Binary digits, then one int() of them: a third of the time of setting bits in a bytearray.
    top = max(docs)
    digits = bytearray(b"0") * (top + 1)
    for doc in docs:
        digits[top - doc] = 49  # "1", the highest document first
    return int(digits, 2)


def members(bits, limit=None, start=0):
    """The document numbers in `bits`, ascending: all, or the first `limit` of those from `start` on."""
    if start:
        bits = bits >> start << start
    if not bits:
        return []
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    found = []
    for run in _NONZERO.finditer(data):
        at = run.start()
        for i, byte in enumerate(run.group(), at):
            base = i * 8
            found.extend(base + bit for bit in _BITS[byte])
        if limit is not None and len(found) >= limit:
            return found[:limit]
    return found


def shifted(parts):
    """One set from [(bits, offset)]: segments' sets put at their place in the whole index."""
    total = 0
    for bits, offset in parts:
        if bits:
            total |= bits << offset if offset else bits
    return total


def below(doc):
    """The set of every document number below `doc`."""
    return (1 << doc) - 1
