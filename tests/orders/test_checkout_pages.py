"""The checkout page: delivery details, payment methods, one order with a booth order per booth, the
e-mails, and every kind of bad input or change meanwhile answered with a clear message and the cart kept."""
import re
import shutil

import pytest

from catalog.models import Product
from orders import checkout as checkout_service
from orders import notifications
from orders.models import Address, BoothOrder, Order
from storefront.extensions import db
from storefront.mail import outbox_path
from tests.catalog.test_pages_markup import Nesting
from tests.orders.shopper import (FORM, add, booth, checkout, client_for, order_code, other_app, page_text, product,
                                  shopper)


@pytest.fixture(autouse=True)
def _empty_outbox(app):
    with app.app_context():
        shutil.rmtree(outbox_path(), ignore_errors=True)


@pytest.fixture
def market(app):
    with app.app_context():
        dua = booth("HTX Dừa Sáp", fee=25_000, email="dua@example.vn")
        che = booth("HTX Chè Tân Cương", fee=30_000, free_over=200_000, email="che@example.vn")
        keo = product(dua, "Kẹo dừa sáp", price=50_000, stock=5)
        tra = product(che, "Trà búp", price=120_000, stock=4)
        return {"keo": keo.id, "tra": tra.id, "dua": dua.id, "che": che.id}


@pytest.fixture
def filled(client, market):
    add(client, market["keo"], 2)
    add(client, market["tra"], 2)
    return client


def lines_in_cart(client):
    return re.findall(r'name="quantity-(\d+)"[^>]*value="(\d+)"', client.get("/cart").get_data(as_text=True))


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(client, market):
    response = client.get("/checkout")
    assert response.status_code == 303 and response.headers["Location"].endswith("/cart")
    assert "Giỏ hàng của bạn đang trống." in page_text(client.get("/cart"))


def test_the_checkout_page_offers_cod_first_and_transfer_but_no_card_without_stripe_keys(filled):
    response = filled.get("/checkout")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert re.findall(r'name="payment_method"[^>]*value="(\w+)"', html) == ["cod", "vietqr"]
    assert re.search(r'value="cod"[^>]*checked|checked[^>]*value="cod"', html)
    assert len(re.findall(r'<option value="[a-z-]+"', html)) == 34
    text = page_text(response)
    assert "HTX Dừa Sáp" in text and "2 × Trà búp" in text and "Tổng cộng 365.000 ₫" in text


def test_a_guest_pays_cash_on_delivery_and_gets_one_order_with_a_booth_order_per_booth(app, filled, market, outbox):
    response = checkout(filled)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert re.search(r"/orders/DH[A-Z0-9]{8}\?t=", location)
    page = filled.get(location)
    text = page_text(page)
    assert page.status_code == 200 and "Cảm ơn bạn! Đơn hàng" in text
    assert "HTX Dừa Sáp" in text and "HTX Chè Tân Cương" in text and text.count("Chờ xác nhận") == 2
    assert "0912 345 678" in text
    with app.app_context():
        order = db.session.scalar(db.select(Order).where(Order.code == order_code(location)))
        booths = {bo.vendor_id: (bo.items_total_vnd, bo.shipping_fee_vnd) for bo in order.booth_orders}
        assert booths == {market["dua"]: (100_000, 25_000), market["che"]: (240_000, 0)}
        assert (order.total_vnd, order.payment_status, order.email) == (365_000, "cod", "lan@example.vn")
        assert db.session.get(Product, market["keo"]).stock == 3
    assert lines_in_cart(filled) == []
    mails = {m["To"]: m for m in outbox()}
    assert set(mails) == {"lan@example.vn", "dua@example.vn", "che@example.vn"}
    assert location.split("?t=")[1] in mails["lan@example.vn"].get_content()
    assert "Đã nhận đơn hàng" in mails["lan@example.vn"]["Subject"]
    assert "Đơn hàng mới" in mails["dua@example.vn"]["Subject"]


def test_a_transfer_order_goes_to_its_page_with_the_qr_code(filled):
    response = checkout(filled, payment_method="vietqr")
    text = page_text(filled.get(response.headers["Location"]))
    assert "Thanh toán bằng chuyển khoản" in text and "0011012345678" in text and "365.000 ₫" in text


