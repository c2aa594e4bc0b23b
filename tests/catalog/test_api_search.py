"""Search through the API: `q` on /api/v1/products ranks by relevance and adds facets and a "did you
mean"; /api/v1/suggest completes what has been typed."""
import pytest

from storefront.extensions import db
from tests.factories import make_product, make_vendor


@pytest.fixture
def market(ctx):
    coop = make_vendor("Hợp tác xã Dừa Sáp Cầu Kè", slug="htx-dua-sap", entity_type="hop_tac_xa",
                       province="vinh-long")
    farm = make_vendor("Hộ kinh doanh Dưa lưới Ba Tri", slug="dua-luoi-ba-tri", province="can-tho")
    make_product(coop, "Kẹo dừa sáp", slug="keo-dua-sap", star=4, price_vnd=85_000)
    make_product(coop, "Kẹo dừa lá dứa", slug="keo-dua-la-dua", star=3, price_vnd=60_000)
    make_product(farm, "Dưa lưới Ba Tri", slug="dua-luoi", star=3, price_vnd=120_000)
    make_product(farm, "Mứt dưa lưới", slug="mut-dua-luoi", price_vnd=45_000, stock=0)
    db.session.expire_all()


def body(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_q_ranks_exact_tone_marks_first_and_counts_every_match(client, market):
    found = body(client, "/api/v1/products?q=dừa")
    assert [item["slug"] for item in found["items"]][:2] in (["keo-dua-sap", "keo-dua-la-dua"],
                                                             ["keo-dua-la-dua", "keo-dua-sap"])
    assert found["total"] == 4 and found["query"] == "dừa"
    assert {item["slug"] for item in body(client, "/api/v1/products?q=DUA")["items"]} == {
        "keo-dua-sap", "keo-dua-la-dua", "dua-luoi", "mut-dua-luoi"}


def test_facets_count_matches_under_the_other_filters(client, market):
    found = body(client, "/api/v1/products?q=dua&province=vinh-long&star=3")
    assert [item["slug"] for item in found["items"]] == ["keo-dua-la-dua"]
    # The province facet ignores the province filter (keeps star=3); the star facet ignores the star filter.
    assert found["facets"]["province"] == {"can-tho": 1, "vinh-long": 1}
    assert found["facets"]["star"] == {"3": 1, "4": 1}
    assert found["facets"]["entity_type"] == {"hop_tac_xa": 1}
    assert found["suggestion"] is None and found["degraded"] is False


def test_a_typo_with_no_result_comes_with_a_suggestion_that_finds_something(client, market):
    found = body(client, "/api/v1/products?q=keo%20duaa%20zzzzzz")
    assert found["total"] == 0 and found["items"] == []
    assert found["suggestion"]
    assert body(client, "/api/v1/products?q=" + found["suggestion"])["total"] > 0


def test_sort_by_price_with_q_and_relevance_without_q(client, market):
    found = body(client, "/api/v1/products?q=dua&sort=price_asc")
    prices = [item["price_vnd"] for item in found["items"]]
    assert prices == sorted(prices) and len(prices) == 4
    assert "facets" not in body(client, "/api/v1/products?sort=relevance")


@pytest.mark.parametrize("q", ['"', "*", "(", "AND", ":", "a:b", "x" * 5000, "%00%01", "%ff%fe", "🥥", "  "])
def test_hostile_search_text_never_fails(client, market, q):
    response = client.get(f"/api/v1/products?q={q}")
    assert response.status_code in (200, 400)
    assert response.mimetype == "application/json"
    response = client.get(f"/api/v1/suggest?q={q}")
    assert response.status_code == 200 and len(response.get_json()["suggestions"]) <= 8


def test_suggest_completes_the_last_word_and_names_booths(client, market):
    found = body(client, "/api/v1/suggest?q=keo%20d")
    assert [s["text"] for s in found["suggestions"]][:2] in (["Kẹo dừa sáp", "Kẹo dừa lá dứa"],
                                                            ["Kẹo dừa lá dứa", "Kẹo dừa sáp"])
    assert found["suggestions"][0]["url"].startswith("https://cho-ocop.test/products/")
    booths = [s for s in body(client, "/api/v1/suggest?q=hop%20tac")["suggestions"] if s["kind"] == "booth"]
    assert booths[0]["slug"] == "htx-dua-sap" and booths[0]["url"] == "https://cho-ocop.test/booths/htx-dua-sap/"
    assert body(client, "/api/v1/suggest?q=k")["suggestions"] == []
