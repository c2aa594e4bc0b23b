"""Builders for the shopper-side order tests: booths with shipping terms, a delivery form, a cart filled
through the pages, and a session-like dict for the service tests."""
import re

from catalog import search
from orders.checkout import Delivery
from orders.models import BoothTerms
from storefront.accounts.services import sign_up
from storefront.extensions import db
from storefront.models import User
from tests.factories import make_product, make_vendor, signed_in_client

FORM = {"recipient_name": "Nguyễn Thị Lan", "phone": "0912.345.678", "province": "vinh-long",
        "commune": "Xã Đại Phước", "street": "12 Ấp Chợ", "note": "", "email": "lan@example.vn",
        "payment_method": "cod"}


class DictSession(dict):
    """Stands in for Flask's session in service tests (SessionCart only needs get/pop/setitem)."""


def delivery(**kw):
    values = {k: v for k, v in FORM.items() if k != "payment_method"}
    return Delivery(**{**values, **kw})


def booth(name=None, fee=None, free_over=None, **kw):
    """An approved booth; with `fee`, its own shipping terms (else the platform default of 30.000 ₫)."""
    vendor = make_vendor(name, **kw)
    if fee is not None or free_over is not None:
        db.session.add(BoothTerms(vendor_id=vendor.id, shipping_fee_vnd=30_000 if fee is None else fee,
                                  free_shipping_over_vnd=free_over))
        db.session.commit()
    return vendor


def product(vendor, name=None, price=50_000, stock=10, **kw):
    return make_product(vendor, name, price_vnd=price, stock=stock, **kw)


def add(client, product_id, quantity=1, **extra):
    return client.post("/cart/add", data={"product_id": product_id, "quantity": quantity, **extra})


def checkout(client, **fields):
    return client.post("/checkout", data={**FORM, **fields})


def order_code(location):
    return re.search(r"/orders/(DH[A-Z0-9]{8})", location).group(1)


def page_text(response):
    """The page's visible text, collapsed (for assertions on messages)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#34;", '"').replace("&#39;", "'")
                    .replace("&amp;", "&").split())


def shopper(app, email="mai@example.vn", password="mật khẩu đủ dài", **kw):
    """A shopper account (committed); returns its id."""
    with app.test_request_context():
        user_id = sign_up(email, password, name=kw.pop("name", "Mai"), **kw).id
        db.session.remove()
    return user_id


def client_for(app, user_id):
    """A test client signed in as the user."""
    with app.app_context():
        session_id = db.session.get(User, user_id).get_id()
    return signed_in_client(app, session_id)


def cached(client, path, tries=3):
    """GET `path` until the page cache serves it (a fresh app's first requests rebuild its search index)."""
    for _ in range(tries):
        response = client.get(path)
        if response.headers.get("X-Page-Cache") == "hit":
            return response
    return response


def other_app(app, build_app, **settings):
    """Another app on the suite's database and search index (a fresh index folder would start a background
    rebuild that could outlive the test and leave a database connection open)."""
    return build_app(SEARCH_DIR=str(search.index_folder(app)), **settings)
