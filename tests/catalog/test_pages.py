"""The shopper pages: what each shows, what it never shows, SEO data, language and the page cache."""
import json
import re
from datetime import date, datetime, timedelta, timezone
from html import unescape

import pytest

from storefront.extensions import db
from tests.factories import make_product, make_showroom, make_vendor
from vendors.models import Vendor

CARD_NAME = re.compile(r'class="card-name">([^<]*)<')
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def card_names(response):
    return [unescape(n) for n in CARD_NAME.findall(response.get_data(as_text=True))]


def text(response):
    return response.get_data(as_text=True)


def english(client):
    client.set_cookie("lang", "en")
    return client


def test_home_shows_featured_products_groups_stars_booths_and_showrooms(app, client):
    with app.app_context():
        booth = make_vendor("Hợp tác xã Dừa Sáp Cầu Kè")
        make_product(booth, "Kẹo dừa sáp", star=4)
        make_product(booth, "Rượu Xuân Thạnh", star=5, group="do_uong")
        make_product(booth, "Bánh tét", star=3)  # 3-star is not featured
        make_showroom("Điểm bán OCOP Ao Bà Om")
    page = text(client.get("/"))
    assert re.search(r"<html lang=\"vi\">", page)
    featured = page.split('id="featured-h"')[1].split("</section>")[0]
    assert "Kẹo dừa sáp" in featured and "Rượu Xuân Thạnh" in featured and "Bánh tét" not in featured
    assert 'href="/products/?group=thuc_pham"' in page and "2 sản phẩm" in page  # two food products
    assert 'href="/products/?star=p5"' in page and "Tiềm năng 5 sao" in page
    assert "Hợp tác xã Dừa Sáp Cầu Kè" in page and "Điểm bán OCOP Ao Bà Om" in page
    assert "Chợ OCOP" in page and "Cửa hàng trưng bày" in page


def test_catalogue_card_shows_price_list_price_stock_badge_and_booth(app, client):
    with app.app_context():
        booth = make_vendor("Tổ hợp tác Mây tre Tân An", entity_type="to_hop_tac", province="vinh-long")
        make_product(booth, "Giỏ mây", price_vnd=85_000, list_price_vnd=100_000, stock=3, star=4, image=True,
                     group="thu_cong_my_nghe")
        make_product(booth, "Bàn tre", price_vnd=1_250_000, stock=0, group="thu_cong_my_nghe")
    page = text(client.get("/products/"))
    assert card_names(client.get("/products/")) == ["Bàn tre", "Giỏ mây"]
    card = next(chunk for chunk in page.split('<li class="card">') if "Giỏ mây" in chunk).split("</li>")[0]
    assert "85.000\u00a0₫" in card and "<s>" in card and "100.000\u00a0₫" in card
    assert "Còn hàng" in card and 'class="ocop ocop-4"' in card
    assert "Tổ hợp tác Mây tre Tân An · Vĩnh Long" in card
    assert 'loading="lazy"' in card and 'width="800" height="800"' in card and "srcset=" in card
    assert "Hết hàng" in page and "1.250.000\u00a0₫" in page


def test_product_page_shows_certificate_producer_showrooms_qr_and_more(app, client):
    with app.app_context():
        booth = make_vendor("Hợp tác xã Nông nghiệp Rạch Dừa", commune="Xã Đại Phước")
        p = make_product(booth, "Mật ong hoa dừa", star=4, decided_on=date(2024, 3, 15), weight_g=500, unit="hũ",
                         shelf_life_days=365, gtin="8936045100011", sku="MO-500", product_set="mat_ong",
                         description="<p>Mật ong <strong>nguyên chất</strong></p>", image=True)
        make_product(booth, "Mứt dừa")
        make_showroom("Điểm bán OCOP Sáu Dư", products=[p])
        slug, booth_slug = p.slug, booth.slug
    page = text(client.get(f"/products/{slug}/"))
    assert "<h1>Mật ong hoa dừa</h1>" in page
    assert "120.000\u00a0₫" in page and "Còn hàng" in page
    assert 'class="ocop ocop-4 ocop-lg"' in page and "Sản phẩm OCOP đạt 4 sao" in page
    assert "15/03/2024" in page and "15/03/2027" in page  # decided, valid until (36 months)
    assert "/QĐ-UBND" in page and "UBND tỉnh Vĩnh Long" in page
    assert "<p>Mật ong <strong>nguyên chất</strong></p>" in page  # sanitised HTML rendered as HTML
    assert "500 g" in page and "365 ngày" in page and "8936045100011" in page and "MO-500" in page
    assert "Mật ong, sản phẩm từ mật ong" in page and "hũ" in page
    assert "Hợp tác xã Nông nghiệp Rạch Dừa" in page and "Xã Đại Phước, Vĩnh Long" in page
    assert f'href="/booths/{booth_slug}/"' in page
    assert "Điểm bán OCOP Sáu Dư" in page
    assert f'<img src="/products/{slug}/qr.png"' in page and f'href="/products/{slug}/qr.svg"' in page
    more = page.split('id="more-h"')[1]
    assert "Mứt dừa" in more and "Mật ong hoa dừa" not in more


