"""The staff's listing upload: a CSV or XLSX of (SKU or slug, marketplace, url[, status, external id]) rows,
checked row by row with the register import's report, written all or nothing, in a bounded number of queries."""
import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from catalog.listings.csv_import import import_listings
from catalog.listings.models import Listing
from catalog.register.report import RegisterFileError
from storefront.extensions import db
from storefront.models import User
from tests.factories import make_product, make_vendor

HEADER = "sku,marketplace,url"


@pytest.fixture
def world(ctx):
    """Booth A and booth B both use the SKU KD-01; A also has TRA-1, B has B-ONLY."""
    a, b = make_vendor("Hợp tác xã Dừa", slug="htx-dua"), make_vendor("Hợp tác xã Chè", slug="htx-che")
    staff = User(email="canbo@example.vn", role="staff")
    db.session.add(staff)
    products = {
        "a_keo": make_product(a, "Kẹo dừa", sku="KD-01", slug="keo-dua"),
        "a_tra": make_product(a, "Trà mãng cầu", sku="TRA-1", slug="tra-mang-cau"),
        "b_keo": make_product(b, "Kẹo dừa B", sku="KD-01", slug="keo-dua-b"),
        "b_only": make_product(b, "Chè búp", sku="B-ONLY", slug="che-bup"),
    }
    return {"staff": staff, **{k: p.id for k, p in products.items()}}


