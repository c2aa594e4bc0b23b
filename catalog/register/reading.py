"""Reading a register file (CSV in UTF-8 with or without BOM, or XLSX) into numbered rows of cells.

Row numbers are the ones a spreadsheet shows (the first line is row 1); blank rows are skipped but
still counted, so the numbers in a problem report point at the right line."""
import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

from catalog.register.columns import looks_like_header, read_header
from catalog.register.report import RegisterFileError

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
HEADER_SEARCH_ROWS = 10  # title lines above the header row are common in provincial spreadsheets
UNREADABLE_XLSX = _l("The XLSX file cannot be read: it is damaged or not a real Excel workbook. "
                     "Open it in Excel and save it again as .xlsx.")


@dataclass
class Sheet:
    header_row: int
    header: object  # columns.Header
    rows: list  # [(row number, [cell values])], blank rows left out


def _name_and_bytes(source):
    """(file name or '', content) for a path or an open binary file (e.g. an uploaded FileStorage)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            return path.name, path.read_bytes()
        except OSError as exc:
            raise RegisterFileError(_l("Cannot open the file: %(error)s", error=exc.strerror or exc)) from None
    name = getattr(source, "filename", None) or getattr(source, "name", None) or ""
    data = source.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    return Path(str(name)).name, data


def _csv_rows(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegisterFileError(_l(
            "The file is not UTF-8 text. In Excel choose “Save as… CSV UTF-8 (comma delimited)”, "
            "or upload the .xlsx file itself.")) from None
    if "\x00" in text:
        raise RegisterFileError(_l("The file is not a CSV text file. Upload a .csv (UTF-8) or .xlsx file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        yield number, cells


def _xlsx_rows(data):
    from openpyxl import load_workbook  # only paid for when an XLSX file comes in

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException…)
        raise RegisterFileError(UNREADABLE_XLSX) from None
    try:
        for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            yield number, list(cells)
    except Exception:
        raise RegisterFileError(UNREADABLE_XLSX) from None
    finally:
        workbook.close()


def _kind(name, data):
    suffix = Path(name).suffix.lower()
    if suffix in XLSX_SUFFIXES or (not suffix and data[:4] == b"PK\x03\x04"):
        return "xlsx"
    if suffix in CSV_SUFFIXES or not suffix:
        return "csv"
    if suffix == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise RegisterFileError(_l("Old .xls workbooks are not supported: save the file as .xlsx or CSV UTF-8."))
    raise RegisterFileError(_l("Wrong file type “%(suffix)s”: upload a .csv (UTF-8) or .xlsx file.",
                               suffix=suffix))


def _blank(cells):
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_rows(source):
    """The non-blank rows of a CSV or XLSX file (a path or a binary file) as [(row number, [cells])];
    raises RegisterFileError. Also read by the listing upload (catalog.listings.csv_reading)."""
    name, data = _name_and_bytes(source)
    if not data.strip():
        raise RegisterFileError(_l("The file is empty."))
    kind = _kind(name, data)
    if kind == "csv" and data[:4] == b"PK\x03\x04":
        raise RegisterFileError(_l("This looks like an Excel workbook saved with a .csv name: "
                                   "rename it to .xlsx or save it as CSV UTF-8."))
    if kind == "xlsx" and not zipfile.is_zipfile(io.BytesIO(data)):
        raise RegisterFileError(UNREADABLE_XLSX)
    rows = [(n, cells) for n, cells in (_csv_rows(data) if kind == "csv" else _xlsx_rows(data)) if not _blank(cells)]
    if not rows:
        raise RegisterFileError(_l("The file is empty."))
    return rows


def read_sheet(source):
    """The header and the non-blank data rows of a register file; raises RegisterFileError."""
    rows = read_rows(source)
    header_at = next((i for i, (_n, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]) if looks_like_header(cells)), 0)
    header_row, header_cells = rows[header_at]
    data_rows = rows[header_at + 1:]
    if not data_rows:
        raise RegisterFileError(_l("The file has a header row but no products under it."))
    return Sheet(header_row, read_header(header_cells), data_rows)
