"""The staff marketplace pages: the figures with their XLSX and CSV downloads, the category mapping and the
listing upload. Staff only; form errors keep the input; junk never answers 500; the figures page runs the
same few queries whatever the catalogue's size."""
import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from catalog.listings.models import CategoryMapping, Listing
from storefront.extensions import db
from storefront.models import User
from tests.factories import make_product, make_vendor, signed_in_client

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def world(app):
    with app.app_context():
        db.session.execute(sa.delete(CategoryMapping))  # the migration's seed is there in a run's first test
        booth = make_vendor("Hợp tác xã Dừa", slug="htx-dua")
        listed = make_product(booth, "Kẹo dừa", star=4, sku="KD-01")
        make_product(booth, "Bánh pía", star=3, sku="BP-01")
        db.session.add(Listing(product_id=listed.id, marketplace="tiki", status="listed", reason=""))
        users = {role: User(email=f"{role}@example.vn", role="staff" if role == "staff" else "shopper")
                 for role in ("staff", "shopper")}
        db.session.add_all(users.values())
        mapping = CategoryMapping(marketplace="tiki", group="thuc_pham", product_set="", category="4384", note="",
                                  is_example=True)
        db.session.add(mapping)
        db.session.commit()
        ids = {"sessions": {r: u.get_id() for r, u in users.items()}, "mapping_id": mapping.id}
        db.session.remove()
    return ids


@pytest.fixture
def staff(app, world):
    return signed_in_client(app, world["sessions"]["staff"])


def _mappings(app):
    with app.app_context():
        return {(m.marketplace, m.group, m.product_set): (m.category, m.note, m.is_example)
                for m in db.session.scalars(sa.select(CategoryMapping))}


def _upload(client, data, name="listings.csv", **fields):
    boundary, body = encode_multipart({**fields, "file": FileStorage(io.BytesIO(data), filename=name)})
    return client.post("/staff/marketplaces/upload", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize("path", ["/staff/marketplaces/", "/staff/marketplaces/categories",
                                  "/staff/marketplaces/upload", "/staff/marketplaces/figures.csv"])
def test_only_staff_may_open_the_pages(app, world, staff, path):
    assert signed_in_client(app).get(path).status_code == 302
    assert signed_in_client(app, world["sessions"]["shopper"]).get(path).status_code == 403
    response = staff.get(path)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_the_figures_page_shows_the_headline_against_the_target_with_links(staff):
    html = staff.get("/staff/marketplaces/").get_data(as_text=True)
    assert "<strong>1</strong> / 2" in html and "<strong>50\u00a0%</strong>" in html
    assert "Chỉ tiêu: 70\u00a0% (vạch đỏ)." in html and '<rect x="70"' in html
    for href in ("/staff/marketplaces/figures.xlsx", "/staff/marketplaces/figures.csv",
                 "/staff/marketplaces/products", "/staff/marketplaces/categories", "/staff/marketplaces/upload"):
        assert f'href="{href}"' in html
    assert 'href="/staff/marketplaces/"' in staff.get("/staff/orders").get_data(as_text=True)
    staff.set_cookie("lang", "en")
    english = staff.get("/staff/marketplaces/").get_data(as_text=True)
    assert "Listed on at least one marketplace" in english and "50 %" in english.replace("\u00a0", " ")


def test_the_xlsx_opens_with_a_vietnamese_sheet_per_breakdown_even_in_english(staff):
    staff.set_cookie("lang", "en")
    response = staff.get("/staff/marketplaces/figures.xlsx")
    assert response.mimetype == XLSX and "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["Tổng quan", "Theo nhóm OCOP", "Theo hạng sao", "Theo tỉnh, thành phố",
                               "Theo loại chủ thể"]
    summary = [list(r) for r in book["Tổng quan"].iter_rows(values_only=True)]
    assert summary[0] == ["Mục", "Sản phẩm OCOP", "Đã lên sàn", "Tỷ lệ (%)"]
    assert ["Chỉ tiêu (%)", None, None, 70] in summary
    assert ["Đã lên ít nhất một sàn", 2, 1, 50] in summary and ["Tiki", 2, 1, 50] in summary
    stars = [list(r) for r in book["Theo hạng sao"].iter_rows(values_only=True)]
    assert stars[1:] == [["3 sao", 1, 0, 0], ["4 sao", 1, 1, 100]]


