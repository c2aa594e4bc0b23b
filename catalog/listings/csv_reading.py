"""Reading a listing upload: a CSV (UTF-8, with or without BOM, comma, semicolon or tab) or XLSX file through
the register's reader, its header row found among the first lines and its columns recognised by any of their
accepted names; and the per-row report of the upload (the register import's Problem, row by row)."""
import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from catalog.register.reading import read_rows
from catalog.register.report import WARNING, Problems, RegisterFileError
from storefront.text import nfc, slugify

HEADER_SEARCH_ROWS = 10
# Column → the headers accepted for it (compared as slugs with "_": "Mã sản phẩm" → ma_san_pham).
COLUMNS = {
    "sku": ("sku", "ma_san_pham", "ma_sp", "ma_hang"),
    "slug": ("slug", "product", "san_pham", "product_slug"),
    "booth": ("booth", "gian_hang", "booth_slug"),
    "marketplace": ("marketplace", "san", "san_tmdt", "san_thuong_mai_dien_tu", "kenh_ban"),
    "url": ("url", "link", "duong_dan", "lien_ket"),
    "status": ("status", "trang_thai"),
    "external_id": ("external_id", "ma_tren_san", "id_tren_san"),
}
_ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}


@dataclass
class ListingImportReport(Problems):
    """What a listing upload did, or would do, and the problems found row by row."""

    dry_run: bool = False
    rows: int = 0
    listed: int = 0  # rows that set a listing to listed (new or changed)
    delisted: int = 0
    unchanged: int = 0
    created: int = 0  # listing records that did not exist before


def cell_text(value):
    """A cell as trimmed NFC text; whole numbers from XLSX without their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def column_key(text):
    """'Mã sản phẩm' → 'ma_san_pham': how headers (and statuses) are compared."""
    return slugify(cell_text(text), max_length=60).replace("-", "_")


class Header:
    """The header row: which column index holds each known column, as the file names it."""

    def __init__(self, row, cells):
        self.row, self.index, self.labels, self.repeated, self.unknown = row, {}, {}, [], []
        for i, cell in enumerate(cells):
            text = cell_text(cell)
            name = _ALIASES.get(column_key(text))
            if name is None:
                if text:
                    self.unknown.append(text)
            elif name in self.index:
                self.repeated.append((name, text))
            else:
                self.index[name], self.labels[name] = i, text

    def label(self, name):
        return self.labels.get(name, name)

    def cell(self, cells, name):
        i = self.index.get(name)
        return cell_text(cells[i]) if i is not None and i < len(cells) else ""

    @staticmethod
    def looks_like_one(cells):
        names = {_ALIASES.get(column_key(c)) for c in cells if cell_text(c)}
        return "marketplace" in names and bool(names & {"sku", "slug"})


def read_listing_file(source, filename=""):
    """(Header, [(row number, cells)]) of an upload (bytes, a path or a binary file); raises RegisterFileError."""
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(bytes(source))
        source.name = filename or ""
    rows = read_rows(source)
    at = next((i for i, (_n, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]) if Header.looks_like_one(cells)), 0)
    header = Header(*rows[at])
    if not rows[at + 1:]:
        raise RegisterFileError(_l("The file has a header row but no listings under it."))
    return header, rows[at + 1:]


def check_header(header, report):
    """Required columns missing and repeated columns are errors; unknown columns are warnings."""
    missing = [n for n in ("marketplace", "url") if n not in header.index]
    if "sku" not in header.index and "slug" not in header.index:
        missing.insert(0, "sku")
    for name in missing:
        report.add(header.row, name, "missing_column", _l(
            "Required column “%(column)s” is missing (accepted headers: %(aliases)s).",
            column=name, aliases=", ".join(COLUMNS[name] + (COLUMNS["slug"] if name == "sku" else ()))))
    for name, text in header.repeated:
        report.add(header.row, text, "repeated_column", _l(
            "Column “%(column)s” appears twice (also as “%(first)s”).", column=name, first=header.labels[name]))
    for text in header.unknown:
        report.add(header.row, text, "unknown_column", _l("Unknown column: it is ignored."), WARNING)
