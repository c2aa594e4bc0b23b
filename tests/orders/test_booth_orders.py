"""The booth's side of orders: its list and booth order page, every status change through the dashboard,
cancelling, refunds, shipping terms, and that a booth never sees another booth's orders.

The `shop` fixture and the helpers here are shared with test_staff_orders.py and test_ledger_pages.py."""
import threading

import pytest
import sqlalchemy as sa

from catalog.models import Product
from orders import cart as carts
from orders import fulfilment
from orders.checkout import Delivery, place_order
from orders.errors import TransitionRefused
from orders.fulfilment import TRANSITIONS
from orders.models import BOOTH_STATUSES, BoothOrder, BoothOrderEvent, BoothTerms, Order
from storefront.extensions import db
from storefront.models import User
from tests.factories import make_product, make_vendor, signed_in_client
from vendors.models import VendorMember

ROLES = ("owner_a", "helper_a", "member_b", "staff", "shopper")


@pytest.fixture
def shop(app):
    """Booth A (an owner and a helper) selling Kẹo dừa, booth B (one member) selling Chè xanh, staff, a shopper."""
    with app.app_context():
        users = {role: User(email=f"{role}@example.vn", name=role.replace("_", " ").title(),
                            role="staff" if role == "staff" else "shopper") for role in ROLES}
        db.session.add_all(users.values())
        a = make_vendor("HTX Dừa Bến Tre", commit=False)
        b = make_vendor("HTX Chè Tân Cương", commit=False)
        keo = make_product(a, "Kẹo dừa sáp", price_vnd=50_000, stock=100, commit=False)
        che = make_product(b, "Chè xanh Tân Cương", price_vnd=120_000, stock=100, commit=False)
        db.session.add_all([VendorMember(vendor=a, user=users["owner_a"], role="owner"),
                            VendorMember(vendor=a, user=users["helper_a"], role="helper"),
                            VendorMember(vendor=b, user=users["member_b"], role="owner")])
        db.session.commit()
        out = {"a": a.slug, "b": b.slug, "a_id": a.id, "b_id": b.id, "keo": keo.id, "che": che.id,
               "sessions": {role: u.get_id() for role, u in users.items()},
               "user_ids": {role: u.id for role, u in users.items()}}
        db.session.remove()
    return out


def client_for(app, shop, role):
    return signed_in_client(app, shop["sessions"][role])


def place(app, lines, method="cod", n=1):
    """Place an order of [(product_id, quantity)]; returns {'id', 'code', vendor_id: booth order id}."""
    with app.test_request_context():
        store = carts.SessionCart({})
        for product_id, quantity in lines:
            carts.add_to_cart(store, product_id, quantity)
        order = place_order(store, Delivery(recipient_name=f"Nguyễn Thị Mua {n}", phone="0912 345 678",
                                            province="vinh-long", commune="Xã Đại Phước", street=f"{n} Ấp Chợ",
                                            email=f"mua{n}@example.vn"), method)
        out = {"id": order.id, "code": order.code, **{bo.vendor_id: bo.id for bo in order.booth_orders}}
        db.session.remove()
    return out


def state(app, bo_id):
    """(status, refunded, [to_status of each event])."""
    with app.app_context():
        bo = db.session.get(BoothOrder, bo_id)
        found = (bo.status, bo.refunded_vnd, [e.to_status for e in bo.events])
        db.session.remove()
    return found


def stock(app, product_id):
    with app.app_context():
        value = db.session.get(Product, product_id).stock
        db.session.remove()
    return value


def set_payment(app, order_id, **values):
    with app.app_context():
        db.session.execute(sa.update(Order).where(Order.id == order_id).values(**values))
        db.session.commit()


def detail_url(shop, bo_id, booth="a"):
    return f"/vendor/{shop[booth]}/orders/{bo_id}"


def advance(client, shop, bo_id, action, **data):
    """POST one action ('advance', 'ship', 'cancel', 'refund') of booth A's booth order."""
    return client.post(f"{detail_url(shop, bo_id)}/{action}", data=data)


