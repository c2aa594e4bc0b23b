"""What a shopper typed, made safe and ready for any backend. Nothing typed is ever parsed as query
syntax: quotes, stars, brackets, colons and operators are separators, so every input is a plain search."""
import re
import unicodedata
from dataclasses import dataclass

from storefront.text import fold, nfc

MAX_CHARS = 200  # longer input is cut, not refused: a pasted paragraph still finds something
MAX_WORDS = 10
MAX_WORD = 40
# Words: letters and digits with any combining marks left after NFC (rare letter + tone pairs).
_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")
_OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the cleaned text, for showing back
    exact: tuple  # words in lower case, tone marks kept: ('kẹo', 'dừa')
    folded: tuple  # the same words folded: ('keo', 'dua')

    def __bool__(self):
        return bool(self.folded)

    @property
    def key(self):
        return " ".join(self.exact)


def parse_query(raw):
    """ParsedQuery from raw input (str or None); empty when nothing searchable is left."""
    text = " ".join(nfc(raw or "")[:MAX_CHARS * 2].split())[:MAX_CHARS]
    words = [w[:MAX_WORD] for w in _WORD.findall(text) if w not in _OPERATORS][:MAX_WORDS]
    exact = tuple(unicodedata.normalize("NFC", w.casefold()) for w in words)
    folded = tuple(fold(w) for w in exact)
    keep = [i for i, w in enumerate(folded) if w]
    return ParsedQuery(text, tuple(exact[i] for i in keep), tuple(folded[i] for i in keep))


def parse_prefix(raw):
    """(complete words, last partial word) of as-you-type input, both folded: 'Kẹo d' -> (('keo',), 'd')."""
    text = nfc(raw or "")[:MAX_CHARS]
    q = parse_query(text)
    if not q:
        return (), ""
    if text and not text[-1].isspace() and _WORD.search(text[-1:] + "x"):
        return q.folded[:-1], q.folded[-1]
    return q.folded, ""


def begins_with(name, words, prefix):
    """True when `name` starts with what was typed: the complete `words`, then a word starting with
    `prefix` ('Kẹo dừa lá dứa' for ('keo',), 'd'). Suggestions that do come first."""
    folded = parse_query(name).folded
    n = len(words)
    if folded[:n] != tuple(words):
        return False
    return not prefix or (len(folded) > n and folded[n].startswith(prefix))
