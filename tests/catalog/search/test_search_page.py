"""The shopper's search page, /search?q=…, and the search box in every page's header."""
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from catalog import search
from storefront.extensions import db
from tests.factories import make_product, make_vendor


@pytest.fixture
def market(app):
    """Coconut sweets from a cooperative in Vĩnh Long, coconut wine from a company in An Giang, rice cake."""
    with app.app_context():
        coop = make_vendor("Hợp tác xã Sáp Cầu Kè")
        company = make_vendor("Công ty Bảy Núi", entity_type="cong_ty", province="an-giang")
        slugs = {
            "candy": make_product(coop, "Kẹo dừa sáp", star=4).slug,
            "pandan": make_product(coop, "Kẹo dừa lá dứa", star=3).slug,
            "wine": make_product(company, "Rượu dừa Bảy Núi", group="do_uong", star=4).slug,
            "cake": make_product(coop, "Bánh tét lá cẩm", star=3).slug,
        }
        return slugs


def fill(app, n, name="Kẹo dừa thử"):
    with app.app_context():
        booth = make_vendor(commit=False)
        for i in range(n):
            make_product(booth, f"{name} {i}", star=(3, 4, 5)[i % 3], image=True, commit=False)
        db.session.commit()


def page_text(response):
    assert response.status_code == 200
    return response.get_data(as_text=True)


def links(html):
    """Every href on the page, unescaped."""
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def query_of(href):
    return parse_qs(urlsplit(href).query)


def facet_count(html, value):
    """The count shown next to the filter choice with this value (checkbox or select option)."""
    found = re.search(rf'value="{value}"[^>]*>[^()]*\((\d+)\)', html)
    return int(found.group(1)) if found else None


def test_search_page_shows_matching_products_with_the_query_in_title_box_and_heading(client, market):
    html = page_text(client.get("/search?q=keo+dua"))
    assert "Kẹo dừa sáp" in html and "Kẹo dừa lá dứa" in html
    assert "Bánh tét" not in html and "Rượu dừa" not in html
    assert "<title>Kết quả cho “keo dua” · Chợ OCOP</title>" in html
    assert "<h1>Kết quả cho “keo dua”</h1>" in html
    assert 'name="q" value="keo dua"' in html
    assert '<meta name="robots" content="noindex, follow">' in html
    assert "2 sản phẩm" in html


def test_every_filter_sort_chip_and_page_link_keeps_the_query(client, app):
    fill(app, 30)
    html = page_text(client.get("/search?q=k%E1%BA%B9o&group=thuc_pham&in_stock=1"))
    search_links = [h for h in links(html) if h.startswith("/search")]
    assert len(search_links) >= 10  # chips, clear-all, sorts, pages, per-page
    for href in search_links:
        assert query_of(href)["q"] == ["kẹo"], href
    assert any(query_of(h).get("page") == ["2"] for h in search_links)
    assert any(query_of(h).get("sort") == ["price_asc"] for h in search_links)
    assert not any("relevance" in h for h in search_links), "the default sort stays out of URLs"
    assert '<input type="hidden" name="q" value="kẹo">' in html


def test_best_match_is_the_default_sort_with_a_query_and_newest_without(client, market):
    with_query = page_text(client.get("/search?q=dua"))
    assert '<span aria-current="true">Phù hợp nhất</span>' in with_query
    without = page_text(client.get("/search"))
    assert '<span aria-current="true">Mới nhất</span>' in without and "Phù hợp nhất" not in without
    assert all(name in without for name in ("Kẹo dừa sáp", "Rượu dừa Bảy Núi", "Bánh tét lá cẩm"))
    assert "<h1>Tìm sản phẩm</h1>" in without
    cheap_first = page_text(client.get("/search?q=dua&sort=price_asc"))
    assert '<span aria-current="true">Giá: thấp đến cao</span>' in cheap_first


