"""The cart pages: adding from the product page, the catalogue and search; the header count; the cart
grouped by booth with its flags; bad input never breaking anything; CSRF on forms that live in cached pages."""
import re

import pytest

from catalog.models import Product
from orders import cart as carts
from orders.models import Cart
from storefront.extensions import db
from storefront.models import User
from tests.catalog.test_pages_markup import Nesting
from tests.orders.shopper import add, booth, cached, client_for, other_app, page_text, product, shopper
from tests.storefront.conftest import sign_in
from vendors.models import Vendor


@pytest.fixture
def market(app):
    with app.app_context():
        dua = booth("HTX Dừa Sáp", fee=25_000, free_over=300_000)
        che = booth("HTX Chè Tân Cương")
        keo = product(dua, "Kẹo dừa sáp", price=50_000, stock=5)
        tra = product(che, "Trà búp", price=120_000, stock=2)
        return {"keo": keo.id, "keo_slug": keo.slug, "tra": tra.id, "dua": dua.id}


def cart_lines(client):
    """{product name: quantity} as the cart page shows them."""
    html = client.get("/cart").get_data(as_text=True)
    names = re.findall(r'<a href="/products/[^"]+/"><strong>([^<]+)</strong></a>', html)
    quantities = re.findall(r'name="quantity-\d+"[^>]*value="([^"]*)"', html)
    return dict(zip(names, map(int, quantities)))


def header_count(html):
    match = re.search(r'<span class="cart-count"><span aria-hidden="true">(\d+)</span>', html)
    return int(match.group(1)) if match else 0


def test_the_product_page_adds_the_quantity_chosen_and_comes_back_with_a_message(client, market):
    page = client.get(f"/products/{market['keo_slug']}/").get_data(as_text=True)
    form = re.search(r'<form class="add-cart" method="post" action="/cart/add">.*?</form>', page, re.S).group(0)
    assert 'name="quantity"' in form and f'value="{market["keo"]}"' in form
    response = add(client, market["keo"], 3, next=f"/products/{market['keo_slug']}/")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/products/{market['keo_slug']}/")
    back = client.get(response.headers["Location"])
    assert "Đã thêm “Kẹo dừa sáp” vào giỏ hàng." in page_text(back)
    assert header_count(back.get_data(as_text=True)) == 3
    assert cart_lines(client) == {"Kẹo dừa sáp": 3}


@pytest.mark.parametrize("path", ["/products/", "/", "/booths/{booth}/", "/search?q=tra"])
def test_catalogue_booth_and_search_cards_carry_an_add_to_cart_form(app, client, market, path):
    with app.app_context():
        booth_slug = db.session.get(Vendor, market["dua"]).slug
    html = client.get(path.format(booth=booth_slug)).get_data(as_text=True)
    forms = re.findall(r'<form class="add-cart".*?</form>', html, re.S)
    assert forms and all('name="product_id"' in f and 'name="quantity"' not in f for f in forms)


def test_adding_more_than_the_stock_adds_what_is_left_and_says_so(client, market):
    add(client, market["tra"], 1)
    add(client, market["tra"], 5)
    assert "“Trà búp” chỉ còn 2: số lượng đã được giảm xuống." in page_text(client.get("/cart"))
    assert cart_lines(client) == {"Trà búp": 2}


def test_adding_from_a_card_adds_one_and_goes_back_to_the_listing(client, market):
    response = add(client, market["tra"], next="/products/?sort=price_asc")
    assert response.headers["Location"].endswith("/products/?sort=price_asc")
    client.post("/cart/add", data={"product_id": market["tra"], "next": "/products/"})
    assert cart_lines(client) == {"Trà búp": 2}


def test_the_header_shows_no_count_for_an_empty_cart(client, market):
    html = client.get("/products/").get_data(as_text=True)
    assert 'href="/cart"' in html and header_count(html) == 0 and "cart-count" not in html


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_add_never_redirects_off_site(client, market, next_url):
    response = add(client, market["keo"], next=next_url)
    assert response.headers["Location"].endswith("/cart")


