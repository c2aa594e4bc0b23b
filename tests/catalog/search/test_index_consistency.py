"""The index follows the database through every kind of change made by the real services, once the
transaction commits; a transaction that rolls back leaves no outbox row and no change in the index.

After each change the index is compared with the database: the products it finds for no words, for each
product's name, in stock, per star and per province, and the booth names it suggests."""
from datetime import date

import pytest
import sqlalchemy as sa

from catalog import queries, search
from catalog import services as catalog_services
from catalog.manage import services as manage
from catalog.manage.errors import StockBelowZero
from catalog.models import Product
from catalog.search.models import SearchOutbox
from catalog.search.query import parse_query
from storefront.extensions import db
from storefront.models import User
from tests.catalog.search.conftest import request_context, search_filter
from tests.factories import make_product, make_vendor
from vendors import services as booths
from vendors.models import Vendor

TRUTH_FILTERS = [{}, {"in_stock": True}, {"stars": ["3"]}, {"stars": ["4"]}, {"stars": ["5"]}, {"stars": ["p5"]},
                 {"province": "vinh-long"}, {"province": "can-tho"}, {"entity_type": "hop_tac_xa"}]


@pytest.fixture
def shop(search_app):
    """A request context on the backend's app, with two booths, three products and two users."""
    with request_context(search_app):
        owner, staff = User(email="owner@example.vn"), User(email="staff@example.vn", role="staff")
        db.session.add_all([owner, staff])
        coop = make_vendor("Hợp tác xã Kẹo dừa Thanh Long", province="vinh-long", commune="Xã Tân Thành Bình")
        company = make_vendor("Công ty Đặc sản Sóc Trăng", entity_type="cong_ty", province="can-tho")
        make_product(coop, "Kẹo dừa sầu riêng", star=4)
        make_product(coop, "Dầu dừa nguyên chất", stock=0)
        make_product(company, "Bánh pía trứng muối", star=3)
        yield {"owner": owner, "staff": staff, "coop": coop, "company": company}


def index_ids(text="", **filters):
    return set(search.backend().search(parse_query(text), search_filter(**filters)).ids)


def db_ids(**filters):
    f = search_filter(**filters)
    return set(db.session.scalars(queries.apply_filter(queries.visible_products(), f).with_only_columns(Product.id)))


def product_named(name):
    return db.session.scalar(sa.select(Product).where(Product.name == name))


def outbox_rows():
    return db.session.scalar(sa.select(sa.func.count()).select_from(SearchOutbox))


def suggested_booths(text):
    return {s.text for s in search.suggest(text) if s.kind == "booth"}


def assert_index_is_true():
    """The index answers as the database does."""
    db.session.expire_all()
    assert outbox_rows() == 0  # every committed change was applied
    for filters in TRUTH_FILTERS:
        assert index_ids(**filters) == db_ids(**filters), filters
    for product in db.session.scalars(queries.visible_products()):
        assert product.id in index_ids(product.name), product.name
    open_booths = db.session.scalars(sa.select(Vendor.name).where(Vendor.status == "approved")).all()
    for name in db.session.scalars(sa.select(Vendor.name)):
        assert (name in suggested_booths(name)) == (name in open_booths), name


def test_a_new_product_is_found(shop):
    product = manage.create_product(shop["coop"], shop["owner"], {"name": "Kẹo dừa lá dứa", "group": "thuc_pham",
                                                                  "price_vnd": 55_000}, stock=5)
    assert index_ids("keo dua la dua") == {product.id}
    assert_index_is_true()


def test_a_renamed_product_is_found_by_its_new_name_only(shop):
    product = product_named("Kẹo dừa sầu riêng")
    manage.update_product(product, shop["owner"], {"name": "Kẹo dừa bưởi", "group": "thuc_pham", "price_vnd": 60_000})
    assert index_ids("bưởi") == {product.id}
    assert index_ids("sầu riêng") == set()
    assert_index_is_true()


def test_unpublishing_hides_and_publishing_shows(shop):
    product = product_named("Kẹo dừa sầu riêng")
    manage.set_published(product, shop["owner"], False)
    assert index_ids("sầu riêng") == set()
    assert_index_is_true()
    manage.set_published(product, shop["owner"], True)
    assert index_ids("sầu riêng") == {product.id}
    assert_index_is_true()


@pytest.mark.parametrize("has_orders", [False, True], ids=["deleted", "soft-deleted"])
def test_a_deleted_product_is_gone(shop, monkeypatch, has_orders):
    monkeypatch.setattr(catalog_services, "ORDER_CHECKS", [lambda _product_id: has_orders])
    product = product_named("Kẹo dừa sầu riêng")
    assert manage.delete_product(product, shop["owner"]) is has_orders
    assert index_ids("sầu riêng") == set()
    assert_index_is_true()