def walk_to_delivered(client, shop, bo_id):
    for target in ("confirmed", "packed"):
        assert advance(client, shop, bo_id, "advance", to=target).status_code == 302
    assert advance(client, shop, bo_id, "ship", carrier="Viettel Post", tracking_code="VTP123").status_code == 302
    assert advance(client, shop, bo_id, "advance", to="delivered").status_code == 302


# -- the list -------------------------------------------------------------------------------------------------

def test_the_list_shows_the_booths_own_orders_newest_first(app, shop):
    first = place(app, [(shop["keo"], 1), (shop["che"], 1)], n=1)
    second = place(app, [(shop["keo"], 2)], n=2)
    only_b = place(app, [(shop["che"], 1)], n=3)
    page = client_for(app, shop, "owner_a").get(f"/vendor/{shop['a']}/orders")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert html.index(second["code"]) < html.index(first["code"])
    assert only_b["code"] not in html and "Chè xanh" not in html
    assert "Nguyễn Thị Mua 2" in html and "Kẹo dừa sáp × 2" in html


def test_unpaid_transfer_orders_show_as_awaiting_payment_without_actions(app, shop):
    order = place(app, [(shop["keo"], 1)], method="vietqr")
    client = client_for(app, shop, "owner_a")
    listing = client.get(f"/vendor/{shop['a']}/orders?show=awaiting_payment").get_data(as_text=True)
    assert order["code"] in listing and "Chờ thanh toán" in listing
    assert order["code"] not in client.get(f"/vendor/{shop['a']}/orders?show=pending").get_data(as_text=True)
    page = client.get(detail_url(shop, order[shop["a_id"]])).get_data(as_text=True)
    assert "Chờ thanh toán" in page and "/advance" not in page and "/cancel" not in page


def test_list_filters_and_pages_refuse_nonsense_quietly(app, shop):
    place(app, [(shop["keo"], 1)])
    client = client_for(app, shop, "owner_a")
    assert client.get(f"/vendor/{shop['a']}/orders?show=<script>").status_code == 200
    assert client.get(f"/vendor/{shop['a']}/orders?page=abc").status_code == 404
    assert client.get(f"/vendor/{shop['a']}/orders?page=²").status_code == 404
    assert client.get(f"/vendor/{shop['a']}/ledger?page=9999999999999").status_code == 404
    assert client.get(f"/vendor/{shop['a']}/orders?page=2").status_code == 404


def test_the_list_runs_the_same_few_queries_for_1_and_20_orders(app, shop, count_queries):
    client = client_for(app, shop, "owner_a")
    counts = []
    for extra in (1, 19):
        for n in range(extra):
            place(app, [(shop["keo"], 1), (shop["che"], 1)], n=n)
        client.get(f"/vendor/{shop['a']}/orders")  # warm up
        with count_queries() as q:
            page = client.get(f"/vendor/{shop['a']}/orders")
        assert page.status_code == 200
        counts.append(q.count)
    assert page.get_data(as_text=True).count("Kẹo dừa sáp × 1") == 20
    assert counts[0] == counts[1] <= 10, counts


# -- who sees what --------------------------------------------------------------------------------------------

def test_a_member_of_another_booth_gets_404_for_booth_a_orders_even_under_their_own_slug(app, shop):
    order = place(app, [(shop["keo"], 1), (shop["che"], 1)])
    a_bo, b_bo = order[shop["a_id"]], order[shop["b_id"]]
    member_b = client_for(app, shop, "member_b")
    assert member_b.get(detail_url(shop, a_bo)).status_code == 404
    assert member_b.get(detail_url(shop, a_bo, booth="b")).status_code == 404
    assert member_b.post(f"{detail_url(shop, a_bo, booth='b')}/advance", data={"to": "confirmed"}).status_code == 404
    assert member_b.get(detail_url(shop, b_bo, booth="b")).status_code == 200
    owner_a = client_for(app, shop, "owner_a")
    assert owner_a.get(detail_url(shop, b_bo)).status_code == 404  # B's booth order under A's slug
    assert owner_a.get(detail_url(shop, b_bo, booth="b")).status_code == 404
    assert owner_a.get(detail_url(shop, 10**30)).status_code == 404
    assert state(app, a_bo)[0] == "pending"


