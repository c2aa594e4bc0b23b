"""The booth's spreadsheet: upload, preview with the importer's report, apply once, download as XLSX."""
import io
import os
import shutil
import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from catalog.manage.spreadsheet import claim_staged, stage_file
from catalog.models import Product
from catalog.register.columns import COLUMNS
from storefront.extensions import db
from storefront.models import User
from tests.factories import make_product, make_vendor, signed_in_client
from tests.fixtures.registers import csv_bytes, row
from vendors.models import AuditEntry, Vendor, VendorMember

MINE = "Hợp tác xã Dừa sáp Cầu Kè"


@pytest.fixture(autouse=True)
def _no_staged_files(app):
    """Booth ids restart with every test: uploads left by an earlier test must not look like this one's."""
    shutil.rmtree(Path(app.instance_path) / "uploads" / "spreadsheets", ignore_errors=True)


@pytest.fixture
def world(app):
    """Three booths (mine, another, an assisted one) and a user per role, as {name: id}."""
    with app.app_context():
        mine, theirs = make_vendor(MINE), make_vendor("Hợp tác xã Người Khác")
        assisted = make_vendor("Hộ kinh doanh Bà Năm", entity_type="ho_kinh_doanh", is_assisted=True)
        users = {role: User(email=f"{role}@example.vn", role=role if role == "staff" else "shopper")
                 for role in ("shopper", "owner", "other_booth", "staff")}
        db.session.add_all(users.values())
        db.session.add_all([VendorMember(vendor=mine, user=users["owner"], role="owner"),
                            VendorMember(vendor=theirs, user=users["other_booth"], role="owner")])
        db.session.commit()
        ids = {"sessions": {role: u.get_id() for role, u in users.items()},
               "booths": {"mine": mine.slug, "theirs": theirs.slug, "assisted": assisted.slug},
               "booth_ids": {"mine": mine.id, "theirs": theirs.id, "assisted": assisted.id}}
        db.session.remove()
    return ids


def client_as(app, world, role):
    return signed_in_client(app, None if role == "anonymous" else world["sessions"][role])


