"""Whatever is typed or put in a URL, search answers normally (or 400 for an undecodable URL), never
with an error: query syntax is not syntax, long and strange input is cut and cleaned."""
import pytest

from catalog import search
from catalog.search.base import FACETS
from tests.catalog.search.conftest import request_context, search_filter

HOSTILE = {
    "quote": '"', "quotes-around": '"kẹo dừa"', "unclosed-quote": '"kẹo dừa', "star": "*", "star-word": "*dừa*",
    "question": "d?a", "open-paren": "(", "close-paren": ")", "parens": "(kẹo) OR (dừa", "AND": "AND", "OR": "OR",
    "NOT": "NOT", "operators-only": "AND OR NOT", "operators-between": "kẹo AND dừa", "not-word": "NOT kẹo",
    "minus-plus": "-kẹo +dừa", "colon": ":", "field-value": "name:kẹo", "field-group": "group:thuc_pham",
    "tilde": "~", "fuzzy-syntax": "dừa~2", "caret": "^2", "boost-syntax": "kẹo^2", "range": "[a TO b]",
    "range-curly": "{a TO z}", "slash": "/", "backslash": "\\", "percent": "%", "underscore": "_",
    "like-wildcards": "%_%", "sql": "' OR 1=1 --", "markup": "<script>alert(1)</script>", "empty": "",
    "spaces": "   ", "whitespace": "\t\n\r\x0b\x0c", "long-5000": "kẹo dừa " * 715, "long-word": "d" * 5000,
    "many-words": " ".join(f"w{i}" for i in range(2000)), "nul": "\x00", "nul-inside": "kẹo\x00dừa",
    "controls": "\x01\x02\x1b[31mkẹo\x7f", "zero-width": "k\u200bẹo \ufeffdừa", "rtl": "\u202edừa",
    "combining-only": "\u0301\u0303\u0323", "emoji": "🥥🍯", "emoji-words": "kẹo 🥥 dừa", "chinese": "椰子糖",
    "mixed-scripts": "mật ong 蜂蜜 μέλι", "lone-surrogate": "k\ud800eo", "replacement": "\ufffd\ufffd",
}


@pytest.mark.parametrize("raw", HOSTILE.values(), ids=HOSTILE.keys())
def test_any_input_gives_a_normal_search_answer(catalogue, raw):
    app, _loaded = catalogue
    with request_context(app):
        result = search.search_products(raw, search_filter(per_page=24), facets=True)
        assert result.page.total >= len(result.page.items)
        assert len(result.query.text) <= 200
        search.suggest(raw)


@pytest.mark.parametrize("raw", ["kẹo AND dừa", '"kẹo dừa"', "(kẹo) (dừa)", "kẹo^ dừa~", "name:kẹo dừa*"],
                         ids=["AND", "quotes", "parens", "boost-fuzzy", "field"])
def test_query_syntax_is_only_separators(catalogue, raw):
    app, _loaded = catalogue
    with request_context(app):
        plain = [p.id for p in search.search_products("kẹo dừa", search_filter()).page.items]
        found = [p.id for p in search.search_products(raw, search_filter()).page.items]
    if raw.startswith("name:"):  # 'name' is a word like any other: nothing is called that
        assert found == []
    else:
        assert found == plain


@pytest.fixture
def client(catalogue):
    app, _loaded = catalogue
    return app.test_client()


def assert_normal(response):
    assert response.status_code in (200, 400), response.status_code
    assert response.is_json
    return response.get_json()


@pytest.mark.parametrize("raw", [v for v in HOSTILE.values() if "\ud800" not in v],
                         ids=[k for k, v in HOSTILE.items() if "\ud800" not in v])
def test_api_answers_any_query(client, raw):
    body = assert_normal(client.get("/api/v1/products", query_string={"q": raw}))
    if "error" not in body:
        assert body["total"] >= len(body["items"])
        assert set(body.get("facets", FACETS)) == set(FACETS)  # no facets when nothing was asked (q empty)
    body = assert_normal(client.get("/api/v1/suggest", query_string={"q": raw}))
    if "error" not in body:
        assert len(body["suggestions"]) <= 8


RAW_URLS = {
    "invalid-utf8": "%ff%fe", "overlong-utf8": "%C0%AF", "truncated-utf8": "%E2%82", "lone-percent": "%",
    "bad-escape": "%zz", "nul": "%00", "encoded-surrogate": "%ED%A0%80", "plus-signs": "+++", "ampersand": "k%26q%3D",
    "mixed": "k%E1%BA%B9o%ff%20d%E1%BB%ABa",
}


@pytest.mark.parametrize("encoded", RAW_URLS.values(), ids=RAW_URLS.keys())
@pytest.mark.parametrize("path", ["/api/v1/products", "/api/v1/suggest"])
def test_api_answers_undecodable_urls_normally_or_400(client, path, encoded):
    assert_normal(client.get(f"{path}?q={encoded}"))


def test_api_with_query_syntax_and_filters_together(client):
    body = assert_normal(client.get("/api/v1/products?q=k%E1%BA%B9o+AND+d%E1%BB%ABa&star=4&province=vinh-long"
                                    "&sort=relevance&in_stock=true"))
    assert [item["name"] for item in body["items"]] == ["Kẹo dừa sầu riêng", "Dầu dừa nguyên chất"]
