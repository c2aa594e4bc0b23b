"""Products in the dashboard: create, edit, publish, delete; bad input refused with the form kept; text
escaped everywhere; the overview and list in a fixed number of queries."""
import json
import re

import pytest
import sqlalchemy as sa

from catalog import services as catalog_services
from catalog.models import Product, StockMovement
from storefront.extensions import db
from tests.catalog.manage_world import PRODUCT, client_as, world  # noqa: F401  (fixtures)
from tests.factories import make_product
from vendors.models import Vendor

SCRIPT = '<script>alert("x")</script>'


def _products(app, **where):
    with app.app_context():
        rows = db.session.scalars(sa.select(Product).filter_by(**where)).all()
        db.session.expunge_all()
        return rows


def _new(client, booth, **changes):
    return client.post(f"/vendor/{booth}/products/new", data={**PRODUCT, **changes})


def test_a_product_made_in_the_dashboard_reaches_the_shop_and_the_api_once_published(app, world, client_as):
    client, booth = client_as("owner"), world["mine"]["booth"]
    response = _new(client, booth, is_published="", stock="7")
    assert response.status_code == 302
    product = _products(app, sku="KD-01")[0]
    assert (product.price_vnd, product.list_price_vnd, product.width_cm, product.gtin) == (120_000, 150_000, 10.5,
                                                                                          "8936045100011")
    assert (product.product_set, product.weight_g, product.shelf_life_days, product.stock) == ("banh_keo_mut", 500,
                                                                                              180, 7)
    assert client.get("/products/").get_data(as_text=True).count("Kẹo dừa sáp") == 0

    edit = f"/vendor/{booth}/products/{product.id}/edit"
    assert client.post(edit, data={**PRODUCT, "name": "Kẹo dừa sáp Trà Vinh", "price_vnd": "99.000",
                                   "list_price_vnd": "", "is_published": ""}).status_code == 302
    assert client.post(f"/vendor/{booth}/products/{product.id}/publish").status_code == 302

    assert "Kẹo dừa sáp Trà Vinh" in client.get("/products/").get_data(as_text=True)
    names = [p["name"] for p in client.get("/api/v1/products").get_json()["items"]]
    assert "Kẹo dừa sáp Trà Vinh" in names
    page = client.get(f"/products/{product.slug}/")
    assert page.status_code == 200 and "99.000" in page.get_data(as_text=True)
    with app.app_context():
        movements = db.session.scalars(sa.select(StockMovement).filter_by(product_id=product.id)).all()
        assert [(m.delta, m.stock_after) for m in movements] == [(7, 7)]

    assert client.post(f"/vendor/{booth}/products/{product.id}/unpublish").status_code == 302
    assert client.get(f"/products/{product.slug}/").status_code == 404


