"""Products as ListingItems: which products, their absolute URLs and pictures, categories from the mapping,
and a bounded number of queries and objects held per batch."""
from datetime import date, timedelta

import sqlalchemy as sa

from catalog.exporters.items import category_for, iter_items, load_mapping
from catalog.listings.models import CategoryMapping
from catalog.models import Certificate
from storefront.extensions import db
from tests.catalog.exporters.catalogue import BOOTH_SLUGS, MARKET_SLUGS, build_catalogue
from tests.factories import make_product, make_vendor
from vendors.models import Vendor


def test_the_market_is_published_products_of_approved_booths_and_a_booth_is_all_its_products(app):
    with app.app_context():
        ids = build_catalogue()
        booth_id = db.session.scalar(sa.select(Vendor.id).where(Vendor.slug == "htx-thanh-binh"))
        assert [i.slug for i in iter_items("tiki")] == MARKET_SLUGS
        assert [i.slug for i in iter_items("tiki", booth_id=booth_id)] == BOOTH_SLUGS
        chosen = [ids["tra-cho-duyet"], ids["ruou-nep-chua-ban"], ids["keo-da-xoa"], ids["keo-dua-sua"]]
        assert [i.slug for i in iter_items(None, product_ids=chosen)] == [
            "keo-dua-sua", "ruou-nep-chua-ban", "tra-cho-duyet"]  # exactly those asked for, never deleted ones
        assert [i.slug for i in iter_items("tiki", booth_id=booth_id, product_ids=chosen)] == [
            "keo-dua-sua", "ruou-nep-chua-ban"]


def test_an_item_carries_absolute_urls_the_largest_stored_pictures_and_the_booth(app):
    with app.app_context():
        build_catalogue()
        first, *_ = iter_items("tiki")
    assert first.url == "https://cho-ocop.test/products/keo-dua-sua/"
    assert [(p.url, p.width, p.height) for p in first.pictures] == [
        ("https://cho-ocop.test/media/img/keo-dua-sua-0/800.webp", 800, 800),
        ("https://cho-ocop.test/media/img/keo-dua-sua-1/800.webp", 1000, 1000),  # stored at 400 and 800
        ("https://cho-ocop.test/media/img/keo-dua-sua-2/1600.webp", 1600, 1600),
    ]
    assert (first.sku, first.gtin, first.ocop_star, first.ocop_decision_no) == ("KD-01", "8930000000019", 4,
                                                                                  "1234/QĐ-UBND")
    assert (first.brand, first.origin_province, first.pickup_address) == (
        "Hợp tác xã Kẹo dừa Thanh Bình", "Vĩnh Long", "Ấp 3, xã Thanh Bình, Vĩnh Long")
    assert (first.price_vnd, first.list_price_vnd, first.is_food, first.category) == (45_000, 50_000, True, "8322")
    assert first.description_text.endswith("theo cách của làng nghề. Không chất bảo quản Hộp 400 g")


def test_without_sku_the_slug_is_the_sku_and_a_lapsed_certificate_gives_no_star(app):
    with app.app_context():
        product = make_product(name="Mật ong hoa nhãn", star=4, decided_on=date.today() - timedelta(days=4 * 365))
        (found,) = iter_items("voso", product_ids=[product.id])
    assert found.sku == product.slug
    assert (found.ocop_star, found.ocop_decision_no) == (None, "")


def test_a_valid_certificate_with_a_scanned_decision_links_to_its_public_page(app):
    with app.app_context():
        scanned = make_product(name="Kẹo dừa có quyết định", star=4)
        scanned.certificates[0].document_key = "doc/quyet-dinh.pdf"
        lapsed = make_product(name="Mật ong hết hạn", star=4, decided_on=date.today() - timedelta(days=4 * 365))
        lapsed.certificates[0].document_key = "doc/cu.pdf"
        unscanned = make_product(name="Bánh tét không có bản scan", star=3)
        db.session.commit()
        urls = {i.slug: i.certificate_url for i in iter_items("tiki", product_ids=[scanned.id, lapsed.id, unscanned.id])}
    assert urls == {scanned.slug: f"https://cho-ocop.test/products/{scanned.slug}/certificate",
                    lapsed.slug: None, unscanned.slug: None}


def test_the_product_set_mapping_wins_over_the_group_and_an_unmapped_group_has_no_category(app):
    with app.app_context():
        mapping = load_mapping("tiki")  # the seeded mapping of the migration
    assert category_for(mapping, "thuc_pham", "banh_keo_mut") == "8322"
    assert category_for(mapping, "thuc_pham", "mat_ong") == "4384"
    assert category_for(mapping, "thuc_pham", None) == "4384"
    assert category_for(mapping, "du_lich", None) is None


def test_without_base_url_and_request_links_point_at_the_local_server(build_app):
    other = build_app(BASE_URL="")
    with other.app_context():
        make_product(name="Bánh pía sầu riêng", slug="banh-pia")
        (found,) = iter_items("tiki")
        assert found.url == "http://127.0.0.1:5000/products/banh-pia/"
        with other.test_request_context(base_url="http://shop.example:8080/"):
            (found,) = iter_items("tiki")
        assert found.url == "http://shop.example:8080/products/banh-pia/"


def test_batches_run_a_bounded_number_of_queries_and_release_what_they_loaded(app, count_queries):
    with app.app_context():
        vendor = make_vendor()
        for n in range(12):
            product = make_product(vendor, f"Kẹo dừa số {n}", image=True, commit=False)
            product.certificates.append(Certificate(star=3, decided_on=date.today()))
        db.session.commit()
        vendor_id = vendor.id
        db.session.expunge_all()
        held = db.session.get(Vendor, vendor_id)
        with count_queries() as q:
            items = list(iter_items("tiki", batch=5))
        assert len(items) == 12 and all(len(i.pictures) == 1 for i in items)
        # The mapping, then three batches of products (with booth), images and certificates.
        assert q.count == 1 + 3 * 3
        assert list(db.session.identity_map.values()) == [held]  # what the caller held stays, nothing else


def test_category_mappings_with_blank_categories_count_as_missing(app):
    with app.app_context():
        db.session.execute(sa.delete(CategoryMapping))
        db.session.add(CategoryMapping(marketplace="sendo", group="thuc_pham", product_set="", category="  "))
        db.session.commit()
        assert load_mapping("sendo") == {}
