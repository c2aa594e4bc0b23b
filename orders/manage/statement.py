"""A booth's statement in its dashboard: every ledger entry, newest first, with the balance after it, and
the same entries as CSV."""
from datetime import date

from flask import Response, render_template, stream_with_context

from orders import statements
from orders.ledger_export import ledger_csv
from orders.manage import bp
from orders.manage.helpers import load_booth, page_number, pages_for
from storefront.accounts.permissions import BOOTH_MANAGE, permission_required


@bp.get("/ledger")
@permission_required(BOOTH_MANAGE, load=load_booth)
def booth_ledger(vendor, booth):
    page = page_number()
    rows, count, sums = statements.statement_page(vendor.id, page)
    return render_template("orders/manage/ledger_show.html", vendor=vendor, rows=rows, count=count, sums=sums,
                           page=page, pages=pages_for(count, statements.PER_PAGE, page))


def csv_response(rows, filename):
    """A streamed CSV download (see orders.ledger_export)."""
    response = Response(stream_with_context(ledger_csv(rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/ledger.csv")
@permission_required(BOOTH_MANAGE, load=load_booth)
def booth_ledger_csv(vendor, booth):
    return csv_response(statements.export_rows(vendor.id), f"so-cai-{vendor.slug}-{date.today():%Y%m%d}.csv")
