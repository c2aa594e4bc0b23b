"""The producer's side of onboarding under /vendor/: my booths, apply, fix a rejected application, the booth
profile, the audit log and application documents. Each view checks a permission, calls one service and
redirects, or re-renders its form (400) with the messages and what was typed."""
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from storefront.accounts.permissions import (BOOTH_APPLY, BOOTH_MANAGE, Permission, define,
                                             permission_required)
from storefront.media import storage
from vendors import services
from vendors.entities import DOCUMENT_KINDS, VENDOR_STATUSES
from vendors.forms import ApplicationForm, ProfileForm

bp = Blueprint("vendors", __name__)

ACTION_LABELS = {
    "booth.update": _l("changed the booth profile"),
    "booth.resubmit": _l("sent the application again"),
    "booth.assist": _l("changed who runs the booth"),
    "marketplace.credentials": _l("saved marketplace credentials"),
    "marketplace.credentials.delete": _l("removed marketplace credentials"),
    "marketplace.push": _l("sent products to a marketplace"),
}


def _member_or_staff(user, obj):
    return user.is_staff or any(m.vendor_id == obj.vendor_id for m in user.memberships)


# Application documents are read by the booth's members and by any programme staff, who review them.
BOOTH_DOCUMENTS = define(Permission("booth.documents", lambda user: user.is_staff or user.is_booth_member,
                                    _member_or_staff)).name


def _booth(booth, **_ignored):
    return services.booth_by_slug(booth)


@bp.context_processor
def template_helpers():
    """Labels for booth statuses, document kinds and audit actions (also used by the staff pages)."""
    return {"booth_status": VENDOR_STATUSES.label, "document_kind": DOCUMENT_KINDS.label,
            "action_label": lambda code: ACTION_LABELS.get(code, code)}


@bp.after_request
def _not_stored(response):
    """Dashboard pages and documents are personal: no browser or proxy keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


def show_error(form, exc):
    field = getattr(form, exc.field, None) if exc.field else None
    (field.errors if field is not None else form.form_errors).append(str(exc))


def _form_page(template, **context):
    return render_template(template, **context), 400 if request.method == "POST" else 200


@bp.get("/vendor/")
@permission_required(BOOTH_APPLY)
def booth_list():
    return render_template("vendors/booth_list.html", booths=services.booths_of(current_user))


@bp.route("/vendor/apply", methods=["GET", "POST"])
@permission_required(BOOTH_APPLY)
def application_create():
    form = ApplicationForm()
    if form.validate_on_submit():
        try:
            vendor = services.apply_for_booth(current_user, form.documents(), **form.values())
        except services.BoothError as exc:
            show_error(form, exc)
        else:
            flash(_("Thank you! Your application is waiting for review by the programme staff."), "success")
            return redirect(url_for("vendors.application_edit", booth=vendor.slug))
    return _form_page("vendors/application_create.html", form=form)


@bp.route("/vendor/<booth>/application", methods=["GET", "POST"])
@permission_required(BOOTH_MANAGE, load=_booth)
def application_edit(vendor, booth):
    form = ApplicationForm(obj=vendor if request.method == "GET" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.resubmit_application(current_user, vendor, form.documents(), **form.values())
        except services.BoothError as exc:
            show_error(form, exc)
        else:
            flash(_("Your application has been sent again for review."), "success")
            return redirect(url_for("vendors.application_edit", booth=vendor.slug))
    return _form_page("vendors/application_edit.html", form=form, vendor=vendor)


@bp.route("/vendor/<booth>/profile", methods=["GET", "POST"])
@permission_required(BOOTH_MANAGE, load=_booth)
def profile_edit(vendor, booth):
    form = ProfileForm(obj=vendor if request.method == "GET" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.update_booth_profile(current_user, vendor, **form.values())
        except services.BoothError as exc:
            show_error(form, exc)
        else:
            flash(_("The booth profile has been saved."), "success")
            return redirect(url_for("vendors.profile_edit", booth=vendor.slug))
    return _form_page("vendors/profile_edit.html", form=form, vendor=vendor)


@bp.get("/vendor/<booth>/audit")
@permission_required(BOOTH_MANAGE, load=_booth)
def audit_list(vendor, booth):
    return render_template("vendors/audit_list.html", vendor=vendor, entries=services.audit_entries(vendor))


@bp.get("/vendor/<booth>/documents/<int:document_id>")
@permission_required(BOOTH_DOCUMENTS, load=services.document_of_booth)
def document_show(document, booth, document_id):
    path = storage().document_path(document.key)
    if path is None or not path.exists():
        abort(404)
    return send_file(path, mimetype=document.content_type, as_attachment=True, download_name=document.filename)
