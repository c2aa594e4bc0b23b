"""`flask ocop demo`: a believable Trà Vinh (now Vĩnh Long) market, loaded once per module and run twice."""
from datetime import date

import pytest
import sqlalchemy as sa

from catalog.demo.booths import SHOWROOMS
from catalog.demo.synthetic import BOOTH_PREFIX
from catalog.gtin import normalize_gtin
from catalog.listings.models import Listing
from catalog.models import Certificate, Product, ProductImage, Showroom, add_months
from storefront.extensions import db
from storefront.media import storage
from tests.factories import make_product
from vendors.models import Vendor

DISTRICTS = ("Cầu Kè", "Trà Cú", "Càng Long", "Châu Thành", "Duyên Hải", "Tiểu Cần", "Cầu Ngang", "thành phố Trà Vinh")


def _counts():
    return {m.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (Vendor, Product, Certificate, ProductImage, Showroom, Listing)}


def _synthetic():
    return db.session.scalar(sa.select(sa.func.count(Product.id)).join(Product.vendor)
                             .where(Vendor.slug.like(f"{BOOTH_PREFIX}%")))


@pytest.fixture(scope="module")
def demo(app):
    """The demo loaded twice; what the tests need is read before the database is emptied again."""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["ocop", "demo"])
    with app.app_context():
        facts = {"first": first, "counts": _counts()}
        products = db.session.scalars(sa.select(Product)).all()
        vendors = db.session.scalars(sa.select(Vendor)).all()
        facts["products"] = [(p.name, p.group, p.ocop_state(), p.price_vnd, p.stock, p.gtin, p.sku, p.description,
                              p.weight_g, p.length_cm, p.vendor.province) for p in products]
        facts["entity_types"] = {v.entity_type for v in vendors}
        facts["vendors"] = [(v.name, v.status, v.address_text, v.legacy_district, v.commune) for v in vendors]
        facts["certificates"] = [(c.product.name, c.status, c.decided_on, c.effective_status())
                                 for c in db.session.scalars(sa.select(Certificate))]
        facts["images"] = [(i.key, i.width, storage().path(i.key, 800).is_file())
                           for i in db.session.scalars(sa.select(ProductImage))]
        facts["listings"] = [(li.marketplace, li.status, li.url, li.reason, li.product.is_service)
                             for li in db.session.scalars(sa.select(Listing))]
        facts["showrooms"] = {s.name: (s.address_text, s.province, len(s.products))
                              for s in db.session.scalars(sa.select(Showroom))}
    facts["second"] = runner.invoke(args=["ocop", "demo"])
    with app.app_context():
        facts["counts_again"] = _counts()
    return facts


def test_the_demo_command_succeeds_and_prints_a_summary(demo):
    assert demo["first"].exit_code == 0, demo["first"].output
    assert "Products: 71 created" in demo["first"].output


def test_the_demo_has_at_least_60_products_from_20_booths_of_all_five_entity_types(demo):
    assert demo["counts"]["products"] >= 60 and demo["counts"]["vendors"] >= 20
    assert demo["entity_types"] == {"ho_kinh_doanh", "cong_ty", "doanh_nghiep", "hop_tac_xa", "to_hop_tac"}
    assert all(status == "approved" for _n, status, *_ in demo["vendors"])


def test_the_demo_covers_the_groups_and_ocop_levels_of_the_province(demo):
    groups = {p[1] for p in demo["products"]}
    assert {"thuc_pham", "do_uong", "duoc_lieu", "thu_cong_my_nghe", "du_lich"} <= groups
    states = {p[2] for p in demo["products"]}
    assert {("certified", 3), ("certified", 4), ("potential_5", 4), ("expired", None)} <= states
    salon = next(p for p in demo["products"] if p[0] == "Bộ salon tre Trì Cảnh")
    assert salon[2] == ("potential_5", 4) and salon[1] == "thu_cong_my_nghe"


def test_the_demo_has_an_expired_certificate_decided_more_than_36_months_ago(demo):
    expired = [c for c in demo["certificates"] if c[3] == "expired"]
    assert expired and all(add_months(c[2], 36) < date.today() for c in expired)


def test_places_are_current_with_legacy_districts_kept(demo):
    assert {p[10] for p in demo["products"]} == {"vinh-long"}
    districts = {v[3] for v in demo["vendors"]}
    assert all(any(d in district for district in districts) for d in DISTRICTS)
    assert all("Trà Vinh" in v[2] and v[4] for v in demo["vendors"])


