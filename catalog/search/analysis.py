"""Whoosh analyzers for Vietnamese, and the same word splitting for the in-memory tables of the Whoosh
backend. Whoosh pickles the analyzer classes into the index, so this module's path and class names must
not change (tech-notes.md)."""
import re
import unicodedata

from whoosh.analysis import Filter, LowercaseFilter, NgramFilter, RegexTokenizer

from storefront.text import fold

WORD = r"[^\W_](?:[^\W_]|[\u0300-\u036f])*"
_WORD = re.compile(WORD)
_FOLDED = {}  # word -> fold(word): a catalogue has a few thousand distinct words, folded millions of times
_FOLDED_MAX = 200_000


def fold_word(word):
    """fold(word), remembered."""
    folded = _FOLDED.get(word)
    if folded is None:
        if len(_FOLDED) >= _FOLDED_MAX:
            _FOLDED.clear()
        folded = _FOLDED[word] = fold(word)
    return folded


class VietnameseTokenizer(RegexTokenizer):
    """RegexTokenizer that first composes decomposed (NFD) input, so 'Đặc' stays one word."""

    def __call__(self, value, **kwargs):
        return super().__call__(unicodedata.normalize("NFC", value), **kwargs)


class FoldFilter(Filter):
    """'dừa' -> 'dua', 'Đặc' -> 'dac': the same fold as storefront.text.fold."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold_word(t.text)
            yield t


def exact_analyzer():
    return VietnameseTokenizer(WORD) | LowercaseFilter()


def folded_analyzer():
    return VietnameseTokenizer(WORD) | LowercaseFilter() | FoldFilter()


def edge_analyzer():
    """Word beginnings for as-you-type suggestions: 'dua' -> 'd', 'du', 'dua'."""
    return folded_analyzer() | NgramFilter(minsize=1, maxsize=15, at="start")


def exact_words(text):
    """The words exact_analyzer() makes of `text`: lower case, tone marks kept."""
    return [w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", text or ""))]


def folded_words(text):
    """The words folded_analyzer() makes of `text`: 'Kẹo dừa' -> ['keo', 'dua']."""
    return [fold_word(w.lower()) for w in _WORD.findall(unicodedata.normalize("NFC", text or ""))]
