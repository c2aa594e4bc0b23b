"""Rows of the `postgres` backend's tables (catalog.search.pg_models), built from search documents.

Names, places and booth names are split and folded here exactly as the Whoosh analyzers do it
(catalog.search.analysis: the same word pattern, lower case, storefront.text.fold), and written as
tsvector literals, so both backends see the same words. Descriptions, long and weighted least, are
folded by PostgreSQL itself with `unaccent` (the `ocop_vi` text search configuration), which folds
Vietnamese the same way, đ included."""
import re
import unicodedata
from functools import lru_cache

from catalog.search.analysis import WORD
from storefront.text import fold

_WORD = re.compile(WORD)
MAX_WORD = 80  # longer "words" (pasted codes, links) are left out: no query word is longer than 40
CONTEXT_AT = 1000  # positions of the place words in `document`, after the name's (names have fewer words)
# fold() one character at a time, where that is exact: Latin letters (precomposed, as NFC text has them),
# digits and punctuation: str.translate is several times faster than fold(), which a rebuild calls for
# every name and place.
_FOLD = {}
for _code in [*range(0x250), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070)]:
    _char = chr(_code)
    if unicodedata.normalize("NFC", _char) == _char and not unicodedata.combining(_char):
        _FOLD[_code] = fold(_char)
_OTHER = re.compile("[^" + "".join(re.escape(chr(c)) for c in _FOLD) + "]")


def fast_fold(text):
    """storefront.text.fold(text), quicker for Vietnamese and other Latin text."""
    return fold(text) if _OTHER.search(text) else text.translate(_FOLD)


def quote(lexeme):
    """A lexeme as tsvector/tsquery input: 'dừa' (quotes and backslashes escaped)."""
    if "'" in lexeme or "\\" in lexeme:
        lexeme = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{lexeme}'"


def exact_lexeme(word):
    """How a name's word as written (lower case, tone marks kept) is stored next to its folded form."""
    return "=" + word


def name_words(name):
    """[(lower-case word with its tone marks, folded word)] of a name, in order."""
    exact = [w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", name or ""))]
    return [(e, fast_fold(e)) for e in exact if len(e) <= MAX_WORD]


def folded_words(text):
    """The folded words of `text`, in order."""
    return [w for w in _WORD.findall(fast_fold(unicodedata.normalize("NFC", text or ""))) if len(w) <= MAX_WORD]


def _vector(positions, weight=""):
    """tsvector input from {lexeme: [positions]}. Lexemes are words of the _WORD pattern (or '=' and one),
    which never hold a quote or a backslash."""
    parts = []
    for lex, pos in positions.items():
        if len(pos) == 1:
            parts.append(f"'{lex}':{pos[0]}{weight}")
        else:
            parts.append(f"'{lex}':" + ",".join([f"{p}{weight}" for p in pos]))
    return " ".join(parts)


def _name_positions(words, exact=True):
    positions = {}
    for i, (e, f) in enumerate(words, 1):
        positions.setdefault(f, []).append(i)
        if exact:
            positions.setdefault(exact_lexeme(e), []).append(i)
    return positions


@lru_cache(maxsize=8192)
def _context(context):
    """(context_vector, its words weighted C for `document`, its search_words pairs) of a context: the
    products of one booth and OCOP group share it, so it is worked out once."""
    words = folded_words(context)
    positions = {}
    for i, w in enumerate(words, 1):
        positions.setdefault(w, []).append(i)
    weighted = " ".join([f"'{w}':{pos[0] + CONTEXT_AT}C" for w, pos in positions.items()])
    return _vector(positions), weighted, frozenset((w, w) for w in positions)


def document_row(doc, known=None):
    """Columns of search_documents for one document; `head` (name and place words, weighted A and C) and
    `description` become the `document` vector in SQL. The document's (word, folded) pairs for
    search_words are added to the set `known` when given."""
    words = name_words(doc["name"])[:CONTEXT_AT - 1]
    context_vector, context_head, context_words = _context(doc["context"])
    if known is not None:
        known.update((f, f) for _e, f in words)
        known.update(words)
        known.update(context_words)
    return {
        "id": doc["id"], "vendor_id": doc["vendor_id"], "slug": doc["slug"], "name": doc["name"],
        "name_folded": " ".join(f for _e, f in words), "name_words": len(words),
        "name_vector": _vector(_name_positions(words)), "context_vector": context_vector,
        "head": f"{_vector(_name_positions(words, exact=False), 'A')} {context_head}",
        "description": unicodedata.normalize("NFC", doc["description"] or ""),
        "group": doc["group"], "star": doc["star"] or "", "star_rank": doc["star_rank"],
        "province": doc["province"], "entity_type": doc["entity_type"], "product_set": doc["product_set"] or "",
        "in_stock": bool(doc["in_stock"]), "price": doc["price"], "created": doc["created"],
    }


def booth_row(booth, known=None):
    """Columns of search_booths for one booth (catalog.search.documents.Booth)."""
    words = name_words(booth.name)
    if known is not None:
        known.update((f, f) for _e, f in words)
    return {"id": booth.id, "slug": booth.slug, "name": booth.name,
            "name_folded": " ".join(f for _e, f in words), "name_vector": _vector(_name_positions(words, exact=False))}
