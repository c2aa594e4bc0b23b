"""The province's figures: OCOP products (valid certificate today, approved booth, not deleted) listed on at
least one external marketplace, per marketplace, by group, star, province and producer type, and our own
market counted on its own; all in one query whatever the number of products."""
from datetime import date, datetime, timezone

import pytest

from catalog.listings.figures import compute_figures
from catalog.listings.models import Listing
from storefront.extensions import db
from tests.factories import make_product, make_vendor

LONG_AGO = date(2020, 1, 1)  # a certificate decided then has lapsed (36 months)


def _list(product, *marketplaces, status="listed"):
    for m in marketplaces:
        db.session.add(Listing(product_id=product.id, marketplace=m, status=status, reason="", source="manual"))
    db.session.commit()


@pytest.fixture
def world(ctx):
    a = make_vendor("Hợp tác xã A", province="vinh-long", entity_type="hop_tac_xa")
    b = make_vendor("Công ty B", province="ha-noi", entity_type="cong_ty")
    pending = make_vendor("Hộ C", status="pending", entity_type="ho_kinh_doanh")
    counted = {
        "a1": make_product(a, star=4, stock=10),
        "a2": make_product(a, star=3, stock=0),
        "a3": make_product(a, star=5, group="do_uong"),
        "a7": make_product(a, star=5, cert_status="potential_5", group="du_lich", stock=0),
        "b1": make_product(b, star=3, is_published=False),
    }
    _list(counted["a1"], "tiki", "sendo")
    _list(counted["a2"], "voso")
    _list(counted["a3"], "tiki", status="exported")
    _list(counted["a3"], "sendo", status="rejected")
    _list(counted["a7"], "sendo", status="delisted")
    _list(counted["b1"], "postmart")
    # Not OCOP products today: each is listed, and none may count.
    expired = make_product(a, star=4, decided_on=LONG_AGO)
    deleted = make_product(a, star=4, deleted_at=datetime.now(timezone.utc))
    uncertified = make_product(a)
    revoked = make_product(a, star=3, cert_status="revoked")
    of_pending = make_product(pending, star=4)
    for p in (expired, deleted, uncertified, revoked, of_pending):
        _list(p, "tiki")
    return counted


def _table(lines):
    return {line.key: (line.total, line.listed, line.pct) for line in lines}


def test_the_headline_counts_valid_ocop_products_of_approved_booths_only(world):
    figures = compute_figures()
    assert (figures.headline.total, figures.headline.listed, figures.headline.pct) == (5, 3, 60.0)
    assert figures.target_pct == 70 and not figures.meets_target
    assert compute_figures(target_pct=60).meets_target


def test_per_marketplace_only_listed_counts_and_our_market_is_separate(world):
    figures = compute_figures()
    assert _table(figures.marketplaces) == {"tiki": (5, 1, 20.0), "sendo": (5, 1, 20.0), "voso": (5, 1, 20.0),
                                            "postmart": (5, 1, 20.0)}
    # a1 (in stock), a3 (in stock), a7 (a service, no stock needed); a2 is out of stock, b1 unpublished.
    assert (figures.own_market.total, figures.own_market.listed) == (5, 3)


def test_each_breakdown_has_its_totals_and_listed(world):
    b = compute_figures().breakdowns
    assert _table(b["group"]) == {"thuc_pham": (3, 3, 100.0), "do_uong": (1, 0, 0.0), "du_lich": (1, 0, 0.0)}
    assert [line.key for line in b["group"]] == ["thuc_pham", "do_uong", "du_lich"]
    assert _table(b["star"]) == {"3": (2, 2, 100.0), "4": (1, 1, 100.0), "5": (1, 0, 0.0), "p5": (1, 0, 0.0)}
    assert [line.key for line in b["star"]] == ["3", "4", "5", "p5"]
    assert _table(b["province"]) == {"vinh-long": (4, 2, 50.0), "ha-noi": (1, 1, 100.0)}
    assert [str(line.label) for line in b["province"]] == ["Hà Nội", "Vĩnh Long"]
    assert _table(b["entity_type"]) == {"cong_ty": (1, 1, 100.0), "hop_tac_xa": (4, 2, 50.0)}
    assert str(b["star"][3].label) == "Tiềm năng 5 sao" and str(b["group"][0].label) == "Thực phẩm"


def test_certificates_lapse_with_the_date(world):
    later = compute_figures(today=date(date.today().year + 4, 1, 1))
    assert (later.headline.total, later.headline.listed, later.headline.pct) == (0, 0, 0.0)
    assert later.breakdowns["group"] == [] and not later.meets_target
    earlier = compute_figures(today=date(2021, 6, 1))  # the 2020 certificate was still valid then
    assert (earlier.headline.total, earlier.headline.listed) == (6, 4)


def test_one_query_however_many_products(world, count_queries):
    with count_queries() as q:
        compute_figures()
    small = q.count
    vendor = make_vendor(province="can-tho", entity_type="to_hop_tac")
    for n in range(30):
        p = make_product(vendor, star=(3, 4, 5)[n % 3], group=("thuc_pham", "do_uong")[n % 2], commit=False)
        db.session.flush()
        db.session.add(Listing(product_id=p.id, marketplace=("tiki", "voso")[n % 2], status="listed", reason=""))
    db.session.commit()
    with count_queries() as q:
        figures = compute_figures()
    assert small == q.count == 1
    assert figures.headline.total == 35 and figures.headline.listed == 33
