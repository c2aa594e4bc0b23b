"""JSON API v1: list and detail shapes, filters, visibility, strict parameters and bounded queries."""
from datetime import date, datetime, timezone

import pytest

from catalog.models import add_months
from storefront.extensions import db
from tests.factories import make_product, make_showroom, make_vendor

BASE = "https://cho-ocop.test"


@pytest.fixture
def market(ctx):
    """Two open booths with products in every OCOP state, and products that must stay hidden."""
    coop = make_vendor("Hợp tác xã Dừa Sáp Cầu Kè", slug="htx-dua-sap", entity_type="hop_tac_xa",
                       province="vinh-long", story="Dừa sáp trồng bên sông Hậu.")
    firm = make_vendor("Công ty Trà Cần Thơ", slug="cty-tra", entity_type="cong_ty", province="can-tho")
    pending = make_vendor(slug="cho-duyet", status="pending")
    suspended = make_vendor(slug="tam-ngung", status="suspended")
    m = {
        "keo": make_product(coop, "Kẹo dừa sáp", slug="keo-dua-sap", star=4, price_vnd=85_000, image=True,
                            gtin="8936045100011", sku="KDS-01", unit="hộp", weight_g=300, length_cm=20.0,
                            description="<p>Kẹo dừa</p>"),
        "mat": make_product(coop, "Mật hoa dừa", slug="mat-hoa-dua", star=3, price_vnd=120_000),
        "ruou": make_product(firm, "Rượu Xuân Thạnh", slug="ruou-xuan-thanh", group="do_uong", star=4,
                             cert_status="potential_5", price_vnd=250_000),
        "tra": make_product(firm, "Trà mãng cầu", slug="tra-mang-cau", group="do_uong", star=4, price_vnd=60_000,
                            decided_on=add_months(date.today(), -37)),
        "het": make_product(firm, "Bánh tét lá cẩm", slug="banh-tet", stock=0, price_vnd=40_000),
        "tour": make_product(coop, "Du lịch cù lao", slug="du-lich-cu-lao", group="du_lich", stock=0,
                             price_vnd=300_000),
    }
    hidden = {
        "unpublished": make_product(coop, slug="an-chua-dang", is_published=False),
        "deleted": make_product(coop, slug="da-xoa", deleted_at=datetime.now(timezone.utc)),
        "pending": make_product(pending, slug="cua-gian-cho-duyet"),
        "suspended": make_product(suspended, slug="cua-gian-tam-ngung"),
    }
    make_showroom("Cửa hàng OCOP Ao Bà Om", products=[m["keo"]])
    db.session.expire_all()
    return {"coop": coop, "firm": firm, "hidden": hidden, **m}


def slugs(response):
    assert response.status_code == 200, response.get_json()
    return {item["slug"] for item in response.get_json()["items"]}


def assert_json_error(response, status, parameter=None):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status and error["title"] and error["message"]
    assert error.get("parameter") == parameter


VISIBLE = {"keo-dua-sap", "mat-hoa-dua", "ruou-xuan-thanh", "tra-mang-cau", "banh-tet", "du-lich-cu-lao"}


def test_product_list_answers_items_total_page_and_per_page(client, market):
    body = client.get("/api/v1/products").get_json()
    assert set(body) == {"items", "total", "page", "per_page"}
    assert (body["total"], body["page"], body["per_page"]) == (6, 1, 24)
    assert {item["slug"] for item in body["items"]} == VISIBLE


