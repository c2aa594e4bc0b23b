"""The cart services: what a store holds, how the cart is read back from the database (grouped by booth,
with shipping and with every change since a line was added flagged), and what they refuse."""
import pytest

from catalog.models import Product
from orders import cart as carts
from orders.errors import InvalidQuantity, ProductUnavailable
from storefront.extensions import db
from storefront.models import User
from tests.orders.shopper import DictSession, booth, product


@pytest.fixture
def store(ctx):
    return carts.SessionCart(DictSession())


@pytest.fixture
def shopper(ctx):
    user = User(email="mai@example.vn", name="Mai")
    db.session.add(user)
    db.session.commit()
    return user


@pytest.mark.parametrize("text", ["-1", "0", "100", str(10**30), "abc", "", " ", "1.5", "1e3", "２", "٣", None,
                                  "9" * 400])
def test_a_quantity_outside_1_to_99_or_not_a_whole_number_is_refused_with_a_message(text):
    with pytest.raises(InvalidQuantity) as refused:
        carts.parse_quantity(text)
    assert "1" in str(refused.value) and "99" in str(refused.value) and refused.value.field == "quantity"


@pytest.mark.parametrize("text, expected", [("1", 1), (" 7 ", 7), ("99", 99), ("07", 7)])
def test_whole_quantities_from_1_to_99_are_read(text, expected):
    assert carts.parse_quantity(text) == expected


def test_adding_keeps_ids_quantities_and_the_price_seen_and_caps_at_the_stock(store):
    p = product(booth(), price=45_000, stock=3)
    carts.add_to_cart(store, p.id, 2)
    carts.add_to_cart(store, p.id, 2)
    assert store.items() == {p.id: (3, 45_000)}
    assert carts.count_items(store.items()) == 3


@pytest.mark.parametrize("make, message", [
    (lambda v: product(v, "Bánh pía", stock=0), "đã hết hàng"),
    (lambda v: product(v, "Mắm", is_published=False), "không còn bán"),
    (lambda v: product(booth(status="suspended"), "Chè"), "không còn bán"),
])
def test_a_sold_out_hidden_or_suspended_booths_product_cannot_be_added(store, make, message):
    p = make(booth())
    with pytest.raises(ProductUnavailable) as refused:
        carts.add_to_cart(store, p.id, 1)
    assert message in str(refused.value) and p.name in str(refused.value)
    assert store.items() == {}


@pytest.mark.parametrize("product_id", [0, 999_999, 2**31 - 1])
def test_an_unknown_product_cannot_be_added(store, product_id):
    with pytest.raises(ProductUnavailable, match="Sản phẩm này hiện không bán"):
        carts.add_to_cart(store, product_id, 1)


def test_a_service_is_not_limited_by_stock(store):
    tour = product(booth(), "Tham quan vườn dừa", group="du_lich", stock=0)
    carts.add_to_cart(store, tour.id, 5)
    assert store.items()[tour.id][0] == 5


def test_the_cart_groups_lines_by_booth_with_each_booths_subtotal_shipping_and_total(store):
    flat = booth("A Flat", fee=25_000)
    generous = booth("B Generous", fee=40_000, free_over=200_000)
    tours = booth("C Tours", fee=30_000)
    carts.add_to_cart(store, product(flat, price=60_000).id, 2)
    carts.add_to_cart(store, product(generous, price=100_000).id, 2)
    carts.add_to_cart(store, product(tours, price=150_000, group="du_lich").id, 1)
    view = carts.view_cart(store.items())
    got = [(g.vendor.name, g.items_total_vnd, g.shipping_fee_vnd, g.total_vnd) for g in view.booths]
    assert got == [("A Flat", 120_000, 25_000, 145_000), ("B Generous", 200_000, 0, 200_000),
                   ("C Tours", 150_000, 0, 150_000)]
    assert (view.items_total_vnd, view.shipping_total_vnd, view.total_vnd) == (470_000, 25_000, 495_000)
    assert not view.has_flags and view.count == 5


def test_a_booth_without_terms_charges_the_default_fee_and_one_under_its_threshold_its_flat_fee(store):
    carts.add_to_cart(store, product(booth(), price=10_000).id, 1)
    carts.add_to_cart(store, product(booth(fee=20_000, free_over=500_000), price=10_000).id, 1)
    assert sorted(g.shipping_fee_vnd for g in carts.view_cart(store.items()).booths) == [20_000, 30_000]


