"""A booth's products as a spreadsheet: upload a CSV or XLSX, see what the register importer would do
(every problem by row, column and reason), then apply it; or download the catalogue as XLSX.

An uploaded file waits under instance/uploads/spreadsheets/<booth id>/<token>.<ext> between the preview
and the apply; the token is good for one apply, in this booth only, for a day."""
import io
import os
import re
import secrets
import time
from pathlib import Path

from flask import current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField

from catalog.manage import bp
from catalog.manage.helpers import load_booth
from catalog.manage.spreadsheet_export import COLUMNS, XLSX_MIMETYPE, export_catalogue, write_workbook
from catalog.register import RegisterFileError, import_catalog
from catalog.register.columns import BOOTH_IMPORT_REQUIRED, VIETNAMESE
from storefront.accounts.permissions import BOOTH_MANAGE, permission_required
from storefront.uploads import UploadError, read_limited
from vendors.audit import record_change

SUFFIXES = ("csv", "xlsx")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{24}$")
STAGED_MAX_AGE = 24 * 3600  # seconds an uploaded file waits for its apply
GUIDE = {
    "booth_name": _l("This booth's name. Optional; a row naming another booth is refused."),
    "entity_type": _l("Producer type. Optional here: the booth keeps its own."),
    "province": _l("Province. Optional here: the booth keeps its own."),
    "commune": _l("Commune or ward. Optional here: the booth keeps its own."),
    "address": _l("Address. Optional here: the booth keeps its own."),
    "product_name": _l("Product name. Products without a SKU are recognised by their name."),
    "group": _l("OCOP group (Thực phẩm, Đồ uống…) or a product set of Decision 148/2023."),
    "stars": _l("OCOP stars: 3, 4 or 5, or “Tiềm năng 5 sao”. Leave blank for a product without a certificate."),
    "ocop_status": _l("Certificate status: Đã công nhận (the default), Tiềm năng 5 sao, Hết hiệu lực, Bị thu hồi."),
    "certificate_no": _l("Number of the OCOP decision, such as 3105/QĐ-UBND."),
    "certified_on": _l("Date of the decision, 15/03/2024 or 2024-03-15. Needed with a decision number."),
    "price_vnd": _l("Price in đồng, such as 65000 or 65.000."),
    "stock": _l("Stock: a whole number."),
    "unit": _l("Unit of sale, such as hộp or chai."),
    "weight_g": _l("Weight in grams."),
    "gtin": _l("Barcode (GTIN); its check digit is verified."),
    "sku": _l("Your own product code, used once in the booth; products are recognised by it."),
    "description": _l("Description; simple HTML is kept, anything unsafe is removed."),
}
WRONG_TYPE = _l("Only .xlsx or .csv (UTF-8) files are accepted.")
STALE = _l("This preview is no longer available: it has been applied already or has expired. "
           "Upload the file again to see a new preview.")


class UploadForm(FlaskForm):
    file = FileField(_l("Spreadsheet (.xlsx or .csv, at most 10 MB)"), [
        FileRequired(_l("Choose a .xlsx or .csv file.")),
        FileAllowed(SUFFIXES, WRONG_TYPE),
    ])


class ApplyForm(FlaskForm):
    token = HiddenField()


# Staged uploads and the import itself: services, no request in here.

def _folder(booth):
    return Path(current_app.instance_path) / "uploads" / "spreadsheets" / str(booth.id)