@pytest.mark.parametrize("status", ["expired", "revoked"])
def test_a_lapsed_certificate_never_shows_as_a_valid_badge(app, client, status):
    with app.app_context():
        if status == "expired":  # certified 4 years ago: lapsed after 36 months
            p = make_product(name="Nước mắm cũ", star=4, decided_on=date.today() - timedelta(days=4 * 365))
        else:
            p = make_product(name="Nước mắm cũ", star=4, cert_status="revoked")
        slug = p.slug
    listing = text(client.get("/products/"))
    assert "Nước mắm cũ" in listing and 'class="ocop' not in listing
    detail = text(client.get(f"/products/{slug}/"))
    assert 'class="ocop' not in detail and "Sản phẩm OCOP đạt" not in detail
    assert ("Hết hiệu lực" if status == "expired" else "Bị thu hồi") in detail
    assert "không còn hiệu lực" in detail
    for star in ("3", "4", "5", "p5"):
        assert card_names(client.get(f"/products/?star={star}")) == []


def test_potential_five_star_is_its_own_status_not_five_stars(app, client):
    with app.app_context():
        p = make_product(name="Rượu Mỹ Tú", star=4, cert_status="potential_5", group="do_uong")
        make_product(name="Rượu Xuân Thạnh", star=5, group="do_uong")
        slug = p.slug
    assert card_names(client.get("/products/?star=p5")) == ["Rượu Mỹ Tú"]
    assert card_names(client.get("/products/?star=5")) == ["Rượu Xuân Thạnh"]
    assert card_names(client.get("/products/?star=4")) == []
    detail = text(client.get(f"/products/{slug}/"))
    assert "ocop-p5" in detail and "Tiềm năng 5 sao" in detail and "ocop-4" not in detail


@pytest.mark.parametrize("hidden", ["unpublished", "deleted", "pending booth", "suspended booth"])
def test_hidden_products_never_appear_and_their_urls_404(app, client, hidden):
    with app.app_context():
        status = {"pending booth": "pending", "suspended booth": "suspended"}.get(hidden, "approved")
        booth = make_vendor("Gian hàng ẩn", status=status)
        kw = {"is_published": False} if hidden == "unpublished" else {}
        if hidden == "deleted":
            kw["deleted_at"] = datetime.now(timezone.utc)
        p = make_product(booth, "Sản phẩm ẩn", star=4, **kw)
        make_product(name="Sản phẩm hiện", star=4)
        make_showroom(products=[p])
        product_slug, booth_slug = p.slug, booth.slug
    for url in ("/", "/products/", "/products/?star=4", "/showrooms/", "/sitemap.xml"):
        assert "san-pham-an" not in text(client.get(url)), url
    assert card_names(client.get("/products/")) == ["Sản phẩm hiện"]
    assert client.get(f"/products/{product_slug}/").status_code == 404
    if hidden.endswith("booth"):
        assert client.get(f"/booths/{booth_slug}/").status_code == 404
        assert "Gian hàng ẩn" not in text(client.get("/booths/"))