def upload(client, slug, data, name="products.csv", **fields):
    """Post a file to the preview. The body is built in memory: for a large file the test client would
    otherwise spool it to a temporary file that it never closes."""
    boundary, body = encode_multipart({**fields, "file": FileStorage(io.BytesIO(data), filename=name)})
    return client.post(f"/vendor/{slug}/spreadsheet/preview", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def my_rows(booth=MINE, n=2):
    return [row(booth_name=booth, product_name=f"Dừa sáp sấy giòn {i}", sku=f"DS-0{i}", gtin="")
            for i in range(1, n + 1)]


def token_of(response):
    html = response.get_data(as_text=True)
    return html.split('name="token" type="hidden" value="', 1)[1].split('"', 1)[0]


def staged(app, booth_id):
    folder = Path(app.instance_path) / "uploads" / "spreadsheets" / str(booth_id)
    return sorted(folder.glob("*")) if folder.exists() else []


def products(app):
    with app.app_context():
        return {(p.name, p.vendor_id) for p in db.session.scalars(sa.select(Product))}


def sheet_rows(data):
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


# Permissions: every route, every kind of user.

def _stage(app, world, key):
    with app.test_request_context():
        booth = db.session.get(Vendor, world["booth_ids"][key])
        token = stage_file(booth, csv_bytes(my_rows(booth.name)), "csv").name.split(".")[0]
        db.session.remove()
    return token


ROUTES = {
    "form": lambda c, app, w, key: c.get(f"/vendor/{w['booths'][key]}/spreadsheet"),
    "download": lambda c, app, w, key: c.get(f"/vendor/{w['booths'][key]}/spreadsheet.xlsx"),
    "preview": lambda c, app, w, key: upload(c, w["booths"][key], csv_bytes(my_rows(
        MINE if key == "mine" else "Hộ kinh doanh Bà Năm"))),
    "apply": lambda c, app, w, key: c.post(f"/vendor/{w['booths'][key]}/spreadsheet/apply",
                                           data={"token": _stage(app, w, key)}),
}
MATRIX = [("anonymous", "mine", 302), ("shopper", "mine", 403), ("other_booth", "mine", 404), ("owner", "mine", 200),
          ("staff", "assisted", 200), ("staff", "mine", 404)]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(("role", "booth", "status"), MATRIX)
def test_every_spreadsheet_route_answers_each_kind_of_user(app, world, route, role, booth, status):
    """Sign-in for visitors, 403 for shoppers, 404 for other booths' people and for staff on a booth they do
    not assist, 200 for the booth's members and for staff on an assisted booth."""
    response = ROUTES[route](client_as(app, world, role), app, world, booth)
    assert response.status_code == status
    if status == 302:
        assert "/account/signin" in response.headers["Location"]


def test_a_missing_booth_is_not_found(app, world):
    assert client_as(app, world, "owner").get("/vendor/khong-co/spreadsheet").status_code == 404


# Preview and apply.

def test_the_page_is_in_vietnamese_with_the_form_downloads_and_column_guide(app, world):
    html = client_as(app, world, "owner").get(f"/vendor/{world['booths']['mine']}/spreadsheet").get_data(as_text=True)
    assert "Sản phẩm qua bảng tính" in html and 'enctype="multipart/form-data"' in html
    assert f"/vendor/{world['booths']['mine']}/spreadsheet.xlsx" in html
    assert all(f"<code>{name}</code>" in html for name in COLUMNS)


def test_preview_lists_problems_by_row_column_and_reason_and_writes_nothing(app, world):
    rows = my_rows(n=3)
    rows[1]["price_vnd"] = "mười nghìn"
    rows[2]["stars"] = "7"
    response = upload(client_as(app, world, "owner"), world["booths"]["mine"], csv_bytes(rows))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Dòng 3, cột “price_vnd” (lỗi): “mười nghìn” không phải là giá bằng đồng" in html
    assert "Dòng 4, cột “stars” (lỗi)" in html
    assert 'name="token"' not in html
    assert products(app) == set() and staged(app, world["booth_ids"]["mine"]) == []


def test_a_clean_file_is_previewed_then_applied_to_this_booth_only(app, world):
    client = client_as(app, world, "owner")
    response = upload(client, world["booths"]["mine"], csv_bytes(my_rows()))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Sản phẩm mới: 2" in html and "Sản phẩm không đổi: 0" in html
    assert products(app) == set() and len(staged(app, world["booth_ids"]["mine"])) == 1

    response = client.post(f"/vendor/{world['booths']['mine']}/spreadsheet/apply", data={"token": token_of(response)})
    assert response.status_code == 200 and "Sản phẩm mới: 2" in response.get_data(as_text=True)
    mine = world["booth_ids"]["mine"]
    assert products(app) == {("Dừa sáp sấy giòn 1", mine), ("Dừa sáp sấy giòn 2", mine)}
    assert staged(app, mine) == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0  # a member: no audit
    listing = app.test_client().get("/products/").get_data(as_text=True)
    assert "Dừa sáp sấy giòn 1" in listing  # the importer publishes new products


def test_a_token_is_applied_once(app, world):
    client = client_as(app, world, "owner")
    token = token_of(upload(client, world["booths"]["mine"], csv_bytes(my_rows())))
    url = f"/vendor/{world['booths']['mine']}/spreadsheet/apply"
    assert client.post(url, data={"token": token}).status_code == 200
    again = client.post(url, data={"token": token})
    assert again.status_code == 400
    assert "đã được áp dụng hoặc đã hết hạn" in again.get_data(as_text=True)
    assert len(products(app)) == 2


@pytest.mark.parametrize("token", ["", "../../etc/passwd", "x" * 24, "a" * 200])
def test_a_made_up_token_is_refused(app, world, token):
    response = client_as(app, world, "owner").post(f"/vendor/{world['booths']['mine']}/spreadsheet/apply",
                                                   data={"token": token})
    assert response.status_code == 400 and products(app) == set()


def test_another_booths_token_is_refused_and_left_alone(app, world):
    token = _stage(app, world, "theirs")
    response = client_as(app, world, "owner").post(f"/vendor/{world['booths']['mine']}/spreadsheet/apply",
                                                   data={"token": token})
    assert response.status_code == 400 and products(app) == set()
    assert len(staged(app, world["booth_ids"]["theirs"])) == 1


def test_an_expired_token_is_refused(app, world):
    token = _stage(app, world, "mine")
    [path] = staged(app, world["booth_ids"]["mine"])
    old = time.time() - 2 * 24 * 3600
    os.utime(path, (old, old))
    response = client_as(app, world, "owner").post(f"/vendor/{world['booths']['mine']}/spreadsheet/apply",
                                                   data={"token": token})
    assert response.status_code == 400 and products(app) == set()
    assert staged(app, world["booth_ids"]["mine"]) == []


def test_two_claims_of_one_token_get_the_file_once(app, world):
    token = _stage(app, world, "mine")
    with app.test_request_context():
        booth = db.session.get(Vendor, world["booth_ids"]["mine"])
        first, second = claim_staged(booth, token), claim_staged(booth, token)
    assert first is not None and first.exists() and second is None


def test_staff_applying_for_an_assisted_booth_leave_an_audit_entry(app, world):
    client = client_as(app, world, "staff")
    slug = world["booths"]["assisted"]
    response = upload(client, slug, csv_bytes(my_rows("Hộ kinh doanh Bà Năm")))
    assert client.post(f"/vendor/{slug}/spreadsheet/apply", data={"token": token_of(response)}).status_code == 200
    with app.app_context():
        [entry] = db.session.scalars(sa.select(AuditEntry)).all()
        assert (entry.vendor_id, entry.action) == (world["booth_ids"]["assisted"], "products.import")
        assert entry.user.email == "staff@example.vn"
        assert entry.after["products_created"] == 2 and entry.after["products_updated"] == 0


# Download.

def test_the_workbook_has_the_importers_columns_in_order(app, world):
    client = client_as(app, world, "owner")
    for query in ("", "?blank=1"):
        response = client.get(f"/vendor/{world['booths']['mine']}/spreadsheet.xlsx{query}")
        assert response.status_code == 200
        assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert "attachment" in response.headers["Content-Disposition"]
        assert "no-store" in response.headers["Cache-Control"]
        assert sheet_rows(response.data)[0] == list(COLUMNS)


def test_a_downloaded_catalogue_uploaded_again_changes_nothing(app, world):
    with app.app_context():
        mine = db.session.get(Vendor, world["booth_ids"]["mine"])
        mine.address_text, mine.commune = "ấp Ô Tre Lớn, xã Hòa Tân, huyện Cầu Kè, tỉnh Trà Vinh", "Xã Cầu Kè"
        make_product(mine, "Dừa sáp sấy giòn", star=4, decided_on=date(2025, 6, 10), sku="DS-01",
                     gtin="2930000000060", unit="hộp", weight_g=200, description="<p>Cơm dừa <strong>sấy</strong></p>")
        make_product(mine, "Kẹo dừa", star=4, cert_status="potential_5", decided_on=date(2024, 3, 1),
                     product_set="banh_keo_mut", stock=0)
        make_product(mine, "Tour Cồn Chim", group="du_lich", star=3, decided_on=date(2023, 1, 5), unit="người")
        make_product(mine, "=1+1 Rượu", group="do_uong", star=3, decided_on=date(2024, 1, 5), sku="007")
        make_product(mine, "Sản phẩm đã xóa", star=3, deleted_at=datetime.now(timezone.utc))
        make_product(make_vendor(), "Của gian khác", star=3)
        before = {p.id: p.updated_at for p in db.session.scalars(sa.select(Product))}
    client = client_as(app, world, "owner")
    data = client.get(f"/vendor/{world['booths']['mine']}/spreadsheet.xlsx").data
    rows = sheet_rows(data)
    assert [r[COLUMNS_INDEX["product_name"]] for r in rows[1:]] == ["Dừa sáp sấy giòn", "Kẹo dừa", "Tour Cồn Chim",
                                                                   "=1+1 Rượu"]
    assert rows[1][COLUMNS_INDEX["gtin"]] == "2930000000060" and rows[4][COLUMNS_INDEX["sku"]] == "007"

    response = upload(client, world["booths"]["mine"], data, "san-pham.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "Sản phẩm không đổi: 4" in html and "Sản phẩm mới: 0" in html and "Sản phẩm được cập nhật: 0" in html
    assert "notice" not in html.split("report-title", 1)[1].split("</section>", 1)[0]  # no problem at all
    apply = client.post(f"/vendor/{world['booths']['mine']}/spreadsheet/apply", data={"token": token_of(response)})
    assert apply.status_code == 200 and "Sản phẩm không đổi: 4" in apply.get_data(as_text=True)
    with app.app_context():
        assert {p.id: p.updated_at for p in db.session.scalars(sa.select(Product))} == before


def test_a_catalogue_with_a_product_without_certificate_downloads_and_uploads_again_unchanged(app, world):
    with app.app_context():
        mine = db.session.get(Vendor, world["booth_ids"]["mine"])
        make_product(mine, "Dừa sáp tươi", sku="DS-02", unit="trái")  # no OCOP certificate yet
        make_product(mine, "Dừa sáp sấy giòn", star=4, decided_on=date(2025, 6, 10), sku="DS-01")
        make_product(mine, "Mứt dừa", group="thuc_pham")  # no certificate and no SKU: recognised by name
        before = {p.id: (p.updated_at, p.ocop_star, len(p.certificates)) for p in db.session.scalars(sa.select(Product))}
    client = client_as(app, world, "owner")
    data = client.get(f"/vendor/{world['booths']['mine']}/spreadsheet.xlsx").data
    stars = {r[COLUMNS_INDEX["product_name"]]: r[COLUMNS_INDEX["stars"]] for r in sheet_rows(data)[1:]}
    assert stars == {"Dừa sáp tươi": None, "Dừa sáp sấy giòn": 4, "Mứt dừa": None}

    response = upload(client, world["booths"]["mine"], data, "san-pham.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "Sản phẩm không đổi: 3" in html and "Sản phẩm mới: 0" in html and "Sản phẩm được cập nhật: 0" in html
    assert "notice" not in html.split("report-title", 1)[1].split("</section>", 1)[0]  # no problem at all
    apply = client.post(f"/vendor/{world['booths']['mine']}/spreadsheet/apply", data={"token": token_of(response)})
    assert apply.status_code == 200 and "Sản phẩm không đổi: 3" in apply.get_data(as_text=True)
    with app.app_context():
        after = {p.id: (p.updated_at, p.ocop_star, len(p.certificates)) for p in db.session.scalars(sa.select(Product))}
        assert after == before


def test_a_booths_rows_without_stars_make_products_without_certificate(app, world):
    bare = {"stars": "", "ocop_status": "", "certificate_no": "", "certified_on": ""}
    rows = [row(booth_name=MINE, product_name="Dừa sáp tươi", sku="DS-02", gtin="", **bare),
            row(booth_name=MINE, product_name="Dừa sáp sấy giòn", sku="DS-01", gtin="")]
    header = [h for h in rows[0] if h != "stars"]
    client = client_as(app, world, "owner")
    # Without the stars column at all, a booth's file is still fine (no product gets a certificate).
    response = upload(client, world["booths"]["mine"], csv_bytes(rows[:1], header=header))
    assert response.status_code == 200, response.get_data(as_text=True)
    response = upload(client, world["booths"]["mine"], csv_bytes(rows))
    assert response.status_code == 200, response.get_data(as_text=True)
    apply = client.post(f"/vendor/{world['booths']['mine']}/spreadsheet/apply", data={"token": token_of(response)})
    assert apply.status_code == 200 and "Sản phẩm mới: 2" in apply.get_data(as_text=True)
    with app.app_context():
        made = {p.name: (p.ocop_star, [c.star for c in p.certificates]) for p in db.session.scalars(sa.select(Product))}
    assert made == {"Dừa sáp tươi": (None, []), "Dừa sáp sấy giòn": (4, [4])}


def test_a_decision_without_stars_is_refused_in_a_booths_file(app, world):
    rows = [row(booth_name=MINE, sku="DS-09", gtin="", stars="")]  # decision number and date, no stars
    response = upload(client_as(app, world, "owner"), world["booths"]["mine"], csv_bytes(rows))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Dòng 2, cột “stars” (lỗi): Cần ghi số sao khi có số quyết định hoặc ngày quyết định." in html
    assert products(app) == set()


COLUMNS_INDEX = {name: i for i, name in enumerate(COLUMNS)}


# Bad input: the form comes back with a message, never a 500.

def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    return buffer.getvalue()


BAD_FILES = {
    "empty": (b"", "products.csv", "Tệp trống"),
    "too_big": (b"a" * (10 * 1024 * 1024 + 1), "products.csv", "10 MB"),
    "text": (b"booth_name,product_name\nx,y\n", "products.txt", ".xlsx hoặc .csv"),
    "image_as_xlsx": (_png(), "products.xlsx", "XLSX"),
    "broken_xlsx": (b"PK\x03\x04" + b"\x00" * 200, "products.xlsx", "XLSX"),
    "xlsx_as_csv": (b"PK\x03\x04" + b"\x00" * 200, "products.csv", ".xlsx"),
    "other_booth": (csv_bytes([row(booth_name="Hợp tác xã Người Khác")]), "products.csv",
                    "Dòng này thuộc chủ thể “Hợp tác xã Người Khác”"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_gives_the_form_back_with_a_message(app, world, kind):
    data, name, message = BAD_FILES[kind]
    response = upload(client_as(app, world, "owner"), world["booths"]["mine"], data, name)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html and 'name="file"' in html
    assert products(app) == set() and staged(app, world["booth_ids"]["mine"]) == []


def test_no_file_gives_the_form_back(app, world):
    response = client_as(app, world, "owner").post(f"/vendor/{world['booths']['mine']}/spreadsheet/preview", data={},
                                                   content_type="multipart/form-data")
    assert response.status_code == 400 and "Hãy chọn tệp .xlsx hoặc .csv" in response.get_data(as_text=True)


def test_markup_in_cells_and_headers_is_shown_escaped(app, world):
    header = [*my_rows()[0], "<script>alert(1)</script>"]
    bad = row(booth_name=MINE, stock="<img src=x onerror=alert(2)>")
    response = upload(client_as(app, world, "owner"), world["booths"]["mine"], csv_bytes([bad], header=header))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(2)&gt;" in html


def test_a_forged_csrf_token_is_refused(app, world, csrf_app):
    """With CSRF protection on (as in production), a preview without the page's token is refused."""
    other = csrf_app
    client = client_as(other, world, "owner")
    response = upload(client, world["booths"]["mine"], csv_bytes(my_rows()), csrf_token="forged")
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn hoặc không được gửi từ trang này" in response.get_data(as_text=True)
    assert staged(other, world["booth_ids"]["mine"]) == [] and products(app) == set()
    page = client.get(f"/vendor/{world['booths']['mine']}/spreadsheet").get_data(as_text=True)
    real = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    assert upload(client, world["booths"]["mine"], csv_bytes(my_rows()), csrf_token=real).status_code == 200
