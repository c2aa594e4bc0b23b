"""One order, two booths, three people in real Chromium: a guest on a phone fills a cart from two booths and
pays cash on delivery; each booth's member, in a browser of their own, sees only their booth's part,
confirms, packs and ships it with a carrier and tracking code; the shopper's order page shows both."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from orders.models import BoothOrder, BoothTerms, Order
from storefront.accounts.services import sign_up
from storefront.extensions import db
from tests.factories import make_product, make_vendor
from vendors.models import VendorMember

pytestmark = pytest.mark.browser
PASSWORD = "mật khẩu đủ dài 123"


@pytest.fixture
def market(app, live_server):
    with app.test_request_context():
        dua = make_vendor("HTX Dừa Sáp Cầu Kè", slug="htx-dua-sap-cau-ke")
        che = make_vendor("HTX Chè Tân Cương", slug="htx-che-tan-cuong")
        db.session.add(BoothTerms(vendor_id=che.id, shipping_fee_vnd=25_000))
        keo = make_product(dua, "Kẹo dừa sáp Cầu Kè", price_vnd=85_000, stock=10)
        tra = make_product(che, "Chè búp Tân Cương", price_vnd=120_000, stock=5)
        for vendor, email, name in ((dua, "nam@duasap.vn", "Chị Năm Dừa"), (che, "ba@chetancuong.vn", "Anh Ba Chè")):
            user = sign_up(email, PASSWORD, name=name)
            db.session.add(VendorMember(vendor_id=vendor.id, user_id=user.id, role="owner"))
        db.session.commit()
        made = {"keo": keo.slug, "tra": tra.slug, "keo_id": keo.id, "tra_id": tra.id}
        db.session.remove()
    return made


@pytest.fixture
def browsers(browser):
    """New browser contexts on demand (a phone for the shopper, laptops for the booths), all closed after."""
    opened = []

    def open_page(phone=False):
        if phone:
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                          locale="vi-VN")
        else:
            context = browser.new_context(locale="vi-VN")
        opened.append(context)
        return context.new_page()

    yield open_page
    for context in opened:
        context.close()


def _sign_in(page, base, email):
    page.goto(base + "/account/signin")
    page.fill('input[name="identifier"]', email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('main form button[type="submit"]')
    expect(page.locator("header .account")).to_contain_text("Đăng xuất")


def _ship_my_part(page, base, booth, code, carrier, tracking):
    """A booth member opens their orders, finds the new one and takes it all the way to shipped."""
    page.goto(f"{base}/vendor/{booth}/orders")
    orders = page.locator("main ul.dash-products > li")
    expect(orders).to_have_count(1)
    page.get_by_role("link", name=code).click()
    page.wait_for_url(re.compile(rf"/vendor/{booth}/orders/\d+$"))
    main = page.locator("main")
    expect(main).to_contain_text("Chờ xác nhận")
    main.get_by_role("button", name="Xác nhận đơn").click()
    expect(main.locator(".status")).to_contain_text("Đã xác nhận")
    main.get_by_role("button", name="Đã đóng gói").click()
    expect(main.locator(".status")).to_contain_text("Đã đóng gói")
    page.fill('input[name="carrier"]', carrier)
    page.fill('input[name="tracking_code"]', tracking)
    main.get_by_role("button", name="Đã gửi hàng").click()
    expect(main.locator(".status")).to_contain_text("Đang giao")
    expect(main).to_contain_text(tracking.replace(" ", ""))  # spaces inside a tracking code are dropped
    return page.url


def test_a_guest_orders_from_two_booths_and_each_booth_ships_its_own_part(browsers, live_server, market, app):
    base = live_server
    shopper = browsers(phone=True)

    # The shopper adds one product from each booth, from their product pages.
    shopper.goto(f"{base}/products/{market['keo']}/")
    shopper.fill('form.add-cart input[name="quantity"]', "2")
    shopper.locator("form.add-cart button[type=submit]").first.click()
    expect(shopper.locator(".flashes")).to_contain_text("Kẹo dừa sáp Cầu Kè")
    shopper.goto(f"{base}/products/{market['tra']}/")
    shopper.locator("form.add-cart button[type=submit]").first.click()
    expect(shopper.locator(".flashes")).to_contain_text("Chè búp Tân Cương")

    # The cart groups the lines by booth, each with its own shipping.
    shopper.goto(f"{base}/cart")
    booths = shopper.locator("main section.cart-booth")
    expect(booths).to_have_count(2)
    expect(booths.filter(has_text="HTX Dừa Sáp Cầu Kè")).to_contain_text("170.000")
    expect(booths.filter(has_text="HTX Chè Tân Cương")).to_contain_text("25.000")
    shopper.goto(f"{base}/checkout")

    # Checkout as a guest, cash on delivery (the default).
    shopper.fill('input[name="recipient_name"]', "Nguyễn Thị Lan")
    shopper.fill('input[name="phone"]', "0912.345.678")
    shopper.select_option('select[name="province"]', "vinh-long")
    shopper.fill('input[name="commune"]', "Xã Đại Phước")
    shopper.fill('input[name="street"]', "12 Ấp Chợ")
    shopper.fill('input[name="email"]', "lan@example.vn")
    expect(shopper.locator('input[name="payment_method"][value="cod"]')).to_be_checked()
    total = 170_000 + 30_000 + 120_000 + 25_000
    place = shopper.locator("form.checkout-form button[type=submit]")
    expect(place).to_contain_text(f"{total:,}".replace(",", "."))
    place.click()
    shopper.wait_for_url(re.compile(r"/orders/DH[A-Z0-9]{8}\?t="))
    order_url = shopper.url
    code = re.search(r"/orders/(DH[A-Z0-9]{8})", order_url).group(1)
    parts = shopper.locator("main section.booth-order")
    expect(parts).to_have_count(2)
    for name in ("HTX Dừa Sáp Cầu Kè", "HTX Chè Tân Cương"):
        expect(parts.filter(has_text=name).locator(".bo-status")).to_have_text("Chờ xác nhận")

    # Each booth's member, in their own browser, ships their own part only.
    dua = browsers()
    _sign_in(dua, base, "nam@duasap.vn")
    dua_url = _ship_my_part(dua, base, "htx-dua-sap-cau-ke", code, "Viettel Post", "VTP123456789")
    expect(dua.locator("main")).not_to_contain_text("Chè búp Tân Cương")
    che = browsers()
    _sign_in(che, base, "ba@chetancuong.vn")
    assert che.goto(dua_url).status == 404  # the other booth's part, even under its own URL
    che_url = _ship_my_part(che, base, "htx-che-tan-cuong", code, "Giao Hàng Nhanh", "GHN-77 881")
    assert che.goto(dua_url.replace("htx-dua-sap-cau-ke", "htx-che-tan-cuong")).status == 404
    assert dua.goto(che_url).status == 404

    # The shopper's page now shows both parts on the way, each with its carrier and tracking code.
    shopper.goto(order_url)
    dua_part = parts.filter(has_text="HTX Dừa Sáp Cầu Kè")
    che_part = parts.filter(has_text="HTX Chè Tân Cương")
    expect(dua_part.locator(".bo-status")).to_have_text("Đang giao")
    expect(dua_part).to_contain_text("Viettel Post")
    expect(dua_part).to_contain_text("VTP123456789")
    expect(che_part.locator(".bo-status")).to_have_text("Đang giao")
    expect(che_part).to_contain_text("GHN-77881")

    with app.app_context():
        order = db.session.scalar(sa.select(Order).where(Order.code == code))
        assert (order.payment_method, order.payment_status, order.total_vnd) == ("cod", "cod", total)
        assert sorted(bo.status for bo in order.booth_orders) == ["shipped", "shipped"]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BoothOrder)) == 2
        db.session.remove()
