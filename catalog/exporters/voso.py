"""Voso (Viettel): no public seller API, so a bulk-upload file for its seller centre, XLSX or CSV (UTF-8
with a byte-order mark), one row per product. The columns are marketplaces.md's proposal [A]: no public
specification exists, correct them here.

Blockers: see catalog.exporters.sheet.SheetExporter (name 10–255, price rule, pictures ≥ 500×500, a
mapped category path, weight, dimensions, food: shelf life and a valid OCOP certificate).

Cells: `mo_ta` is the description's text (tags dropped: a spreadsheet shows them as text); `han_su_dung`
the shelf life in days; `ocop_so_sao` and `ocop_so_quyet_dinh` only while the certificate is valid; sizes in
cm and weight in grams as numbers; unused gallery columns stay empty."""
from catalog.exporters.sheet import MAX_GALLERY, SheetExporter

COLUMNS = (
    "ma_san_pham", "ten_san_pham", "danh_muc", "thuong_hieu", "mo_ta", "gia_niem_yet", "gia_ban", "ton_kho",
    "khoi_luong_g", "dai_cm", "rong_cm", "cao_cm", "don_vi_tinh", "anh_chinh",
    *(f"anh_phu_{n}" for n in range(1, MAX_GALLERY + 1)),
    "xuat_xu", "han_su_dung", "ocop_so_sao", "ocop_so_quyet_dinh", "giay_chung_nhan_url", "dia_chi_lay_hang",
)


class VosoExporter(SheetExporter):
    key = "voso"
    label = "Voso"
    columns = COLUMNS


EXPORTER = VosoExporter