def test_tourism_service_is_bookable_without_stock_talk(app, client):
    with app.app_context():
        slug = make_product(name="Du lịch cồn Chim", group="du_lich", stock=0, weight_g=100).slug
    page = text(client.get(f"/products/{slug}/"))
    assert "Nhận đặt chỗ" in page and "Hết hàng" not in page and "Còn hàng" not in page
    assert "Khối lượng" not in page
    assert card_names(client.get("/products/?in_stock=1")) == ["Du lịch cồn Chim"]


def test_names_are_escaped_and_jsonld_cannot_close_its_script(app, client):
    with app.app_context():
        booth = make_vendor("HTX <b>Bold</b> & Co")
        slug = make_product(booth, 'Kẹo </script><script>alert(1)</script>', gtin="8936045100011", sku="K-1",
                            image=True).slug
        booth_slug = booth.slug
    page = text(client.get(f"/products/{slug}/"))
    assert "<script>alert(1)" not in page and "<b>Bold</b>" not in page
    scripts = JSONLD.findall(page)
    assert len(scripts) == 1 and "</" not in scripts[0] and "<" not in scripts[0]
    data = json.loads(scripts[0])
    assert data["@type"] == "Product" and data["name"] == 'Kẹo </script><script>alert(1)</script>'
    assert data["sku"] == "K-1" and data["gtin13"] == "8936045100011"
    assert data["offers"]["price"] == 120000 and data["offers"]["priceCurrency"] == "VND"
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    assert data["offers"]["url"] == f"https://cho-ocop.test/products/{slug}/"
    seller = data["offers"]["seller"]
    assert seller == {"@type": "Organization", "name": "HTX <b>Bold</b> & Co",
                      "url": f"https://cho-ocop.test/booths/{booth_slug}/"}
    assert data["image"] == ["https://cho-ocop.test/media/img/test/800.webp"]


def test_out_of_stock_offer_and_gtin_only_when_thirteen_digits(app, client):
    with app.app_context():
        slug = make_product(name="Chả giò", stock=0, gtin="12345670").slug
    data = json.loads(JSONLD.search(text(client.get(f"/products/{slug}/"))).group(1))
    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"
    assert "gtin13" not in data and "sku" not in data


def test_opengraph_and_canonical_are_absolute_and_plain_text(app, client):
    with app.app_context():
        slug = make_product(name="Trà mãng cầu", description="<p>Trà <em>thơm</em> &amp; ngon</p>", image=True).slug
    page = text(client.get(f"/products/{slug}/?utm_source=zalo"))
    canonical = f"https://cho-ocop.test/products/{slug}/"
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    assert '<meta property="og:title" content="Trà mãng cầu">' in page
    assert '<meta property="og:description" content="Trà thơm &amp; ngon">' in page
    assert '<meta property="og:image" content="https://cho-ocop.test/media/img/test/800.webp">' in page


def test_booth_page_shows_story_type_place_and_paginated_products(app, client):
    with app.app_context():
        booth = make_vendor("Hộ kinh doanh Bánh tét Trà Cuôn", entity_type="ho_kinh_doanh", commune="Xã Đôn Châu",
                            legacy_district="Huyện Duyên Hải", address_text="Ấp Trà Cuôn",
                            story="Ba đời làm bánh tét lá cẩm.")
        for i in range(30):
            make_product(booth, f"Bánh tét số {i:02d}", created_at=datetime(2025, 1, 1) + timedelta(days=i))
        slug = booth.slug
    page = text(client.get(f"/booths/{slug}/"))
    assert "<h1>Hộ kinh doanh Bánh tét Trà Cuôn</h1>" in page
    assert "Hộ kinh doanh" in page and "Xã Đôn Châu, Vĩnh Long" in page and "Ấp Trà Cuôn" in page
    assert "Huyện Duyên Hải" in page and "Ba đời làm bánh tét lá cẩm." in page
    assert card_names(client.get(f"/booths/{slug}/"))[:2] == ["Bánh tét số 29", "Bánh tét số 28"]
    assert len(card_names(client.get(f"/booths/{slug}/"))) == 24
    assert card_names(client.get(f"/booths/{slug}/?page=2")) == [f"Bánh tét số {i:02d}" for i in range(5, -1, -1)]
    assert f'href="/booths/{slug}/?page=2"' in page
    assert client.get(f"/booths/{slug}/?page=3").status_code == 404


