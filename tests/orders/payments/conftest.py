"""Card payments against localstripe: the stand-in server, the card app, its live server (see stripe_kit)."""
import pytest

from storefront.extensions import db
from tests.factories import make_product, make_vendor
from tests.orders.payments.stripe_kit import *  # noqa: F401,F403  (the fixtures)


@pytest.fixture
def market(card_ctx):
    """Two booths, a product each (30.000 ₫ shipping per booth): {'keo': product, 'che': product}."""
    dua = make_vendor("Hợp tác xã Dừa Cầu Kè", slug="htx-dua-cau-ke", commit=False)
    che = make_vendor("Tổ hợp tác Chè Tân Cương", slug="tht-che-tan-cuong", commit=False)
    products = {"keo": make_product(dua, "Kẹo dừa sáp", price_vnd=50_000, stock=5, commit=False),
                "che": make_product(che, "Chè búp Tân Cương", price_vnd=120_000, stock=3, commit=False)}
    db.session.commit()
    return products