def test_stock_to_zero_and_back_moves_the_product_out_of_and_into_in_stock(shop):
    product = product_named("Kẹo dừa sầu riêng")
    manage.adjust_stock(product, shop["owner"], reason="Bán hết", set_to=0)
    assert product.id not in index_ids(in_stock=True)
    assert index_ids("sầu riêng") == {product.id}  # still shown, only not in stock
    assert_index_is_true()
    manage.adjust_stock(product, shop["owner"], reason="Nhập hàng", delta=7)
    assert product.id in index_ids(in_stock=True)
    assert_index_is_true()


def test_a_stock_change_that_is_refused_writes_no_outbox_row(shop):
    product = product_named("Dầu dừa nguyên chất")
    with pytest.raises(StockBelowZero):
        manage.adjust_stock(product, shop["owner"], reason="Hỏng", delta=-1)
    assert outbox_rows() == 0
    assert_index_is_true()


def test_a_new_certificate_and_its_removal_change_the_star(shop):
    product = product_named("Dầu dừa nguyên chất")
    cert = manage.add_certificate(product, shop["owner"], star=5, decided_on=date.today())
    assert product.id in index_ids(stars=["5"])
    assert_index_is_true()
    manage.remove_certificate(product, shop["owner"], cert)
    assert product.id not in index_ids(stars=["5"])
    assert_index_is_true()


def test_approving_a_booth_shows_its_products_and_name(shop):
    pending = make_vendor("Cơ sở Mật ong Mèo Vạc", status="pending", province="tuyen-quang")
    honey = make_product(pending, "Mật ong bạc hà", star=5)
    assert index_ids("mật ong") == set() and suggested_booths("co so mat") == set()
    booths.approve_booth(shop["staff"], pending)
    assert index_ids("mật ong") == {honey.id}
    assert suggested_booths("co so mat") == {"Cơ sở Mật ong Mèo Vạc"}
    assert_index_is_true()


def test_suspending_a_booth_hides_its_products_and_name_until_reinstated(shop):
    coop = shop["coop"]
    ids = {p.id for p in coop.products}
    booths.suspend_booth(shop["staff"], coop)
    assert not index_ids() & ids
    assert suggested_booths("hop tac xa keo") == set()
    assert_index_is_true()
    booths.reinstate_booth(shop["staff"], coop)
    assert ids <= index_ids()
    assert_index_is_true()


def test_a_renamed_booth_is_found_by_its_new_name(shop):
    coop = shop["coop"]
    ids = {p.id for p in coop.products}
    coop.name = "Hợp tác xã Dừa Sáp Cầu Kè"
    db.session.commit()
    assert index_ids("dừa sáp") == ids
    assert index_ids("kẹo") == {product_named("Kẹo dừa sầu riêng").id}  # no longer "Kẹo dừa Thanh Long"
    assert suggested_booths("hop tac xa dua s") == {"Hợp tác xã Dừa Sáp Cầu Kè"}
    assert_index_is_true()


def test_a_booth_that_moves_is_found_in_its_new_place(shop):
    company = shop["company"]
    booths.update_booth_profile(shop["owner"], company, story="", phone="0912 345 678", email="dacsan@example.vn", province="ca-mau",
                                commune="Xã Năm Căn", address_text="Ấp 1")
    moved = {p.id for p in company.products}
    assert index_ids("Bạc Liêu") == index_ids("Năm Căn") == moved  # Bạc Liêu: merged into Cà Mau in 2025
    assert index_ids("Cần Thơ") == set()
    assert_index_is_true()


def test_a_change_rolled_back_leaves_no_outbox_row_and_no_index_change(shop):
    product = product_named("Kẹo dừa sầu riêng")
    product.name = "Kẹo dừa chưa lưu"
    db.session.flush()
    assert outbox_rows() == 1  # written in the same transaction as the change…
    db.session.rollback()
    assert outbox_rows() == 0  # …and gone with it
    search.drain(blocking=True)
    assert index_ids("chưa lưu") == set()
    assert index_ids("sầu riêng") == {product.id}
    assert_index_is_true()


def test_a_service_that_fails_before_its_commit_changes_nothing(shop):
    product = product_named("Kẹo dừa sầu riêng")
    with pytest.raises(Exception):
        manage.update_product(product, shop["owner"], {"name": "Kẹo dừa mới", "group": "không có", "price_vnd": 1})
    db.session.rollback()
    assert outbox_rows() == 0
    assert index_ids("mới") == set()
    assert_index_is_true()
