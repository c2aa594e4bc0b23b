"""The staff's side of orders: every order with filters, one order with everything about it, a VietQR
transfer marked received, an unpaid order cancelled, a booth order refunded."""
from orders.models import BoothOrder, LedgerEntry, Order
from storefront.extensions import db
from tests.orders.test_booth_orders import (client_for, place, set_payment, shop, state, stock,  # noqa: F401
                                            walk_to_delivered)


def _order(app, order_id):
    with app.app_context():
        order = db.session.get(Order, order_id)
        found = (order.payment_status, [bo.status for bo in order.booth_orders])
        db.session.remove()
    return found


def test_staff_see_every_order_newest_first(app, shop):
    first = place(app, [(shop["keo"], 1)], n=1)
    second = place(app, [(shop["che"], 1)], n=2, method="vietqr")
    page = client_for(app, shop, "staff").get("/staff/orders")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert html.index(second["code"]) < html.index(first["code"])
    assert "HTX Dừa Bến Tre" in html and "HTX Chè Tân Cương" in html


def test_the_order_list_filters_by_method_status_booth_and_code(app, shop):
    codes = {"cash_a": place(app, [(shop["keo"], 1)], n=1)["code"],
             "cash_b": place(app, [(shop["che"], 1)], n=2)["code"],
             "transfer": place(app, [(shop["che"], 2)], n=3, method="vietqr")["code"]}
    client = client_for(app, shop, "staff")
    for query, shows in [
        ("method=vietqr", {"transfer"}), ("method=cod", {"cash_a", "cash_b"}), ("status=pending", {"transfer"}),
        ("status=cod", {"cash_a", "cash_b"}), ("booth={b_id}", {"cash_b", "transfer"}), ("booth={a_id}", {"cash_a"}),
        ("q={cash_a}", {"cash_a"}), ("q=mua 3", {"transfer"}), ("method=bitcoin", {"cash_a", "cash_b", "transfer"}),
        ("booth=abc&status=%27", {"cash_a", "cash_b", "transfer"}), ("q=%25", set()), ("booth=99999", set()),
        ("booth=99999999999999999999", {"cash_a", "cash_b", "transfer"}),
        ("booth=²&page=1", {"cash_a", "cash_b", "transfer"}),
    ]:
        response = client.get("/staff/orders?" + query.format(a_id=shop["a_id"], b_id=shop["b_id"], **codes))
        assert response.status_code == 200, query
        html = response.get_data(as_text=True)
        assert {name for name, code in codes.items() if code in html} == shows, query


def test_the_order_list_runs_the_same_few_queries_for_1_and_20_orders(app, shop, count_queries):
    client = client_for(app, shop, "staff")
    counts = []
    for extra in (1, 19):
        for n in range(extra):
            place(app, [(shop["keo"], 1), (shop["che"], 1)], n=n)
        client.get("/staff/orders")
        with count_queries() as q:
            page = client.get("/staff/orders")
        assert page.status_code == 200
        counts.append(q.count)
    assert page.get_data(as_text=True).count("HTX Chè Tân Cương:") == 20
    assert counts[0] == counts[1] <= 10, counts


