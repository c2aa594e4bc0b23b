"""Programme staff's marketplace pages, under /staff/marketplaces: the province's figures (and their
downloads), the category mapping, and the upload of listing URLs. The product × marketplace grid's routes
are in catalog.listings.staff_grid, on this blueprint."""
import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

import catalog.listings.permissions  # noqa: F401  (defines STAFF_MARKETPLACES)
from catalog.listings import mapping
from catalog.listings.csv_import import import_listings
from catalog.listings.csv_reading import COLUMNS
from catalog.listings.downloads import XLSX_MIMETYPE, figures_csv, figures_xlsx
from catalog.listings.figures import BREAKDOWNS, compute_figures
from catalog.listings.permissions import STAFF_MARKETPLACES
from catalog.listings.screens import not_stored
from catalog.listings.services import ListingError, label
from catalog.listings.staff_forms import DeleteForm, MappingForm, UploadForm
from catalog.ocop import GROUPS, PRODUCT_SETS
from catalog.register.report import RegisterFileError
from storefront.accounts.permissions import permission_required
from storefront.uploads import UploadError, read_limited
from storefront.urls import parse_id

bp = Blueprint("listings_staff", __name__, url_prefix="/staff/marketplaces")


bp.after_request(not_stored)


def pct(value):
    """54.5 → '54,5 %' in Vietnamese, '54.5 %' in English."""
    return format_decimal(value, format="#,##0.#") + "\u00a0%"


@bp.context_processor
def _helpers():
    return {"pct": pct, "marketplace_label": label, "group_label": GROUPS.label, "set_label": PRODUCT_SETS.label}


def _mapping(mapping_id):
    """The mapping row of an id from the URL, or None (the URL map refuses ids past 32 bits)."""
    return mapping.get_mapping(mapping_id)


@bp.get("/")
@permission_required(STAFF_MARKETPLACES)
def figures():
    return render_template("listings/staff_figures.html", figures=compute_figures(), breakdowns=BREAKDOWNS)


@bp.get("/figures.xlsx")
@permission_required(STAFF_MARKETPLACES)
def figures_download_xlsx():
    data, _figures = figures_xlsx()
    return send_file(io.BytesIO(data), mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=f"ocop-tren-san-{date.today():%Y-%m-%d}.xlsx")


@bp.get("/figures.csv")
@permission_required(STAFF_MARKETPLACES)
def figures_download_csv():
    data, _figures = figures_csv()
    return send_file(io.BytesIO(data), mimetype="text/csv", as_attachment=True,
                     download_name=f"ocop-tren-san-{date.today():%Y-%m-%d}.csv")


def _categories_page(form, status=200):
    return render_template("listings/staff_categories.html", form=form, mappings=mapping.list_mappings(),
                           delete_form=DeleteForm(formdata=None)), status


@bp.get("/categories")
@permission_required(STAFF_MARKETPLACES)
def categories():
    edit = parse_id(request.args.get("edit"))
    row = _mapping(edit) if edit else None
    form = MappingForm(formdata=None, obj=row, mapping_id=row.id if row else "")
    return _categories_page(form)


@bp.post("/categories")
@permission_required(STAFF_MARKETPLACES)
def categories_save():
    form = MappingForm()
    if not form.validate_on_submit():
        return _categories_page(form, 400)
    try:
        row = mapping.save_mapping(form.marketplace.data, form.group.data, form.product_set.data,
                                   form.category.data, form.note.data, mapping_id=form.edited_id())
    except ListingError as exc:
        field = getattr(form, exc.field, None) if exc.field else None
        (field.errors if field is not None else form.form_errors).append(str(exc))
        return _categories_page(form, 400)
    flash(_("The category for %(group)s on %(marketplace)s is saved.", group=GROUPS.label(row.group),
            marketplace=label(row.marketplace)), "success")
    return redirect(url_for(".categories", _anchor=f"m-{row.marketplace}"))


@bp.post("/categories/<int:mapping_id>/delete")
@permission_required(STAFF_MARKETPLACES)
def categories_delete(mapping_id):
    if _mapping(mapping_id) is None:
        abort(404)
    if not DeleteForm().validate_on_submit():
        flash(_("The form was not sent correctly. Please try again."), "error")
        return redirect(url_for(".categories"))
    mapping.delete_mapping(mapping_id)
    flash(_("The mapping is deleted."), "success")
    return redirect(url_for(".categories"))


def _upload_page(form, report=None, status=200):
    return render_template("listings/staff_upload.html", form=form, report=report, columns=COLUMNS), status


@bp.get("/upload")
@permission_required(STAFF_MARKETPLACES)
def upload():
    return _upload_page(UploadForm(formdata=None))


@bp.post("/upload")
@permission_required(STAFF_MARKETPLACES)
def upload_apply():
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(form, status=400)
    upload_file = form.file.data
    try:
        report = import_listings(read_limited(upload_file), upload_file.filename or "",
                                 current_user._get_current_object(), dry_run=form.dry_run.data)
    except (UploadError, RegisterFileError) as exc:
        form.file.errors.append(str(exc))
        return _upload_page(form, status=400)
    return _upload_page(form, report, 200 if report.ok else 400)


from catalog.listings import staff_grid  # noqa: E402,F401  (the product × marketplace grid's routes)
