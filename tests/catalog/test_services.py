"""Write operations shared by the register import and the demo market."""
from datetime import date

from PIL import Image

from catalog import services
from catalog.models import Product
from storefront.extensions import db
from storefront.media import storage
from tests.factories import make_product, make_vendor


def test_record_certificate_keeps_history_and_the_newest_decision_is_current(ctx):
    product = make_product(star=3, decided_on=date(2022, 5, 1))
    cert = services.record_certificate(product, star=4, status="potential_5", decided_on=date(2025, 9, 15),
                                       decision_no="1520/QĐ-UBND", province_name="tỉnh Vĩnh Long")
    db.session.commit()
    assert [c.star for c in product.certificates] == [4, 3]
    assert (product.ocop_star, product.ocop_status, product.ocop_expires_on) == (4, "potential_5", date(2028, 9, 15))
    assert (cert.issuing_level, cert.issuing_body) == ("province", "UBND tỉnh Vĩnh Long")


def test_an_older_decision_recorded_later_does_not_become_current(ctx):
    product = make_product(star=4, decided_on=date(2025, 1, 10))
    services.record_certificate(product, star=3, decided_on=date(2021, 3, 1), decision_no="12/QĐ-UBND")
    assert product.ocop_star == 4
    assert [c.decided_on for c in product.certificates] == [date(2025, 1, 10), date(2021, 3, 1)]


def test_the_same_decision_is_never_recorded_twice(ctx):
    product = make_product()
    first = services.record_certificate(product, star=3, decided_on=date(2024, 6, 1), decision_no="7/QĐ-UBND")
    again = services.record_certificate(product, star=3, decided_on=date(2024, 6, 1), decision_no="7/QĐ-UBND")
    assert first is not None and again is None
    assert len(product.certificates) == 1


def test_the_issuing_level_follows_the_rules_of_the_day():
    assert services.issuing_for(5, "certified", date(2025, 8, 1)) == ("central", "Bộ Nông nghiệp và Môi trường")
    assert services.issuing_for(5, "certified", date(2022, 8, 1))[1] == "Bộ Nông nghiệp và Phát triển nông thôn"
    assert services.issuing_for(3, "certified", date(2024, 1, 5), "tỉnh Trà Vinh", "huyện Trà Cú") == (
        "district", "UBND huyện Trà Cú")
    assert services.issuing_for(3, "certified", date(2025, 8, 1), "tỉnh Vĩnh Long", "huyện Trà Cú") == (
        "province", "UBND tỉnh Vĩnh Long")
    assert services.issuing_for(4, "potential_5", date(2024, 1, 5), "tỉnh Trà Vinh")[0] == "province"


def test_upsert_vendor_creates_an_approved_booth_then_reports_unchanged_then_updated(ctx):
    vendor, change = services.upsert_vendor("Hợp tác xã Mật hoa dừa Long Hòa", entity_type="hop_tac_xa",
                                            province="vinh-long")
    db.session.commit()
    assert change == "created" and vendor.slug == "hop-tac-xa-mat-hoa-dua-long-hoa" and vendor.is_public
    assert services.upsert_vendor(vendor.name, entity_type="hop_tac_xa", province="vinh-long")[1] == "unchanged"
    assert services.upsert_vendor(vendor.name, entity_type="to_hop_tac", province="vinh-long")[1] == "updated"


def test_upsert_product_matches_by_slug(ctx):
    vendor = make_vendor()
    product, change = services.upsert_product(vendor, "Kẹo dừa", slug="keo-dua", group="thuc_pham", price_vnd=45000)
    db.session.commit()
    assert change == "created"
    assert services.upsert_product(vendor, "Kẹo dừa", slug="keo-dua", price_vnd=45000)[1] == "unchanged"
    assert services.upsert_product(vendor, "Kẹo dừa", slug="keo-dua", price_vnd=48000) == (product, "updated")


def test_unique_slug_numbers_a_taken_slug(ctx):
    make_product(name="Kẹo dừa", slug="keo-dua")
    make_product(name="Kẹo dừa", slug="keo-dua-2")
    make_product(name="Kẹo dừa", slug="keo-dua-tuoi")
    assert services.unique_slug(Product, "keo-dua") == "keo-dua-3"
    assert services.unique_slug(Product, "keo-dua", reserved={"keo-dua-3"}) == "keo-dua-4"
    assert services.unique_slug(Product, "banh-tet") == "banh-tet"


def test_add_image_stores_the_picture_once(ctx):
    product = make_product()
    picture = Image.new("RGB", (900, 900), (200, 120, 40))
    first = services.add_image(product, picture, alt="Kẹo dừa")
    again = services.add_image(product, picture)
    assert first is again and len(product.images) == 1
    assert storage().path(first.key, 800).is_file() and (first.width, first.height) == (900, 900)


def test_upsert_showroom_puts_products_on_show_without_duplicates(ctx):
    product = make_product()
    showroom, change = services.upsert_showroom("Điểm dừng chân Sáu Dư", products=[product],
                                                address_text="ấp Rạch Dừa, xã Đại Phước", province="vinh-long")
    db.session.commit()
    assert change == "created" and showroom.slug == "diem-dung-chan-sau-du"
    again = services.upsert_showroom("Điểm dừng chân Sáu Dư", products=[product],
                                     address_text="ấp Rạch Dừa, xã Đại Phước", province="vinh-long")
    assert again == (showroom, "unchanged") and showroom.products == [product]