def test_booth_list_counts_visible_products_and_filters(app, client):
    with app.app_context():
        coop = make_vendor("Hợp tác xã Thanh long", province="vinh-long")
        firm = make_vendor("Công ty Chè Thái", entity_type="cong_ty", province="thai-nguyen")
        make_vendor("Hộ chờ duyệt", status="pending")
        make_product(coop)
        make_product(coop)
        make_product(firm)
    page = text(client.get("/booths/"))
    assert "Hợp tác xã Thanh long" in page and "Công ty Chè Thái" in page and "Hộ chờ duyệt" not in page
    assert "2 gian hàng" in page and "2 sản phẩm" in page and "1 sản phẩm" in page
    assert "Công ty Chè Thái" not in text(client.get("/booths/?province=vinh-long"))
    assert "Hợp tác xã Thanh long" not in text(client.get("/booths/?entity_type=cong_ty"))
    bad = client.get("/booths/?province=atlantis")
    assert bad.status_code == 200 and "Đã bỏ qua province=atlantis" in text(bad)


def test_showrooms_page_lists_addresses_and_products_on_show(app, client):
    with app.app_context():
        shown = make_product(name="Bánh canh Bến Có")
        hidden = make_product(name="Hàng chưa đăng", is_published=False)
        make_showroom("Điểm bán OCOP biển Ba Động", products=[shown, hidden])
    page = text(client.get("/showrooms/"))
    assert "Điểm bán OCOP biển Ba Động" in page and "Phường 1, Trà Vinh" in page
    assert card_names(client.get("/showrooms/")) == ["Bánh canh Bến Có"]


def test_sitemap_lists_pages_booths_and_products_with_absolute_urls(app, client):
    with app.app_context():
        p = make_product(name="Cốm dẹp")
        slugs = (p.slug, p.vendor.slug)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    body = text(response)
    locs = re.findall(r"<loc>([^<]+)</loc>", body)
    assert f"https://cho-ocop.test/products/{slugs[0]}/" in locs
    assert f"https://cho-ocop.test/booths/{slugs[1]}/" in locs
    assert {"https://cho-ocop.test/", "https://cho-ocop.test/products/", "https://cho-ocop.test/showrooms/"} <= set(locs)
    assert all(loc.startswith("https://cho-ocop.test/") for loc in locs)
    assert re.search(r"<url><loc>[^<]+/products/[^<]+</loc><lastmod>\d{4}-\d\d-\d\d</lastmod></url>", body)


def test_sitemap_becomes_an_index_of_parts_past_its_limit(app, client, monkeypatch):
    with app.app_context():
        booth = make_vendor()
        for i in range(7):
            make_product(booth, f"Sản phẩm {i}")
    monkeypatch.setitem(app.config, "SITEMAP_MAX_URLS", 5)  # 4 main pages + 1 booth + 7 products = 12 URLs
    index = text(client.get("/sitemap.xml"))
    assert "<sitemapindex" in index
    parts = re.findall(r"<loc>([^<]+)</loc>", index)
    assert parts == [f"https://cho-ocop.test/sitemap.xml?part={n}" for n in (1, 2, 3)]
    seen = []
    for n in (1, 2, 3):
        seen += re.findall(r"<loc>([^<]+)</loc>", text(client.get(f"/sitemap.xml?part={n}")))
    assert len(seen) == len(set(seen)) == 12
    assert client.get("/sitemap.xml?part=4").status_code == 404
    assert client.get("/sitemap.xml?part=x").status_code == 404


def test_english_switch_changes_the_text_and_keeps_the_page(app, client):
    with app.app_context():
        slug = make_product(name="Kẹo chuối", star=3).slug
    vi = text(client.get(f"/products/{slug}/"))
    assert "Còn hàng" in vi and '<html lang="vi">' in vi
    switch = client.get(f"/lang/en?next=/products/{slug}/")
    assert switch.status_code == 302 and switch.headers["Location"] == f"/products/{slug}/"
    en = text(client.get(f"/products/{slug}/"))
    assert '<html lang="en">' in en and "In stock" in en and "Còn hàng" not in en
    assert "Food" in en and "3-star" in en
    assert f'href="/lang/vi?next=/products/{slug}/"' in en