def test_product_data_is_realistic(demo):
    products = demo["products"]
    assert all(1_000 <= p[3] <= 20_000_000 and p[3] % 1000 == 0 for p in products)
    assert sum(1 for p in products if p[4] == 0 and p[1] != "du_lich") >= 3
    gtins = [p[5] for p in products if p[5]]
    assert len(gtins) >= 5 and all(normalize_gtin(g) == g and g[:3] in map(str, range(200, 300)) for g in gtins)
    assert len({p[6] for p in products}) == len(products)
    assert sum(1 for p in products if len(p[7]) >= 100 and p[7].startswith("<p>")) >= 30
    assert any(p[9] for p in products) and all(p[8] for p in products if p[1] != "du_lich")
    assert any(ch in "".join(p[0] for p in products) for ch in "ặẫữờ")


def test_the_five_showrooms_of_the_article_have_products_on_show(demo):
    assert set(demo["showrooms"]) == {s[0] for s in SHOWROOMS}
    addresses = " ".join(a for a, _p, _n in demo["showrooms"].values())
    for place in ("Ba Động", "Cồn Chim", "Ao Bà Om", "6A Nguyễn Thị Minh Khai", "Sáu Dư", "Rạch Dừa", "Đại Phước"):
        assert place in addresses
    assert all(n >= 5 and province == "vinh-long" for _a, province, n in demo["showrooms"].values())


def test_every_demo_product_has_a_generated_picture_on_disk(demo):
    assert len(demo["images"]) == demo["counts"]["products"]
    assert all(on_disk and width >= 800 for _k, width, on_disk in demo["images"])
    assert len({key for key, _w, _d in demo["images"]}) == len(demo["images"])


def test_the_demo_has_products_listed_on_every_marketplace_one_in_review_and_one_rejected(demo):
    hosts = {"tiki": "https://tiki.vn/", "sendo": "https://www.sendo.vn/", "voso": "https://voso.vn/",
             "postmart": "https://postmart.vn/"}
    listed = [(m, url) for m, status, url, _r, _s in demo["listings"] if status == "listed"]
    assert {m for m, _url in listed} == set(hosts)
    assert all(url.startswith(hosts[m]) for m, url in listed)
    assert [r for _m, status, _u, r, _s in demo["listings"] if status == "rejected"] == [
        "Ảnh sản phẩm có số điện thoại của người bán"]
    assert [m for m, status, *_ in demo["listings"] if status == "submitted"] == ["tiki"]
    assert not any(is_service for *_x, is_service in demo["listings"])
    assert "marketplace listings added: 0" in demo["second"].output


def test_loading_the_demo_twice_changes_nothing(demo):
    assert demo["second"].exit_code == 0
    assert "Products: 0 created, 0 updated, 71 unchanged" in demo["second"].output
    assert demo["counts_again"] == demo["counts"]


@pytest.mark.slow
def test_scale_adds_exactly_n_synthetic_products_however_often_it_runs(app, runner):
    assert runner.invoke(args=["ocop", "demo", "--scale", "500"]).exit_code == 0
    with app.app_context():
        counts = _counts()
        assert _synthetic() == 500
        assert db.session.scalar(sa.select(sa.func.count(sa.distinct(Vendor.slug)))
                                 .where(Vendor.slug.like(f"{BOOTH_PREFIX}%"))) == 10
        names = db.session.scalars(sa.select(Product.name).join(Product.vendor)
                                   .where(Vendor.slug.like(f"{BOOTH_PREFIX}%"))).all()
        assert len(set(names)) > 400
        images = db.session.scalar(sa.select(sa.func.count(sa.distinct(ProductImage.key))))
        assert images < counts["products"] // 4  # synthetic products share a small pool of pictures
    result = runner.invoke(args=["ocop", "demo", "--scale", "500"])
    assert "0 products and 0 booths created; 500 synthetic products in all" in result.output
    with app.app_context():
        assert _synthetic() == 500 and _counts() == counts
    assert runner.invoke(args=["ocop", "demo", "--scale", "550"]).exit_code == 0
    with app.app_context():
        assert _synthetic() == 550


def test_if_empty_skips_a_market_that_has_products(app, runner):
    with app.app_context():
        make_product()
    result = runner.invoke(args=["ocop", "demo", "--if-empty"])
    assert result.exit_code == 0 and "already has products" in result.output
    with app.app_context():
        assert _counts()["products"] == 1


def test_if_empty_loads_an_empty_market(app, runner):
    result = runner.invoke(args=["ocop", "demo", "--if-empty"])
    assert result.exit_code == 0
    with app.app_context():
        assert _counts()["products"] >= 60
