"""Read queries behind the shopper pages: star semantics, featured products, counts and sitemap rows."""
from datetime import date, datetime, timedelta

from catalog.filters import CatalogFilter
from catalog.queries import (
    featured_products, group_counts, list_products, list_vendors, more_from_vendor, sitemap_products, star_counts,
)
from tests.factories import make_product, make_vendor

LAPSED = date.today() - timedelta(days=3 * 366)


def test_star_counts_count_potential_five_star_apart_and_skip_lapsed_certificates(ctx):
    make_product(star=3)
    make_product(star=4)
    make_product(star=4)
    make_product(star=5)
    make_product(star=4, cert_status="potential_5")
    make_product(star=5, cert_status="potential_5")
    make_product(star=4, decided_on=LAPSED)
    make_product(star=4, cert_status="revoked")
    make_product(star=5, is_published=False)
    assert star_counts() == {"3": 1, "4": 2, "5": 1, "p5": 2}


def test_star_filter_matches_star_counts(ctx):
    for star, status in ((3, "certified"), (4, "certified"), (5, "potential_5"), (5, "certified")):
        make_product(star=star, cert_status=status)
    counts = star_counts()
    for value in ("3", "4", "5", "p5"):
        assert list_products(CatalogFilter(stars=[value])).total == counts[value] == 1


def test_group_counts_only_count_visible_products(ctx):
    make_product(group="do_uong")
    make_product(group="do_uong")
    make_product(group="do_uong", vendor=make_vendor(status="suspended", commit=False))
    make_product(group="duoc_lieu", is_published=False)
    assert group_counts() == {"do_uong": 2}


def test_featured_products_are_newest_valid_four_five_or_potential_in_stock(ctx):
    day = datetime(2025, 1, 1)
    make_product(name="3 sao", star=3, created_at=day)
    make_product(name="4 sao", star=4, created_at=day + timedelta(days=1))
    make_product(name="5 sao hết hàng", star=5, stock=0, created_at=day + timedelta(days=2))
    make_product(name="tiềm năng", star=4, cert_status="potential_5", created_at=day + timedelta(days=3))
    make_product(name="hết hiệu lực", star=5, decided_on=LAPSED, created_at=day + timedelta(days=4))
    make_product(name="không sao", created_at=day + timedelta(days=5))
    assert [p.name for p in featured_products(8)] == ["tiềm năng", "4 sao"]
    assert [p.name for p in featured_products(1)] == ["tiềm năng"]


def test_featured_products_fall_back_to_the_newest_in_stock_when_none_is_starred(ctx):
    make_product(name="cũ", created_at=datetime(2025, 1, 1))
    make_product(name="mới", created_at=datetime(2025, 2, 1))
    make_product(name="hết", stock=0, created_at=datetime(2025, 3, 1))
    assert [p.name for p in featured_products(8)] == ["mới", "cũ"]


def test_more_from_vendor_excludes_the_product_and_other_booths(ctx):
    booth = make_vendor()
    me = make_product(booth, "me")
    make_product(booth, "sibling")
    make_product(booth, "hidden sibling", is_published=False)
    make_product(name="stranger")
    assert [p.name for p in more_from_vendor(me)] == ["sibling"]


def test_list_vendors_counts_only_visible_products(ctx):
    booth = make_vendor("A")
    make_product(booth)
    make_product(booth, is_published=False)
    make_vendor("B")
    page = list_vendors()
    assert [(v.name, v.product_count) for v in page.items] == [("A", 1), ("B", 0)]


def test_sitemap_rows_are_plain_slug_and_date_rows_of_visible_products(ctx):
    shown = make_product(name="shown")
    make_product(name="draft", is_published=False)
    rows = sitemap_products().all()
    assert [tuple(r._fields) for r in rows] == [("slug", "updated_at")]
    assert [r.slug for r in rows] == [shown.slug]
    assert isinstance(rows[0].updated_at, datetime)
