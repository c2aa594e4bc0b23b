"""A small fixed catalogue for the exporter tests: fixed slugs, SKUs, picture keys and decision numbers, so
that files rendered from it can be compared with golden files on SQLite and PostgreSQL alike (no database
id reaches a file)."""
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from catalog.exporters.base import ListingItem, Picture
from catalog.listings.models import CategoryMapping
from catalog.models import Certificate, Product, ProductImage
from storefront.extensions import db
from vendors.models import Vendor

DESCRIPTION = ("<p>Kẹo dừa sữa làm từ nước cốt dừa Bến Tre, đường mía và mạch nha, nấu thủ công trong chảo gang "
               "theo cách của làng nghề.</p><ul><li>Không chất bảo quản</li><li>Hộp 400 g</li></ul>")
MAPPINGS = [
    ("tiki", "thuc_pham", "", "4384"), ("tiki", "thuc_pham", "banh_keo_mut", "8322"),
    ("tiki", "thu_cong_my_nghe", "", "1883"), ("tiki", "do_uong", "", "22998"),
    ("sendo", "thuc_pham", "", "2481"), ("sendo", "thu_cong_my_nghe", "", "2484"), ("sendo", "do_uong", "", "2482"),
    ("voso", "thuc_pham", "", "Thực phẩm > Đặc sản vùng miền"), ("voso", "do_uong", "", "Thực phẩm > Đồ uống"),
    ("voso", "thu_cong_my_nghe", "", "Nhà cửa > Đồ thủ công mỹ nghệ"),
    ("postmart", "thuc_pham", "", "782"), ("postmart", "do_uong", "", "782"),
]
HOSTILE_NAME = '=HYPERLINK("http://evil.example","Giỏ lục bình") đan tay'


def _booth(slug, name, status="approved"):
    booth = Vendor(name=name, slug=slug, entity_type="hop_tac_xa", province="vinh-long", status=status,
                   commune="Xã Thanh Bình", address_text="Ấp 3, xã Thanh Bình")
    db.session.add(booth)
    return booth


def _product(booth, slug, name, *, pictures=((800, 800),), star=None, **kw):
    values = dict(group="thuc_pham", price_vnd=45_000, stock=20, unit="Hộp", weight_g=450, length_cm=20.0,
                  width_cm=10.0, height_cm=5.5, shelf_life_days=180, description=DESCRIPTION)
    values.update(kw)
    product = Product(vendor=booth, slug=slug, name=name, **values)
    for n, (width, height) in enumerate(pictures):
        product.images.append(ProductImage(key=f"img/{slug}-{n}", width=width, height=height, position=n))
    if star:
        product.certificates.append(Certificate(star=star, status="certified", decision_no="1234/QĐ-UBND",
                                                decided_on=date.today() - timedelta(days=100)))
        product.refresh_ocop()
    db.session.add(product)
    return product


def build_catalogue():
    """The booths, products and category mappings (replacing the seeded ones); returns {slug: product id}."""
    db.session.execute(sa.delete(CategoryMapping))
    for marketplace, group, product_set, category in MAPPINGS:
        db.session.add(CategoryMapping(marketplace=marketplace, group=group, product_set=product_set,
                                       category=category))
    booth = _booth("htx-thanh-binh", "Hợp tác xã Kẹo dừa Thanh Bình")
    pending = _booth("ho-cho-duyet", "Hộ kinh doanh Chờ Duyệt", status="pending")
    products = [
        # Ready everywhere: a food product with a valid certificate, a sale price and three pictures.
        _product(booth, "keo-dua-sua", "Kẹo dừa sữa Thanh Bình", product_set="banh_keo_mut", star=4,
                 sku="KD-01", gtin="8930000000019", list_price_vnd=50_000,
                 pictures=((800, 800), (1000, 1000), (1600, 1600))),
        # Food without certificate or shelf life, out of stock: ready for Sendo only.
        _product(booth, "nuoc-mam-ca-linh", "Nước mắm cá linh", product_set="nuoc_mam_gia_vi_long", stock=0,
                 unit="Chai 500 ml", shelf_life_days=None, weight_g=700, length_cm=7.0, width_cm=7.0,
                 height_cm=25.0),
        # A handicraft whose name is a formula: ready for Tiki, Sendo and Voso, Postmart maps no category.
        _product(booth, "gio-luc-binh", HOSTILE_NAME, group="thu_cong_my_nghe", product_set="tcmn_gia_dung",
                 price_vnd=180_000, unit="Cái", weight_g=300, shelf_life_days=None, sku="-GIO-02"),
        # A picture too small everywhere.
        _product(booth, "banh-tet-la-cam", "Bánh tét lá cẩm", star=3, pictures=((400, 300),)),
        # A tourism service: never goods.
        _product(booth, "homestay-cu-lao", "Homestay cù lao Tân Quy", group="du_lich", weight_g=None,
                 price_vnd=350_000, unit="Đêm", shelf_life_days=None),
        # Unpublished and deleted products, and a product of a booth not yet approved.
        _product(booth, "ruou-nep-chua-ban", "Rượu nếp chưa bán", group="do_uong", star=3, is_published=False),
        _product(booth, "keo-da-xoa", "Kẹo đã xoá", star=3, deleted_at=datetime(2026, 1, 1, tzinfo=timezone.utc)),
        _product(pending, "tra-cho-duyet", "Trà chờ duyệt", star=3),
    ]
    db.session.commit()
    return {p.slug: p.id for p in products}


MARKET_SLUGS = ["keo-dua-sua", "nuoc-mam-ca-linh", "gio-luc-binh", "banh-tet-la-cam", "homestay-cu-lao"]
BOOTH_SLUGS = MARKET_SLUGS + ["ruou-nep-chua-ban"]


def item(**overrides):
    """A pure ListingItem (no database) that every exporter finds ready; override fields to break it."""
    values = dict(
        product_id=1, slug="keo-dua", url="https://cho-ocop.test/products/keo-dua/", sku="KD-01", gtin=None,
        name="Kẹo dừa sữa Thanh Bình", description_html="<p>" + "Kẹo dừa thơm ngon. " * 8 + "</p>",
        description_text="Kẹo dừa thơm ngon. " * 8, price_vnd=45_000, list_price_vnd=50_000, stock=20, unit="Hộp",
        weight_g=450, length_cm=20.0, width_cm=10.0, height_cm=5.0, shelf_life_days=180, group="thuc_pham",
        product_set="banh_keo_mut", is_food=True, is_service=False, booth_name="HTX Thanh Bình",
        booth_slug="htx-thanh-binh", brand="HTX Thanh Bình", origin_province="Vĩnh Long",
        pickup_address="Ấp 3, Vĩnh Long", ocop_star=4, ocop_decision_no="1/QĐ", certificate_url=None,
        pictures=(Picture("https://cho-ocop.test/media/img/a/800.webp", 800, 800),), category="782",
    )
    values.update(overrides)
    return ListingItem(**values)
