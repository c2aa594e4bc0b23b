"""The staff's grid across every booth: filters, a readiness summary per cell, paging, a bounded number of
queries, and the filtered grid as a CSV that Excel reads and never runs."""
import csv
import io

import pytest
import sqlalchemy as sa

from catalog.listings.models import CategoryMapping, Listing
from storefront.extensions import db
from storefront.models import User
from tests.factories import make_product, make_vendor, signed_in_client

URL = "/staff/marketplaces/products"
HOSTILE = '=HYPERLINK("http://evil.example","Giỏ")'


@pytest.fixture
def world(app):
    with app.app_context():
        staff, member = User(email="staff@example.vn", role="staff"), User(email="member@example.vn")
        vinh_long = make_vendor("Hợp tác xã Vĩnh Long", commit=False)
        can_tho = make_vendor("Hộ Cần Thơ", province="can-tho", entity_type="ho_kinh_doanh", commit=False)
        keo = make_product(vinh_long, "Kẹo dừa", star=4, image=True, weight_g=400, commit=False)
        make_product(vinh_long, HOSTILE, group="thu_cong_my_nghe", commit=False)
        make_product(can_tho, "Rượu nếp", group="do_uong", star=3, commit=False)
        db.session.add_all([staff, member])
        db.session.flush()
        db.session.add(Listing(product_id=keo.id, marketplace="tiki", status="listed", url="https://tiki.vn/keo-dua"))
        db.session.commit()
        return {"staff": staff.get_id(), "member": member.get_id(), "vinh_long": vinh_long.id}


@pytest.fixture
def staff(app, world):
    client = signed_in_client(app, world["staff"])
    client.set_cookie("lang", "en")
    return client


def test_staff_see_every_booth_with_a_readiness_summary(app, world, staff):
    response = staff.get(URL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Kẹo dừa" in html and "Rượu nếp" in html
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;Giỏ&#34;)" in html  # shown as text, escaped
    assert 'class="mgrid"' in html and 'data-label="Sendo"' in html
    assert "to fix</p>" in html and 'href="https://tiki.vn/keo-dua"' in html
    assert "/staff/marketplaces/products.csv" in html


def test_other_people_are_refused(app, world):
    assert signed_in_client(app, world["member"]).get(URL).status_code == 403
    assert signed_in_client(app).get(URL).status_code == 302


@pytest.mark.parametrize("query, shown, hidden", [
    ("?province=can-tho", ["Rượu nếp"], ["Kẹo dừa"]),
    ("?listing=nowhere", ["Rượu nếp"], ["Kẹo dừa"]),
    ("?listing=tiki:listed", ["Kẹo dừa"], ["Rượu nếp"]),
    ("?group=do_uong&star=3", ["Rượu nếp"], ["Kẹo dừa"]),
    ("?entity_type=hop_tac_xa&q=k%E1%BA%B9o", ["Kẹo dừa"], ["Rượu nếp"]),
    ("?listing=%3Cscript%3E&star=x&province=nowhere&booth=abc&page=1", ["Kẹo dừa", "Rượu nếp"], []),
])
def test_filters(app, world, staff, query, shown, hidden):
    response = staff.get(URL + query)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert all(name in html for name in shown) and not any(name in html for name in hidden)


def test_the_booth_filter_and_pages_past_the_last(app, world, staff):
    html = staff.get(f"{URL}?booth={world['vinh_long']}").get_data(as_text=True)
    assert "Kẹo dừa" in html and "Rượu nếp" not in html
    assert staff.get(f"{URL}?page=2").status_code == 404
    assert staff.get(f"{URL}?page=0").status_code == 404


def test_the_filtered_grid_downloads_as_a_csv_excel_reads_and_never_runs(app, world, staff):
    with staff.get(f"{URL}.csv?province=vinh-long") as response:
        body = response.get_data()
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=san-pham-tren-san-")
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert header[:4] == ["Booth", "Province", "Producer type", "Product"] and "Tiki: status" in header
    assert sorted(r[3] for r in data) == sorted(["Kẹo dừa", "'" + HOSTILE])
    keo = next(r for r in data if r[3] == "Kẹo dừa")
    assert keo[1] == "Vĩnh Long" and keo[6] == "4-star" and keo[7] == "On sale"
    tiki = header.index("Tiki: status")
    assert keo[tiki:tiki + 2] == ["Listed", "https://tiki.vn/keo-dua"]
    assert keo[header.index("Tiki: what blocks listing")]  # no category mapped, no dimensions…
    assert keo[header.index("Sendo: status")] == "Not listed"


@pytest.mark.parametrize("extra", [3, 60])
def test_the_grid_runs_a_bounded_number_of_queries(app, world, staff, count_queries, extra):
    with app.app_context():
        vendor = make_vendor(commit=False)
        for i in range(extra):
            make_product(vendor, f"Hàng {i:02d}", image=i % 3 == 0, star=4 if i % 2 else None, commit=False)
        db.session.execute(sa.delete(CategoryMapping))  # the seeded mapping (until the first cleanup)
        db.session.add(CategoryMapping(marketplace="sendo", group="thuc_pham", product_set="", category="2481"))
        db.session.commit()
    with count_queries() as q:
        assert staff.get(f"{URL}?listing=nowhere").status_code == 200
    # user; booths; count, rows, listings; mapping, products, images, certificates
    assert q.count <= 10, q.statements
