"""A producer signs up and applies, staff approve, the producer adds a product with a picture, and a
shopper finds it in the catalogue — four people, four browser contexts, real Chromium."""
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from storefront.accounts.services import sign_up
from storefront.extensions import db

pytestmark = pytest.mark.browser
PASSWORD = "mật khẩu đủ dài 123"


@pytest.fixture
def staff(app):
    with app.test_request_context():
        sign_up("canbo@ocop.vinhlong.gov.vn", PASSWORD, name="Cán bộ OCOP", role="staff")
        db.session.remove()
    return "canbo@ocop.vinhlong.gov.vn"


@pytest.fixture
def files(tmp_path):
    pdf = tmp_path / "giay-chung-nhan-ocop.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    photo = tmp_path / "banh-tet.jpg"
    Image.new("RGB", (1000, 1000), (60, 140, 70)).save(photo, "JPEG")
    return {"pdf": str(pdf), "photo": str(photo)}


def _sign_in(page, base, email):
    page.goto(base + "/account/signin")
    page.fill('input[name="identifier"]', email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('main form button[type="submit"]')
    expect(page.locator("header .account")).to_contain_text("Sign out" if page.locator("html").get_attribute("lang") == "en" else "Đăng xuất")


def test_a_producer_opens_a_booth_and_a_shopper_buys_from_it(browser, live_server, staff, files):
    producer = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    producer.goto(live_server + "/account/signup")
    producer.fill('input[name="name"]', "Chị Năm Bánh Tét")
    producer.fill('input[name="email"]', "nam@banhtet.vn")
    producer.fill('input[name="password"]', PASSWORD)
    producer.fill('input[name="confirm"]', PASSWORD)
    producer.click('main form button[type="submit"]')
    expect(producer.locator("header .account")).to_contain_text("Chị Năm Bánh Tét")

    producer.goto(live_server + "/vendor/apply")
    producer.select_option('select[name="entity_type"]', "ho_kinh_doanh")
    producer.fill('input[name="name"]', "Hộ kinh doanh Bánh tét Trà Cuôn")
    producer.fill('input[name="tax_code"]', "2100123456")
    producer.fill('textarea[name="story"]', "Ba đời gói bánh tét lá cẩm ở Trà Cuôn, Trà Vinh.")
    producer.select_option('select[name="province"]', "vinh-long")
    producer.fill('input[name="commune"]', "Xã Kim Hòa")
    producer.fill('input[name="address_text"]', "Ấp Trà Cuôn, xã Kim Hòa, huyện Cầu Ngang, tỉnh Trà Vinh")
    producer.fill('input[name="phone"]', "0912 345 678")
    producer.fill('input[name="email"]', "nam@banhtet.vn")
    producer.set_input_files('input[name="ocop_certificate"]', files["pdf"])
    producer.click('main form button[type="submit"]')
    producer.wait_for_url(re.compile(r"/vendor/[^/]+/application$"))
    booth = producer.url.rstrip("/").split("/")[-2]

    shopper = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    assert shopper.goto(f"{live_server}/booths/{booth}/").status == 404

    reviewer = browser.new_context().new_page()
    _sign_in(reviewer, live_server, staff)
    reviewer.goto(live_server + "/staff/applications")
    reviewer.get_by_role("link", name="Hộ kinh doanh Bánh tét Trà Cuôn").click()
    reviewer.locator('form[action$="/approve"] button[type="submit"]').click()
    expect(reviewer.locator("main")).to_contain_text("Đã duyệt")

    producer.goto(f"{live_server}/vendor/{booth}/products/new")
    producer.fill('input[name="name"]', "Bánh tét lá cẩm nhân đậu xanh")
    producer.select_option('select[name="group"]', "thuc_pham")
    producer.fill('input[name="price_vnd"]', "85.000")
    producer.fill('input[name="stock"]', "20")
    producer.fill('input[name="weight_g"]', "1000")
    producer.check('input[name="is_published"]')
    producer.click('main form[novalidate] button[type="submit"]')
    producer.wait_for_url(re.compile(r"/products/\d+/edit$"))
    producer.set_input_files('input[name="images"]', files["photo"])
    producer.locator('form[action$="/images"] button[type="submit"]').click()
    expect(producer.locator('main img[src*="/media/"]').first).to_be_visible()

    shopper.goto(live_server + "/products/")
    card = shopper.locator("main li.card", has_text="Bánh tét lá cẩm nhân đậu xanh")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("85.000")
    photo = card.locator('img[src*="/media/"]')
    expect(photo).to_be_visible()
    card.get_by_role("link", name="Bánh tét lá cẩm nhân đậu xanh").first.click()
    expect(shopper.locator("main")).to_contain_text("Hộ kinh doanh Bánh tét Trà Cuôn")