def test_a_listed_product_carries_its_booth_ocop_state_and_absolute_urls(client, market):
    items = {i["slug"]: i for i in client.get("/api/v1/products").get_json()["items"]}
    keo = items["keo-dua-sap"]
    assert keo["id"] == market["keo"].id
    assert (keo["name"], keo["price_vnd"], keo["stock"], keo["in_stock"]) == ("Kẹo dừa sáp", 85_000, 10, True)
    assert (keo["group"], keo["stars"], keo["ocop_status"]) == ("thuc_pham", 4, "certified")
    assert keo["url"] == f"{BASE}/products/keo-dua-sap/"
    assert keo["qr_url"] == f"{BASE}/products/keo-dua-sap/qr.png"
    assert keo["image_url"] == f"{BASE}/media/img/test/800.webp"
    assert keo["booth"] == {"slug": "htx-dua-sap", "name": "Hợp tác xã Dừa Sáp Cầu Kè", "entity_type": "hop_tac_xa",
                            "province": "vinh-long", "url": f"{BASE}/booths/htx-dua-sap/"}
    assert items["mat-hoa-dua"]["image_url"] is None


def test_an_expired_certificate_gives_no_stars_and_says_expired(client, market):
    tra = client.get("/api/v1/products/tra-mang-cau").get_json()
    assert (tra["stars"], tra["ocop_status"]) == (None, "expired")
    assert tra["certificate"]["status"] == "expired" and tra["certificate"]["star"] == 4


def test_a_product_without_certificate_has_null_ocop_fields(client, market):
    het = client.get("/api/v1/products/banh-tet").get_json()
    assert (het["stars"], het["ocop_status"], het["certificate"]) == (None, None, None)
    assert het["in_stock"] is False


def test_product_detail_carries_certificate_extras_and_showrooms(client, market):
    keo = client.get("/api/v1/products/keo-dua-sap").get_json()
    cert = keo["certificate"]
    assert cert["star"] == 4 and cert["status"] == "certified" and cert["issuing_body"] == "UBND tỉnh Vĩnh Long"
    assert cert["decided_on"] == date.today().isoformat()
    assert cert["expires_on"] == add_months(date.today(), 36).isoformat()
    assert cert["decision_no"].endswith("/QĐ-UBND")
    assert (keo["gtin"], keo["sku"], keo["unit"], keo["weight_g"]) == ("8936045100011", "KDS-01", "hộp", 300)
    assert keo["dimensions"] == {"length_cm": 20.0, "width_cm": None, "height_cm": None}
    assert keo["list_price_vnd"] is None and keo["product_set"] is None
    assert keo["description_html"] == "<p>Kẹo dừa</p>"
    assert keo["qr_svg_url"] == f"{BASE}/products/keo-dua-sap/qr.svg"
    assert [s["name"] for s in keo["showrooms"]] == ["Cửa hàng OCOP Ao Bà Om"]
    assert keo["images"] == [{"url": f"{BASE}/media/img/test/800.webp", "alt": ""}]


def test_a_service_is_in_stock_without_stock(client, market):
    tour = client.get("/api/v1/products/du-lich-cu-lao").get_json()
    assert (tour["stock"], tour["in_stock"], tour["is_service"]) == (0, True, True)


@pytest.mark.parametrize("which", ["unpublished", "deleted", "pending", "suspended"])
def test_hidden_products_are_neither_listed_nor_served(client, market, which):
    slug = market["hidden"][which].slug
    assert slug not in slugs(client.get("/api/v1/products?per_page=100"))
    assert_json_error(client.get(f"/api/v1/products/{slug}"), 404)


def test_an_unknown_product_is_a_json_404(client, market):
    assert_json_error(client.get("/api/v1/products/khong-co"), 404)


