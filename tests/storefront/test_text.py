import unicodedata

import pytest

from storefront.money import parse_vnd, vnd
from storefront.text import fold, nfc, slugify, sort_key


@pytest.mark.parametrize("text, slug", [
    ("Kẹo dừa Bến Tre", "keo-dua-ben-tre"),
    ("Đặc sản", "dac-san"),
    ("ĐẶC SẢN  Trà Vinh!!", "dac-san-tra-vinh"),
    ("Bánh tét lá cẩm – 500g", "banh-tet-la-cam-500g"),
    ("???", "x"),
])
def test_slugs_fold_vietnamese(text, slug):
    assert slugify(text) == slug


def test_decomposed_input_folds_like_precomposed():
    decomposed = unicodedata.normalize("NFD", "Đặc sản dừa")
    assert fold(decomposed) == fold("Đặc sản dừa") == "dac san dua"
    assert nfc(decomposed) == "Đặc sản dừa"


def test_control_characters_are_dropped():
    assert nfc("a\x00b\x07c\nd") == "abc\nd"


def test_vietnamese_order_puts_d_stroke_right_after_d():
    words = ["Đu đủ", "Xoài", "Dừa", "Ếch", "Dưa"]
    assert sorted(words, key=sort_key)[:3] == ["Dưa", "Dừa", "Đu đủ"]


def test_vnd_matches_babel_vi_vn():
    from babel.numbers import format_currency

    assert vnd(120000) == "120.000\u00a0₫" == format_currency(120000, "VND", locale="vi_VN")
    assert vnd(0) == "0\u00a0₫"
    assert vnd(1_250_000) == "1.250.000\u00a0₫"


@pytest.mark.parametrize("text, amount", [("120000", 120000), ("120.000", 120000), ("1,250,000", 1250000),
                                          ("45.000 ₫", 45000), ("45000đ", 45000), (15000, 15000)])
def test_prices_parse_as_people_write_them(text, amount):
    assert parse_vnd(text) == amount


@pytest.mark.parametrize("bad", ["12.5", "abc", "1.2345", "", "-5", 12.5])
def test_ambiguous_prices_are_refused(bad):
    with pytest.raises(ValueError):
        parse_vnd(bad)
