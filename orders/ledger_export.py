"""The ledger as CSV for spreadsheets: UTF-8 with a byte-order mark so Excel reads Vietnamese correctly, and
text cells that a spreadsheet would run as a formula (= + - @, tab, carriage return) neutralised with a
leading apostrophe. Amounts stay numbers (whole đồng), so a column of them adds up in Excel."""
import csv
import io

from flask_babel import gettext as _
from flask_babel import to_user_timezone

from orders.ledger import KINDS
from storefront.tabular import BOM, safe_cell


def header():
    return [_("Date and time (Vietnam)"), _("Booth"), _("Kind"), _("Kind code"), _("Order code"), _("Note"),
            _("Amount (đồng)")]


def row(entry, booth_name, order_code):
    when = to_user_timezone(entry.created_at).strftime("%Y-%m-%d %H:%M:%S")
    cells = [when, booth_name, KINDS.label(entry.kind), entry.kind, order_code or "", entry.note or ""]
    return [safe_cell(c) for c in cells] + [int(entry.amount_vnd)]


def ledger_csv(rows, flush_every=200):
    """Yield the CSV text in pieces: the BOM and header first, then a line per (entry, booth name, order code)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header())
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for n, (entry, booth_name, order_code) in enumerate(rows, 1):
        writer.writerow(row(entry, booth_name, order_code))
        if n % flush_every == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