def test_the_csv_has_a_bom_and_neutralises_formulas(app, staff):
    with app.app_context():
        hostile = make_vendor("Hộ Lạ", province="=HYPERLINK(\"http://x\")")
        make_product(hostile, star=5)
    response = staff.get("/staff/marketplaces/figures.csv")
    data = response.get_data()
    assert response.mimetype == "text/csv" and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Phần", "Mục", "Sản phẩm OCOP", "Đã lên sàn", "Tỷ lệ (%)"]
    assert ["Tổng quan", "Đã lên ít nhất một sàn", "3", "1", "33.3"] in rows
    assert ["Theo tỉnh, thành phố", "'=HYPERLINK(\"http://x\")", "1", "0", "0.0"] in rows


def test_the_figures_page_runs_the_same_queries_for_2_products_and_40(app, staff, count_queries):
    counts = []
    for extra in (0, 38):
        with app.app_context():
            vendor = make_vendor(province="can-tho")
            for n in range(extra):
                make_product(vendor, star=(3, 4, 5)[n % 3], group=("thuc_pham", "do_uong")[n % 2], commit=False)
            db.session.commit()
        with count_queries() as q:
            assert staff.get("/staff/marketplaces/").status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1] and counts[0] <= 4, counts


def test_a_category_row_is_added_changed_and_deleted(app, world, staff):
    response = staff.post("/staff/marketplaces/categories", data={
        "marketplace": "voso", "group": "thuc_pham", "product_set": "mat_ong",
        "category": " Thực phẩm > Mật ong ", "note": "kiểm tra"})
    assert response.status_code == 302
    assert _mappings(app)[("voso", "thuc_pham", "mat_ong")] == ("Thực phẩm > Mật ong", "kiểm tra", False)
    page = staff.get(f"/staff/marketplaces/categories?edit={world['mapping_id']}").get_data(as_text=True)
    assert f'name="mapping_id" type="hidden" value="{world["mapping_id"]}"' in page and 'value="4384"' in page
    changed = staff.post("/staff/marketplaces/categories", data={
        "mapping_id": world["mapping_id"], "marketplace": "tiki", "group": "thuc_pham", "product_set": "",
        "category": "08322", "note": ""})
    assert changed.status_code == 302
    assert _mappings(app)[("tiki", "thuc_pham", "")] == ("8322", "", False)
    assert staff.post(f"/staff/marketplaces/categories/{world['mapping_id']}/delete").status_code == 302
    assert ("tiki", "thuc_pham", "") not in _mappings(app)
    assert staff.post(f"/staff/marketplaces/categories/{world['mapping_id']}/delete").status_code == 404