@pytest.fixture
def card_app(app, build_app):
    return other_app(app, build_app, STRIPE_SECRET_KEY="sk_test_x", STRIPE_PUBLISHABLE_KEY="pk_test_x",
                     STRIPE_WEBHOOK_SECRET="whsec_x", STRIPE_API_BASE="http://127.0.0.1:9")


def test_card_is_offered_with_stripe_keys_and_leads_to_the_payment_page(card_app, market):
    client = card_app.test_client()
    add(client, market["keo"], 1)
    assert 'value="card"' in client.get("/checkout").get_data(as_text=True)
    response = checkout(client, payment_method="card")
    assert response.status_code == 303
    assert re.search(r"/orders/DH[A-Z0-9]{8}/pay\?t=", response.headers["Location"])
    with card_app.app_context():
        order = db.session.scalar(db.select(Order))
        assert (order.payment_method, order.payment_status) == ("card", "pending") and order.pay_by


def test_card_without_stripe_keys_is_refused_under_the_payment_choice(filled):
    response = checkout(filled, payment_method="card")
    assert response.status_code == 400 and "Chọn cách thanh toán." in page_text(response)
    assert len(lines_in_cart(filled)) == 2


@pytest.mark.parametrize("field, value, message", [
    ("phone", "12345", "Hãy nhập số di động Việt Nam, ví dụ 0912 345 678."),
    ("phone", "0212 345 678", "Hãy nhập số di động Việt Nam, ví dụ 0912 345 678."),
    ("phone", "", "Vui lòng điền mục này."),
    ("recipient_name", "", "Vui lòng điền mục này."),
    ("province", "ha-tay", "Chọn tỉnh, thành phố."),
    ("province", "", "Chọn tỉnh, thành phố."),
    ("commune", "", "Vui lòng điền mục này."),
    ("street", "x" * 301, "300"),
    ("email", "", "Nhập địa chỉ e-mail: chúng tôi gửi đơn hàng"),
    ("email", "lan@", "Hãy nhập một địa chỉ e-mail, ví dụ ten@example.com."),
    ("payment_method", "bitcoin", "Chọn cách thanh toán."),
])
def test_a_bad_detail_re_renders_the_form_with_the_message_and_everything_kept(filled, field, value, message):
    response = checkout(filled, **{field: value, "note": "Giao giờ hành chính"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in page_text(response) and ('aria-invalid="true"' in html or field == "payment_method")
    assert "Giao giờ hành chính" in html and ('value="Xã Đại Phước"' in html or field == "commune")
    assert len(lines_in_cart(filled)) == 2


def test_a_right_phone_is_shown_back_the_way_people_write_it(filled):
    response = checkout(filled, phone="+84 912.345.678", commune="")
    assert response.status_code == 400 and 'value="0912 345 678"' in response.get_data(as_text=True)


def test_a_price_field_sent_by_the_browser_is_ignored(app, filled):
    response = checkout(filled, price_vnd="1", total_vnd="1", **{f"price-{n}": "1" for n in range(3)})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(Order.total_vnd)) == 365_000


def test_a_booth_suspended_mid_checkout_is_shown_and_the_rest_of_the_cart_kept(app, filled, market):
    assert filled.get("/checkout").status_code == 200
    with app.app_context():
        db.session.get(Product, market["keo"]).vendor.status = "suspended"
        db.session.commit()
    response = checkout(filled)
    assert response.status_code == 409
    text = page_text(response)
    assert "Một số sản phẩm trong giỏ đã thay đổi" in text and "Không còn bán" in text and "Kẹo dừa sáp" in text
    assert lines_in_cart(filled) == [(str(market["tra"]), "2")]
    assert checkout(filled).status_code == 303  # the shopper saw it: the next submit orders the rest
    with app.app_context():
        assert [bo.vendor_id for bo in db.session.scalars(db.select(BoothOrder))] == [market["che"]]


def test_a_price_changed_mid_checkout_is_shown_then_charged_only_once_seen(app, filled, market):
    filled.get("/checkout")
    with app.app_context():
        db.session.get(Product, market["keo"]).price_vnd = 55_000
        db.session.commit()
    response = checkout(filled)
    assert response.status_code == 409 and "Giá đã đổi từ 50.000 ₫ thành 55.000 ₫." in page_text(response)
    assert "Tổng cộng 375.000 ₫" in page_text(response)
    assert checkout(filled).status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(Order.total_vnd)) == 375_000