def test_the_order_page_shows_everything_in_a_fixed_number_of_queries(app, shop, count_queries):
    order = place(app, [(shop["keo"], 2), (shop["che"], 1)])
    client = client_for(app, shop, "staff")
    client.get(f"/staff/orders/{order['id']}")
    with count_queries() as q:
        page = client.get(f"/staff/orders/{order['id']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and q.count <= 12, q.statements
    for text in (order["code"], "Kẹo dừa sáp", "Chè xanh Tân Cương", "0912 345 678", "mua1@example.vn",
                 "Tiền mặt khi nhận hàng", "Khách vãng lai"):
        assert text in html, text
    assert client.get("/staff/orders/999999").status_code == 404
    assert client.get("/staff/orders/" + "9" * 30).status_code == 404
    assert client.get("/staff/ledger/" + "9" * 30).status_code == 404


def test_a_transfer_marked_received_makes_the_order_paid_once(app, shop, outbox):
    order = place(app, [(shop["keo"], 2), (shop["che"], 1)], method="vietqr")
    client = client_for(app, shop, "staff")
    page = client.get(f"/staff/orders/{order['id']}").get_data(as_text=True)
    assert order["code"] in page and "Đã nhận được chuyển khoản" in page
    sent = len(outbox())
    assert client.post(f"/staff/orders/{order['id']}/transfer-received").status_code == 302
    assert _order(app, order["id"]) == ("paid", ["pending", "pending"])
    assert len(outbox()) == sent + 1
    again = client.post(f"/staff/orders/{order['id']}/transfer-received")
    assert again.status_code == 400 and "Đơn hàng này không chờ chuyển khoản." in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(LedgerEntry).filter_by(kind="sale").count() == 2
    booth_page = client_for(app, shop, "owner_a").get(f"/vendor/{shop['a']}/orders/{order[shop['a_id']]}")
    assert "Xác nhận đơn hàng" in booth_page.get_data(as_text=True)


def test_a_cash_order_is_not_a_transfer(app, shop):
    order = place(app, [(shop["keo"], 1)])
    response = client_for(app, shop, "staff").post(f"/staff/orders/{order['id']}/transfer-received")
    assert response.status_code == 400
    assert "không thanh toán bằng chuyển khoản" in response.get_data(as_text=True)
    assert _order(app, order["id"]) == ("cod", ["pending"])


def test_staff_cancel_an_unpaid_order_with_the_tick_and_its_stock_comes_back(app, shop):
    order = place(app, [(shop["keo"], 3), (shop["che"], 1)], method="vietqr")
    assert stock(app, shop["keo"]) == 97
    client = client_for(app, shop, "staff")
    refused = client.post(f"/staff/orders/{order['id']}/cancel")
    assert refused.status_code == 400 and "Đánh dấu vào ô để xác nhận" in refused.get_data(as_text=True)
    assert client.post(f"/staff/orders/{order['id']}/cancel", data={"confirm": "y"}).status_code == 302
    assert _order(app, order["id"]) == ("cancelled", ["cancelled", "cancelled"])
    assert stock(app, shop["keo"]) == 100 and stock(app, shop["che"]) == 100


def test_a_cash_order_cannot_be_cancelled_as_unpaid(app, shop):
    order = place(app, [(shop["keo"], 1)])
    response = client_for(app, shop, "staff").post(f"/staff/orders/{order['id']}/cancel", data={"confirm": "y"})
    assert response.status_code == 400 and "liên hệ gian hàng" in response.get_data(as_text=True)
    assert _order(app, order["id"]) == ("cod", ["pending"])


def test_staff_refund_a_delivered_booth_order_partly_then_the_rest(app, shop):
    order = place(app, [(shop["keo"], 2), (shop["che"], 1)])
    bo = order[shop["a_id"]]
    walk_to_delivered(client_for(app, shop, "owner_a"), shop, bo)
    client = client_for(app, shop, "staff")
    url = f"/staff/orders/{order['id']}/booth-orders/{bo}/refund"
    assert client.post(url, data={f"bo{bo}-amount": "30.000", f"bo{bo}-reason": "Thiếu hàng"}).status_code == 302
    over = client.post(url, data={f"bo{bo}-amount": "100.001"})
    assert over.status_code == 400
    html = over.get_data(as_text=True)
    assert "100.000\u00a0₫" in html and 'value="100.001"' in html
    assert client.post(url, data={f"bo{bo}-amount": "100.000"}).status_code == 302
    assert state(app, bo)[:2] == ("refunded", 130_000)
    assert state(app, order[shop["b_id"]])[:2] == ("pending", 0)
    html = client.get(f"/staff/orders/{order['id']}").get_data(as_text=True)
    assert "Thiếu hàng" in html and "Hoàn tiền cho khách" in html


def test_a_cash_order_cannot_be_refunded_by_staff_before_delivery(app, shop):
    order = place(app, [(shop["keo"], 1)])
    bo = order[shop["a_id"]]
    response = client_for(app, shop, "staff").post(f"/staff/orders/{order['id']}/booth-orders/{bo}/refund",
                                                   data={f"bo{bo}-amount": "10.000"})
    assert response.status_code == 400 and "Hãy huỷ đơn" in response.get_data(as_text=True)


def test_a_refund_url_with_another_orders_booth_order_is_404(app, shop):
    one, other = place(app, [(shop["keo"], 1)], n=1), place(app, [(shop["keo"], 1)], n=2)
    foreign = other[shop["a_id"]]
    response = client_for(app, shop, "staff").post(f"/staff/orders/{one['id']}/booth-orders/{foreign}/refund",
                                                   data={f"bo{foreign}-amount": "1"})
    assert response.status_code == 404


def test_staff_pages_are_refused_to_booth_members_and_shoppers(app, shop):
    order = place(app, [(shop["keo"], 1)])
    for role in ("owner_a", "shopper"):
        client = client_for(app, shop, role)
        assert client.get("/staff/orders").status_code == 403
        assert client.post(f"/staff/orders/{order['id']}/cancel", data={"confirm": "y"}).status_code == 403
    assert _order(app, order["id"]) == ("cod", ["pending"])


def test_the_staff_navigation_links_applications_orders_and_ledgers(app, shop):
    html = client_for(app, shop, "staff").get("/staff/applications").get_data(as_text=True)
    assert 'href="/staff/orders"' in html and 'href="/staff/ledger"' in html


def test_an_unpaid_card_order_shows_as_awaiting_payment_to_staff(app, shop):
    order = place(app, [(shop["keo"], 1)], method="vietqr")
    set_payment(app, order["id"], payment_method="card")
    html = client_for(app, shop, "staff").get(f"/staff/orders/{order['id']}").get_data(as_text=True)
    assert "Chờ thanh toán" in html and "Đã nhận được chuyển khoản" not in html
    with app.app_context():
        assert db.session.get(BoothOrder, order[shop["a_id"]]).status == "pending"
