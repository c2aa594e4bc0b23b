"""Pricing rules (orders/pricing.py): each booth's flat shipping fee, free from its threshold (inclusive),
nothing for a booth whose lines are all services, the fee for a booth mixing services and goods; the
commission on items only, rounded down to the đồng; and the cart showing the same totals checkout charges."""
import pytest

from orders import cart as carts
from orders.checkout import Delivery, place_order
from orders.models import BoothTerms
from orders.pricing import (DEFAULT_SHIPPING_VND, PricedLine, booth_totals, commission, commission_after_refunds,
                            shipping_fee)
from storefront.extensions import db
from tests.factories import make_product, make_vendor


def goods(price, quantity=1, product_id=1):
    return PricedLine(product_id, "Kẹo dừa", "keo-dua", price, quantity, False)


def service(price, quantity=1, product_id=2):
    return PricedLine(product_id, "Tour cồn Phụng", "tour-con-phung", price, quantity, True)


# -- shipping ---------------------------------------------------------------------------------------------

def test_a_booth_charges_its_flat_fee_whatever_the_quantity():
    assert shipping_fee(50_000, [goods(50_000)], 30_000, None) == 30_000
    assert shipping_fee(5_000_000, [goods(50_000, 100)], 30_000, None) == 30_000


@pytest.mark.parametrize("items, fee", [(299_999, 25_000), (300_000, 0), (300_001, 0)])
def test_free_shipping_starts_at_the_threshold_itself(items, fee):
    assert shipping_fee(items, [goods(items)], 25_000, 300_000) == fee


def test_a_booth_selling_only_services_ships_nothing():
    assert shipping_fee(150_000, [service(150_000)], 30_000, None) == 0
    assert shipping_fee(300_000, [service(150_000, 1), service(150_000, 1, 3)], 30_000, 900_000) == 0


def test_a_booth_mixing_services_and_goods_charges_its_fee():
    assert shipping_fee(200_000, [service(150_000), goods(50_000)], 30_000, None) == 30_000
    assert shipping_fee(200_000, [service(150_000), goods(50_000)], 30_000, 200_000) == 0  # threshold counts both


def test_a_booth_may_ship_for_free():
    assert shipping_fee(1_000, [goods(1_000)], 0, None) == 0


# -- commission -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("items, bp, due", [
    (100_000, 500, 5_000), (99_999, 500, 4_999), (19, 500, 0), (1, 10_000, 1), (123_457, 1_234, 15_234),
    (0, 500, 0), (500_000, 0, 0), (1_000_000_000, 10_000, 1_000_000_000),
])
def test_commission_is_on_the_items_rounded_down_to_the_dong(items, bp, due):
    assert commission(items, bp) == due and type(commission(items, bp)) is int


@pytest.mark.parametrize("refunded, due", [(0, 4_999), (1, 4_999), (33_333, 3_333), (99_999, 0), (129_999, 0)])
def test_commission_after_refunds_follows_the_items_kept(refunded, due):
    assert commission_after_refunds(99_999, 30_000, refunded, 500) == due


def test_commission_after_refunds_never_rises_and_never_goes_below_zero():
    dues = [commission_after_refunds(87_654, 20_000, r, 777) for r in range(0, 107_655, 997)]
    assert dues == sorted(dues, reverse=True) and min(dues) == 0 and dues[0] == commission(87_654, 777)


# -- several booths ---------------------------------------------------------------------------------------

def test_booth_totals_apply_each_booths_terms_and_the_default_rate_only_when_it_has_none():
    lines = {1: [goods(120_000, 2)], 2: [service(250_000), goods(45_000, 1, 3)], 3: [service(90_000, 1, 4)],
             4: [goods(10_000, 1, 5)]}
    terms = {1: (30_000, 200_000, None), 2: (25_000, None, 0), 3: (40_000, None, 800)}  # 4 has no terms
    totals = {b.vendor_id: b for b in booth_totals(lines, terms, 500)}
    assert [(totals[v].items_total_vnd, totals[v].shipping_fee_vnd, totals[v].commission_bp) for v in (1, 2, 3, 4)] \
        == [(240_000, 0, 500), (295_000, 25_000, 0), (90_000, 0, 800), (10_000, DEFAULT_SHIPPING_VND, 500)]
    assert totals[2].total_vnd == 320_000


# -- the cart and checkout agree --------------------------------------------------------------------------

def test_the_cart_shows_the_shipping_and_totals_checkout_charges(ctx):
    free_over = make_vendor("HTX Bưởi")
    db.session.add(BoothTerms(vendor_id=free_over.id, shipping_fee_vnd=35_000, free_shipping_over_vnd=200_000))
    tours = make_vendor("Du lịch Cù Lao")
    db.session.add(BoothTerms(vendor_id=tours.id, shipping_fee_vnd=20_000))
    plain = make_vendor("HTX Mắm")
    db.session.commit()
    store = carts.SessionCart({})
    carts.add_to_cart(store, make_product(free_over, price_vnd=100_000).id, 2)   # exactly the threshold: free
    carts.add_to_cart(store, make_product(tours, group="du_lich", price_vnd=300_000, stock=0).id, 1)  # no fee
    carts.add_to_cart(store, make_product(plain, price_vnd=65_000).id, 1)  # the platform default
    view = carts.view_cart(store.items())
    shown = {b.vendor.id: (b.items_total_vnd, b.shipping_fee_vnd) for b in view.booths}
    assert shown == {free_over.id: (200_000, 0), tours.id: (300_000, 0), plain.id: (65_000, DEFAULT_SHIPPING_VND)}
    order = place_order(store, Delivery("Võ Thị Sáu", "0912 000 111", "vinh-long", "Phường 5", "1 Lý Tự Trọng",
                                        email="sau@example.vn"), "cod")
    charged = {bo.vendor_id: (bo.items_total_vnd, bo.shipping_fee_vnd) for bo in order.booth_orders}
    assert charged == shown
    assert order.total_vnd == view.total_vnd == 565_000 + DEFAULT_SHIPPING_VND
