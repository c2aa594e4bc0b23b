"""The register's columns: canonical names, the Vietnamese headers staff actually write, which are
required, and how a header row maps onto them (case, accents and punctuation ignored)."""
from dataclasses import dataclass, field

from storefront.text import slugify

# canonical name -> headers accepted for it besides the canonical name itself
COLUMNS = {
    "booth_name": ("Tên chủ thể", "Chủ thể", "Tên chủ thể OCOP", "Tên gian hàng", "Gian hàng", "Tên cơ sở",
                   "Cơ sở sản xuất", "booth"),
    "entity_type": ("Loại hình", "Loại hình chủ thể", "Loại chủ thể", "Loại hình tổ chức"),
    "province": ("Tỉnh", "Tỉnh/thành phố", "Tỉnh/thành", "Tỉnh thành", "Tỉnh, thành phố"),
    "commune": ("Xã/phường", "Xã", "Phường/xã", "Xã, phường", "Phường, xã", "Xã/phường/đặc khu"),
    "address": ("Địa chỉ", "Địa chỉ chủ thể", "address_text"),
    "product_name": ("Tên sản phẩm", "Sản phẩm", "Tên sản phẩm OCOP"),
    "group": ("Nhóm", "Nhóm sản phẩm", "Nhóm ngành", "Ngành hàng"),
    "stars": ("Số sao", "Hạng sao", "Sao", "Xếp hạng", "Hạng", "Kết quả phân hạng"),
    "ocop_status": ("Trạng thái", "Tình trạng", "Trạng thái OCOP", "status"),
    "certificate_no": ("Số quyết định", "Số QĐ", "Quyết định", "Số giấy chứng nhận", "Số chứng nhận"),
    "certified_on": ("Ngày công nhận", "Ngày quyết định", "Ngày QĐ", "Ngày cấp", "Ngày chứng nhận"),
    "price_vnd": ("Giá", "Giá bán", "Giá (VNĐ)", "Giá (đồng)", "Giá bán (đồng)", "Giá bán lẻ", "price"),
    "stock": ("Tồn kho", "Số lượng tồn", "Số lượng", "Tồn"),
    "unit": ("Đơn vị tính", "ĐVT", "Đơn vị"),
    "weight_g": ("Khối lượng (g)", "Khối lượng", "Trọng lượng (g)", "Trọng lượng", "Khối lượng tịnh (g)",
                 "weight"),
    "gtin": ("Mã vạch", "Mã số mã vạch", "GTIN", "EAN", "Mã GTIN", "barcode"),
    "sku": ("Mã SKU", "SKU", "Mã sản phẩm", "Mã hàng"),
    "description": ("Mô tả", "Mô tả sản phẩm", "Giới thiệu"),
}
BOOTH_COLUMNS = ("booth_name", "entity_type", "province")
REQUIRED = BOOTH_COLUMNS + ("product_name", "group", "stars", "price_vnd")
# A booth's own import (the dashboard): its booth is known, and a product may have no OCOP certificate yet,
# which its own downloaded catalogue writes as blank stars.
BOOTH_IMPORT_REQUIRED = tuple(c for c in REQUIRED if c not in BOOTH_COLUMNS + ("stars",))
# The Vietnamese header suggested to staff for each column (the first alias).
VIETNAMESE = {name: aliases[0] for name, aliases in COLUMNS.items()}


def _key(header):
    return slugify(str(header), max_length=200).replace("-", "_")


_BY_KEY = {_key(alias): name for name, aliases in COLUMNS.items() for alias in (name, *aliases)}


def canonical(header):
    """The column a header means ('Số sao', 'so sao', 'SO_SAO' -> 'stars'), or None."""
    if header is None or not str(header).strip():
        return None
    return _BY_KEY.get(_key(header))


@dataclass
class Header:
    """Where each known column sits in a header row, and what else the row holds."""

    index: dict = field(default_factory=dict)  # canonical name -> cell index
    labels: dict = field(default_factory=dict)  # canonical name -> header as written in the file
    unknown: list = field(default_factory=list)  # (cell index, header) not understood
    repeated: list = field(default_factory=list)  # (canonical name, header) seen a second time

    def label(self, name):
        return self.labels.get(name) or name

    def order(self):
        """Header text -> position, to list a row's problems from left to right."""
        cells = [(i, self.labels[name]) for name, i in self.index.items()] + self.unknown
        return {text: i for i, text in sorted(cells)}

    def missing(self, required):
        return [name for name in required if name not in self.index]


def read_header(cells):
    header = Header()
    for i, cell in enumerate(cells):
        text = "" if cell is None else " ".join(str(cell).split())
        if not text:
            continue
        name = canonical(text)
        if name is None:
            header.unknown.append((i, text))
        elif name in header.index:
            header.repeated.append((name, text))
        else:
            header.index[name], header.labels[name] = i, text
    return header


def looks_like_header(cells, minimum=2):
    """True for a row naming at least `minimum` known columns (title rows above the header do not)."""
    return sum(1 for cell in cells if canonical(cell)) >= minimum
