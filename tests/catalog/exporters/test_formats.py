"""The files themselves: Vietnamese survives every format, formulas never run in CSV or XLSX, the CSV opens in
Excel (BOM), and rendering streams: memory stays far below holding every row."""
import csv
import io
import json
import tracemalloc
import zipfile

import openpyxl
import pytest

from catalog.exporters import EXPORTERS
from catalog.exporters.sendo import unit_id
from catalog.exporters.sheet import UnsupportedFormat
from storefront.tabular import safe_cell
from tests.catalog.exporters.catalogue import item

FORMATS = [(key, fmt) for key, cls in EXPORTERS.items() for fmt in cls.formats]
HOSTILE = ["#N/A", '=HYPERLINK("http://evil.example","Bấm vào đây")', "+84 909 123 456", "-1+2", "@SUM(A1:A2)",
           "\tTab", "\rCR"]


def render(key, fmt, items):
    out = io.BytesIO()
    EXPORTERS[key]().render(iter(items), out, fmt)
    return out.getvalue()


def read_rows(fmt, data):
    """(header, rows) of a CSV or XLSX file, every cell as its written value."""
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1:]


@pytest.mark.parametrize("key, fmt", FORMATS)
def test_vietnamese_text_survives_every_format(key, fmt):
    ready = item(name="Kẹo dừa sữa Bến Tre – Đặc sản", brand="Hợp tác xã Thạnh Phú", unit="Hộp")
    data = render(key, fmt, [ready])
    if fmt == "jsonl":
        assert "Kẹo dừa sữa Bến Tre – Đặc sản".encode() in data  # unescaped, readable UTF-8
        (line,) = data.splitlines()
        assert json.loads(line)["name"] == ready.name
    else:
        header, (row,) = read_rows(fmt, data)
        cells = dict(zip(header, row))
        assert (cells["ten_san_pham"], cells["thuong_hieu"], cells["xuat_xu"]) == (
            "Kẹo dừa sữa Bến Tre – Đặc sản", "Hợp tác xã Thạnh Phú", "Vĩnh Long")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("key", ["voso", "postmart"])
def test_formula_injection_is_neutralised_in_every_text_cell(key, fmt):
    hostile = [item(product_id=n, name=text + " Kẹo dừa", sku=text[:20], brand=text, description_text=text,
                    unit=text[:10], pickup_address=text) for n, text in enumerate(HOSTILE)]
    data = render(key, fmt, hostile)
    header, rows = read_rows(fmt, data)
    for text, row in zip(HOSTILE, rows):
        texts = [c for c in row if isinstance(c, str)]
        assert len(texts) >= 6
        assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in texts), row
        expected = ("" if text == "#N/A" else "'") + text + " Kẹo dừa"
        assert row[header.index("ten_san_pham")].replace("\r", "\n") == expected.replace("\r", "\n")  # XML reads CR as LF
    assert row[header.index("gia_ban")] in (45_000, "45000")  # numbers stay numbers
    if fmt == "xlsx":
        sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml  # no formula cell at all
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        assert {c.data_type for r in sheet.iter_rows(min_row=2) for c in r if isinstance(c.value, str)} == {"s"}


def test_safe_cell_leaves_plain_text_and_numbers_alone():
    assert [safe_cell(v) for v in ("Kẹo dừa", "1/QĐ", 12, None, "=1+1")] == ["Kẹo dừa", "1/QĐ", 12, None, "'=1+1"]


@pytest.mark.parametrize("key, fmt", [("tiki", "csv"), ("voso", "jsonl"), ("postmart", "pdf")])
def test_a_format_the_exporter_does_not_write_is_refused(key, fmt):
    with pytest.raises(UnsupportedFormat):
        render(key, fmt, [item()])


def synthetic(n):
    """n distinct ready items, made one at a time (never all in memory at once)."""
    for i in range(n):
        yield item(product_id=i, sku=f"SKU-{i:06d}", name=f"Kẹo dừa sữa số {i:06d} Thanh Bình",
                   description_html="<p>" + f"Sản phẩm số {i} của hợp tác xã. " * 40 + "</p>",
                   description_text=f"Sản phẩm số {i} của hợp tác xã. " * 40)


def render_traced(key, fmt, out_path, n):
    """(rows written, peak bytes allocated while rendering)."""
    tracemalloc.start()
    try:
        with open(out_path, "wb") as out:
            count = EXPORTERS[key]().render(synthetic(n), out, fmt)
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# XLSX is slower per row under tracemalloc: fewer rows keep the test fast.
@pytest.mark.parametrize("key, fmt, n", [("tiki", "jsonl", 3_000), ("voso", "csv", 3_000), ("voso", "xlsx", 600)])
def test_rendering_streams_in_memory_far_below_holding_every_row(tmp_path, key, fmt, n):
    tracemalloc.start()
    try:
        held = list(synthetic(n))
        holding = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del held
    count, peak = render_traced(key, fmt, tmp_path / f"out.{fmt}", n)
    assert count == n
    assert peak < holding / 5, (peak, holding)


@pytest.mark.parametrize("unit, expected", [("Hộp 500 g", 5), ("chai", 7), ("Thùng", 8), ("Bộ quà", 2),
                                            ("kg", 1), ("", 1)])
def test_sendo_unit_ids_follow_the_units_first_word(unit, expected):
    assert unit_id(unit) == expected
