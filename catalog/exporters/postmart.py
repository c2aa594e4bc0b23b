"""Postmart (VNPost): the same bulk-upload file as Voso, with the category as Postmart's `gc_id` (an integer
from its category tree, e.g. 782 "Thực Phẩm - Đặc sản") in the place of Voso's category path `danh_muc`.
Its product fields are not public [A]; blockers as Voso's, plus the category must be an integer."""
from catalog.exporters.sheet import SheetExporter, category_id
from catalog.exporters.voso import COLUMNS as VOSO_COLUMNS


class PostmartExporter(SheetExporter):
    key = "postmart"
    label = "Postmart"
    numeric_category = True
    columns = tuple("gc_id" if column == "danh_muc" else column for column in VOSO_COLUMNS)

    def values(self, item):
        values = super().values(item)
        values["gc_id"] = category_id(item)
        return values


EXPORTER = PostmartExporter
