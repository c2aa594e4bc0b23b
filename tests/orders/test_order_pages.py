"""The order pages: who may open an order (its owner, staff, a guest holding the signed link; nobody else),
what they show (each booth's status, tracking, payment and the VietQR transfer), cancelling before
payment, and the signed-in shopper's list of orders."""
import io
import re

import pytest
import zxingcpp
from PIL import Image

from catalog.models import Product
from orders import cart as carts
from orders import fulfilment
from orders.access import order_token
from orders.checkout import place_order
from orders.models import Order
from orders.payments import vietqr
from storefront.extensions import db
from storefront.models import User
from tests.catalog.test_pages_markup import Nesting
from tests.orders.shopper import DictSession, booth, client_for, delivery, other_app, page_text, product, shopper


def place(app, payment="cod", user_id=None, booths=1, quantity=1):
    """An order (through the service) of one product from each of `booths` booths; returns its code."""
    with app.test_request_context():
        user = db.session.get(User, user_id) if user_id else None
        store = carts.SavedCart(user) if user else carts.SessionCart(DictSession())
        for n in range(booths):
            carts.add_to_cart(store, product(booth(f"HTX Số {n + 1}"), f"Sản phẩm {n + 1}", stock=5).id, quantity)
        return place_order(store, delivery(), payment, user).code


def order(app, code):
    with app.app_context():
        found = db.session.scalar(db.select(Order).where(Order.code == code))
        db.session.expunge_all()
        return found


@pytest.fixture
def people(app):
    owner = shopper(app, "mai@example.vn")
    other = shopper(app, "khac@example.vn")
    staff = shopper(app, "staff@example.vn")
    with app.app_context():
        db.session.get(User, staff).role = "staff"
        db.session.commit()
    return {"owner": owner, "other": other, "staff": staff}


def token_for(app, code):
    with app.test_request_context():
        return order_token(db.session.scalar(db.select(Order).where(Order.code == code)))


@pytest.mark.parametrize("who, status", [("owner", 200), ("other", 404), ("staff", 200), ("anonymous", 404)])
def test_a_shoppers_order_opens_for_its_owner_and_staff_only(app, people, who, status):
    code = place(app, user_id=people["owner"])
    client = app.test_client() if who == "anonymous" else client_for(app, people[who])
    assert client.get(f"/orders/{code}").status_code == status
    assert client.get(f"/orders/{code}/vietqr.png").status_code == 404  # cash on delivery: no QR code


@pytest.mark.parametrize("token, status", [("right", 200), (None, 404), ("", 404), ("wrong", 404),
                                           ("other order", 404), ("tampered", 404)])
def test_a_guests_order_opens_only_with_its_own_signed_link(app, client, people, token, status):
    code, other = place(app), place(app)
    right = token_for(app, code)
    value = {"right": right, "wrong": "IkRIQUJDIg.abc", "other order": token_for(app, other),
             "tampered": right[:-2] + ("AA" if not right.endswith("AA") else "BB"), "": "", None: None}[token]
    url = f"/orders/{code}" + (f"?t={value}" if value is not None else "")
    assert client.get(url).status_code == status
    assert client_for(app, people["other"]).get(url).status_code == status  # being signed in changes nothing


@pytest.mark.parametrize("code", ["dhabcdefgh", "DH123", "DHABCDEFGH0", "../admin", "DH%00ABCDEFG", "x" * 300])
def test_malformed_or_unknown_codes_are_404(client, code):
    assert client.get(f"/orders/{code}").status_code == 404


def test_the_order_page_shows_each_booths_status_tracking_and_lines(app, people):
    code = place(app, user_id=people["owner"], booths=2, quantity=2)
    with app.test_request_context():
        first = db.session.scalar(db.select(Order).where(Order.code == code)).booth_orders[0]
        staff = db.session.get(User, people["staff"])
        for target in ("confirmed", "packed"):
            fulfilment.advance(first, target, staff)
        fulfilment.advance(first, "shipped", staff, carrier="Viettel Post", tracking_code="VTP123456")
    response = client_for(app, people["owner"]).get(f"/orders/{code}")
    assert response.headers["Cache-Control"] == "no-store"
    text = page_text(response)
    assert "HTX Số 1 Đang giao · Đơn vị vận chuyển: Viettel Post, mã vận đơn: VTP123456" in text
    assert "HTX Số 2 Chờ xác nhận" in text and "2 × Sản phẩm 1" in text and "100.000 ₫" in text
    assert "Trả tiền mặt khi nhận hàng (COD) · Thanh toán khi nhận hàng" in text
    assert "Huỷ đơn hàng này" not in text  # cash on delivery: cancelled by asking the booth


def test_a_transfer_order_shows_the_qr_code_with_the_bank_account_amount_message_and_deadline(app, client):
    code = place(app, "vietqr")
    t = token_for(app, code)
    text = page_text(client.get(f"/orders/{code}?t={t}"))
    for expected in ("Sacombank", "0011012345678", "CHO OCOP", "80.000 ₫", f"Nội dung chuyển khoản {code}",
                     "Hạn thanh toán"):
        assert expected in text
    png = client.get(f"/orders/{code}/vietqr.png?t={t}")
    assert png.status_code == 200 and png.mimetype == "image/png" and png.headers["Cache-Control"] == "no-store"
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))
    with app.app_context():
        expected = vietqr.order_payload(order(app, code), app.config)
    assert [b.text for b in found] == [expected]
    assert "540580000" in expected and f"0810{code}" in expected
    assert client.get(f"/orders/{code}/vietqr.png").status_code == 404
    assert client.get(f"/orders/{code}/vietqr.png?t={token_for(app, place(app, 'vietqr'))}").status_code == 404