def test_the_booth_order_page_shows_delivery_payment_and_history(app, shop):
    order = place(app, [(shop["keo"], 3)])
    page = client_for(app, shop, "owner_a").get(detail_url(shop, order[shop["a_id"]]))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for text in ("Kẹo dừa sáp", "150.000\u00a0₫", "180.000\u00a0₫", "0912 345 678", "1 Ấp Chợ", "Xã Đại Phước",
                 "Vĩnh Long", "Tiền mặt khi nhận hàng", "Chờ xác nhận", "Xác nhận đơn hàng"):
        assert text in html, text


# -- status changes -------------------------------------------------------------------------------------------

def test_a_booth_order_goes_from_pending_to_delivered_through_the_dashboard(app, shop, outbox):
    order = place(app, [(shop["keo"], 1)])
    bo = order[shop["a_id"]]
    sent = len(outbox())
    walk_to_delivered(client_for(app, shop, "owner_a"), shop, bo)
    assert state(app, bo) == ("delivered", 0, ["pending", "confirmed", "packed", "shipped", "delivered"])
    with app.app_context():
        assert db.session.get(BoothOrder, bo).tracking_code == "VTP123"
    assert len(outbox()) == sent + 4  # the shopper hears of each change
    html = client_for(app, shop, "owner_a").get(detail_url(shop, bo)).get_data(as_text=True)
    assert "Viettel Post" in html and "VTP123" in html and "Owner A" in html


def test_every_transition_is_allowed_or_refused_as_the_table_says(ctx):
    vendor = make_vendor()
    product = make_product(vendor, stock=5)
    store = carts.SessionCart({})
    carts.add_to_cart(store, product.id, 1)
    order = place_order(store, Delivery("Khách", "0912345678", "vinh-long", "Xã A", "1 Ấp B", email="k@example.vn"),
                        "cod")
    bo = order.booth_orders[0]
    staff = User(email="s@example.vn", role="staff")
    db.session.add(staff)
    db.session.commit()
    wrong = []
    for current in BOOTH_STATUSES:
        for target in BOOTH_STATUSES:
            db.session.execute(sa.update(BoothOrder).where(BoothOrder.id == bo.id).values(status=current))
            db.session.commit()
            db.session.refresh(bo)
            try:
                fulfilment.advance(bo, target, staff, carrier="VNPost", tracking_code="EE1")
                moved = True
            except TransitionRefused:
                moved = False
            if moved != (target in TRANSITIONS[current]) or \
                    db.session.get(BoothOrder, bo.id).status != (target if moved else current):
                wrong.append(f"{current} → {target}: {'moved' if moved else 'refused'}")
    assert not wrong, wrong
    assert "pending" not in TRANSITIONS["shipped"]


def test_a_shipped_order_cannot_go_back_and_the_page_says_why(app, shop):
    order = place(app, [(shop["keo"], 1)])
    bo = order[shop["a_id"]]
    client = client_for(app, shop, "owner_a")
    for target in ("confirmed", "packed"):
        advance(client, shop, bo, "advance", to=target)
    advance(client, shop, bo, "ship", carrier="GHN", tracking_code="GHN1")
    back = advance(client, shop, bo, "advance", to="pending")
    assert back.status_code == 400 and "Chọn việc đã làm với đơn hàng." in back.get_data(as_text=True)
    again = advance(client, shop, bo, "advance", to="packed")
    assert again.status_code == 400
    assert "Đang giao" in again.get_data(as_text=True) and "Đã đóng gói" in again.get_data(as_text=True)
    cancel = advance(client, shop, bo, "cancel", confirm="y")
    assert cancel.status_code == 400
    assert state(app, bo)[0] == "shipped"