@pytest.mark.parametrize("fields, field, message", [
    ({"marketplace": "tiki", "group": "thuc_pham", "category": "Bánh kẹo"}, "category", "Nhập mã danh mục"),
    ({"marketplace": "sendo", "group": "thuc_pham", "category": "-5"}, "category", "Nhập mã danh mục"),
    ({"marketplace": "voso", "group": "do_uong", "category": ""}, "category", "Nhập đường dẫn danh mục"),
    ({"marketplace": "voso", "group": "do_uong", "category": "x" * 301}, "category", "dài quá 300"),
    ({"marketplace": "tiki", "group": "do_uong", "product_set": "mat_ong", "category": "1"}, "product_set",
     "không thuộc nhóm"),
    ({"marketplace": "shopee", "group": "do_uong", "category": "1"}, "marketplace", "Sàn không hợp lệ"),
    ({"marketplace": "tiki", "group": "ca_phe", "category": "1"}, "group", "Chọn nhóm OCOP"),
    ({"marketplace": "tiki", "group": "do_uong", "category": "1", "note": "n" * 301}, "note", "dài quá 300"),
    ({"mapping_id": "abc", "marketplace": "tiki", "group": "do_uong", "category": "1"}, None, "không còn nữa"),
    ({"mapping_id": "99999999999", "marketplace": "tiki", "group": "do_uong", "category": "1"}, None, "không còn"),
])
def test_a_refused_category_row_keeps_the_input_and_names_the_field(app, world, staff, fields, field, message):
    before = _mappings(app)
    response = staff.post("/staff/marketplaces/categories", data=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    if field:
        assert f'aria-describedby="{field}-errors"' in html
    if fields.get("category") and len(fields["category"]) < 300:
        assert f'value="{fields["category"]}"' in html
    assert _mappings(app) == before


def test_a_row_cannot_be_changed_into_another_rows_place(app, world, staff):
    with app.app_context():
        other = CategoryMapping(marketplace="tiki", group="do_uong", product_set="", category="22998", note="")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    response = staff.post("/staff/marketplaces/categories", data={
        "mapping_id": other_id, "marketplace": "tiki", "group": "thuc_pham", "product_set": "", "category": "1"})
    assert response.status_code == 400 and "Đã có một dòng khác" in response.get_data(as_text=True)
    assert _mappings(app)[("tiki", "do_uong", "")][0] == "22998"


@pytest.mark.parametrize("query", ["?edit=abc", "?edit=-1", "?edit=99999999999999", "?edit=0"])
def test_junk_in_the_edit_link_shows_an_empty_form(staff, query):
    assert staff.get(f"/staff/marketplaces/categories{query}").status_code == 200


def test_junk_mapping_ids_in_the_delete_url_are_404(staff):
    assert staff.post("/staff/marketplaces/categories/99999999999/delete").status_code == 404
    assert staff.post("/staff/marketplaces/categories/0/delete").status_code == 404


def test_an_uploaded_file_is_applied_when_clean_and_reported_row_by_row_when_not(app, staff):
    bad = "sku,marketplace,url\r\nKD-01,tiki,https://tiki.vn/k-p1.html\r\nBP-01,lazada,https://lazada.vn/x\r\n"
    response = _upload(staff, bad.encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Dòng 3, cột “marketplace”" in html and "lazada" in html
    good = "sku,marketplace,url\r\nBP-01,sendo,https://www.sendo.vn/banh-pia.html\r\n"
    checked = _upload(staff, good.encode(), dry_run="y")
    assert checked.status_code == 200 and "Đã kiểm tra: chưa lưu gì" in checked.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Listing)) == 1
    saved = _upload(staff, good.encode())
    assert saved.status_code == 200 and "Ghi là đang bán: 1" in saved.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Listing.url).where(Listing.marketplace == "sendo")).endswith("pia.html")


@pytest.mark.parametrize("data, name", [(b"", "x.csv"), (b"\x00\xff\xfe junk", "x.csv"), (b"PK\x03\x04zz", "x.xlsx"),
                                        (b"sku,marketplace,url\r\n", "x.csv"), (b"a,b\r\n1,2\r\n", "x.csv"),
                                        (b"text", "x.exe")])
def test_junk_uploads_get_a_message_not_a_500(staff, data, name):
    response = _upload(staff, data, name)
    assert response.status_code == 400
    assert 'class="field-errors"' in response.get_data(as_text=True) or "Thiếu cột" in response.get_data(as_text=True)


def test_an_upload_without_a_file_is_a_400_with_its_message(staff):
    response = staff.post("/staff/marketplaces/upload", data={})
    assert response.status_code == 400 and "Chọn một tệp .csv hoặc .xlsx." in response.get_data(as_text=True)


def test_forms_need_the_pages_csrf_token(app, world, csrf_app):
    client = signed_in_client(csrf_app, world["sessions"]["staff"])
    before = _mappings(app)
    response = client.post("/staff/marketplaces/categories",
                           data={"marketplace": "tiki", "group": "do_uong", "category": "1", "csrf_token": "forged"})
    assert response.status_code == 400 and _mappings(app) == before
    assert client.post(f"/staff/marketplaces/categories/{world['mapping_id']}/delete").status_code == 400
    assert _mappings(app) == before