def _flags(view):
    lines = [line for g in view.booths for line in g.lines] + view.unavailable
    return {line.product.name: [code for code, _m in line.flags] for line in lines}


def test_changes_since_adding_are_flagged_and_never_charged_at_the_old_price(store):
    v = booth()
    dearer, gone, fewer, hidden = (product(v, n, price=50_000, stock=5) for n in ("Dearer", "Gone", "Fewer", "Hidden"))
    for p in (dearer, gone, fewer, hidden):
        carts.add_to_cart(store, p.id, 4)
    dearer.price_vnd, gone.stock, fewer.stock, hidden.is_published = 65_000, 0, 2, False
    db.session.commit()
    view = carts.view_cart(store.items())
    assert _flags(view) == {"Dearer": ["price_changed"], "Gone": ["sold_out"], "Fewer": ["reduced"],
                            "Hidden": ["unavailable"]}
    assert view.items_total_vnd == 4 * 65_000 + 2 * 50_000  # the sold-out and hidden lines count for nothing
    message = dict(next(line for line in view.booths[0].lines if line.product.name == "Dearer").flags)
    assert "50.000" in str(message["price_changed"]) and "65.000" in str(message["price_changed"])


def test_a_suspended_booths_lines_are_flagged_unavailable(store):
    v = booth()
    carts.add_to_cart(store, product(v, "Trà").id, 1)
    v.status = "suspended"
    db.session.commit()
    view = carts.view_cart(store.items())
    assert _flags(view) == {"Trà": ["unavailable"]} and view.booths == [] and view.is_empty


def test_acknowledging_stores_the_current_prices_and_stock_and_drops_what_is_gone(store):
    v = booth()
    dearer, gone, fewer = (product(v, n, price=50_000, stock=5) for n in ("Dearer", "Gone", "Fewer"))
    deleted = product(v, "Deleted")
    for p in (dearer, gone, fewer, deleted):
        carts.add_to_cart(store, p.id, 4)
    dearer.price_vnd, gone.stock, fewer.stock = 65_000, 0, 2
    db.session.delete(db.session.get(Product, deleted.id))
    db.session.commit()
    carts.acknowledge(store, carts.view_cart(store.items()))
    assert store.items() == {dearer.id: (4, 65_000), fewer.id: (2, 50_000)}
    assert not carts.view_cart(store.items()).has_flags


def test_updating_quantities_saves_them_at_once_removes_zeros_and_lowers_to_the_stock(store):
    v = booth()
    a, b, c = product(v, "A", stock=5), product(v, "B", stock=3), product(v, "C")
    for p in (a, b, c):
        carts.add_to_cart(store, p.id, 1)
    lowered = carts.update_quantities(store, {a.id: 4, b.id: 9, c.id: 0, 123456: 5})
    assert store.items() == {a.id: (4, 50_000), b.id: (3, 50_000)}
    assert [(p.id, kept) for p, kept in lowered] == [(b.id, 3)]


def test_a_saved_cart_lives_in_the_database(shopper):
    p = product(booth(), price=30_000)
    user_id, product_id = shopper.id, p.id
    carts.add_to_cart(carts.SavedCart(shopper), product_id, 2)
    db.session.remove()
    again = carts.SavedCart(db.session.get(User, user_id))
    assert again.items() == {product_id: (2, 30_000)}
    assert carts.saved_count(user_id) == 2


def test_a_guest_cart_merges_into_the_saved_one_adding_quantities_up_to_the_cap(shopper):
    v = booth()
    both, only_guest = product(v, stock=200), product(v)
    saved = carts.SavedCart(shopper)
    carts.add_to_cart(saved, both.id, 60)
    carts.merge_into_saved({both.id: (60, 50_000), only_guest.id: (2, 50_000)}, saved)
    assert carts.SavedCart(shopper).items() == {both.id: (carts.MAX_QUANTITY, 50_000), only_guest.id: (2, 50_000)}


def test_a_cart_holds_at_most_50_different_products(store):
    v = booth()
    products = [product(v, commit=False) for _ in range(carts.MAX_LINES + 1)]
    db.session.commit()
    for p in products[:-1]:
        store.put(p.id, 1, p.price_vnd)
    with pytest.raises(InvalidQuantity, match="50"):
        carts.add_to_cart(store, products[-1].id, 1)
