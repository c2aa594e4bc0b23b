"""Spreadsheet files shared by every export: formula neutralisation, CSV in UTF-8 with a byte-order mark
(so Excel reads Vietnamese), and XLSX through openpyxl's streaming (write-only) workbook. Rows arrive from
generators and leave one at a time: neither writer holds the whole file in memory."""
import csv
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767  # characters Excel keeps in one cell


def safe_cell(value):
    """A text cell a spreadsheet shows as text, never runs: '=1+1' becomes "'=1+1"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(header, rows, out):
    """Write `header` and `rows` (an iterable of lists) as CSV to the binary stream `out`: UTF-8 with a BOM,
    CRLF line ends, text cells through safe_cell. Returns the number of rows."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        text.write(BOM)
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([safe_cell(c) for c in header])
        count = 0
        for row in rows:
            writer.writerow([safe_cell(c) for c in row])
            count += 1
        text.flush()
    finally:
        text.detach()  # leave `out` open for the caller
    return count


def _xlsx_value(sheet, value):
    """A cell value for a write-only sheet: numbers as they are; text through safe_cell, without the control
    characters XML cannot carry, and typed as a string even when it reads like an error code ("#N/A")."""
    if not isinstance(value, str):
        return value
    value = safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))[:XLSX_CELL_LIMIT]
    if value in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value  # openpyxl types any other text as a string: after safe_cell none starts with "="


def write_xlsx(header, rows, out, *, title="products", widths=None):
    """Write `header` (bold, frozen) and `rows` as one XLSX sheet to the binary stream `out`, streaming
    (openpyxl keeps written rows in a temporary file, not in memory). Text cells are strings through
    safe_cell; numbers stay numbers. `widths` maps a column name to its width. Returns the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for i, name in enumerate(header):
        sheet.column_dimensions[get_column_letter(i + 1)].width = (widths or {}).get(name, 14)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    titles = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    count = 0
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
        count += 1
    workbook.save(out)
    return count