def test_facet_counts_are_shown_and_respect_the_other_filters(client, market):
    html = page_text(client.get("/search?q=dua"))
    assert facet_count(html, "thuc_pham") == 2 and facet_count(html, "do_uong") == 1
    assert facet_count(html, "4") == 2 and facet_count(html, "3") == 1
    assert facet_count(html, "vinh-long") == 2 and facet_count(html, "an-giang") == 1
    assert facet_count(html, "hop_tac_xa") == 2 and facet_count(html, "cong_ty") == 1
    assert facet_count(html, "ha-noi") is None, "a choice that would find nothing is left out"

    four = page_text(client.get("/search?q=dua&star=4"))
    assert facet_count(four, "thuc_pham") == 1 and facet_count(four, "do_uong") == 1
    assert facet_count(four, "4") == 2 and facet_count(four, "3") == 1, "a facet ignores its own filter"
    assert re.search(r'value="4" checked', four)


def test_a_typo_gets_a_did_you_mean_link_that_finds_products(client, market):
    html = page_text(client.get("/search?q=keo+dux"))
    assert "Không tìm thấy sản phẩm nào cho “keo dux”." in html
    found = re.search(r'<p class="did-you-mean">Có phải bạn muốn tìm: <a href="([^"]+)">([^<]+)</a>', html)
    assert found and found.group(2) == "kẹo dừa"
    assert query_of(unescape(found.group(1)))["q"] == ["kẹo dừa"]
    followed = page_text(client.get(unescape(found.group(1))))
    assert "Kẹo dừa sáp" in followed and "did-you-mean" not in followed


def test_no_results_shows_an_empty_state_with_a_way_out(client, market):
    html = page_text(client.get("/search?q=xylophone"))
    assert "0 sản phẩm" in html
    assert "Không tìm thấy sản phẩm nào cho “xylophone”." in html
    assert "Gõ không dấu cũng được." in html
    assert 'href="/products/">Xem tất cả sản phẩm</a>' in html
    filtered = page_text(client.get("/search?q=xylophone&star=5"))
    assert 'href="/search?q=xylophone">Tìm lại không kèm bộ lọc</a>' in filtered


def test_unknown_filter_values_are_ignored_with_a_notice(client, market):
    html = page_text(client.get("/search?q=dua&star=9&province=atlantis&sort=bogus&per_page=5000&page=x"))
    for name in ("star=9", "province=atlantis", "sort=bogus", "per_page=5000", "page=x"):
        assert f"Đã bỏ qua {name}" in html
    assert "Kẹo dừa sáp" in html and "3 sản phẩm" in html


def test_best_match_is_not_a_sort_without_words_to_match(client, market):
    html = page_text(client.get("/search?sort=relevance"))
    assert "Đã bỏ qua sort=relevance" in html


@pytest.mark.parametrize("query", ["page=2", "page=0", "page=-1", "page=1000001"])
def test_a_page_beyond_the_results_is_not_found(client, market, query):
    assert client.get(f"/search?q=dua&{query}").status_code == 404


def test_second_page_of_results(client, app):
    fill(app, 30)
    html = page_text(client.get("/search?q=keo&page=2"))
    assert "<title>Kết quả cho “keo”, trang 2 · Chợ OCOP</title>" in html
    assert html.count('<li class="card">') == 6


def measure(app, client, count_queries, url):
    app.extensions["page_cache"].clear()
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200 and response.headers.get("X-Page-Cache") != "hit"
    return q.count


def test_search_page_runs_the_same_few_queries_for_2_or_30_results(app, client, count_queries):
    fill(app, 2)
    small = measure(app, client, count_queries, "/search?q=keo+dua&per_page=48")
    fill(app, 28)
    large = measure(app, client, count_queries, "/search?q=keo+dua&per_page=48")
    assert "30 sản phẩm" in client.get("/search?q=keo+dua&per_page=48").get_data(as_text=True)
    assert small == large <= 4
    assert measure(app, client, count_queries, "/search?q=keo&star=4&in_stock=1&sort=price_desc") <= 4


