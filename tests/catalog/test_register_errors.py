"""Every kind of bad register row is reported by row, column and reason, and then nothing is written."""
import pytest
import sqlalchemy as sa

from catalog.models import Certificate, Product
from catalog.register import import_catalog
from storefront.extensions import db
from tests.fixtures.registers import HEADER, row, write_csv
from vendors.models import Vendor


def _counts():
    return [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Vendor, Product, Certificate)]


def _problems(report):
    return {(p.row, p.column, p.code) for p in report.errors}


@pytest.mark.parametrize("changes, column, code", [
    ({"booth_name": ""}, "booth_name", "required"),
    ({"product_name": "  "}, "product_name", "required"),
    ({"price_vnd": ""}, "price_vnd", "required"),
    ({"stars": ""}, "stars", "required"),
    ({"entity_type": "xí nghiệp"}, "entity_type", "unknown_value"),
    ({"group": "đồ chơi"}, "group", "unknown_value"),
    ({"province": "Atlantis"}, "province", "unknown_value"),
    ({"ocop_status": "đang xét"}, "ocop_status", "unknown_value"),
    ({"stars": "6"}, "stars", "bad_stars"),
    ({"stars": "bốn sao"}, "stars", "bad_stars"),
    ({"stars": "3", "ocop_status": "potential_5"}, "stars", "bad_stars"),
    ({"price_vnd": "45k"}, "price_vnd", "bad_price"),
    ({"price_vnd": "0"}, "price_vnd", "bad_price"),
    ({"price_vnd": "12,5"}, "price_vnd", "bad_price"),
    ({"certified_on": "31/02/2024"}, "certified_on", "bad_date"),
    ({"certified_on": "2024/03/15"}, "certified_on", "bad_date"),
    ({"certified_on": "01/01/2999"}, "certified_on", "bad_date"),
    ({"certified_on": ""}, "certified_on", "required"),  # a decision number needs its date
    ({"gtin": "2930000000061"}, "gtin", "bad_gtin"),
    ({"gtin": "12345"}, "gtin", "bad_gtin"),
    ({"stock": "-3"}, "stock", "bad_stock"),
    ({"stock": "nhiều"}, "stock", "bad_stock"),
    ({"weight_g": "1,5 kg"}, "weight_g", "bad_number"),
    ({"sku": "X" * 65}, "sku", "too_long"),
])
def test_a_bad_value_is_reported_with_row_column_and_reason_and_nothing_is_written(ctx, tmp_path, changes, column,
                                                                                      code):
    good = row(sku="OK-1", product_name="Thạch dừa sáp", gtin="")
    path = write_csv(tmp_path / "register.csv", [good, row(**changes)], header=HEADER)
    report = import_catalog(path)
    assert not report.ok
    assert (3, column, code) in _problems(report)
    assert all(str(p.reason) for p in report.problems)
    assert _counts() == [0, 0, 0]


def test_every_problem_of_every_row_is_listed_not_just_the_first(ctx, tmp_path):
    bad = [row(stars="6", price_vnd="abc"), row(sku="DS-02", entity_type="?", gtin="1")]
    report = import_catalog(write_csv(tmp_path / "r.csv", bad, header=HEADER))
    assert _problems(report) >= {(2, "stars", "bad_stars"), (2, "price_vnd", "bad_price"),
                                 (3, "entity_type", "unknown_value"), (3, "gtin", "bad_gtin")}


def test_a_missing_required_column_is_reported_on_the_header_row(ctx, tmp_path):
    header = [h for h in HEADER if h not in ("price_vnd", "group")]
    report = import_catalog(write_csv(tmp_path / "r.csv", [row()], header=header))
    assert _problems(report) == {(1, "price_vnd", "missing_column"), (1, "group", "missing_column")}
    assert _counts() == [0, 0, 0]


def test_a_sku_used_twice_by_one_booth_is_an_error_naming_both_rows(ctx, tmp_path):
    rows = [row(), row(product_name="Thạch dừa sáp", gtin=""), row(sku="DS-01", product_name="Kẹo", gtin="")]
    report = import_catalog(write_csv(tmp_path / "r.csv", rows, header=HEADER))
    assert _problems(report) == {(3, "sku", "duplicate_sku"), (4, "sku", "duplicate_sku")}
    assert "2" in str(report.errors[0].reason)
    assert _counts() == [0, 0, 0]


def test_the_same_sku_in_two_booths_is_fine(ctx, tmp_path):
    rows = [row(), row(booth_name="Hộ kinh doanh Kẹo dừa Năm Liên", entity_type="ho_kinh_doanh")]
    report = import_catalog(write_csv(tmp_path / "r.csv", rows, header=HEADER))
    assert report.ok, report.problems
    assert report.products["created"] == 2


def test_a_product_named_twice_without_skus_is_an_error(ctx, tmp_path):
    rows = [row(sku=""), row(sku="", price_vnd="70000")]
    report = import_catalog(write_csv(tmp_path / "r.csv", rows, header=HEADER))
    assert _problems(report) == {(3, "product_name", "duplicate_product")}


def test_a_booth_written_with_two_entity_types_is_an_error(ctx, tmp_path):
    rows = [row(), row(sku="DS-02", product_name="Thạch dừa", gtin="", entity_type="cong_ty")]
    report = import_catalog(write_csv(tmp_path / "r.csv", rows, header=HEADER))
    assert _problems(report) == {(3, "entity_type", "conflict")}


def test_a_column_named_twice_is_an_error(ctx, tmp_path):
    header = HEADER + ["Giá"]
    report = import_catalog(write_csv(tmp_path / "r.csv", [{**row(), "Giá": "1"}], header=header))
    assert _problems(report) == {(1, "Giá", "repeated_column")}


def test_an_unknown_column_is_a_warning_and_the_import_goes_on(ctx, tmp_path):
    header = HEADER + ["Ghi chú"]
    report = import_catalog(write_csv(tmp_path / "r.csv", [{**row(), "Ghi chú": "giao hàng thứ bảy"}], header=header))
    assert report.ok
    assert [(p.row, p.column, p.code, p.level) for p in report.problems] == [
        (1, "Ghi chú", "unknown_column", "warning")]
    assert _counts() == [1, 1, 1]


def test_problem_rows_count_title_lines_and_blank_lines_as_the_spreadsheet_does(ctx, tmp_path):
    body = "DANH SÁCH SẢN PHẨM OCOP NĂM 2023\n\n" + ",".join(HEADER) + "\n\n"
    values = row(stars="7")
    body += ",".join(f'"{values[h]}"' for h in HEADER) + "\n"
    (tmp_path / "r.csv").write_text(body, encoding="utf-8")
    report = import_catalog(tmp_path / "r.csv")
    assert _problems(report) == {(5, "stars", "bad_stars")}


def test_problems_use_the_header_as_written_in_the_file(ctx, tmp_path):
    header = ["Tên chủ thể", "Loại hình", "Tỉnh", "Tên sản phẩm", "Nhóm", "Số sao", "Giá"]
    values = {"Tên chủ thể": "HTX A", "Loại hình": "htx", "Tỉnh": "Trà Vinh", "Tên sản phẩm": "Kẹo",
              "Nhóm": "Thực phẩm", "Số sao": "4", "Giá": "mười nghìn"}
    report = import_catalog(write_csv(tmp_path / "r.csv", [values], header=header))
    assert _problems(report) == {(2, "Giá", "bad_price")}
