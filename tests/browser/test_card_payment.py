"""A shopper pays by card in real Chromium with localstripe's Stripe.js: a declined card, then a good one; a
3-D Secure card, failed then completed. The order turns paid only when localstripe's signed webhook reaches
the live app."""
import re

import pytest
from playwright.sync_api import expect

from orders.access import order_token
from orders.models import Order
from storefront.extensions import db
from tests.factories import make_product, make_vendor
from tests.orders.payments.stripe_kit import *  # noqa: F401,F403  (the localstripe fixtures)
from tests.orders.payments.stripe_kit import card_order, wait_for

pytestmark = pytest.mark.browser


@pytest.fixture
def order(card_ctx):
    """A guest's card order from two booths: 2 × 50.000 ₫ + 120.000 ₫ + 2 × 30.000 ₫ shipping."""
    dua = make_vendor("Hợp tác xã Dừa Cầu Kè", commit=False)
    che = make_vendor("Tổ hợp tác Chè Tân Cương", commit=False)
    keo = make_product(dua, "Kẹo dừa sáp", price_vnd=50_000, stock=5, commit=False)
    bup = make_product(che, "Chè búp Tân Cương", price_vnd=120_000, stock=3, commit=False)
    db.session.commit()
    return card_order((keo, 2), (bup, 1))


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="vi-VN")
    page = context.new_page()
    page.csp_violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text
            and page.csp_violations.append(message.text))
    yield page
    context.close()


def open_payment_page(page, server, order):
    page.goto(f"{server}/orders/{order.code}/pay?t={order_token(order)}")
    expect(page.get_by_role("heading", name="Thanh toán bằng thẻ")).to_be_visible()
    expect(page.locator("#card-element input")).to_have_count(5)  # localstripe's card element, mounted


def enter_card(page, number):
    card = page.locator("#card-element")
    card.get_by_placeholder("number", exact=True).fill(number)
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("30")
    card.get_by_placeholder("cvc").fill("123")
    card.get_by_placeholder("postal_code").fill("70000")


def pay(page):
    page.get_by_role("button", name="Thanh toán 280.000 ₫").click()


def expect_paid(page, server, order):
    page.wait_for_url(re.compile(rf"{re.escape(server)}/orders/{order.code}\?t="), timeout=15_000)
    expect(page.get_by_text("Đã nhận tiền thanh toán. Cảm ơn bạn!")).to_be_visible()
    expect(page.get_by_text("Đã thanh toán").first).to_be_visible()
    assert wait_for(lambda: db.session.get(Order, order.id).payment_status == "paid")


def test_a_declined_card_shows_stripes_message_and_another_card_pays(phone, order, webhooks_delivered):
    page, server = phone, webhooks_delivered
    open_payment_page(page, server, order)
    enter_card(page, "4000000000000341")
    pay(page)
    expect(page.locator("#card-errors")).to_have_text("Your card was declined.")
    expect(page).to_have_url(re.compile(r"/pay\?t="))
    assert wait_for(lambda: db.session.get(Order, order.id).payment_status == "failed")
    enter_card(page, "4242424242424242")
    pay(page)
    page.wait_for_url(re.compile(r"/pay/wait\?t="))
    expect(page.get_by_role("heading", name="Khoản thanh toán của bạn đang được xác nhận")).to_be_visible()
    expect_paid(page, server, order)
    assert page.csp_violations == []


def test_a_3d_secure_card_pays_once_the_shopper_completes_the_check(phone, order, webhooks_delivered):
    page, server = phone, webhooks_delivered
    open_payment_page(page, server, order)
    enter_card(page, "4000002500003155")
    pay(page)
    page.get_by_role("button", name="Fail authentication").click()
    expect(page.locator("#card-errors")).to_contain_text("Thanh toán chưa thành công")
    db.session.rollback()
    assert db.session.get(Order, order.id).payment_status == "pending"
    pay(page)
    page.get_by_role("button", name="Complete authentication").click()
    expect_paid(page, server, order)
    assert page.csp_violations == []
