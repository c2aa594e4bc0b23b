"""Listing services: a booth member's "it is on Tiki at this URL", delisting, exports recorded in bulk,
and the status changes each of them may make."""
import pytest
import sqlalchemy as sa

from catalog.listings import services
from catalog.listings.models import LISTING_STATUSES, Listing
from catalog.listings.services import ListingError, mark_delisted, mark_listed, record_exported
from catalog.models import Product
from storefront.extensions import db
from storefront.models import User
from tests.factories import make_product, make_vendor

TIKI_URL = "https://tiki.vn/keo-dua-sap-cau-ke-p123456.html"


@pytest.fixture
def staff(ctx):
    user = User(email="canbo@example.vn", role="staff")
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def product(ctx):
    return make_product(make_vendor(), "Kẹo dừa sáp", star=4)


def _listing(product_id, marketplace="tiki"):
    db.session.expire_all()
    return db.session.scalar(sa.select(Listing).filter_by(product_id=product_id, marketplace=marketplace))


def _start(product, status, marketplace="tiki"):
    """Give the product a listing in `status` (None: no listing row at all)."""
    if status is not None:
        db.session.add(Listing(product_id=product.id, marketplace=marketplace, status=status, reason="",
                               url="https://tiki.vn/old-p1.html" if status in ("listed", "delisted") else None))
        db.session.commit()


def test_marking_listed_records_url_source_who_and_when_and_commits(product, staff):
    listing = mark_listed(product, "tiki", f"  {TIKI_URL} ", staff, external_id=" 123456 ")
    db.session.rollback()  # committed: a rollback loses nothing
    stored = _listing(product.id)
    assert stored.id == listing.id
    assert (stored.status, stored.url, stored.external_id, stored.source) == ("listed", TIKI_URL, "123456", "manual")
    assert stored.updated_by_id == staff.id and stored.listed_at is not None and stored.reason == ""


@pytest.mark.parametrize("start", [None, *LISTING_STATUSES])
def test_a_person_may_mark_listed_from_every_status(product, staff, start):
    _start(product, start)
    mark_listed(product, "tiki", TIKI_URL, staff)
    assert _listing(product.id).status == "listed"


@pytest.mark.parametrize("start, allowed", [(None, False), ("not_listed", False), ("exported", False),
                                            ("submitted", True), ("listed", True), ("rejected", False),
                                            ("delisted", True)])
def test_only_a_listed_submitted_or_delisted_product_can_be_delisted(product, staff, start, allowed):
    _start(product, start)
    if allowed:
        mark_delisted(product, "tiki", staff)
        stored = _listing(product.id)
        assert stored.status == "delisted"
        assert start == "delisted" or (stored.delisted_at is not None and stored.updated_by_id == staff.id)
    else:
        with pytest.raises(ListingError) as caught:
            mark_delisted(product, "tiki", staff)
        assert caught.value.field == "marketplace" and "Tiki" in str(caught.value)
        stored = _listing(product.id)
        assert (stored.status if stored else None) == start


def test_relisting_after_a_delisting_keeps_the_delisting_date(product, staff):
    mark_listed(product, "sendo", "https://www.sendo.vn/keo-dua-123.html", staff)
    mark_delisted(product, "sendo", staff)
    mark_listed(product, "sendo", "https://www.sendo.vn/keo-dua-456.html", staff)
    stored = _listing(product.id, "sendo")
    assert stored.status == "listed" and stored.url.endswith("456.html") and stored.delisted_at is not None


@pytest.mark.parametrize("marketplace, url", [
    ("tiki", TIKI_URL), ("tiki", "http://m.tiki.vn/p/123"), ("tiki", "HTTPS://TIKI.VN/x"),
    ("tiki", "https://tiki.vn./x"), ("sendo", "https://www.sendo.vn/a-1.html"), ("voso", "https://voso.vn/p/9"),
    ("postmart", "https://postmart.vn/san-pham/1"), ("tiki", "https://tiki.vn:443/x"),
])
def test_addresses_on_the_marketplaces_own_domain_are_accepted(marketplace, url):
    assert services.check_url(marketplace, url) == url