@pytest.mark.parametrize("quantity, message", [
    ("-1", "Chọn số lượng từ 1 đến 99."), ("0", "Chọn số lượng từ 1 đến 99."),
    (str(10**30), "Chọn số lượng từ 1 đến 99."), ("mười", "Chọn số lượng từ 1 đến 99."),
    ("", "Chọn số lượng từ 1 đến 99."), ("2.5", "Chọn số lượng từ 1 đến 99."),
])
def test_a_bad_quantity_is_refused_with_a_message_and_nothing_added(client, market, quantity, message):
    response = add(client, market["keo"], quantity, next="/products/")
    assert response.status_code == 303
    assert message in page_text(client.get("/products/"))
    assert cart_lines(client) == {}


@pytest.mark.parametrize("product_id", ["999999", "-3", "abc", "", str(10**30), "1 OR 1=1", "\x00"])
def test_an_unknown_or_malformed_product_id_is_refused_with_a_message(client, market, product_id):
    response = add(client, product_id, next="/products/")
    assert response.status_code == 303
    assert "Sản phẩm này hiện không bán." in page_text(client.get("/products/"))


def test_hidden_sold_out_and_suspended_products_cannot_be_added(app, client, market):
    with app.app_context():
        hidden = product(booth(), "Mắm ẩn", is_published=False).id
        sold = product(booth(), "Bánh hết", stock=0).id
        closed = product(booth(status="suspended"), "Chè đóng").id
    for pid, message in ((hidden, "“Mắm ẩn” không còn bán nữa."), (sold, "“Bánh hết” đã hết hàng."),
                         (closed, "“Chè đóng” không còn bán nữa.")):
        add(client, pid)
        assert message in page_text(client.get("/cart"))
    assert cart_lines(client) == {}


def test_a_price_sent_by_the_browser_is_ignored(client, market):
    add(client, market["keo"], 2, price_vnd="1", price="1", unit_price="1", total="2")
    text = page_text(client.get("/cart"))
    assert "100.000 ₫" in text and " 1 ₫" not in text


def test_the_cart_groups_lines_by_booth_with_shipping_hints_and_totals(client, market):
    add(client, market["keo"], 2)
    add(client, market["tra"], 1)
    client.get("/cart")  # shows the "added" messages
    response = client.get("/cart")
    assert response.headers["Cache-Control"] == "no-store" and response.headers.get("X-Page-Cache") is None
    text = page_text(response)
    order = [text.index(name) for name in ("HTX Chè Tân Cương", "Trà búp", "HTX Dừa Sáp", "Kẹo dừa sáp")]
    assert order == sorted(order)  # booths by name, each with its lines
    assert "Gian hàng này miễn phí vận chuyển cho đơn từ 300.000 ₫: mua thêm 200.000 ₫." in text
    assert "Tổng của gian hàng 125.000 ₫" in text and "Tổng của gian hàng 150.000 ₫" in text
    assert "Tổng cộng 275.000 ₫" in text


def test_changes_since_adding_are_flagged_on_the_cart_page(app, client, market):
    with app.app_context():
        extra = product(booth(), "Mật ong", stock=3).id
    for pid in (market["keo"], market["tra"], extra):
        add(client, pid, 2)
    with app.app_context():
        db.session.get(Product, market["keo"]).price_vnd = 60_000
        db.session.get(Product, market["tra"]).stock = 0
        db.session.get(Product, extra).vendor.status = "suspended"
        db.session.commit()
    text = page_text(client.get("/cart"))
    assert "Giá đã đổi từ 50.000 ₫ thành 60.000 ₫." in text
    assert "Đã hết hàng." in text
    assert "Không còn bán" in text and "Mật ong" in text
    assert "Một số sản phẩm đã thay đổi từ lúc bạn thêm vào" in text


