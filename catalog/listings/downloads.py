"""The province's figures as files to send on: XLSX (a summary sheet and one sheet per breakdown) and CSV
(UTF-8 with a byte-order mark, one table). Always in Vietnamese, the language of the report, whatever the
page's language; text cells go through storefront.tabular.safe_cell so no cell runs as a formula."""
import io

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from catalog.listings.figures import BREAKDOWNS, compute_figures
from storefront.tabular import safe_cell, write_csv

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = (44, 18, 18, 12)


def _header(first=None):
    return [first or _("Item"), _("OCOP products"), _("Listed"), _("Share (%)")]


def _cells(line):
    return [str(line.label), line.total, line.listed, line.pct]


def _summary(figures):
    """The summary sheet's rows: the date and target, the headline, each marketplace, our own market."""
    return [
        [_("As of"), figures.as_of.strftime("%d/%m/%Y"), None, None],
        [_("Target (%)"), None, None, figures.target_pct],
        _cells(figures.headline),
        *(_cells(line) for line in figures.marketplaces),
        _cells(figures.own_market),
    ]


def _sheet(workbook, title, header, rows):
    sheet = workbook.create_sheet(title[:31])
    bold = Font(bold=True)
    sheet.append([safe_cell(c) for c in header])
    for cell in sheet[1]:
        cell.font = bold
    for row in rows:
        sheet.append([safe_cell(c) for c in row])
    for letter, width in zip("ABCD", WIDTHS):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def figures_xlsx(today=None):
    """(bytes, figures) of the figures workbook as of `today`."""
    with force_locale("vi"):
        figures = compute_figures(today)
        workbook = Workbook()
        workbook.remove(workbook.active)
        _sheet(workbook, _("Summary"), _header(), _summary(figures))
        for kind, title in BREAKDOWNS:
            _sheet(workbook, str(title), _header(), [_cells(line) for line in figures.breakdowns[kind]])
        out = io.BytesIO()
        workbook.save(out)
    return out.getvalue(), figures


def figures_csv(today=None):
    """(bytes, figures) of the figures as one CSV table: section, item, products, listed, share."""
    with force_locale("vi"):
        figures = compute_figures(today)
        summary = _("Summary")
        rows = [[summary, *row] for row in _summary(figures)]
        for kind, title in BREAKDOWNS:
            rows += [[str(title), *_cells(line)] for line in figures.breakdowns[kind]]
        out = io.BytesIO()
        write_csv([_("Section"), *_header()], rows, out)
    return out.getvalue(), figures
