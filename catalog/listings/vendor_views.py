"""The vendor dashboard's "Bán trên sàn" (sell on marketplaces) pages, under /vendor/<booth>/marketplaces:
the product × marketplace grid of readiness and listing status, a download per marketplace and format, and
pushes to the marketplaces' APIs. Credentials and "it is listed at this URL" are in vendor_accounts."""
import tempfile
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

import catalog.listings.permissions  # noqa: F401  (defines STAFF_MARKETPLACES)
from catalog import exporters
from catalog.exporters import service as export_service
from catalog.listings import grid as grid_queries
from catalog.listings.forms import ActionForm, PushForm
from catalog.listings.screens import PER_PAGE, check_page, not_stored, page_number, template_helpers
from catalog.listings.services import label
from catalog.manage.helpers import load_booth
from catalog.marketplaces import accounts, push
from catalog.marketplaces.errors import MarketplaceError
from storefront.accounts.permissions import BOOTH_MANAGE, permission_required

bp = Blueprint("listings_manage", __name__, url_prefix="/vendor/<booth>/marketplaces")
bp.after_request(not_stored)
bp.context_processor(template_helpers)

MIMETYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
REFRESHABLE = ("tiki",)  # marketplaces whose submissions are reviewed and can be polled
FLASHED_RESULTS = 8  # per-product lines after a push (the session cookie holds the messages)


def exporter_or_404(marketplace, api=False):
    """The enabled exporter of `marketplace` (one with an API when `api`), or a 404."""
    exporter = exporters.get(marketplace)
    if exporter is None or (api and not exporter.has_api):
        abort(404)
    return exporter


def back_to_grid(booth):
    return redirect(url_for("listings_manage.grid", booth=booth))


@bp.get("")
@permission_required(BOOTH_MANAGE, load=load_booth)
def grid(vendor, booth):
    filters = grid_queries.clean_filters(request.args)
    page = check_page(grid_queries.grid(booth_id=vendor.id, filters=filters, page=page_number(), per_page=PER_PAGE))
    enabled = exporters.enabled()
    ids = [row.product.id for row in page.rows]
    readiness = export_service.readiness_for(booth_id=vendor.id, product_ids=ids, keys=list(enabled)) if ids else {}
    return render_template("listings/vendor_grid.html", vendor=vendor, page=page, filters=filters,
                           exporters=enabled, readiness=readiness, configured=accounts.configured(vendor.id),
                           refreshable=REFRESHABLE, action_form=ActionForm())


@bp.get("/<marketplace>.<fmt>")
@permission_required(BOOTH_MANAGE, load=load_booth)
def download(vendor, booth, marketplace, fmt):
    exporter = exporter_or_404(marketplace)
    if fmt not in exporter.formats:
        abort(404)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)
    summary = export_service.export_listings(marketplace, out, fmt=fmt, booth=vendor)
    if not summary.exported:
        out.close()
        if summary.blocked:
            flash(_("Nothing to download for %(marketplace)s: all %(n)d products are blocked. The grid says what "
                    "to fix.", marketplace=exporter.label, n=len(summary.blocked)), "error")
        else:
            flash(_("This booth has no products to export yet."), "error")
        return back_to_grid(booth)
    out.seek(0)
    name = f"{marketplace}-{vendor.slug}-{date.today():%Y%m%d}.{fmt}"
    return send_file(out, mimetype=MIMETYPES.get(fmt, "application/octet-stream"), as_attachment=True,
                     download_name=name, max_age=0)


def _flash_results(results, summary):
    """`summary`, then one line per product (failures first), at most FLASHED_RESULTS of them."""
    flash(summary, "success" if all(r.ok for r in results) else "error")
    ordered = sorted(results, key=lambda r: r.ok)
    for result in ordered[:FLASHED_RESULTS]:
        flash(_("“%(name)s”: %(message)s", name=result.name, message=(result.message or result.status)[:300]),
              "success" if result.ok else "error")
    if len(ordered) > FLASHED_RESULTS:
        flash(_("…and %(n)d more.", n=len(ordered) - FLASHED_RESULTS), "info")


def _ready_ids(vendor, marketplace):
    """The booth's products ready for `marketplace` and not already submitted or listed there."""
    readiness = export_service.readiness_for(booth_id=vendor.id, keys=[marketplace])
    done = grid_queries.pushed_ids(vendor.id, marketplace)
    return [pid for pid, by_key in readiness.items() if not by_key.get(marketplace) and pid not in done]


def _needs_credentials(vendor, marketplace):
    if marketplace in accounts.configured(vendor.id):
        return False
    flash(_("Save this booth's %(marketplace)s API credentials first.", marketplace=label(marketplace)), "error")
    return True


@bp.post("/<marketplace>/push")
@permission_required(BOOTH_MANAGE, load=load_booth)
def push_products(vendor, booth, marketplace):
    exporter_or_404(marketplace, api=True)
    form = PushForm()
    if not form.validate_on_submit():
        flash(_("The form was not sent correctly. Please try again."), "error")
        return back_to_grid(booth)
    if _needs_credentials(vendor, marketplace):
        return back_to_grid(booth)
    ids = form.product_id.data or _ready_ids(vendor, marketplace)
    if not ids:
        flash(_("No product is ready to send to %(marketplace)s.", marketplace=label(marketplace)), "error")
        return back_to_grid(booth)
    try:
        results = push.push_products(vendor, marketplace, ids, current_user)
    except MarketplaceError as exc:
        flash(str(exc), "error")
    else:
        sent = sum(1 for r in results if r.ok)
        _flash_results(results, _("%(marketplace)s: %(sent)d sent, %(failed)d not sent.",
                                  marketplace=label(marketplace), sent=sent, failed=len(results) - sent))
    return back_to_grid(booth)


@bp.post("/<marketplace>/refresh")
@permission_required(BOOTH_MANAGE, load=load_booth)
def refresh(vendor, booth, marketplace):
    exporter_or_404(marketplace, api=True)
    if marketplace not in REFRESHABLE:
        abort(404)
    if not ActionForm().validate_on_submit():
        flash(_("The form was not sent correctly. Please try again."), "error")
    elif not _needs_credentials(vendor, marketplace):
        try:
            results = push.refresh_submissions(vendor, marketplace)
        except MarketplaceError as exc:
            flash(str(exc), "error")
        else:
            if results:
                _flash_results(results, _("%(marketplace)s: %(n)d products checked.", marketplace=label(marketplace),
                                          n=len(results)))
            else:
                flash(_("No product is waiting for %(marketplace)s's review.", marketplace=label(marketplace)),
                      "info")
    return back_to_grid(booth)


from catalog.listings import vendor_accounts  # noqa: E402,F401  (credentials and listing routes on bp)