@pytest.mark.parametrize("query, expected", [
    ("group=do_uong", {"ruou-xuan-thanh", "tra-mang-cau"}),
    ("group=do_uong&group=du_lich", {"ruou-xuan-thanh", "tra-mang-cau", "du-lich-cu-lao"}),
    ("star=4", {"keo-dua-sap"}),
    ("star=3&star=4", {"keo-dua-sap", "mat-hoa-dua"}),
    ("star=p5", {"ruou-xuan-thanh"}),
    ("province=can-tho", {"ruou-xuan-thanh", "tra-mang-cau", "banh-tet"}),
    ("entity_type=hop_tac_xa", {"keo-dua-sap", "mat-hoa-dua", "du-lich-cu-lao"}),
    ("price_min=60000&price_max=120000", {"keo-dua-sap", "mat-hoa-dua", "tra-mang-cau"}),
    ("in_stock=true", VISIBLE - {"banh-tet"}),
    ("in_stock=0", VISIBLE),
    ("booth=cty-tra", {"ruou-xuan-thanh", "tra-mang-cau", "banh-tet"}),
    ("group=&province=", VISIBLE),
])
def test_catalogue_filters_select_products(client, market, query, expected):
    assert slugs(client.get(f"/api/v1/products?{query}")) == expected


def test_sort_and_pagination_walk_the_catalogue_in_order(client, market):
    prices = []
    for page in (1, 2, 3):
        body = client.get(f"/api/v1/products?sort=price_asc&per_page=2&page={page}").get_json()
        assert (body["total"], body["page"], body["per_page"]) == (6, page, 2)
        prices += [item["price_vnd"] for item in body["items"]]
    assert prices == sorted(prices) and len(prices) == 6


def test_a_page_after_the_last_is_a_404_but_an_empty_first_page_is_not(client, market):
    assert_json_error(client.get("/api/v1/products?per_page=2&page=4"), 404, "page")
    assert client.get("/api/v1/products?per_page=2&page=3").status_code == 200
    empty = client.get("/api/v1/products?province=ha-noi")
    assert empty.status_code == 200 and empty.get_json()["items"] == [] and empty.get_json()["total"] == 0


@pytest.mark.parametrize("query, parameter", [
    ("per_page=0", "per_page"),
    ("per_page=101", "per_page"),
    ("per_page=ten", "per_page"),
    ("page=0", "page"),
    ("page=-1", "page"),
    ("page=1.5", "page"),
    ("page=99999999999999999999", "page"),
    ("star=6", "star"),
    ("star=5&star=bogus", "star"),
    ("group=banh_keo", "group"),
    ("province=atlantis", "province"),
    ("province=vinh-long&province=can-tho", "province"),
    ("entity_type=hop-tac-xa-xyz", "entity_type"),
    ("price_min=12.5", "price_min"),
    ("price_min=-1", "price_min"),
    ("price_max=120.000", "price_max"),
    ("price_min=90000&price_max=80000", "price_min"),
    ("in_stock=maybe", "in_stock"),
    ("sort=cheapest", "sort"),
    ("stars=4", "stars"),
    ("booth=khong-co", "booth"),
    ("booth=cho-duyet", "booth"),
    ("booth=%00", "booth"),
    ("per_page=%FF", "per_page"),
    ("star=%C3%28", "star"),
])
def test_malformed_or_unknown_parameters_are_a_400_naming_the_parameter(client, market, query, parameter):
    assert_json_error(client.get(f"/api/v1/products?{query}"), 400, parameter)


@pytest.mark.parametrize("query, parameter", [
    ("per_page=500", "per_page"), ("province=nowhere", "province"), ("entity_type=x", "entity_type"),
    ("group=do_uong", "group"),
])
def test_booth_list_parameters_are_checked_strictly(client, market, query, parameter):
    assert_json_error(client.get(f"/api/v1/booths?{query}"), 400, parameter)


NASTY = ["x" * 20_000, "%00", "%01%02%1b", "%FF", "%C3%28", "%E2%80%AE", "'%20OR%201=1--", "%F0%9F%A5%A5",
         "%0D%0ASet-Cookie:%20a=b", "..%2F..%2Fetc%2Fpasswd"]


@pytest.mark.parametrize("value", NASTY)
@pytest.mark.parametrize("path", ["/api/v1/products?{p}={v}", "/api/v1/products?group={v}&page={v}",
                                  "/api/v1/booths?province={v}", "/api/v1/products?{v}=1",
                                  "/api/v1/products/{v}", "/api/v1/booths/{v}"])
