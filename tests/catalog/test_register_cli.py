"""`flask ocop import-catalog FILE [--dry-run]`: exit codes, summary, problems, and clear file errors."""
import unicodedata
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from catalog.models import Product
from storefront.extensions import db
from tests.fixtures.registers import HEADER, row, write_csv, write_xlsx

EXAMPLE = Path(__file__).resolve().parents[2] / "catalog" / "register" / "example-register.csv"


def _cp1258(text):
    """Vietnamese as Windows-1258 writes it: base letters with tone marks as combining characters."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def _products(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Product))


def _import(runner, path, *args):
    return runner.invoke(args=["ocop", "import-catalog", str(path), "--lang", "en", *args])


def test_a_valid_file_imports_with_exit_code_0_and_a_summary(app, runner, tmp_path):
    result = _import(runner, write_csv(tmp_path / "r.csv", [row()], header=HEADER))
    assert result.exit_code == 0, result.output
    assert "Booths: 1 created, 0 updated, 0 unchanged" in result.stdout
    assert "Products: 1 created, 0 updated, 0 unchanged" in result.stdout
    assert "Certificates added: 1" in result.stdout
    assert _products(app) == 1


def test_importing_again_reports_everything_unchanged(app, runner, tmp_path):
    path = write_csv(tmp_path / "r.csv", [row()], header=HEADER)
    _import(runner, path)
    result = _import(runner, path)
    assert result.exit_code == 0
    assert "Products: 0 created, 0 updated, 1 unchanged" in result.stdout


def test_an_invalid_file_exits_non_zero_lists_each_problem_and_writes_nothing(app, runner, tmp_path):
    path = write_csv(tmp_path / "r.csv", [row(), row(sku="X", stars="9", price_vnd="abc")], header=HEADER)
    result = _import(runner, path)
    assert result.exit_code == 1
    assert "Row 3, column “stars” (error)" in result.stderr
    assert "Row 3, column “price_vnd” (error)" in result.stderr
    assert "Nothing was written" in result.stderr
    assert _products(app) == 0


def test_the_provincial_register_still_requires_stars_on_every_row(app, runner, tmp_path):
    """Only a booth's own import may leave stars blank; the register lists certified products."""
    bare = row(sku="X", stars="", ocop_status="", certificate_no="", certified_on="")
    result = _import(runner, write_csv(tmp_path / "r.csv", [row(), bare], header=HEADER))
    assert result.exit_code == 1
    assert "Row 3, column “stars” (error): This value is required." in result.stderr
    assert _products(app) == 0
    no_column = write_csv(tmp_path / "n.csv", [row()], header=[h for h in HEADER if h != "stars"])
    result = _import(runner, no_column)
    assert result.exit_code == 1 and "Required column “stars” is missing" in result.stderr
    assert _products(app) == 0


def test_dry_run_prints_the_summary_and_writes_nothing(app, runner, tmp_path):
    result = _import(runner, write_csv(tmp_path / "r.csv", [row()], header=HEADER), "--dry-run")
    assert result.exit_code == 0
    assert "Dry run" in result.stdout and "Products: 1 created" in result.stdout
    assert _products(app) == 0


def test_the_report_is_in_vietnamese_by_default(app, runner, tmp_path):
    result = runner.invoke(args=["ocop", "import-catalog", str(write_csv(tmp_path / "r.csv", [row()], header=HEADER))])
    with app.test_request_context(), force_locale("vi"):
        expected = gettext("Rows read: %(rows)s", rows=1)  # 'Số dòng đã đọc: 1' once catalogues are compiled
    assert result.exit_code == 0
    assert expected in result.stdout


def test_the_example_register_shipped_for_staff_imports_cleanly(app, runner):
    result = _import(runner, EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "(error)" not in result.output and "(warning)" not in result.output


@pytest.mark.parametrize("name, content, message", [
    ("empty.csv", b"", "empty"),
    ("blank.csv", b"\xef\xbb\xbf\r\n\r\n", "empty"),
    ("header-only.csv", ",".join(HEADER).encode(), "no products"),
    ("cp1258.csv", ",".join(HEADER).encode() + _cp1258("\r\nHợp tác xã Dừa sáp,Kẹo dừa"), "not UTF-8"),
    ("latin1.csv", "booth_name,product_name\r\nCafé crème,Crêpe".encode("latin-1"), "not UTF-8"),
    ("broken.xlsx", b"PK\x03\x04 not really a workbook", "cannot be read"),
    ("renamed.xlsx", b"booth_name,stars\r\nA,4\r\n", "cannot be read"),
    ("register.pdf", b"%PDF-1.4", "Wrong file type"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
    ("binary.csv", b"\x00\x01\x02booth", "not a CSV"),
])
def test_an_unreadable_file_is_a_clear_error_without_traceback(app, runner, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = _import(runner, path)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_an_xlsx_saved_as_csv_is_explained(app, runner, tmp_path):
    xlsx = write_xlsx(tmp_path / "r.xlsx", HEADER, [[row()[h] for h in HEADER]])
    path = tmp_path / "r.csv"
    path.write_bytes(xlsx.read_bytes())
    result = _import(runner, path)
    assert result.exit_code == 1 and "rename it to .xlsx" in result.stderr


def test_a_missing_file_is_refused_by_the_command_line(runner, tmp_path):
    result = _import(runner, tmp_path / "nowhere.csv")
    assert result.exit_code == 2 and "does not exist" in result.output