def test_a_change_before_the_checkout_page_is_shown_there_and_the_shown_price_is_charged(app, filled, market):
    with app.app_context():
        db.session.get(Product, market["tra"]).stock = 1
        db.session.commit()
    text = page_text(filled.get("/checkout"))
    assert "Phần tóm tắt bên dưới ghi giá và số lượng hiện tại" in text and "Chỉ còn 1" in text
    assert checkout(filled).status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(Order.items_total_vnd)) == 100_000 + 120_000


def test_stock_taken_by_another_checkout_meanwhile_gives_a_message_and_keeps_the_cart(filled, market, monkeypatch):
    monkeypatch.setattr(checkout_service, "move_stock", lambda *a, **k: None)
    response = checkout(filled)
    assert response.status_code == 400 and "chỉ còn" in page_text(response)
    assert len(lines_in_cart(filled)) == 2


def test_the_order_is_placed_even_if_the_mail_server_is_down(app, filled, monkeypatch):
    def down(order):
        raise ConnectionRefusedError("smtp")

    monkeypatch.setattr(notifications, "placed", down)
    assert checkout(filled).status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Order.id))) == 1


def test_the_checkout_form_needs_its_csrf_token(app, build_app, market):
    csrf_app = other_app(app, build_app, WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    add(client, market["keo"])
    assert checkout(client).status_code == 400
    page = client.get("/checkout").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert checkout(client, csrf_token=token.group(1)).status_code == 303


def test_a_signed_in_shopper_starts_from_their_details_and_saved_address(app, market):
    user_id = shopper(app, "mai@example.vn", name="Trần Mai", phone="0987654321")
    client = client_for(app, user_id)
    add(client, market["keo"])
    html = client.get("/checkout").get_data(as_text=True)
    assert 'value="Trần Mai"' in html and 'value="0987 654 321"' in html and 'name="email"' not in html
    assert "mai@example.vn" in html
    response = checkout(client, email="", save_address="y", street="5 Đường Lê Lợi")
    assert response.status_code == 303 and "?t=" not in response.headers["Location"]
    add(client, market["tra"])
    html = client.get("/checkout").get_data(as_text=True)
    assert 'value="5 Đường Lê Lợi"' in html and 'value="Nguyễn Thị Lan"' in html and "Địa chỉ đã lưu" in html
    with app.app_context():
        address = db.session.scalar(db.select(Address))
        assert (address.user_id, address.phone) == (user_id, "+84912345678")
        other = Address(user_id=shopper(app, "khac@example.vn"), recipient_name="Người lạ", phone="+84911111111",
                        province="ha-noi", commune="Phường X", street="Nhà lạ")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    html = client.get(f"/checkout?address={other_id}").get_data(as_text=True)
    assert "Người lạ" not in html and "Nhà lạ" not in html


@pytest.mark.parametrize("method", ["get", "bad post"])
def test_the_checkout_page_is_well_nested(filled, method):
    response = filled.get("/checkout") if method == "get" else checkout(filled, phone="1")
    parser = Nesting()
    parser.feed(response.get_data(as_text=True))
    parser.close()
    assert not parser.errors and not parser.stack


def test_the_checkout_page_runs_the_same_few_queries_for_1_or_10_lines(app, count_queries):
    client, guest = client_for(app, shopper(app)), app.test_client()
    with app.app_context():
        booths = [booth() for _ in range(4)]
        ids = [product(booths[i % 4], image=True).id for i in range(10)]
    counts = []
    for pid in ids:
        add(client, pid)
        add(guest, pid)
        if pid in (ids[0], ids[-1]):
            with count_queries() as signed_in:
                assert client.get("/checkout").status_code == 200
            with count_queries() as anonymous:
                assert guest.get("/checkout").status_code == 200
            counts.append((signed_in.count, anonymous.count))
    assert counts[0] == counts[1] and counts[0][0] <= 8 and counts[0][1] <= 3, counts


def test_the_form_fields_are_the_ones_the_tests_send():
    assert set(FORM) == {"recipient_name", "phone", "province", "commune", "street", "note", "email",
                         "payment_method"}
