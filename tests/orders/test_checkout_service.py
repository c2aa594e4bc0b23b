"""Placing an order: one booth order per booth in one transaction, prices and shipping from the database,
and every refusal keeping the shopper's cart."""
import pytest

from catalog.models import Product
from orders import cart as carts
from orders import checkout
from orders.checkout import InvalidDelivery, place_order
from orders.errors import CartChanged, EmptyCart, OutOfStock, PaymentUnavailable
from orders.models import Address, Order
from storefront.extensions import db
from storefront.models import User
from tests.orders.shopper import DictSession, booth, delivery, product


@pytest.fixture
def store(ctx):
    return carts.SessionCart(DictSession())


@pytest.fixture
def shopper(ctx):
    user = User(email="mai@example.vn", name="Mai")
    db.session.add(user)
    db.session.commit()
    return user


def test_two_booths_become_two_booth_orders_of_one_order_with_each_booths_shipping(store):
    a = booth("HTX A", fee=25_000)
    b = booth("HTX B", fee=40_000, free_over=100_000)
    tours = booth("HTX C", fee=30_000)
    carts.add_to_cart(store, product(a, price=50_000).id, 2)
    carts.add_to_cart(store, product(b, price=120_000).id, 1)
    carts.add_to_cart(store, product(tours, price=200_000, group="du_lich", stock=0).id, 2)
    order = place_order(store, delivery(), "cod")
    by_booth = {bo.vendor.name: (bo.items_total_vnd, bo.shipping_fee_vnd, bo.total_vnd) for bo in order.booth_orders}
    assert by_booth == {"HTX A": (100_000, 25_000, 125_000), "HTX B": (120_000, 0, 120_000),
                        "HTX C": (400_000, 0, 400_000)}
    assert (order.items_total_vnd, order.shipping_total_vnd, order.total_vnd) == (620_000, 25_000, 645_000)
    assert order.phone == "+84912345678" and order.payment_status == "cod" and store.items() == {}


def test_the_order_is_priced_from_the_database_not_from_what_the_cart_remembers(store):
    p = product(booth(), price=50_000)
    store.put(p.id, 2, 1)  # a price seen of 1 ₫: a cart that somehow holds a wrong price
    with pytest.raises(CartChanged):
        place_order(store, delivery(), "cod")
    carts.acknowledge(store, carts.view_cart(store.items()))
    order = place_order(store, delivery(), "cod")
    assert order.booth_orders[0].lines[0].unit_price_vnd == 50_000 and order.items_total_vnd == 100_000


@pytest.mark.parametrize("change", ["price", "stock", "unpublish", "suspend"])
def test_a_cart_that_changed_since_it_was_seen_is_refused_and_kept(store, change):
    p = product(booth(), price=50_000, stock=5)
    carts.add_to_cart(store, p.id, 3)
    if change == "price":
        p.price_vnd = 55_000
    elif change == "stock":
        p.stock = 1
    elif change == "unpublish":
        p.is_published = False
    else:
        p.vendor.status = "suspended"
    db.session.commit()
    with pytest.raises(CartChanged) as refused:
        place_order(store, delivery(), "cod")
    assert [line.product.id for line in refused.value.problems] == [p.id]
    assert store.items() == {p.id: (3, 50_000)}
    assert db.session.scalar(db.select(db.func.count(Order.id))) == 0


def test_stock_taken_by_someone_else_meanwhile_refuses_the_order_and_keeps_everything(store, monkeypatch):
    v = booth()
    first, second = product(v, "Một", stock=5), product(v, "Hai", stock=5)
    carts.add_to_cart(store, first.id, 2)
    carts.add_to_cart(store, second.id, 2)
    real = checkout.move_stock

    def racing(product_id, delta, reason, user_id=None):
        if product_id == second.id:  # another checkout took the last units between our read and our update
            return None
        return real(product_id, delta, reason, user_id=user_id)

    monkeypatch.setattr(checkout, "move_stock", racing)
    with pytest.raises(OutOfStock) as refused:
        place_order(store, delivery(), "cod")
    assert "Hai" in str(refused.value)
    assert len(store.items()) == 2
    assert db.session.get(Product, first.id).stock == 5  # the first product's stock came back with the rollback
    assert db.session.scalar(db.select(db.func.count(Order.id))) == 0


def test_a_failed_commit_keeps_a_guests_cart(store, monkeypatch):
    p = product(booth())
    carts.add_to_cart(store, p.id, 1)

    def broken():
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", broken)
    with pytest.raises(RuntimeError):
        place_order(store, delivery(), "cod")
    monkeypatch.undo()
    assert store.items() == {p.id: (1, 50_000)}


@pytest.mark.parametrize("field, value", [("phone", "12345"), ("phone", "0212 345 678"), ("phone", ""),
                                          ("recipient_name", "  "), ("province", "ha-tay"), ("commune", ""),
                                          ("street", ""), ("email", "not an address"), ("email", "")])
def test_bad_delivery_details_are_refused_under_their_field_and_the_cart_kept(store, field, value):
    p = product(booth())
    carts.add_to_cart(store, p.id, 1)
    with pytest.raises(InvalidDelivery) as refused:
        place_order(store, delivery(**{field: value}), "cod")
    assert refused.value.field == field and str(refused.value)
    assert store.items() == {p.id: (1, 50_000)}


def test_a_signed_in_shopper_needs_no_email_and_can_save_the_address_once(shopper):
    saved = carts.SavedCart(shopper)
    v = booth()
    for _ in range(2):
        carts.add_to_cart(saved, product(v).id, 1)
        order = place_order(saved, delivery(email=""), "cod", shopper, save_address=True)
        assert order.email == "mai@example.vn" and order.user_id == shopper.id
    assert db.session.scalar(db.select(db.func.count(Address.id))) == 1
    assert carts.SavedCart(shopper).items() == {}


def test_card_is_refused_without_stripe_keys_and_transfer_gets_a_deadline(store):
    p = product(booth())
    carts.add_to_cart(store, p.id, 1)
    assert checkout.payment_methods(100_000) == ["cod", "vietqr"]
    with pytest.raises(PaymentUnavailable):
        place_order(store, delivery(), "card")
    order = place_order(store, delivery(), "vietqr")
    assert order.payment_status == "pending" and order.pay_by is not None


def test_an_empty_cart_places_nothing(store):
    with pytest.raises(EmptyCart):
        place_order(store, delivery(), "cod")
