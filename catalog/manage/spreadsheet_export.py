"""A booth's catalogue as an XLSX workbook in the register's columns, so that the file can be edited and
uploaded again through the same importer (an unedited file changes nothing)."""
import io
from datetime import date

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import selectinload

from catalog.models import Product
from catalog.ocop import CERT_STATUSES, GROUPS, PRODUCT_SETS, SET_GROUP
from catalog.register.columns import COLUMNS as REGISTER_COLUMNS
from storefront.extensions import db
from vendors.entities import ENTITY_TYPES

COLUMNS = tuple(REGISTER_COLUMNS)
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = {"booth_name": 30, "address": 36, "product_name": 36, "group": 24, "description": 60}


def _vi(vocabulary, code):
    choice = vocabulary.get(code) if code else None
    return choice.vi if choice else None


def _group(product):
    """The product set's name when it has one of its group (more precise), else the group's name."""
    name = _vi(PRODUCT_SETS, product.product_set)
    if name and SET_GROUP.get(product.product_set) == product.group and GROUPS.match(name) is None:
        return name
    return _vi(GROUPS, product.group)


def product_row(booth, product):
    """One product as the register writes it: Vietnamese labels, numbers as numbers, the current
    certificate's star, status, decision number and date."""
    cert = product.current_certificate
    return [
        booth.name, _vi(ENTITY_TYPES, booth.entity_type), booth.province_name or None, booth.commune or None,
        booth.address_text or None, product.name, _group(product),
        cert.star if cert else None, _vi(CERT_STATUSES, cert.status) if cert else None,
        (cert.decision_no or None) if cert else None, cert.decided_on if cert else None,
        product.price_vnd, product.stock, product.unit or None, product.weight_g, product.gtin, product.sku,
        product.description or None,
    ]


def booth_products(booth):
    """The booth's products that are not deleted, oldest first, with their certificates."""
    stmt = (sa.select(Product).where(Product.vendor_id == booth.id, Product.deleted_at.is_(None))
            .options(selectinload(Product.certificates)).order_by(Product.id))
    return db.session.scalars(stmt)


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # text stays text: a name starting with "=" is never a formula
    elif isinstance(value, date):
        cell.number_format = "DD/MM/YYYY"
    return cell


def write_workbook(rows):
    """XLSX bytes: the header (the register's column names, in its order) and `rows`."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("products")
    for i, name in enumerate(COLUMNS):
        sheet.column_dimensions[get_column_letter(i + 1)].width = WIDTHS.get(name, 14)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in COLUMNS:
        cell = _cell(sheet, name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_catalogue(booth):
    """The booth's current catalogue as XLSX bytes, one row per product."""
    return write_workbook(product_row(booth, p) for p in booth_products(booth))
