"""The header search box in real Chromium: suggestions as the shopper types, by mouse and by keyboard."""
import pytest
from playwright.sync_api import expect

from tests.factories import make_product, make_vendor

pytestmark = pytest.mark.browser


@pytest.fixture
def market(app, live_server):
    with app.app_context():
        booth = make_vendor("Hợp tác xã Dừa Sáp Cầu Kè")
        candy = make_product(booth, "Kẹo dừa sáp Cầu Kè", star=4)
        make_product(booth, "Bánh tét lá cẩm", star=3)
        return {"candy": candy.slug, "booth": booth.slug}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="vi-VN")
    yield context.new_page()
    context.close()


def test_typing_keo_d_suggests_the_candy_and_choosing_it_opens_its_page(phone, live_server, market):
    page = phone
    page.goto(live_server + "/booths/")
    box = page.get_by_role("combobox", name="Tìm sản phẩm, gian hàng và địa danh")
    box.click()
    box.press_sequentially("keo d", delay=30)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    option = listbox.get_by_role("option", name="Kẹo dừa sáp Cầu Kè")
    expect(option).to_be_visible()
    option.click()
    page.wait_for_url(f"**/products/{market['candy']}/")
    expect(page.locator("h1")).to_contain_text("Kẹo dừa sáp Cầu Kè")


def test_keyboard_arrows_enter_and_escape_follow_the_combobox_pattern(phone, live_server, market):
    page = phone
    page.goto(live_server + "/")
    box = page.locator("#site-q")
    box.fill("hop tac xa dua")
    listbox = page.get_by_role("listbox")
    booth = listbox.get_by_role("option", name="Hợp tác xã Dừa Sáp Cầu Kè Gian hàng")
    expect(booth).to_be_visible()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("ArrowDown")
    expect(booth).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", booth.get_attribute("id"))
    box.press("Enter")
    page.wait_for_url(f"**/booths/{market['booth']}/")


def test_without_a_choice_enter_searches_and_one_letter_suggests_nothing(phone, live_server, market):
    page = phone
    page.goto(live_server + "/")
    box = page.locator("#site-q")
    box.fill("k")
    page.wait_for_timeout(400)
    expect(page.get_by_role("listbox")).to_be_hidden()
    box.fill("banh tet")
    box.press("Enter")
    page.wait_for_url("**/search?q=banh+tet")
    expect(page.locator("main li.card")).to_have_count(1)
    expect(page.locator("#site-q")).to_have_value("banh tet")