def _sweep(folder):
    """Remove uploads that were previewed and never applied."""
    limit = time.time() - STAGED_MAX_AGE
    for path in folder.glob("*"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def stage_file(booth, data, suffix):
    """Keep an upload for its apply; returns its path, named by a fresh random token."""
    folder = _folder(booth)
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    path = folder / f"{secrets.token_urlsafe(18)}.{suffix}"
    path.write_bytes(data)
    return path


def claim_staged(booth, token):
    """The staged file of `token` in this booth, taken so that no second apply can have it; or None."""
    if not token or not TOKEN.match(token):
        return None
    for suffix in SUFFIXES:
        path = _folder(booth) / f"{token}.{suffix}"
        claimed = path.with_name(f"{token}.applying.{suffix}")
        try:
            if path.stat().st_mtime < time.time() - STAGED_MAX_AGE:
                path.unlink(missing_ok=True)
                return None
            os.rename(path, claimed)  # atomic: of two applies at once, one gets the file
        except FileNotFoundError:
            continue
        return claimed
    return None


def preview_spreadsheet(booth, upload):
    """(token or None, report): a dry run of the booth's import; the file is kept only when it is clean.
    Raises UploadError or RegisterFileError for a file that cannot be read."""
    suffix = Path(upload.filename or "").suffix.lower().lstrip(".")
    if suffix not in SUFFIXES:
        raise UploadError(WRONG_TYPE)
    path = stage_file(booth, read_limited(upload), suffix)
    try:
        report = import_catalog(path, dry_run=True, vendor=booth)
    except Exception:
        path.unlink(missing_ok=True)
        raise
    if not report.ok:
        path.unlink(missing_ok=True)
        return None, report
    return path.name.split(".")[0], report


def apply_spreadsheet(booth, path, user):
    """Import a claimed file into the booth for real, then delete it. Staff working for an assisted booth
    leave an audit entry with the counts, committed with the import itself."""

    def audit(report):
        summary = {"rows": report.rows, "certificates_added": report.certificates_added,
                   **{f"products_{k}": report.products[k] for k in ("created", "updated", "unchanged")}}
        if report.written:
            record_change(user, booth.id, "products.import", after=summary)

    try:
        return import_catalog(path, vendor=booth, before_commit=audit)
    finally:
        path.unlink(missing_ok=True)


# Views.

def _guide():
    return [(name, VIETNAMESE[name], name in BOOTH_IMPORT_REQUIRED, GUIDE[name]) for name in COLUMNS]


def _upload_page(vendor, form, template="manage/spreadsheet_upload.html", **context):
    return render_template(template, vendor=vendor, form=form, guide=_guide(), title=_("Products by spreadsheet"),
                           **context)


@bp.get("/spreadsheet")
@permission_required(BOOTH_MANAGE, load=load_booth)
def spreadsheet(vendor, booth):
    return _upload_page(vendor, UploadForm())


@bp.post("/spreadsheet/preview")
@permission_required(BOOTH_MANAGE, load=load_booth)
def spreadsheet_preview(vendor, booth):
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(vendor, form), 400
    try:
        token, report = preview_spreadsheet(vendor, form.file.data)
    except (UploadError, RegisterFileError) as exc:
        form.file.errors.append(str(exc))
        return _upload_page(vendor, form), 400
    apply_form = ApplyForm(token=token) if token else None
    return _upload_page(vendor, UploadForm(formdata=None), "manage/spreadsheet_preview.html", report=report,
                        apply_form=apply_form), 200 if report.ok else 400


@bp.post("/spreadsheet/apply")
@permission_required(BOOTH_MANAGE, load=load_booth)
def spreadsheet_apply(vendor, booth):
    form = ApplyForm()
    path = claim_staged(vendor, form.token.data) if form.validate_on_submit() else None
    if path is None:
        return _upload_page(vendor, UploadForm(formdata=None), notice=STALE), 400
    try:
        report = apply_spreadsheet(vendor, path, current_user._get_current_object())
    except RegisterFileError as exc:
        return _upload_page(vendor, UploadForm(formdata=None), notice=str(exc)), 400
    if not report.ok:  # the catalogue changed since the preview: nothing was written
        return _upload_page(vendor, UploadForm(formdata=None), "manage/spreadsheet_preview.html", report=report,
                            apply_form=None), 400
    return render_template("manage/spreadsheet_apply.html", vendor=vendor, report=report,
                           title=_("Spreadsheet applied"))


@bp.get("/spreadsheet.xlsx")
@permission_required(BOOTH_MANAGE, load=load_booth)
def spreadsheet_download(vendor, booth):
    """The booth's catalogue as XLSX; `?blank=1` gives the empty template (the header row only)."""
    blank = bool(request.args.get("blank"))
    data = write_workbook(()) if blank else export_catalogue(vendor)
    name = f"{vendor.slug}-{'mau' if blank else 'san-pham'}.xlsx"
    return send_file(io.BytesIO(data), mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=name)
