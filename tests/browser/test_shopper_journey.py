"""A shopper on a phone, in real Chromium: home → 4★ filter → product → its QR code → English."""
import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from catalog.models import ProductImage
from storefront.extensions import db
from storefront.media import storage
from tests.factories import make_product, make_vendor

pytestmark = pytest.mark.browser


@pytest.fixture
def market(app, live_server):
    with app.app_context():
        booth = make_vendor("Hợp tác xã Dừa Sáp Cầu Kè")
        four = make_product(booth, "Kẹo dừa sáp Cầu Kè", star=4, price_vnd=85_000)
        key, width, height = storage().save_image(Image.new("RGB", (900, 900), (240, 200, 120)))
        four.images.append(ProductImage(key=key, width=width, height=height, alt="Kẹo dừa sáp"))
        db.session.commit()
        make_product(booth, "Bánh tét lá cẩm", star=3, price_vnd=60_000)
        make_product(booth, "Rượu đế Xuân Thạnh", star=5, cert_status="revoked", price_vnd=150_000)
        return {"four": four.slug}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, locale="vi-VN")
    yield context.new_page()
    context.close()


def test_shopper_filters_to_four_stars_opens_a_product_sees_its_qr_and_switches_to_english(
        phone, live_server, market, app):
    page = phone
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_text("Kẹo dừa sáp Cầu Kè").first).to_be_visible()
    photo = page.locator('main img[src*="/media/"]').first
    photo.scroll_into_view_if_needed()
    expect(photo).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())

    page.goto(live_server + "/products/")
    page.locator("form.filters summary").click()
    page.locator('form.filters input[name="star"][value="4"]').check()
    page.locator('form.filters button[type="submit"]').click()
    page.wait_for_url("**/products/?*star=4*")
    cards = page.locator("main li.card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Kẹo dừa sáp Cầu Kè")
    expect(page.get_by_text("Bánh tét lá cẩm")).to_have_count(0)

    cards.first.get_by_role("link", name="Kẹo dừa sáp Cầu Kè").first.click()
    page.wait_for_url(f"**/products/{market['four']}/")
    qr = page.locator('img[src$="/qr.png"]')
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    png = page.request.get(live_server + qr.get_attribute("src")).body()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [r.text for r in decoded] == [f"{app.config['BASE_URL']}/products/{market['four']}/"]

    page.locator('a[hreflang="en"]').click()
    page.wait_for_url(f"**/products/{market['four']}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("body")).to_contain_text("In stock")
