"""As-you-type suggestions over the fixed catalogue: product and booth names for a prefix, names that
start with what was typed first, at most 8, each name once, whatever the tone marks, case or encoding."""
import unicodedata

import pytest

from catalog import search
from storefront.text import fold
from tests.catalog.search import catalogue as fixed
from tests.catalog.search.conftest import request_context


@pytest.fixture
def suggest(catalogue):
    app, _loaded = catalogue

    def run(text):
        with request_context(app):
            return [(s.text, s.kind) for s in search.suggest(text)]

    return run


def texts(found):
    return [text for text, _kind in found]


def test_keo_d_suggests_keo_dua_names_first(suggest):
    found = suggest("keo d")
    keo_dua = [t for t in texts(found) if fold(t).startswith("keo dua")]
    assert sorted(keo_dua) == ["Kẹo dừa Cồn Phụng", "Kẹo dừa lá dứa", "Kẹo dừa sầu riêng", "Kẹo dừa đậu phộng"]
    assert texts(found)[:len(keo_dua)] == keo_dua
    assert ("Hợp tác xã Kẹo dừa Thanh Long", "booth") in found  # a booth selling them, after


@pytest.mark.parametrize("typed", ["kẹo d", "KEO D", "Kẹo D", unicodedata.normalize("NFD", "Kẹo d"), "  keo   d"],
                         ids=["tones", "capitals", "mixed", "nfd", "spaces"])
def test_tone_marks_case_and_decomposed_input_suggest_the_same(suggest, typed):
    assert suggest(typed) == suggest("keo d")


@pytest.mark.parametrize("typed, expected", [
    ("mat o", [("Hợp tác xã Mật ong bạc hà Mèo Vạc", "booth"), ("Mật ong bạc hà Mèo Vạc", "product"),
               ("Mật ong rừng nguyên chất", "product")]),
    ("thanh l", [("Hợp tác xã Kẹo dừa Thanh Long", "booth"), ("Rượu dừa Thanh Long", "product")]),
    ("cong ty tnhh", [("Công ty TNHH Nước mắm Thanh Hà", "booth"), ("Công ty TNHH Rượu Bàu Đá An Nhơn", "booth")]),
    ("đũa tr", [("Đũa tre tự nhiên", "product")]),
], ids=["mat-o", "thanh-l", "booth-names", "đ"])
def test_product_and_booth_names_are_suggested(suggest, typed, expected):
    assert sorted(suggest(typed)) == sorted(expected)


def test_suggestions_that_start_with_the_typed_words_come_first(suggest):
    found = texts(suggest("mat o"))
    assert fold(found[0]).startswith("mat o") and fold(found[1]).startswith("mat o")
    assert found[2] == "Hợp tác xã Mật ong bạc hà Mèo Vạc"


def test_at_most_eight_suggestions(suggest):
    assert len(suggest("ca")) == 8


def test_each_name_is_suggested_once(suggest):
    found = texts(suggest("dau du"))
    assert found[0] == "Dầu dừa nguyên chất" and found.count("Dầu dừa nguyên chất") == 1  # sold by two booths
    for typed in ("ca", "keo d", "d"):
        found = [fold(t) for t in texts(suggest(typed))]
        assert len(found) == len(set(found)), typed


def test_hidden_products_and_closed_booths_are_never_suggested(suggest):
    hidden = set(fixed.HIDDEN) | {fixed.BOOTHS["pending"][0], fixed.BOOTHS["suspended"][0]}
    for typed in ("keo d", "keo dua b", "keo dua s", "co s", "keo dua m"):
        assert not set(texts(suggest(typed))) & hidden, typed


@pytest.mark.parametrize("typed", ["", " ", "k", "đ", "\x00", "*", '"', "(", ")", ":", "AND", "~", "^2"])
def test_too_little_or_nothing_to_go_on_suggests_nothing(suggest, typed):
    assert suggest(typed) == []