def csv_bytes(*lines, sep=",", bom=False):
    text = "\r\n".join(line.replace(",", sep) for line in lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def listings():
    db.session.expire_all()
    return {(l.product_id, l.marketplace): l for l in db.session.scalars(sa.select(Listing))}


def problems(report):
    return [(p.row, p.column, p.code) for p in report.errors]


def test_a_good_file_marks_every_row_listed_with_the_uploader_and_source(world):
    data = csv_bytes("Mã sản phẩm,Slug,Gian hàng,Sàn,Đường dẫn,Trạng thái,Mã trên sàn",
                     "TRA-1,,,Tiki,https://tiki.vn/tra-p1.html,đang bán,123",
                     ",keo-dua,,Sendo,https://www.sendo.vn/keo-dua.html,,",
                     "KD-01,,htx-che,Vỏ Sò,https://voso.vn/p/9,Listed,",
                     "B-ONLY,,Hợp tác xã Chè,postmart.vn,https://postmart.vn/sp/1,,")
    report = import_listings(data, "listings.csv", world["staff"])
    assert report.ok and not report.problems, problems(report)
    assert (report.rows, report.listed, report.created, report.unchanged) == (4, 4, 4, 0)
    found = listings()
    assert set(found) == {(world["a_tra"], "tiki"), (world["a_keo"], "sendo"), (world["b_keo"], "voso"),
                          (world["b_only"], "postmart")}
    tiki = found[(world["a_tra"], "tiki")]
    assert (tiki.status, tiki.url, tiki.external_id) == ("listed", "https://tiki.vn/tra-p1.html", "123")
    assert tiki.source == "csv"
    assert tiki.updated_by_id == world["staff"].id and tiki.listed_at is not None
    again = import_listings(data, "listings.csv", world["staff"])
    assert (again.listed, again.created, again.unchanged) == (0, 0, 4)


def test_a_bom_and_semicolons_as_excel_writes_them_are_read(world):
    data = csv_bytes("sku,marketplace,url", "TRA-1,tiki,https://tiki.vn/a-p1.html", sep=";", bom=True)
    report = import_listings(data, "danh-sach.csv", world["staff"])
    assert report.ok and report.listed == 1
    assert listings()[(world["a_tra"], "tiki")].url == "https://tiki.vn/a-p1.html"


def test_one_bad_row_means_nothing_is_written_and_every_problem_is_reported(world):
    data = csv_bytes("sku,slug,marketplace,url,status",
                     "TRA-1,,tiki,https://tiki.vn/ok-p1.html,",
                     "TRA-1,,shopee,https://shopee.vn/x,",
                     "NOPE,,tiki,https://tiki.vn/x,",
                     ",no-such-slug,tiki,https://tiki.vn/x,",
                     "TRA-1,,sendo,javascript:alert(1),",
                     "TRA-1,,voso,https://tiki.vn/x,",
                     "B-ONLY,,tiki,https://tiki.vn/y,bán rồi",
                     ",,tiki,https://tiki.vn/z,")
    report = import_listings(data, "x.csv", world["staff"])
    assert not report.ok
    assert problems(report) == [(3, "marketplace", "bad_marketplace"), (4, "sku", "unknown_product"),
                                (5, "slug", "unknown_product"), (6, "url", "bad_url"), (7, "url", "bad_url"),
                                (8, "status", "bad_status"), (9, "slug", "no_product")]
    assert "shopee" in str(report.errors[0]) and "Dòng 3" in str(report.errors[0])
    assert "voso.vn" in str(report.errors[4].reason)
    assert listings() == {}


def test_an_sku_used_by_two_booths_needs_the_booth_column(world):
    data = csv_bytes(HEADER, "KD-01,tiki,https://tiki.vn/k-p1.html")
    report = import_listings(data, "x.csv", world["staff"])
    assert problems(report) == [(2, "sku", "ambiguous_sku")]
    assert "htx-che" in str(report.errors[0].reason) and "htx-dua" in str(report.errors[0].reason)
    with_booth = csv_bytes("sku,booth,marketplace,url", "KD-01,htx-dua,tiki,https://tiki.vn/k-p1.html",
                           "TRA-1,htx-che,tiki,https://tiki.vn/t-p1.html")
    report = import_listings(with_booth, "x.csv", world["staff"])
    assert problems(report) == [(3, "booth", "other_booth")]
    report = import_listings(with_booth.replace(b"TRA-1,htx-che", b"TRA-1,"), "x.csv", world["staff"])
    assert report.ok and set(listings()) == {(world["a_keo"], "tiki"), (world["a_tra"], "tiki")}


def test_a_deleted_product_is_not_found(world):
    from datetime import datetime, timezone

    from catalog.models import Product

    db.session.get(Product, world["a_tra"]).deleted_at = datetime.now(timezone.utc)
    db.session.commit()
    report = import_listings(csv_bytes(HEADER, "TRA-1,tiki,https://tiki.vn/t-p1.html"), "x.csv", world["staff"])
    assert problems(report) == [(2, "sku", "unknown_product")]


def test_delisting_needs_a_listing_and_the_same_product_twice_is_an_error(world):
    listed = csv_bytes(HEADER, "TRA-1,tiki,https://tiki.vn/t-p1.html")
    assert import_listings(listed, "x.csv", world["staff"]).ok
    data = csv_bytes("sku,marketplace,url,status", "TRA-1,tiki,,đã gỡ", "B-ONLY,sendo,,delisted",
                     "TRA-1,Tiki,https://tiki.vn/t-p2.html,")
    report = import_listings(data, "x.csv", world["staff"])
    assert problems(report) == [(3, "status", "not_listed"), (4, "marketplace", "repeated_row")]
    report = import_listings(csv_bytes("sku,marketplace,url,status", "TRA-1,tiki,,đã gỡ"), "x.csv", world["staff"])
    assert report.ok and report.delisted == 1
    stored = listings()[(world["a_tra"], "tiki")]
    assert stored.status == "delisted" and stored.url == "https://tiki.vn/t-p1.html" and stored.delisted_at


def test_a_dry_run_reports_the_same_and_writes_nothing(world):
    data = csv_bytes(HEADER, "TRA-1,tiki,https://tiki.vn/t-p1.html", "B-ONLY,tiki,https://tiki.vn/b-p1.html")
    report = import_listings(data, "x.csv", world["staff"], dry_run=True)
    assert report.ok and report.dry_run and report.listed == 2 and report.created == 2
    assert listings() == {}


@pytest.mark.parametrize("data, name", [(b"", "x.csv"), (b"  \r\n \r\n", "x.csv"),
                                        (b"sku,marketplace,url\r\n", "x.csv"),
                                        ("sku,marketplace,url\r\nTRA-1,Tiki,https://tiki.vn/đ\r\n".encode("cp1258"),
                                         "x.csv"),
                                        (b"PK\x03\x04 not really a workbook", "x.xlsx"),
                                        (b"%PDF-1.4", "x.pdf")])
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(world, data, name):
    with pytest.raises(RegisterFileError) as caught:
        import_listings(data, name, world["staff"])
    assert str(caught.value)


def test_wrong_headers_are_reported_on_the_header_row(world):
    report = import_listings(csv_bytes("name,price,sàn", "Kẹo,1000,tiki"), "x.csv", world["staff"])
    assert [(p.row, p.column, p.code) for p in report.problems] == [
        (1, "sku", "missing_column"), (1, "url", "missing_column"),
        (1, "name", "unknown_column"), (1, "price", "unknown_column")]
    assert "ma_san_pham" in str(report.errors[0].reason)
    assert listings() == {}


def test_an_xlsx_file_with_a_title_row_and_numeric_cells_is_read(world):
    from catalog.models import Product

    db.session.get(Product, world["b_only"]).sku = "1001"
    db.session.commit()
    book = Workbook()
    sheet = book.active
    sheet.append(["Danh sách sản phẩm trên sàn"])
    sheet.append(["Mã sản phẩm", "Sàn", "Link", "Mã trên sàn"])
    sheet.append([1001, "Tiki", "https://tiki.vn/b-p1.html", 777])
    out = io.BytesIO()
    book.save(out)
    report = import_listings(out.getvalue(), "san.xlsx", world["staff"])
    assert report.ok, problems(report)
    assert listings()[(world["b_only"], "tiki")].external_id == "777"


def _bulk(world, n):
    """n booth-A products with SKUs S0…, and a file listing each on Tiki."""
    from catalog.models import Product

    db.session.execute(sa.insert(Product), [
        {"vendor_id": db.session.get(Product, world["a_keo"]).vendor_id, "name": f"SP {i}", "search_name": "sp",
         "slug": f"sp-{n}-{i}", "sku": f"S{n}-{i}", "group": "thuc_pham", "price_vnd": 1000, "stock": 1}
        for i in range(n)])
    db.session.commit()
    return csv_bytes(HEADER, *(f"S{n}-{i},tiki,https://tiki.vn/s-p{i}.html" for i in range(n)))


def test_the_upload_runs_the_same_queries_for_3_rows_and_300(world, count_queries):
    counts = []
    for n in (3, 300):
        data = _bulk(world, n)
        with count_queries() as q:
            report = import_listings(data, "x.csv", world["staff"])
        assert report.ok and report.listed == n
        counts.append(q.count)
    assert counts[0] == counts[1] and counts[0] <= 8, counts