def test_nothing_in_a_url_ends_in_a_500(client, market, path, value):
    response = client.get(path.format(v=value, p="per_page"))
    assert response.status_code in (400, 404)
    assert "error" in response.get_json()


def test_vietnamese_is_sent_as_utf8_not_escaped(client, market):
    raw = client.get("/api/v1/products/keo-dua-sap").get_data()
    assert "Kẹo dừa sáp".encode() in raw and b"\\u" not in raw
    assert "Tham số".encode() in client.get("/api/v1/products?star=9").get_data()


def test_api_answers_any_origin_and_is_served_from_the_page_cache(client, market):
    first = client.get("/api/v1/products?star=4")
    second = client.get("/api/v1/products?star=4")
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Page-Cache" not in first.headers and second.headers["X-Page-Cache"] == "hit"
    assert second.get_json() == first.get_json() and second.mimetype == "application/json"


def test_a_write_is_seen_by_the_next_api_request(client, market):
    assert client.get("/api/v1/products/mat-hoa-dua").get_json()["price_vnd"] == 120_000
    market["mat"].price_vnd = 99_000
    db.session.commit()
    assert client.get("/api/v1/products/mat-hoa-dua").get_json()["price_vnd"] == 99_000


def test_booth_list_counts_only_products_on_sale_and_hides_closed_booths(client, market):
    body = client.get("/api/v1/booths").get_json()
    assert (body["total"], body["page"], body["per_page"]) == (2, 1, 24)
    booths = {b["slug"]: b for b in body["items"]}
    assert set(booths) == {"htx-dua-sap", "cty-tra"}
    assert booths["htx-dua-sap"]["product_count"] == 3
    assert (booths["cty-tra"]["province_name"], booths["cty-tra"]["product_count"]) == ("Cần Thơ", 3)
    assert booths["cty-tra"]["products_url"] == f"{BASE}/api/v1/products?booth=cty-tra"
    assert slugs(client.get("/api/v1/booths?entity_type=cong_ty")) == {"cty-tra"}
    assert slugs(client.get("/api/v1/booths?province=vinh-long")) == {"htx-dua-sap"}
    assert_json_error(client.get("/api/v1/booths?page=2"), 404, "page")


def test_booth_detail_tells_its_story_and_hides_closed_booths(client, market):
    body = client.get("/api/v1/booths/htx-dua-sap").get_json()
    assert body["story"] == "Dừa sáp trồng bên sông Hậu." and body["product_count"] == 3
    assert body["url"] == f"{BASE}/booths/htx-dua-sap/"
    for slug in ("cho-duyet", "tam-ngung", "khong-co"):
        assert_json_error(client.get(f"/api/v1/booths/{slug}"), 404)


def _fresh_get(app, client, count_queries, url):
    app.extensions["page_cache"].pages.clear()
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    return q.count


@pytest.mark.parametrize("url", ["/api/v1/products?per_page=100", "/api/v1/products?booth=htx-dua-sap&sort=stars",
                                 "/api/v1/booths?per_page=100"])
def test_a_list_runs_a_bounded_number_of_queries_whatever_its_size(app, client, ctx, count_queries, url):
    coop = make_vendor(slug="htx-dua-sap")
    make_product(coop, star=4, image=True)
    small = _fresh_get(app, client, count_queries, url)
    for n in range(40):
        vendor = coop if n % 2 else make_vendor(commit=False)
        make_product(vendor, star=3 + n % 3, image=True, commit=False)
    db.session.commit()
    large = _fresh_get(app, client, count_queries, url)
    assert large == small <= 5


@pytest.mark.parametrize("url", ["/api/v1/products/keo-dua-sap", "/api/v1/booths/htx-dua-sap"])
def test_a_detail_runs_a_bounded_number_of_queries(app, client, market, count_queries, url):
    assert _fresh_get(app, client, count_queries, url) <= 4
