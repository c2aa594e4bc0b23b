"""Placing an order across two booths, fulfilling it and settling the ledger (service level)."""
from orders import cart as carts
from orders import fulfilment, ledger
from orders.checkout import Delivery, place_order
from orders.models import BoothOrder, Order
from storefront.extensions import db
from storefront.models import User
from tests.factories import make_product, make_vendor


class DictSession(dict):
    pass


def delivery(**kw):
    return Delivery(**{"recipient_name": "Nguyễn Văn A", "phone": "0912 345 678", "province": "vinh-long",
                       "commune": "Xã Đại Phước", "street": "12 Ấp Chợ", "email": "a@example.vn", **kw})


def test_a_cod_order_splits_per_booth_takes_stock_and_settles_on_delivery(ctx):
    a = make_vendor("HTX Dừa", slug="htx-dua")
    b = make_vendor("HTX Chè", slug="htx-che")
    keo = make_product(a, "Kẹo dừa", price_vnd=50_000, stock=5)
    che = make_product(b, "Chè xanh", price_vnd=120_000, stock=3)
    store = carts.SessionCart(DictSession())
    carts.add_to_cart(store, keo.id, 2)
    carts.add_to_cart(store, che.id, 1)
    order = place_order(store, delivery(), "cod")
    assert order.payment_status == "cod" and store.items() == {}
    by_booth = {bo.vendor_id: bo for bo in order.booth_orders}
    assert (by_booth[a.id].items_total_vnd, by_booth[b.id].items_total_vnd) == (100_000, 120_000)
    assert order.total_vnd == 220_000 + 60_000
    db.session.refresh(keo)
    assert keo.stock == 3
    staff = User(email="s@example.vn", role="staff")
    db.session.add(staff)
    db.session.commit()
    bo = by_booth[a.id]
    for target in ("confirmed", "packed"):
        fulfilment.advance(bo, target, staff)
    fulfilment.advance(bo, "shipped", staff, carrier="VNPost", tracking_code="EE123")
    fulfilment.advance(bo, "delivered", staff)
    assert db.session.get(BoothOrder, bo.id).status == "delivered"
    shares, received, balance = ledger.balances([a.id])[a.id]
    assert shares == 100_000 + 30_000 - 5_000 and received == 130_000 and balance == -5_000
    fulfilment.refund(bo, 40_000, staff, "hỏng")
    shares, received, balance = ledger.balances([a.id])[a.id]
    assert shares == 130_000 - 5_000 - 40_000 + 2_000 and balance == -3_000
    other = by_booth[b.id]
    fulfilment.advance(other, "cancelled", staff)
    db.session.refresh(che)
    assert che.stock == 3 and db.session.get(Order, order.id).payment_status == "cod"