def test_no_qr_code_once_the_transfer_arrived(app, client, people):
    code = place(app, "vietqr")
    with app.test_request_context():
        fulfilment.transfer_received(db.session.scalar(db.select(Order).where(Order.code == code)),
                                     db.session.get(User, people["staff"]))
    t = token_for(app, code)
    assert client.get(f"/orders/{code}/vietqr.png?t={t}").status_code == 404
    assert "Đã thanh toán ngày" in page_text(client.get(f"/orders/{code}?t={t}"))


def test_a_guest_cancels_an_unpaid_order_from_the_link_and_the_stock_comes_back(app, client):
    code = place(app, "vietqr", quantity=2)
    t = token_for(app, code)
    assert "Huỷ đơn hàng này" in page_text(client.get(f"/orders/{code}?t={t}"))
    assert client.post(f"/orders/{code}/cancel").status_code == 404  # without the link
    response = client.post(f"/orders/{code}/cancel", data={"t": t})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/orders/{code}?t={t}")
    text = page_text(client.get(response.headers["Location"]))
    assert "đã được huỷ" in text and "Đã huỷ" in text
    with app.app_context():
        assert db.session.scalar(db.select(Product.stock)) == 5
    again = client.post(f"/orders/{code}/cancel", data={"t": t})
    assert again.status_code == 303


def test_a_cash_order_cannot_be_cancelled_from_the_shop_side(app, people):
    code = place(app, user_id=people["owner"])
    client = client_for(app, people["owner"])
    client.post(f"/orders/{code}/cancel")
    assert "hãy liên hệ gian hàng để huỷ" in page_text(client.get(f"/orders/{code}"))
    assert order(app, code).payment_status == "cod"


def test_a_card_order_awaiting_payment_links_to_the_payment_page(app, build_app, people):
    card = other_app(app, build_app, STRIPE_SECRET_KEY="sk_test_x", STRIPE_PUBLISHABLE_KEY="pk_test_x",
                     STRIPE_WEBHOOK_SECRET="w")
    code = place(card, "card", user_id=people["owner"])
    text = client_for(card, people["owner"]).get(f"/orders/{code}").get_data(as_text=True)
    assert f'href="/orders/{code}/pay"' in text and "Hãy thanh toán trước" in text
    with card.app_context():
        db.session.scalar(db.select(Order).where(Order.code == code)).stripe_payment_intent = "pi_123"
        db.session.commit()
    assert "đang được xác nhận" in page_text(client_for(card, people["owner"]).get(f"/orders/{code}"))


def test_my_orders_lists_the_shoppers_orders_newest_first_with_each_booths_status(app, people):
    first = place(app, user_id=people["owner"], booths=2)
    second = place(app, user_id=people["owner"])
    place(app, user_id=people["other"])
    place(app)
    response = client_for(app, people["owner"]).get("/account/orders")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert re.findall(r"<strong>(DH[A-Z0-9]{8})</strong>", html) == [second, first]
    assert page_text(response).count("Chờ xác nhận") == 3


def test_my_orders_needs_signing_in_and_pages_by_ten(app, client, people):
    response = client.get("/account/orders")
    assert response.status_code == 302 and "/account/signin" in response.headers["Location"]
    for _ in range(11):
        place(app, user_id=people["owner"])
    mine = client_for(app, people["owner"])
    assert len(re.findall(r"<strong>DH", mine.get("/account/orders").get_data(as_text=True))) == 10
    assert len(re.findall(r"<strong>DH", mine.get("/account/orders?page=2").get_data(as_text=True))) == 1
    for bad in ("0", "3", "abc", "-1", str(10**30)):
        assert mine.get(f"/account/orders?page={bad}").status_code == 404
    assert "Bạn chưa đặt đơn hàng nào." in page_text(client_for(app, people["other"]).get("/account/orders"))


def test_my_orders_runs_the_same_few_queries_for_1_or_10_orders(app, people, count_queries):
    client = client_for(app, people["owner"])
    counts = []
    for n in range(10):
        place(app, user_id=people["owner"], booths=2)
        if n in (0, 9):
            with count_queries() as q:
                assert client.get("/account/orders").status_code == 200
            counts.append(q.count)
    assert counts[0] == counts[1] <= 6, counts


def test_the_order_page_runs_the_same_few_queries_for_1_or_5_booths(app, people, count_queries):
    client = client_for(app, people["owner"])
    counts = []
    for booths in (1, 5):
        code = place(app, user_id=people["owner"], booths=booths)
        with count_queries() as q:
            assert client.get(f"/orders/{code}").status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1] <= 6, counts


@pytest.mark.parametrize("page", ["order", "transfer", "list"])
def test_the_order_pages_are_well_nested(app, people, page):
    client = client_for(app, people["owner"])
    code = place(app, "vietqr" if page == "transfer" else "cod", user_id=people["owner"], booths=2)
    response = client.get("/account/orders" if page == "list" else f"/orders/{code}")
    parser = Nesting()
    parser.feed(response.get_data(as_text=True))
    parser.close()
    assert not parser.errors and not parser.stack