def test_shipping_without_a_carrier_or_tracking_code_is_refused_with_the_input_kept(app, shop):
    order = place(app, [(shop["keo"], 1)])
    bo = order[shop["a_id"]]
    client = client_for(app, shop, "owner_a")
    for target in ("confirmed", "packed"):
        advance(client, shop, bo, "advance", to=target)
    for data, field, message in [
        ({"carrier": "Viettel Post", "tracking_code": ""}, "tracking_code", "Nhập mã vận đơn."),
        ({"carrier": "Viettel Post", "tracking_code": "   "}, "tracking_code", "Nhập mã vận đơn."),
        ({"carrier": "", "tracking_code": "VTP1"}, "carrier", "Nhập đơn vị vận chuyển."),
        ({"carrier": "Viettel Post", "tracking_code": "x" * 61}, "tracking_code", "Tối đa 60 ký tự."),
    ]:
        response = advance(client, shop, bo, "ship", **data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, data
        assert f'id="{field}-errors"' in html and message in html, data
        if data["carrier"]:
            assert f'value="{data["carrier"]}"' in html
    assert state(app, bo)[0] == "packed"


def test_an_unpaid_card_order_cannot_be_handled(app, shop):
    order = place(app, [(shop["keo"], 1)], method="vietqr")
    set_payment(app, order["id"], payment_method="card")
    bo = order[shop["a_id"]]
    client = client_for(app, shop, "owner_a")
    for action, data in (("advance", {"to": "confirmed"}), ("cancel", {"confirm": "y"}),
                         ("refund", {"amount": "10.000"})):
        response = advance(client, shop, bo, action, **data)
        assert response.status_code == 400, action
    assert "chưa được thanh toán" in advance(client, shop, bo, "advance", to="confirmed").get_data(as_text=True)
    assert state(app, bo) == ("pending", 0, ["pending"])


def test_two_members_pressing_confirm_at_once_act_once(app, shop, outbox):
    order = place(app, [(shop["keo"], 1)])
    bo = order[shop["a_id"]]
    sent = len(outbox())
    clients = [client_for(app, shop, role) for role in ("owner_a", "helper_a")]
    barrier, answers = threading.Barrier(2), []

    def press(client):
        barrier.wait(10)
        answers.append(advance(client, shop, bo, "advance", to="confirmed").status_code)

    threads = [threading.Thread(target=press, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(answers) in ([302, 302], [302, 400])
    assert state(app, bo) == ("confirmed", 0, ["pending", "confirmed"])
    assert len(outbox()) == sent + 1


def test_a_stale_page_cannot_confirm_twice(app, shop):
    """The service's conditional update: a booth order read before someone else confirmed it is refused."""
    order = place(app, [(shop["keo"], 1)])
    bo_id = order[shop["a_id"]]
    with app.test_request_context():
        bo = db.session.get(BoothOrder, bo_id)
        bo.order  # loaded while still pending
        user = db.session.get(User, shop["user_ids"]["owner_a"])
        with db.engine.begin() as conn:
            conn.execute(sa.update(BoothOrder.__table__).where(BoothOrder.__table__.c.id == bo_id)
                         .values(status="confirmed"))
        with pytest.raises(TransitionRefused):
            fulfilment.advance(bo, "confirmed", user)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BoothOrderEvent)
                                 .where(BoothOrderEvent.booth_order_id == bo_id)) == 1
        db.session.remove()


def test_pressing_the_same_button_again_is_harmless(app, shop):
    order = place(app, [(shop["keo"], 1)])
    bo = order[shop["a_id"]]
    client = client_for(app, shop, "owner_a")
    assert advance(client, shop, bo, "advance", to="confirmed").status_code == 302
    assert advance(client, shop, bo, "advance", to="confirmed").status_code == 302
    assert state(app, bo) == ("confirmed", 0, ["pending", "confirmed"])


# -- cancelling -----------------------------------------------------------------------------------------------

def test_cancelling_needs_the_tick_and_returns_the_stock(app, shop):
    order = place(app, [(shop["keo"], 4), (shop["che"], 1)])
    bo = order[shop["a_id"]]
    assert stock(app, shop["keo"]) == 96
    client = client_for(app, shop, "owner_a")
    refused = advance(client, shop, bo, "cancel", note="Hết hàng")
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "Đánh dấu vào ô để xác nhận" in html and 'value="Hết hàng"' in html
    assert stock(app, shop["keo"]) == 96
    assert advance(client, shop, bo, "cancel", note="Hết hàng", confirm="y").status_code == 302
    assert state(app, bo) == ("cancelled", 0, ["pending", "cancelled"])
    assert stock(app, shop["keo"]) == 100 and stock(app, shop["che"]) == 99
    assert state(app, order[shop["b_id"]])[0] == "pending"


def test_cancelling_a_paid_order_gives_the_money_back(app, shop):
    order = place(app, [(shop["keo"], 2)], method="vietqr")
    with app.test_request_context():
        fulfilment.transfer_received(db.session.get(Order, order["id"]), None)
        db.session.remove()
    bo = order[shop["a_id"]]
    client = client_for(app, shop, "owner_a")
    assert advance(client, shop, bo, "advance", to="confirmed").status_code == 302
    assert advance(client, shop, bo, "cancel", confirm="y").status_code == 302
    assert state(app, bo) == ("cancelled", 130_000, ["pending", "confirmed", "cancelled"])
    assert stock(app, shop["keo"]) == 100


# -- refunds --------------------------------------------------------------------------------------------------

def test_a_partial_refund_then_the_rest_marks_the_order_refunded(app, shop):
    order = place(app, [(shop["keo"], 2)])  # 100.000 + 30.000 shipping
    bo = order[shop["a_id"]]
    client = client_for(app, shop, "owner_a")
    walk_to_delivered(client, shop, bo)
    assert advance(client, shop, bo, "refund", amount="40.000", reason="Một hộp bị móp").status_code == 302
    assert state(app, bo)[:2] == ("delivered", 40_000)
    too_much = advance(client, shop, bo, "refund", amount="90.001", reason="Nhầm")
    assert too_much.status_code == 400
    html = too_much.get_data(as_text=True)
    assert "90.000\u00a0₫" in html and 'value="90.001"' in html
    assert advance(client, shop, bo, "refund", amount="90.000", reason="Khách trả hàng").status_code == 302
    assert state(app, bo)[:2] == ("refunded", 130_000)
    html = client.get(detail_url(shop, bo)).get_data(as_text=True)
    assert "Một hộp bị móp" in html and "Khách trả hàng" in html and "Hoàn tiền cho khách" not in html
    assert "Give money back" not in html and "Trả tiền lại cho khách" not in html


def test_bad_refund_amounts_are_refused_with_a_message(app, shop):
    order = place(app, [(shop["keo"], 2)])
    bo = order[shop["a_id"]]
    client = client_for(app, shop, "owner_a")
    walk_to_delivered(client, shop, bo)
    for amount in ("0", "-5", "abc", "1,5", str(10**30), "130.001", ""):
        response = advance(client, shop, bo, "refund", amount=amount)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, amount
        assert 'id="amount-errors"' in html and f'value="{amount}"' in html, amount
    assert state(app, bo)[:2] == ("delivered", 0)


def test_a_cash_order_cannot_be_refunded_before_delivery(app, shop):
    order = place(app, [(shop["keo"], 1)])
    bo = order[shop["a_id"]]
    response = advance(client_for(app, shop, "owner_a"), shop, bo, "refund", amount="10.000")
    assert response.status_code == 400 and "Huỷ đơn" in response.get_data(as_text=True)


# -- shipping terms -------------------------------------------------------------------------------------------

def _terms(app, vendor_id):
    with app.app_context():
        t = db.session.get(BoothTerms, vendor_id)
        found = None if t is None else (t.shipping_fee_vnd, t.free_shipping_over_vnd, t.commission_bp)
        db.session.remove()
    return found


def test_the_shipping_terms_start_at_the_default_and_are_saved(app, shop):
    client = client_for(app, shop, "owner_a")
    page = client.get(f"/vendor/{shop['a']}/shipping")
    assert page.status_code == 200 and 'value="30.000"' in page.get_data(as_text=True)
    saved = client.post(f"/vendor/{shop['a']}/shipping", data={"shipping_fee": "25.000", "free_over": "300.000"})
    assert saved.status_code == 302
    assert _terms(app, shop["a_id"]) == (25_000, 300_000, None)
    assert client.post(f"/vendor/{shop['a']}/shipping", data={"shipping_fee": "0", "free_over": ""}).status_code == 302
    assert _terms(app, shop["a_id"]) == (0, None, None)
    order = place(app, [(shop["keo"], 1)])
    with app.app_context():
        assert db.session.get(BoothOrder, order[shop["a_id"]]).shipping_fee_vnd == 0


def test_free_shipping_applies_from_the_threshold(app, shop):
    client_for(app, shop, "owner_a").post(f"/vendor/{shop['a']}/shipping",
                                          data={"shipping_fee": "20.000", "free_over": "100.000"})
    below, above = place(app, [(shop["keo"], 1)], n=1), place(app, [(shop["keo"], 2)], n=2)
    with app.app_context():
        assert db.session.get(BoothOrder, below[shop["a_id"]]).shipping_fee_vnd == 20_000
        assert db.session.get(BoothOrder, above[shop["a_id"]]).shipping_fee_vnd == 0


def test_bad_shipping_terms_are_refused_with_the_input_kept(app, shop):
    client = client_for(app, shop, "owner_a")
    for data, field in [
        ({"shipping_fee": "-5", "free_over": ""}, "shipping_fee"),
        ({"shipping_fee": "ba mươi nghìn", "free_over": ""}, "shipping_fee"),
        ({"shipping_fee": str(10**30), "free_over": ""}, "shipping_fee"),
        ({"shipping_fee": "1.000.001", "free_over": ""}, "shipping_fee"),
        ({"shipping_fee": "", "free_over": ""}, "shipping_fee"),
        ({"shipping_fee": "12,5", "free_over": ""}, "shipping_fee"),
        ({"shipping_fee": "30.000", "free_over": "0"}, "free_over"),
        ({"shipping_fee": "30.000", "free_over": "-1"}, "free_over"),
        ({"shipping_fee": "30.000", "free_over": str(10**30)}, "free_over"),
    ]:
        response = client.post(f"/vendor/{shop['a']}/shipping", data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, data
        assert f'id="{field}-errors"' in html and f'value="{data[field]}"' in html, data
    assert "Nhập mức phí từ 0 ₫ đến 1.000.000\u00a0₫." in client.post(
        f"/vendor/{shop['a']}/shipping", data={"shipping_fee": str(10**30)}).get_data(as_text=True)
    assert _terms(app, shop["a_id"]) is None


def test_the_shipping_form_needs_its_csrf_token(csrf_app, shop):
    client = signed_in_client(csrf_app, shop["sessions"]["owner_a"])
    response = client.post(f"/vendor/{shop['a']}/shipping", data={"shipping_fee": "10.000"})
    assert response.status_code == 400
    with csrf_app.app_context():
        assert db.session.get(BoothTerms, shop["a_id"]) is None
        db.session.remove()


def test_status_buttons_need_their_csrf_token(csrf_app, shop):
    order = place(csrf_app, [(shop["keo"], 1)])
    bo = order[shop["a_id"]]
    client = signed_in_client(csrf_app, shop["sessions"]["owner_a"])
    response = client.post(f"{detail_url(shop, bo)}/advance", data={"to": "confirmed"})
    assert response.status_code == 400 and state(csrf_app, bo)[0] == "pending"
    page = client.get(detail_url(shop, bo)).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post(f"{detail_url(shop, bo)}/advance", data={"to": "confirmed", "csrf_token": token}).status_code == 302
    assert state(csrf_app, bo)[0] == "confirmed"