def test_the_query_is_escaped_everywhere_it_is_shown(client, market):
    html = page_text(client.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E%22onmouseover%3D"))
    assert "<script>alert" not in html and '"onmouseover' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;onmouseover=" in html


@pytest.mark.parametrize("raw", [
    "%22", "*", "(", "AND", ":", "", "%20%20", "kẹo+AND+(dừa", "%22kẹo+dừa%22*", "dua:keo", "OR+NOT",
    "a" * 5000, "%00", "%01keo%00dua", "%ff%fe", "%C3%28", "%E1%BA", "keo%0Adua%09", "%EF%BF%BF", "%F0%9F%A5%A5",
])
def test_hostile_queries_give_a_normal_page(client, market, raw):
    html = page_text(client.get(f"/search?q={raw}"))
    assert "\x00" not in html and "\x01" not in html
    assert '<meta name="robots" content="noindex, follow">' in html


def test_a_long_query_is_cut_in_the_box_and_links(client, market):
    html = page_text(client.get("/search?q=" + "dua+" * 1500))
    shown = re.search(r'id="site-q" type="search" name="q" value="([^"]*)"', html).group(1)
    assert 0 < len(shown) <= 200
    assert all(len(h) < 1000 for h in links(html) if h.startswith("/search"))


def test_english_visitors_get_english_labels(client, market):
    client.set_cookie("lang", "en")
    html = page_text(client.get("/search?q=dua"))
    assert "<h1>Results for “dua”</h1>" in html
    for label in ("Best match", "3 products", "Search products, booths and places", "Product group"):
        assert label in html
    assert "Phù hợp nhất" not in html
    empty = page_text(client.get("/search?q=xylophone"))
    assert "No products match “xylophone”." in empty


def test_while_the_index_is_rebuilt_the_database_answers_with_a_notice(app, client, market, monkeypatch):
    monkeypatch.setattr(search.state(app), "checked", True)  # no background rebuild from this request
    monkeypatch.setattr(search.backend(app), "is_ready", lambda: False)
    html = page_text(client.get("/search?q=keo+dua"))
    assert "Bộ tìm kiếm đang được cập nhật" in html
    assert "Kẹo dừa sáp" in html and "Bánh tét" not in html
    assert 'class="count"' not in html, "no facet counts from the database fallback"


@pytest.mark.parametrize("path", ["/", "/products/", "/booths/", "/account/signin", "/no-such-page"])
def test_every_page_has_a_search_box_that_works_without_javascript(client, market, path):
    html = client.get(path).get_data(as_text=True)
    form = re.search(r'<form class="wrap site-search" role="search" method="get" action="/search"[^>]*>(.*?)</form>',
                     html, re.S)
    assert form, path
    assert '<label class="vh" id="site-q-label" for="site-q">Tìm sản phẩm, gian hàng và địa danh</label>' in form.group(1)
    field = re.search(r"<input id=\"site-q\"[^>]*>", form.group(1)).group(0)
    for attribute in ('type="search"', 'name="q"', 'autocomplete="off"', 'enterkeyhint="search"'):
        assert attribute in field
    assert '<button type="submit">Tìm kiếm</button>' in form.group(1)
    assert re.search(r'<script src="/static/js/suggest.js[^"]*" defer></script>', html)


def test_the_header_box_submits_to_the_search_page(client, market):
    html = page_text(client.get("/search", query_string={"q": "Cầu Kè"}))
    assert "Kẹo dừa sáp" in html and "Rượu dừa" not in html
    assert 'value="Cầu Kè"' in html


def test_text_with_nothing_to_search_for_lists_the_catalogue_newest_first(client, market):
    html = page_text(client.get("/search?q=*"))
    assert "<h1>Tìm sản phẩm</h1>" in html and "4 sản phẩm" in html
    assert '<span aria-current="true">Mới nhất</span>' in html
    assert 'id="site-q" type="search" name="q" value="*"' in html
