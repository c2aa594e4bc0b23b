"""Importing the provincial register: formats, Vietnamese headers and labels, matching, idempotence."""
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from catalog.models import Certificate, Product
from catalog.register import import_catalog
from storefront.extensions import db
from tests.factories import make_vendor
from tests.fixtures.registers import HEADER, csv_bytes, row, write_csv, write_xlsx
from vendors.models import Vendor

VIETNAMESE_HEADER = ["Tên chủ thể", "Loại hình", "Tỉnh", "Xã/phường", "Địa chỉ", "Tên sản phẩm", "Nhóm", "Số sao",
                     "Trạng thái", "Số quyết định", "Ngày công nhận", "Giá", "Tồn kho", "Đơn vị tính",
                     "Khối lượng (g)", "Mã vạch", "Mã SKU", "Mô tả"]


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _product(name="Dừa sáp sấy giòn"):
    return db.session.scalar(sa.select(Product).where(Product.name == name))


def test_a_valid_file_creates_an_approved_booth_its_product_and_certificate(ctx, tmp_path):
    report = import_catalog(write_csv(tmp_path / "r.csv", [row()], header=HEADER))
    assert report.ok and not report.problems
    assert (report.booths["created"], report.products["created"], report.certificates_added) == (1, 1, 1)
    product = _product()
    assert product.vendor.status == "approved" and product.vendor.approved_at is not None
    assert product.vendor.slug == "hop-tac-xa-dua-sap-cau-ke"
    assert (product.price_vnd, product.stock, product.unit, product.weight_g) == (65000, 120, "hộp", 200)
    assert (product.gtin, product.sku, product.group) == ("2930000000060", "DS-01", "thuc_pham")
    cert = product.current_certificate
    assert (cert.star, cert.status, cert.decision_no, cert.decided_on) == (4, "certified", "3105/QĐ-UBND",
                                                                           date(2025, 6, 10))
    assert (product.ocop_star, product.ocop_status, product.ocop_expires_on) == (4, "certified", date(2028, 6, 10))


def test_vietnamese_headers_and_labels_are_accepted(ctx, tmp_path):
    values = ["Hộ kinh doanh Trì Cảnh", "Hộ kinh doanh", "Vĩnh Long", "Xã Trà Cú", "ấp Chợ, xã Tập Sơn",
              "Bộ salon tre Trì Cảnh", "Thủ công mỹ nghệ", "4 sao", "Tiềm năng 5 sao", "1520/QĐ-UBND", "15/09/2025",
              "8.500.000", "3", "bộ", "28.000", "", "TC-01", "<p>Tre già <script>x()</script></p>"]
    report = import_catalog(write_csv(tmp_path / "r.csv", [dict(zip(VIETNAMESE_HEADER, values))],
                                      header=VIETNAMESE_HEADER))
    assert report.ok, [str(p) for p in report.problems]
    product = _product("Bộ salon tre Trì Cảnh")
    assert product.vendor.entity_type == "ho_kinh_doanh"
    assert (product.group, product.price_vnd, product.weight_g) == ("thu_cong_my_nghe", 8_500_000, 28_000)
    assert (product.ocop_star, product.ocop_status) == (4, "potential_5")
    assert product.current_certificate.decided_on == date(2025, 9, 15)
    assert "script" not in product.description


def test_headers_match_whatever_their_accents_case_and_punctuation(ctx, tmp_path):
    header = ["TEN CHU THE", "loai hinh", "tinh", "Ten san pham", "NHÓM", "so_sao", "Giá (VNĐ)"]
    values = ["HTX Mật hoa dừa Long Hòa", "HTX", "vinh long", "Mật hoa dừa", "thuc pham", "3", "120,000"]
    report = import_catalog(write_csv(tmp_path / "r.csv", [dict(zip(header, values))], header=header))
    assert report.ok, [str(p) for p in report.problems]
    assert _product("Mật hoa dừa").price_vnd == 120_000


def test_a_product_set_in_the_group_column_gives_its_group(ctx, tmp_path):
    report = import_catalog(write_csv(tmp_path / "r.csv", [row(group="Bánh, kẹo, mứt")], header=HEADER))
    assert report.ok
    assert (_product().group, _product().product_set) == ("thuc_pham", "banh_keo_mut")


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_in_utf8_with_or_without_bom_and_either_delimiter(ctx, tmp_path, bom, delimiter):
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes([row()], header=HEADER, bom=bom, delimiter=delimiter))
    report = import_catalog(path)
    assert report.ok, [str(p) for p in report.problems]
    assert db.session.scalar(sa.select(Vendor.name)) == "Hợp tác xã Dừa sáp Cầu Kè"