def test_updating_quantities_and_removing_lines(client, market):
    add(client, market["keo"], 1)
    add(client, market["tra"], 1)
    response = client.post("/cart/update", data={f"quantity-{market['keo']}": "4", f"quantity-{market['tra']}": "1"})
    assert response.status_code == 303 and cart_lines(client) == {"Kẹo dừa sáp": 4, "Trà búp": 1}
    client.post("/cart/update", data={"remove": market["tra"]})
    assert cart_lines(client) == {"Kẹo dừa sáp": 4}
    client.post("/cart/update", data={f"quantity-{market['keo']}": "0"})
    assert cart_lines(client) == {}


def test_a_quantity_above_the_stock_is_lowered_with_a_message(client, market):
    add(client, market["tra"], 1)
    client.post("/cart/update", data={f"quantity-{market['tra']}": "9"})
    assert "“Trà búp” chỉ còn 2: số lượng đã được giảm xuống." in page_text(client.get("/cart"))
    assert cart_lines(client) == {"Trà búp": 2}


@pytest.mark.parametrize("typed", ["-2", str(10**30), "nhiều", "1,5", "100"])
def test_a_bad_quantity_in_the_cart_re_renders_it_with_the_message_and_the_input_kept(client, market, typed):
    add(client, market["keo"], 2)
    add(client, market["tra"], 1)
    response = client.post("/cart/update", data={f"quantity-{market['keo']}": typed, f"quantity-{market['tra']}": "2"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'value="{typed}"' in html and 'aria-invalid="true"' in html
    assert "Chọn số lượng từ 1 đến 99." in page_text(response)
    assert cart_lines(client) == {"Kẹo dừa sáp": 2, "Trà búp": 1}  # nothing changed


def test_checkout_from_the_cart_saves_the_quantities_first(client, market):
    add(client, market["keo"], 1)
    response = client.post("/cart/update", data={f"quantity-{market['keo']}": "3", "go": "checkout"})
    assert response.headers["Location"].endswith("/checkout")
    assert cart_lines(client) == {"Kẹo dừa sáp": 3}


def test_a_signed_in_shoppers_cart_is_saved_in_the_database_and_counted_in_the_header(app, market):
    user_id = shopper(app)
    client = client_for(app, user_id)
    add(client, market["keo"], 2)
    with app.app_context():
        cart = db.session.scalar(db.select(Cart).where(Cart.user_id == user_id))
        assert [(line.product_id, line.quantity) for line in cart.lines] == [(market["keo"], 2)]
    assert header_count(client.get("/products/").get_data(as_text=True)) == 2
    assert header_count(client.get("/products/").get_data(as_text=True)) == 2  # the cached skeleton, filled
    assert "cart-count" not in app.test_client().get("/products/").get_data(as_text=True)


def test_a_guest_cart_joins_the_saved_one_when_signing_in_through_the_form(app, client, market):
    user_id = shopper(app)
    app.extensions["account_limiter"].reset()
    with app.app_context():
        carts.add_to_cart(carts.SavedCart(db.session.get(User, user_id)), market["tra"], 1)
    add(client, market["keo"], 2)
    add(client, market["tra"], 1)
    response = sign_in(client, "mai@example.vn")
    assert response.status_code == 302
    assert cart_lines(client) == {"Kẹo dừa sáp": 2, "Trà búp": 2}
    with client.session_transaction() as session:
        assert "cart" not in session
    client.post("/account/signout")
    assert cart_lines(client) == {}  # signed out: the saved cart stays with the account


@pytest.mark.parametrize("path", ["/cart", "/cart?x=1"])
def test_the_cart_page_is_well_nested(client, market, path):
    add(client, market["keo"], 1)
    add(client, market["tra"], 1)
    parser = Nesting()
    parser.feed(client.get(path).get_data(as_text=True))
    parser.close()
    assert not parser.errors and not parser.stack


def test_the_cart_page_runs_the_same_few_queries_for_1_or_10_lines(app, market, count_queries):
    """Signed in: the user, the saved cart and its lines, the header count; both: products with their booths,
    their images, the booths' shipping terms."""
    client, guest = client_for(app, shopper(app)), app.test_client()
    with app.app_context():
        booths = [booth() for _ in range(4)]
        ids = [product(booths[i % 4], image=True).id for i in range(10)]
    counts = []
    for pid in ids:
        add(client, pid)
        add(guest, pid)
        if pid in (ids[0], ids[-1]):
            client.get("/cart"), guest.get("/cart")  # the "added" messages
            with count_queries() as signed_in:
                assert client.get("/cart").status_code == 200
            with count_queries() as anonymous:
                assert guest.get("/cart").status_code == 200
            counts.append((signed_in.count, anonymous.count))
    assert counts[0] == counts[1] and counts[0][0] <= 8 and counts[0][1] <= 3, counts


# -- CSRF: the add-to-cart forms live in cached pages ----------------------------------------------------------

@pytest.fixture
def csrf_app(app, build_app):
    """CSRF protection on, as in production."""
    return other_app(app, build_app, WTF_CSRF_ENABLED=True)


def _token(html):
    return re.search(r'name="csrf_token" value="([^"]*)"', html).group(1)


def test_an_anonymous_cached_page_has_no_token_and_a_first_add_from_this_site_works(csrf_app):
    with csrf_app.app_context():
        slug, pid = (lambda p: (p.slug, p.id))(product(booth(), "Kẹo"))
    client = csrf_app.test_client()
    page = cached(client, f"/products/{slug}/")
    assert page.headers.get("X-Page-Cache") == "hit" and _token(page.get_data(as_text=True)) == ""
    response = client.post("/cart/add", data={"product_id": pid, "next": f"/products/{slug}/"},
                           headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303
    assert header_count(client.get("/cart").get_data(as_text=True)) == 1


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                                     {"Referer": "https://evil.example/page"}, {"Origin": "null"}])
def test_a_tokenless_add_from_another_site_is_refused(csrf_app, headers):
    with csrf_app.app_context():
        pid = product(booth()).id
    client = csrf_app.test_client()
    response = client.post("/cart/add", data={"product_id": pid}, headers=headers)
    assert response.status_code == 400 and "cart" not in response.headers.get("Set-Cookie", "")


def test_a_visitor_holding_a_token_gets_it_in_every_cached_page_and_must_send_it(csrf_app):
    with csrf_app.app_context():
        slug, pid = (lambda p: (p.slug, p.id))(product(booth(), "Kẹo"))
    client = csrf_app.test_client()
    client.post("/cart/add", data={"product_id": pid})  # now has a session
    client.get("/cart")  # the cart page issues a token
    first = client.get(f"/products/{slug}/")
    second = cached(client, f"/products/{slug}/")
    assert second.headers.get("X-Page-Cache") == "hit"
    token = _token(second.get_data(as_text=True))
    same = token.split(".")[0]  # the visitor's token, signed with the time of each request
    assert token and _token(first.get_data(as_text=True)).split(".")[0] == same
    assert "ocop:csrf" not in second.get_data(as_text=True)
    assert all(t == token for t in re.findall(r'name="csrf_token" value="([^"]*)"', second.get_data(as_text=True)))
    assert client.post("/cart/add", data={"product_id": pid}).status_code == 400
    assert client.post("/cart/add", data={"product_id": pid, "csrf_token": "forged"}).status_code == 400
    assert client.post("/cart/add", data={"product_id": pid, "csrf_token": token}).status_code == 303
    assert header_count(client.get("/cart").get_data(as_text=True)) == 2
    other = csrf_app.test_client()
    other.post("/cart/add", data={"product_id": pid})
    other.get("/cart")
    assert _token(other.get(f"/products/{slug}/").get_data(as_text=True)).split(".")[0] not in ("", same)


def test_the_cart_forms_need_their_token(csrf_app):
    with csrf_app.app_context():
        pid = product(booth()).id
    client = csrf_app.test_client()
    client.post("/cart/add", data={"product_id": pid})
    assert client.post("/cart/update", data={"remove": pid}).status_code == 400
    token = _token(client.get("/cart").get_data(as_text=True))
    assert client.post("/cart/update", data={"remove": pid, "csrf_token": token}).status_code == 303
