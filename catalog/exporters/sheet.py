"""How exporters write files: JSON Lines for the API marketplaces (one request body per line), and the
bulk-upload spreadsheet (XLSX or CSV, storefront.tabular) for the marketplaces without a public API.
Everything streams: items arrive from a generator and leave one line or row at a time."""
import json

from catalog.exporters import rules
from catalog.exporters.base import Exporter
from storefront.tabular import write_csv, write_xlsx

MAX_GALLERY = 8  # gallery pictures after the main one (anh_phu_1…8)


class UnsupportedFormat(ValueError):
    """The exporter does not write this file format."""


def check_format(exporter, fmt):
    """`fmt`, or the exporter's default when None; UnsupportedFormat when it does not write it."""
    fmt = fmt or exporter.formats[0]
    if fmt not in exporter.formats:
        raise UnsupportedFormat(fmt)
    return fmt


def write_jsonl(payloads, out):
    """Write each payload as one line of UTF-8 JSON (Vietnamese unescaped) to the binary stream `out`.
    Returns the number of lines."""
    count = 0
    for payload in payloads:
        out.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
        count += 1
    return count


def category_id(item):
    """The item's category as the integer id an API or sheet column wants (None when not a plain number;
    the blockers already refuse such a product)."""
    text = item.category or ""
    return int(text) if text.isascii() and text.isdigit() else None


class JsonlExporter(Exporter):
    """A marketplace with an API: its file is one request body (payload()) per line."""

    formats = ("jsonl",)
    has_api = True

    def render(self, items, out, fmt=None):
        """JSON Lines: one request body per ready item. Returns the number of lines."""
        check_format(self, fmt)
        return write_jsonl((self.payload(item) for item in items), out)


def number(value):
    """A size as the file shows it: 10.0 -> 10, 10.5 -> 10.5, None -> None."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


class SheetExporter(Exporter):
    """A marketplace fed by a bulk-upload spreadsheet: subclasses set `columns` and may extend `row()`.

    Blockers (both Voso and Postmart): name 10–255 characters; sale price ≤ list price and ≥ 10 % of it;
    at least one picture, every picture ≥ 500×500 px; a mapped category (an integer id when
    `numeric_category`); packed weight; packed dimensions; food needs a shelf life and a valid OCOP
    certificate."""

    formats = ("xlsx", "csv")
    numeric_category = False
    columns = ()
    widths = {"ten_san_pham": 40, "mo_ta": 60, "danh_muc": 30, "anh_chinh": 40, "dia_chi_lay_hang": 40}

    def blockers(self, item):
        return rules.collect(item, (
            lambda i: rules.name(i, 10, 255), rules.price, rules.pictures,
            lambda i: rules.category(i, numeric=self.numeric_category), rules.weight, rules.dimensions,
            rules.shelf_life, rules.certificate,
        ))

    def values(self, item):
        """{column: value} of one ready item (numbers stay numbers; missing values are None)."""
        gallery = [p.url for p in item.pictures[1:MAX_GALLERY + 1]]
        gallery += [None] * (MAX_GALLERY - len(gallery))
        return {
            "ma_san_pham": item.sku, "ten_san_pham": item.name, "danh_muc": item.category,
            "thuong_hieu": item.brand, "mo_ta": item.description_text, "gia_niem_yet": item.list_price_vnd,
            "gia_ban": item.price_vnd, "ton_kho": item.stock, "khoi_luong_g": item.weight_g,
            "dai_cm": number(item.length_cm), "rong_cm": number(item.width_cm), "cao_cm": number(item.height_cm),
            "don_vi_tinh": item.unit or None, "anh_chinh": item.pictures[0].url if item.pictures else None,
            **{f"anh_phu_{n}": url for n, url in enumerate(gallery, 1)},
            "xuat_xu": item.origin_province or None, "han_su_dung": item.shelf_life_days,
            "ocop_so_sao": item.ocop_star, "ocop_so_quyet_dinh": item.ocop_decision_no or None,
            "giay_chung_nhan_url": item.certificate_url, "dia_chi_lay_hang": item.pickup_address or None,
        }

    def row(self, item):
        values = self.values(item)
        return [values[column] for column in self.columns]

    def render(self, items, out, fmt=None):
        """The bulk file: `columns` as the header, a row per ready item. Returns the number of rows."""
        fmt = check_format(self, fmt)
        rows = (self.row(item) for item in items)
        if fmt == "csv":
            return write_csv(self.columns, rows, out)
        return write_xlsx(self.columns, rows, out, title=self.key, widths=self.widths)