@pytest.mark.parametrize("url", [
    "", "   ", "javascript:alert(1)", "JavaScript://tiki.vn/%0aalert(1)", "data:text/html,<b>tiki.vn</b>",
    "ftp://tiki.vn/x", "//tiki.vn/x", "tiki.vn/x", "https://evil.example/tiki.vn", "https://tiki.vn.evil.example/x",
    "https://nottiki.vn/x", "https://sendo.vn/x", "https://tiki.vn@evil.example/x", "https://user:pw@tiki.vn/x",
    "https://tiki.vn/a b", "https://tiki.vn/\x00", "http://[::1/x", "https://tiki.vn:port/x",
    "https://tiki.vn/" + "a" * 490,
])
def test_anything_else_is_refused_under_the_url_field(url):
    with pytest.raises(ListingError) as caught:
        services.check_url("tiki", url)
    assert caught.value.field == "url" and str(caught.value)


def test_a_refused_mark_writes_nothing_and_names_its_field(product, staff):
    with pytest.raises(ListingError) as caught:
        mark_listed(product, "tiki", "https://sendo.vn/keo-dua.html", staff)
    assert "tiki.vn" in str(caught.value)
    with pytest.raises(ListingError) as caught:
        mark_listed(product, "shopee", TIKI_URL, staff)
    assert caught.value.field == "marketplace"
    with pytest.raises(ListingError) as caught:
        mark_listed(product, "tiki", TIKI_URL, staff, external_id="x" * 101)
    assert caught.value.field == "external_id"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Listing)) == 0


def test_the_message_is_in_vietnamese_by_default(product, staff):
    with pytest.raises(ListingError) as caught:
        mark_listed(product, "voso", "https://tiki.vn/x", staff)
    assert str(caught.value) == "Địa chỉ phải là một trang trên voso.vn."


@pytest.mark.parametrize("start, after", [(None, "exported"), ("not_listed", "exported"), ("exported", "exported"),
                                          ("submitted", "submitted"), ("listed", "listed"), ("rejected", "rejected"),
                                          ("delisted", "delisted")])
def test_an_export_moves_only_unlisted_products_to_exported(product, start, after):
    _start(product, start)
    record_exported([product.id], "tiki")
    db.session.commit()
    stored = _listing(product.id)
    assert stored.status == after
    assert (stored.source == "export" and stored.exported_at is not None) == (after == "exported")


def test_record_exported_only_flushes_the_caller_commits(product):
    record_exported([product.id, product.id], "voso")
    assert db.session.scalar(sa.select(Listing.status).filter_by(product_id=product.id)) == "exported"
    db.session.rollback()
    assert _listing(product.id, "voso") is None


def _bulk_products(n):
    vendor = make_vendor()
    db.session.execute(sa.insert(Product), [
        {"vendor_id": vendor.id, "name": f"Sản phẩm {i}", "search_name": f"san pham {i}", "slug": f"bulk-{i}",
         "group": "thuc_pham", "price_vnd": 10_000, "stock": 1} for i in range(n)])
    db.session.commit()
    return list(db.session.scalars(sa.select(Product.id).where(Product.vendor_id == vendor.id).order_by(Product.id)))


def test_record_exported_is_a_few_statements_per_thousand_products(ctx, count_queries):
    ids = _bulk_products(2_500)
    _start(db.session.get(Product, ids[0]), "listed")
    _start(db.session.get(Product, ids[1]), "not_listed")
    with count_queries() as q:
        record_exported(ids, "postmart")  # nothing exists on Postmart: select + insert per thousand
        record_exported(ids, "tiki")  # two exist on Tiki
        db.session.commit()
    assert q.count <= 2 * 3 * 3 + 2, q.statements
    statuses = dict(db.session.execute(sa.select(Listing.status, sa.func.count()).where(Listing.marketplace == "tiki")
                                       .group_by(Listing.status)).all())
    assert statuses == {"exported": 2_499, "listed": 1}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Listing)
                             .where(Listing.marketplace == "postmart", Listing.status == "exported")) == 2_500


def test_the_domains_table_covers_every_marketplace():
    from catalog.listings.models import MARKETPLACES

    assert set(services.MARKETPLACE_SITES) == set(MARKETPLACES)
    assert services.label("voso") == "Voso"