def test_language_link_keeps_the_query_string(client):
    page = text(client.get("/products/?star=4&sort=price_asc"))
    assert 'href="/lang/en?next=/products/?star%3D4%26sort%3Dprice_asc"' in page


@pytest.mark.parametrize("target", ["//evil.com", "https://evil.com/", "/\\evil.com", "javascript:alert(1)"])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/lang/en", query_string={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_page_cache_never_serves_one_language_to_the_other(app, client):
    with app.app_context():
        make_product(name="Bánh pía")
    cache = app.extensions["page_cache"]
    first = client.get("/products/")
    assert "Còn hàng" in text(first) and client.get("/products/").headers.get("X-Page-Cache") == "hit"
    english(client)
    en = client.get("/products/")
    assert en.headers.get("X-Page-Cache") != "hit" and "In stock" in text(en) and "Còn hàng" not in text(en)
    assert client.get("/products/").headers.get("X-Page-Cache") == "hit"
    client.set_cookie("lang", "vi")
    again = client.get("/products/")
    assert "Còn hàng" in text(again) and "In stock" not in text(again)
    assert cache.hits >= 2


@pytest.mark.parametrize("url", ["/", "/products/", "/booths/", "/showrooms/", "/sitemap.xml", "PRODUCT", "BOOTH"])
def test_public_pages_leave_the_session_alone_so_they_are_cached(app, client, url):
    with app.app_context():
        p = make_product(name="Bưởi da xanh")
        url = url.replace("PRODUCT", f"/products/{p.slug}/").replace("BOOTH", f"/booths/{p.vendor.slug}/")
    first = client.get(url)
    assert first.status_code == 200 and "Set-Cookie" not in first.headers
    assert client.get(url).headers.get("X-Page-Cache") == "hit"


def test_a_new_product_shows_up_although_the_catalogue_was_cached(app, client):
    with app.app_context():
        booth_id = make_product(name="Đầu tiên").vendor_id
    assert card_names(client.get("/products/")) == ["Đầu tiên"]
    with app.app_context():
        make_product(db.session.get(Vendor, booth_id), "Thứ hai")
    assert card_names(client.get("/products/")) == ["Thứ hai", "Đầu tiên"]


def test_booth_list_paginates_and_keeps_its_filters(app, client):
    with app.app_context():
        for name in ("An", "Bình", "Cường"):
            make_vendor(f"HTX {name}", province="can-tho")
        make_vendor("HTX Khác", province="vinh-long")
    first = text(client.get("/booths/?province=can-tho&per_page=2"))
    assert "HTX An" in first and "HTX Bình" in first and "HTX Cường" not in first and "HTX Khác" not in first
    assert 'href="/booths/?province=can-tho&amp;per_page=2&amp;page=2"' in first
    second = text(client.get("/booths/?province=can-tho&per_page=2&page=2"))
    assert "HTX Cường" in second and "HTX An" not in second
    assert client.get("/booths/?province=can-tho&per_page=2&page=3").status_code == 404


@pytest.mark.parametrize("hidden", [None, "unpublished", "no document"])
def test_the_certificate_decision_is_public_for_products_on_show_only(app, client, hidden):
    from catalog.models import Certificate
    from storefront.media import storage

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
    with app.app_context():
        p = make_product(name="Kẹo dừa có giấy", star=4, is_published=hidden != "unpublished")
        cert = db.session.get(Certificate, p.certificates[0].id)
        cert.document_key = None if hidden == "no document" else storage().save_document(pdf, "pdf")
        db.session.commit()
        slug = p.slug
    response = client.get(f"/products/{slug}/certificate")
    response.close()  # a file response holds its file open until closed
    if hidden:
        assert response.status_code == 404
        return
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with client.get(f"/products/{slug}/certificate") as again:
        assert again.get_data() == pdf
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert f'href="/products/{slug}/certificate"' in text(client.get(f"/products/{slug}/"))