def test_xlsx_with_numbers_and_real_date_cells(ctx, tmp_path):
    values = row(certified_on=datetime(2025, 6, 10), price_vnd=65000, stock=120.0, weight_g=200,
                 gtin=2930000000060, stars=4)
    path = write_xlsx(tmp_path / "register.xlsx", VIETNAMESE_HEADER, [[values[h] for h in HEADER]])
    report = import_catalog(path)
    assert report.ok, [str(p) for p in report.problems]
    product = _product()
    assert (product.price_vnd, product.stock, product.gtin) == (65000, 120, "2930000000060")
    assert product.current_certificate.decided_on == date(2025, 6, 10)


def test_an_uploaded_file_object_is_read_like_a_path(ctx, tmp_path):
    path = write_xlsx(tmp_path / "register.xlsx", HEADER, [[row()[h] for h in HEADER]])
    with path.open("rb") as upload:
        assert import_catalog(upload).products["created"] == 1


def test_importing_the_same_file_twice_changes_nothing(ctx, tmp_path):
    rows = [row(), row(sku="", product_name="Thạch dừa sáp", gtin=""),
            row(booth_name="Hộ kinh doanh Trì Cảnh", entity_type="Hộ kinh doanh", province="Trà Vinh", sku="TC-01",
                product_name="Bộ salon tre", group="thu_cong_my_nghe", gtin="")]
    path = write_csv(tmp_path / "r.csv", rows, header=HEADER)
    first = import_catalog(path)
    counts = [_count(m) for m in (Vendor, Product, Certificate)]
    second = import_catalog(path)
    assert first.products["created"] == 3 and first.booths["created"] == 2
    assert dict(second.booths) == {"unchanged": 2}
    assert dict(second.products) == {"unchanged": 3}
    assert second.certificates_added == 0
    assert [_count(m) for m in (Vendor, Product, Certificate)] == counts == [2, 3, 3]


def test_a_changed_price_or_stock_updates_only_that_product(ctx, tmp_path):
    rows = [row(), row(sku="DS-02", product_name="Thạch dừa sáp", gtin="")]
    import_catalog(write_csv(tmp_path / "a.csv", rows, header=HEADER))
    rows[1] = {**rows[1], "price_vnd": "49.000", "stock": "5"}
    report = import_catalog(write_csv(tmp_path / "b.csv", rows, header=HEADER))
    assert dict(report.products) == {"unchanged": 1, "updated": 1}
    assert (_product("Thạch dừa sáp").price_vnd, _product("Thạch dừa sáp").stock) == (49_000, 5)
    assert _count(Product) == 2


def test_products_without_sku_are_matched_by_booth_and_name(ctx, tmp_path):
    import_catalog(write_csv(tmp_path / "a.csv", [row(sku="")], header=HEADER))
    report = import_catalog(write_csv(tmp_path / "b.csv", [row(sku="", price_vnd="70000")], header=HEADER))
    assert dict(report.products) == {"updated": 1}
    assert _count(Product) == 1 and _product().price_vnd == 70_000


def test_a_sku_given_later_attaches_to_the_product_found_by_name(ctx, tmp_path):
    import_catalog(write_csv(tmp_path / "a.csv", [row(sku="")], header=HEADER))
    report = import_catalog(write_csv(tmp_path / "b.csv", [row(sku="DS-09")], header=HEADER))
    assert dict(report.products) == {"updated": 1}
    assert _product().sku == "DS-09" and _count(Product) == 1


def test_a_new_decision_is_added_to_the_history_and_becomes_current(ctx, tmp_path):
    import_catalog(write_csv(tmp_path / "a.csv", [row()], header=HEADER))
    newer = row(stars="Tiềm năng 5 sao", certificate_no="88/QĐ-UBND", certified_on="20/10/2025")
    report = import_catalog(write_csv(tmp_path / "b.csv", [newer], header=HEADER))
    assert report.certificates_added == 1 and dict(report.products) == {"updated": 1}
    product = _product()
    assert [c.decision_no for c in product.certificates] == ["88/QĐ-UBND", "3105/QĐ-UBND"]
    assert (product.ocop_star, product.ocop_status) == (4, "potential_5")