@pytest.mark.parametrize("changes, field, message", [
    ({"price_vnd": "-5"}, "price_vnd", "120.000"),
    ({"price_vnd": "0"}, "price_vnd", "1.000.000.000"),
    ({"price_vnd": "5.000.000.000"}, "price_vnd", "1.000.000.000"),
    ({"price_vnd": "12,5"}, "price_vnd", "120.000"),
    ({"list_price_vnd": "100.000"}, "list_price_vnd", "The list price cannot be below the price."),
    ({"gtin": "8936045100012"}, "gtin", "GTIN"),
    ({"stock": "-1"}, "stock", "0"),
    ({"stock": "99999999999"}, "stock", "0"),
    ({"weight_g": "-3"}, "weight_g", "1"),
    ({"group": "vu_khi"}, "group", ""),
    ({"product_set": "ruou_trang"}, "product_set", "This product set does not belong to the chosen group."),
    ({"name": ""}, "name", ""),
])
def test_bad_product_input_is_refused_with_the_form_and_input_kept(app, world, client_as, changes, field, message):
    client = client_as("owner")
    client.set_cookie("lang", "en")
    response = _new(client, world["mine"]["booth"], **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = re.search(rf'<ul class="field-errors" id="{field}-errors">(.*?)</ul>', page, re.S)
    assert errors and message in errors.group(1)
    assert 'value="KD-01"' in page  # what was typed stays
    assert _products(app, sku="KD-01") == []


def test_a_sku_is_unique_within_a_booth_but_not_across_booths(app, world, client_as):
    owner = client_as("owner")
    owner.set_cookie("lang", "en")
    assert _new(owner, world["mine"]["booth"]).status_code == 302
    again = _new(owner, world["mine"]["booth"], name="Khác")
    assert again.status_code == 400 and "Another product of this booth already has this SKU." in again.get_data(
        as_text=True)
    assert _new(client_as("other"), world["theirs"]["booth"]).status_code == 302
    first = _products(app, sku="KD-01", vendor_id=world["mine"]["vendor_id"])[0]
    editing = owner.post(f"/vendor/{world['mine']['booth']}/products/{world['mine']['product_id']}/edit",
                         data={**PRODUCT, "sku": "KD-01"})
    assert editing.status_code == 400
    assert owner.post(f"/vendor/{world['mine']['booth']}/products/{first.id}/edit",
                      data={**PRODUCT, "sku": "KD-01"}).status_code == 302  # its own SKU is not a duplicate


def test_html_in_every_text_field_is_escaped_everywhere_and_the_description_sanitised(app, world, client_as):
    client, booth = client_as("owner"), world["mine"]["booth"]
    response = _new(client, booth, name=f"Kẹo {SCRIPT}", unit=SCRIPT[:30], sku=SCRIPT[:64],
                    description=f'<p onclick="x()">Ngon</p>{SCRIPT}<a href="javascript:x()">link</a>')
    assert response.status_code == 302
    product = _products(app, vendor_id=world["mine"]["vendor_id"], unit=SCRIPT[:30])[0]
    assert "<script" not in product.description and "onclick" not in product.description
    assert "javascript:" not in product.description and "<p>Ngon</p>" in product.description
    pages = [client.get(f"/vendor/{booth}/products/{product.id}/edit"), client.get(f"/vendor/{booth}/products"),
             client.get(f"/vendor/{booth}/products/{product.id}/stock"), client.get(f"/vendor/{booth}/"),
             client.get(f"/products/{product.slug}/"), client.get("/products/")]
    for page in pages:
        assert page.status_code == 200
        assert '<script>alert' not in page.get_data(as_text=True)
    public = pages[4].get_data(as_text=True)
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', public, re.S).group(1)
    assert "<" not in jsonld and json.loads(jsonld)["name"] == f"Kẹo {SCRIPT}"
    assert "&lt;script&gt;alert" in pages[0].get_data(as_text=True)


@pytest.mark.parametrize("has_orders, soft", [(True, True), (False, False)])
def test_a_product_with_orders_is_soft_deleted_and_one_without_is_deleted_for_good(
        app, world, client_as, monkeypatch, has_orders, soft):
    mine = world["mine"]
    ordered = set()
    if has_orders:
        ordered.add(mine["product_id"])
    monkeypatch.setattr(catalog_services, "ORDER_CHECKS", [lambda product_id: product_id in ordered])
    client = client_as("owner")
    url = f"/vendor/{mine['booth']}/products/{mine['product_id']}"
    assert client.post(f"{url}/delete").status_code == 400  # not confirmed: nothing happens
    assert len(_products(app, id=mine["product_id"])) == 1
    assert client.post(f"{url}/delete", data={"confirm": "y"}).status_code == 302
    rows = _products(app, id=mine["product_id"])
    if soft:
        assert rows[0].deleted_at is not None and not rows[0].is_published
    else:
        assert rows == []
    assert client.get(f"{url}/edit").status_code == 404
    assert client.get(f"/products/{'x' if not rows else rows[0].slug}/").status_code == 404


def _fill_booth(app, vendor_id, n):
    with app.app_context():
        vendor = db.session.get(Vendor, vendor_id)
        for i in range(n):
            make_product(vendor, f"Hàng {i}", stock=0 if i % 3 == 0 else 5, weight_g=None if i % 2 else 250,
                         is_published=i % 4 != 0, image=i % 5 == 0, star=4 if i % 6 == 0 else None, commit=False)
        db.session.commit()


@pytest.mark.parametrize("extra", [5, 60])
def test_the_overview_and_product_list_run_a_fixed_number_of_queries(app, world, client_as, count_queries, extra):
    mine = world["mine"]
    _fill_booth(app, mine["vendor_id"], extra)
    client = client_as("owner")
    for url in (f"/vendor/{mine['booth']}/", f"/vendor/{mine['booth']}/products",
                f"/vendor/{mine['booth']}/products?show=missing_images"):
        with count_queries() as q:
            assert client.get(url).status_code == 200
        assert q.count <= 10, (url, q.statements)


def test_the_overview_counts_link_to_the_same_products_in_the_list(app, world, client_as):
    mine = world["mine"]
    _fill_booth(app, mine["vendor_id"], 12)
    client = client_as("owner")
    client.set_cookie("lang", "en")
    overview = client.get(f"/vendor/{mine['booth']}/").get_data(as_text=True)
    counts = {show: int(n) for show, n in re.findall(r'show=(\w+)"><strong>(\d+)</strong>', overview)}
    # the world's product is published, stocked, weightless, has 2 pictures and a certificate from May 2024
    assert counts == {"published": 10, "unpublished": 3, "out_of_stock": 4, "missing_weight": 7,
                      "missing_images": 9, "expiring": 0}
    for show, n in counts.items():
        listing = client.get(f"/vendor/{mine['booth']}/products?show={show}").get_data(as_text=True)
        assert f"({n})" in listing


def test_an_expired_or_expiring_certificate_is_flagged_in_the_overview(app, world, client_as):
    from datetime import date, timedelta
    mine = world["mine"]
    with app.app_context():
        vendor = db.session.get(Vendor, mine["vendor_id"])
        make_product(vendor, "Sắp hết hạn", star=4, decided_on=date.today() - timedelta(days=36 * 30 - 20))
        make_product(vendor, "Đã hết hạn", star=3, decided_on=date(2019, 1, 1))
        make_product(vendor, "Còn lâu", star=5, decided_on=date.today())
    listing = client_as("owner").get(f"/vendor/{mine['booth']}/products?show=expiring").get_data(as_text=True)
    assert "Sắp hết hạn" in listing and "Đã hết hạn" in listing and "Còn lâu" not in listing


def test_dashboard_pages_are_never_cached(world, client_as):
    response = client_as("owner").get(f"/vendor/{world['mine']['booth']}/products")
    assert response.headers["Cache-Control"] == "no-store" and "X-Page-Cache" not in response.headers


@pytest.mark.parametrize("page", ["0", "-1", "x", "²", "١", "99999999999999999999"])
def test_a_page_number_that_is_not_a_plain_number_in_range_is_a_404(world, client_as, page):
    assert client_as("owner").get(f"/vendor/{world['mine']['booth']}/products?page={page}").status_code == 404
