"""Whoosh analyzers for Vietnamese. Whoosh pickles these classes into the index, so this module's path
and class names must not change (tech-notes.md)."""
import unicodedata

from whoosh.analysis import Filter, LowercaseFilter, NgramFilter, RegexTokenizer

from storefront.text import fold

WORD = r"[^\W_](?:[^\W_]|[\u0300-\u036f])*"


class VietnameseTokenizer(RegexTokenizer):
    """RegexTokenizer that first composes decomposed (NFD) input, so 'Đặc' stays one word."""

    def __call__(self, value, **kwargs):
        return super().__call__(unicodedata.normalize("NFC", value), **kwargs)


class FoldFilter(Filter):
    """'dừa' -> 'dua', 'Đặc' -> 'dac': the same fold as storefront.text.fold."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


def exact_analyzer():
    return VietnameseTokenizer(WORD) | LowercaseFilter()


def folded_analyzer():
    return VietnameseTokenizer(WORD) | LowercaseFilter() | FoldFilter()


def edge_analyzer():
    """Word beginnings for as-you-type suggestions: 'dua' -> 'd', 'du', 'dua'."""
    return folded_analyzer() | NgramFilter(minsize=1, maxsize=15, at="start")