def test_a_dry_run_reports_the_changes_but_writes_nothing(ctx, tmp_path):
    report = import_catalog(write_csv(tmp_path / "r.csv", [row()], header=HEADER), dry_run=True)
    assert report.ok and report.dry_run and not report.written
    assert (report.booths["created"], report.products["created"], report.certificates_added) == (1, 1, 1)
    db.session.remove()
    assert [_count(m) for m in (Vendor, Product, Certificate)] == [0, 0, 0]


def test_a_pre_2025_province_maps_to_the_one_that_absorbed_it_and_is_kept_in_the_address(ctx, tmp_path):
    values = row(province="Tỉnh Trà Vinh", address="ấp Trà Cuôn, xã Kim Hòa, huyện Cầu Ngang",
                 certified_on="05/11/2024", stars="3")
    report = import_catalog(write_csv(tmp_path / "r.csv", [values], header=HEADER))
    assert report.ok
    vendor = db.session.scalar(sa.select(Vendor))
    assert vendor.province == "vinh-long"
    assert vendor.address_text == "ấp Trà Cuôn, xã Kim Hòa, huyện Cầu Ngang, Tỉnh Trà Vinh"
    assert vendor.legacy_district == "huyện Cầu Ngang"
    cert = _product().current_certificate  # a 3★ decision of 2024 was the district's
    assert (cert.issuing_level, cert.issuing_body) == ("district", "UBND huyện Cầu Ngang")


def test_a_4_star_decision_before_the_reform_names_the_old_province_as_issuer(ctx, tmp_path):
    report = import_catalog(write_csv(tmp_path / "r.csv", [row(province="Trà Vinh")], header=HEADER))
    assert report.ok
    cert = _product().current_certificate
    assert (cert.issuing_level, cert.issuing_body) == ("province", "UBND tỉnh Trà Vinh")


def test_stars_without_a_decision_date_are_a_warning(ctx, tmp_path):
    report = import_catalog(write_csv(tmp_path / "r.csv", [row(certificate_no="", certified_on="")], header=HEADER))
    assert report.ok
    assert [(p.row, p.column, p.code) for p in report.warnings] == [(2, "stars", "stars_not_recorded")]
    assert _product().ocop_star is None


def test_a_booths_own_import_needs_no_booth_columns_and_cannot_touch_another_booth(ctx, tmp_path):
    booth = make_vendor("Hộ kinh doanh Kẹo dừa Năm Liên", entity_type="ho_kinh_doanh")
    header = ["product_name", "group", "stars", "price_vnd", "sku"]
    rows = [{"product_name": "Kẹo dừa sữa", "group": "Thực phẩm", "stars": "3", "price_vnd": "45.000", "sku": "K1"}]
    report = import_catalog(write_csv(tmp_path / "mine.csv", rows, header=header), vendor=booth)
    assert report.ok and dict(report.booths) == {"unchanged": 1}
    assert _product("Kẹo dừa sữa").vendor_id == booth.id
    other = [row(booth_name="Hợp tác xã Khác")]
    report = import_catalog(write_csv(tmp_path / "other.csv", other, header=HEADER), vendor=booth)
    assert {(p.row, p.column, p.code) for p in report.errors} == {(2, "booth_name", "other_booth")}
    assert _count(Vendor) == 1 and _count(Product) == 1


def test_blank_optional_cells_keep_what_the_booth_and_product_already_have(ctx, tmp_path):
    import_catalog(write_csv(tmp_path / "a.csv", [row()], header=HEADER))
    report = import_catalog(write_csv(tmp_path / "b.csv", [row(commune="", address="", unit="", description="")],
                                      header=HEADER))
    assert dict(report.booths) == {"unchanged": 1} and dict(report.products) == {"unchanged": 1}
    vendor = db.session.scalar(sa.select(Vendor))
    assert vendor.commune == "Xã Cầu Kè" and _product().unit == "hộp"


def test_re_importing_a_large_file_runs_a_bounded_number_of_queries(ctx, tmp_path, count_queries):
    rows = [row(booth_name=f"Hợp tác xã Thử {i // 50}", sku=f"S{i}", product_name=f"Sản phẩm {i}", gtin="")
            for i in range(1000)]
    path = write_csv(tmp_path / "big.csv", rows, header=HEADER)
    import_catalog(path)
    with count_queries() as q:
        report = import_catalog(path)
    assert dict(report.products) == {"unchanged": 1000}
    assert q.count < 30
