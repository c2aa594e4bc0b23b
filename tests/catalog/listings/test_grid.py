"""The product × marketplace grid query: our own market first, every marketplace's listing, the staff's
filters, paging, and a fixed number of queries whatever the page size."""
from urllib.parse import parse_qsl, urlencode

import pytest
from werkzeug.datastructures import MultiDict

from catalog.listings.grid import LISTING_FILTERS, clean_filters, grid, grid_batches, pushed_ids
from catalog.listings.models import MARKETPLACES, OWN_MARKET, Listing
from storefront.extensions import db
from tests.factories import make_product, make_vendor


def _filters(**args):
    return clean_filters(MultiDict(args))


def _names(page):
    return [row.product.name for row in page.rows]


@pytest.fixture
def world(ctx):
    """Booth A (approved, Vĩnh Long cooperative) and booth B (pending, Cần Thơ household), with listings."""
    a = make_vendor("A Hợp tác xã", commit=False)
    b = make_vendor("B Hộ kinh doanh", status="pending", province="can-tho", entity_type="ho_kinh_doanh",
                    commit=False)
    products = {
        "keo": make_product(a, "Kẹo dừa", star=4, sku="KD-1", commit=False),
        "mat": make_product(a, "Mật ong", group="thuc_pham", stock=0, star=5, cert_status="potential_5",
                            commit=False),
        "an": make_product(a, "Xoài ẩn", is_published=False, commit=False),
        "ruou": make_product(b, "Rượu", group="do_uong", star=3, commit=False),
        "gone": make_product(a, "Đã xoá", commit=False),
    }
    db.session.flush()
    products["gone"].deleted_at = products["gone"].created_at
    db.session.add_all([
        Listing(product_id=products["keo"].id, marketplace="tiki", status="listed", url="https://tiki.vn/keo"),
        Listing(product_id=products["keo"].id, marketplace="sendo", status="rejected", reason="Ảnh mờ"),
        Listing(product_id=products["mat"].id, marketplace="tiki", status="rejected", reason="Thiếu giấy"),
        Listing(product_id=products["ruou"].id, marketplace="voso", status="submitted"),
        Listing(product_id=products["an"].id, marketplace="tiki", status="not_listed"),
    ])
    db.session.commit()
    return {"a": a.id, "b": b.id, **{k: p.id for k, p in products.items()}}


def test_each_row_has_our_market_first_then_every_marketplace(world):
    page = grid(filters=_filters(), page=1, per_page=50)
    assert page.total == 4 and _names(page) == ["Kẹo dừa", "Mật ong", "Xoài ẩn", "Rượu"]  # booth, then name
    keo = next(row for row in page.rows if row.product.name == "Kẹo dừa")
    assert list(keo.cells) == [OWN_MARKET, *MARKETPLACES]
    assert keo.cells[OWN_MARKET].status == "listed"
    assert (keo.cells["tiki"].status, keo.cells["tiki"].url) == ("listed", "https://tiki.vn/keo")
    assert (keo.cells["sendo"].status, keo.cells["sendo"].reason) == ("rejected", "Ảnh mờ")
    assert keo.cells["voso"] is None and keo.product.star == 4 and keo.product.sku == "KD-1"


def test_our_market_needs_published_in_stock_and_an_approved_booth(world):
    own = {row.product.name: row.product.on_own_market for row in grid(filters=_filters(), page=1).rows}
    assert own == {"Kẹo dừa": True, "Mật ong": False, "Xoài ẩn": False, "Rượu": False}


def test_a_booth_sees_only_its_products_whatever_the_booth_filter_says(world):
    page = grid(booth_id=world["b"], filters=_filters(booth=str(world["a"])), page=1)
    assert _names(page) == ["Rượu"]


@pytest.mark.parametrize("args, expected", [
    ({"listing": "nowhere"}, ["Mật ong", "Xoài ẩn", "Rượu"]),
    ({"listing": "somewhere"}, ["Kẹo dừa"]),
    ({"listing": "tiki:rejected"}, ["Mật ong"]),
    ({"listing": "tiki:not_listed"}, ["Xoài ẩn", "Rượu"]),
    ({"listing": "voso:submitted"}, ["Rượu"]),
    ({"listing": "cho:listed"}, ["Kẹo dừa"]),
    ({"listing": "cho:not_listed"}, ["Mật ong", "Xoài ẩn", "Rượu"]),
    ({"province": "can-tho"}, ["Rượu"]),
    ({"entity_type": "hop_tac_xa"}, ["Kẹo dừa", "Mật ong", "Xoài ẩn"]),
    ({"group": "do_uong"}, ["Rượu"]),
    ({"star": "p5"}, ["Mật ong"]),
    ({"star": "4"}, ["Kẹo dừa"]),
    ({"q": "kd-1"}, ["Kẹo dừa"]),
    ({"q": "%"}, []),
    ({"listing": "tiki:bogus", "province": "atlantis", "star": "9"}, ["Kẹo dừa", "Mật ong", "Xoài ẩn", "Rượu"]),
])
def test_staff_filters(world, args, expected):
    assert _names(grid(filters=_filters(**args), page=1)) == expected


def test_the_booth_filter_and_its_junk(world):
    assert _names(grid(filters=_filters(booth=str(world["b"])), page=1)) == ["Rượu"]
    assert grid(filters=_filters(booth="99999999999999"), page=1).total == 4


def test_every_listing_filter_value_runs(world):
    for value in LISTING_FILTERS:
        assert grid(filters=_filters(listing=value), page=1).total <= 4


def test_pages_and_batches_cover_every_row_once(world):
    first, second = (grid(filters=_filters(), page=n, per_page=3) for n in (1, 2))
    assert (first.pages, first.has_next, second.has_prev) == (2, True, True)
    assert _names(first) + _names(second) == ["Kẹo dừa", "Mật ong", "Xoài ẩn", "Rượu"]
    batches = list(grid_batches(filters=_filters(), batch=3))
    assert [len(b) for b in batches] == [3, 1]
    assert sorted(row.product.id for b in batches for row in b) == sorted(
        world[k] for k in ("keo", "mat", "an", "ruou"))


def test_pushed_ids_are_the_submitted_or_listed_ones_of_the_booth(world):
    assert pushed_ids(world["a"], "tiki") == {world["keo"]}
    assert pushed_ids(world["b"], "voso") == {world["ruou"]}


def test_query_args_round_trip(world):
    f = _filters(group="do_uong", star="p5", province="can-tho", listing="tiki:listed", q="mật", booth="7")
    url_args = MultiDict(parse_qsl(urlencode(f.query_args(), doseq=True)))
    assert clean_filters(url_args) == f


@pytest.mark.parametrize("per_page", [5, 60])
def test_a_page_is_three_queries_whatever_its_size(ctx, count_queries, per_page):
    vendor = make_vendor(commit=False)
    products = [make_product(vendor, f"Hàng {i:02d}", commit=False) for i in range(per_page)]
    db.session.flush()
    db.session.add_all([Listing(product_id=p.id, marketplace=m, status="exported")
                        for p in products for m in MARKETPLACES])
    db.session.commit()
    with count_queries() as q:
        page = grid(filters=_filters(listing="nowhere", star="4"), page=1, per_page=per_page)
        page = grid(filters=_filters(), page=1, per_page=per_page)
    assert len(page.rows) == per_page and all(row.cells["sendo"].status == "exported" for row in page.rows)
    assert q.count == 5, q.statements  # the filtered page matches nothing: no listings query for it
