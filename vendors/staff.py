"""The staff review queue under /staff/: open an application, approve or reject it, suspend or reopen a booth,
and mark a booth as assisted. A refused action (say, approving a booth that is not waiting) goes back to the
application, which now shows the booth as it is, with a message saying why."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from storefront.accounts.permissions import STAFF_ASSIST, STAFF_REVIEW, permission_required
from storefront.extensions import db
from storefront.urls import safe_next
from vendors import services
from vendors.entities import VENDOR_STATUSES
from vendors.forms import ActionForm, AssistedForm, RejectForm
from vendors.models import Vendor
from vendors.views import template_helpers

bp = Blueprint("staff", __name__, url_prefix="/staff")
bp.context_processor(template_helpers)


def _vendor(vendor_id):
    return db.session.get(Vendor, vendor_id)


@bp.after_request
def _not_stored(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _review_page(vendor, reject_form=None, status=200):
    return render_template(
        "staff/application_show.html", vendor=vendor,
        reject_form=reject_form or RejectForm(formdata=None), action_form=ActionForm(formdata=None),
        assisted_form=AssistedForm(formdata=None, is_assisted="0" if vendor.is_assisted else "1"),
    ), status


def _back(vendor, form):
    return redirect(safe_next(form.next.data, url_for("staff.application_show", vendor_id=vendor.id)))


def _act(vendor, form, service, done, *args):
    """Run one staff action on `vendor`; a refused one shows the application again with the reason."""
    if not form.validate_on_submit():
        flash(_("The form was not sent correctly. Please try again."), "error")
        return _back(vendor, form)
    try:
        service(current_user, vendor, *args)
    except services.BoothError as exc:
        flash(str(exc), "error")
    else:
        flash(done, "success")
    return _back(vendor, form)


@bp.get("/applications")
@permission_required(STAFF_REVIEW)
def application_list():
    status = request.args.get("status", "")
    if status not in VENDOR_STATUSES:
        status = ""
    return render_template("staff/application_list.html", booths=services.review_queue(status or None),
                           status=status, statuses=VENDOR_STATUSES)


@bp.get("/applications/<int:vendor_id>")
@permission_required(STAFF_REVIEW, load=_vendor)
def application_show(vendor, vendor_id):
    return _review_page(vendor)


@bp.post("/applications/<int:vendor_id>/approve")
@permission_required(STAFF_REVIEW, load=_vendor)
def application_approve(vendor, vendor_id):
    return _act(vendor, ActionForm(), services.approve_booth, _("The booth is open and its owner has been told."))


@bp.post("/applications/<int:vendor_id>/reject")
@permission_required(STAFF_REVIEW, load=_vendor)
def application_reject(vendor, vendor_id):
    form = RejectForm()
    if not form.validate_on_submit():
        return _review_page(vendor, reject_form=form, status=400)
    try:
        services.reject_booth(current_user, vendor, form.reason.data)
    except services.ReasonRequired as exc:
        form.reason.errors.append(str(exc))
        return _review_page(vendor, reject_form=form, status=400)
    except services.BoothError as exc:
        flash(str(exc), "error")
        return _back(vendor, form)
    flash(_("The application has been sent back and the applicant has been told why."), "success")
    return _back(vendor, form)


@bp.post("/booths/<int:vendor_id>/suspend")
@permission_required(STAFF_REVIEW, load=_vendor)
def booth_suspend(vendor, vendor_id):
    return _act(vendor, ActionForm(), services.suspend_booth,
                _("The booth and its products are hidden from the shop."))


@bp.post("/booths/<int:vendor_id>/reinstate")
@permission_required(STAFF_REVIEW, load=_vendor)
def booth_reinstate(vendor, vendor_id):
    return _act(vendor, ActionForm(), services.reinstate_booth, _("The booth is open again."))


@bp.post("/booths/<int:vendor_id>/assisted")
@permission_required(STAFF_ASSIST, load=_vendor)
def booth_assisted(vendor, vendor_id):
    form = AssistedForm()
    on = form.is_assisted.data == "1"
    done = _("Programme staff now run this booth for its household.") if on else _(
        "The booth is run by its own members again.")
    return _act(vendor, form, services.set_assisted, done, on)
