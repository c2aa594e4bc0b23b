"""Programme staff's side of orders under /staff/: every order, transfers received, unpaid orders cancelled,
refunds, every booth's ledger with payouts and commission rates, and the ledger as CSV. Each action is one
service call; a refused one shows the page again with the reason (400)."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from orders import fulfilment, ledger, staff_queries, statements, terms
from orders.errors import OrderError
from orders.fulfilment import PAYMENT_METHODS, PAYMENT_STATUSES
from orders.manage import queries
from orders.manage.forms import ActionForm, CancelOrderForm, CommissionForm, PayoutForm, RefundForm
from orders.manage.helpers import (all_errors, form_page, is_id, not_stored, page_number, pages_for, resent,
                                   show_error, template_helpers)
from orders.manage.statement import csv_response
from orders.models import BoothOrder
from orders.permissions import STAFF_ORDERS
from storefront.accounts.permissions import permission_required
from storefront.extensions import db
from storefront.money import vnd
from vendors.models import Vendor

bp = Blueprint("orders_staff", __name__, url_prefix="/staff")
bp.after_request(not_stored)
bp.context_processor(template_helpers)


def _order(order_id, **_ids):
    return staff_queries.get_order(order_id) if is_id(order_id) else None


def _booth_order(order_id, booth_order_id, **_ids):
    """The booth order only when it is part of the order in the URL."""
    bo = db.session.get(BoothOrder, booth_order_id) if is_id(booth_order_id) else None
    return bo if bo is not None and bo.order_id == order_id else None


def _vendor(vendor_id, **_ids):
    return db.session.get(Vendor, vendor_id) if is_id(vendor_id) else None


# -- orders ---------------------------------------------------------------------------------------------------

@bp.get("/orders")
@permission_required(STAFF_ORDERS)
def order_list():
    filters = staff_queries.clean_filters(request.args)
    page = page_number()
    items, total = staff_queries.list_orders(filters, page)
    return render_template("orders/staff/order_list.html", orders=items, total=total, filters=filters, page=page,
                           pages=pages_for(total, staff_queries.PER_PAGE, page), methods=PAYMENT_METHODS,
                           statuses=PAYMENT_STATUSES, booths=staff_queries.booth_choices())


def refund_form(bo, submitted=False):
    """The refund form of one booth order (prefixed: the order page has one per booth order)."""
    if submitted:
        return RefundForm(prefix=f"bo{bo.id}")
    return RefundForm(formdata=None, prefix=f"bo{bo.id}", amount=bo.total_vnd - bo.refunded_vnd)


def order_page(order, action_form=None, cancel_form=None, refund_forms=None):
    """The order's page; forms given carry the input and messages of a refused action (a refused form that
    is not shown has its messages at the top)."""
    booth_orders = order.booth_orders
    refund_forms = refund_forms or {}
    refundable = {bo.id for bo in booth_orders
                  if bo.settled_at is not None and bo.refunded_vnd < bo.total_vnd and bo.status != "cancelled"}
    unpaid = order.payment_status in ("pending", "failed")
    action_form = action_form or ActionForm(formdata=None)
    cancel_form = cancel_form or CancelOrderForm(formdata=None)
    hidden = [action_form] if not (unpaid and order.payment_method == "vietqr") else []
    hidden += [cancel_form] if not unpaid else []
    hidden += [form for bo_id, form in refund_forms.items() if bo_id not in refundable]
    return form_page(
        "orders/staff/order_detail.html", order=order, booth_orders=booth_orders,
        people=queries.people_of(booth_orders), entries=staff_queries.ledger_entries_of(order),
        refund_forms={bo.id: refund_forms.get(bo.id) or refund_form(bo) for bo in booth_orders if bo.id in refundable},
        action_form=action_form, cancel_form=cancel_form,
        stray_errors=[m for form in hidden for m in all_errors(form)])


@bp.get("/orders/<int:order_id>")
@permission_required(STAFF_ORDERS, load=_order)
def order_detail(order, order_id):
    return order_page(order)


def _back_to(order_id, message):
    flash(message, "success")
    return redirect(url_for("orders_staff.order_detail", order_id=order_id))


@bp.post("/orders/<int:order_id>/transfer-received")
@permission_required(STAFF_ORDERS, load=_order)
def order_transfer_received(order, order_id):
    form = ActionForm()
    if form.validate_on_submit():
        try:
            fulfilment.transfer_received(order, current_user)
        except OrderError as exc:
            show_error(form, exc)
        else:
            return _back_to(order_id, _("The transfer is recorded: the booths can now prepare the order."))
    return order_page(order, action_form=resent(form))


@bp.post("/orders/<int:order_id>/cancel")
@permission_required(STAFF_ORDERS, load=_order)
def order_cancel(order, order_id):
    form = CancelOrderForm()
    if form.validate_on_submit():
        try:
            fulfilment.cancel_order(order, current_user)
        except OrderError as exc:
            show_error(form, exc)
        else:
            return _back_to(order_id, _("The order is cancelled and its stock put back."))
    return order_page(order, cancel_form=resent(form))


@bp.post("/orders/<int:order_id>/booth-orders/<int:booth_order_id>/refund")
@permission_required(STAFF_ORDERS, load=_booth_order)
def booth_order_refund(bo, order_id, booth_order_id):
    form = refund_form(bo, submitted=True)
    if form.validate_on_submit():
        try:
            made = fulfilment.refund(bo, form.amount.data, current_user, form.reason.data or "")
        except OrderError as exc:
            show_error(form, exc)
        else:
            return _back_to(order_id, _("The refund of %(amount)s is recorded. The shopper has been told by e-mail.",
                                        amount=vnd(made.amount_vnd)))
    return order_page(bo.order, refund_forms={bo.id: resent(form)})


# -- ledger ---------------------------------------------------------------------------------------------------

@bp.get("/ledger")
@permission_required(STAFF_ORDERS)
def ledger_list():
    page = page_number()
    rows, count = statements.booth_balances(page)
    return render_template("orders/staff/ledger_list.html", rows=rows, count=count, page=page,
                           pages=pages_for(count, statements.PER_PAGE, page), sums=statements.totals(),
                           default_bp=terms.default_commission_bp())


def ledger_page(vendor, payout_form=None, commission_form=None):
    page = page_number()
    rows, count, sums = statements.statement_page(vendor.id, page)
    saved = terms.terms_of(vendor.id)
    return form_page("orders/staff/ledger_show.html", vendor=vendor, rows=rows, count=count, sums=sums, page=page,
                     pages=pages_for(count, statements.PER_PAGE, page), terms=saved,
                     default_bp=terms.default_commission_bp(),
                     payout_form=payout_form or PayoutForm(formdata=None),
                     commission_form=commission_form or CommissionForm(formdata=None, commission=saved.commission_bp))


@bp.get("/ledger/<int:vendor_id>")
@permission_required(STAFF_ORDERS, load=_vendor)
def ledger_show(vendor, vendor_id):
    return ledger_page(vendor)


@bp.post("/ledger/<int:vendor_id>/payouts")
@permission_required(STAFF_ORDERS, load=_vendor)
def payout_create(vendor, vendor_id):
    form = PayoutForm()
    if not form.validate_on_submit():
        return ledger_page(vendor, payout_form=resent(form))
    ledger.record_payout(vendor.id, form.amount.data, current_user, form.note.data or "")
    flash(_("The payout of %(amount)s to %(booth)s is recorded.", amount=vnd(form.amount.data), booth=vendor.name),
          "success")
    return redirect(url_for("orders_staff.ledger_show", vendor_id=vendor.id))


@bp.post("/ledger/<int:vendor_id>/commission")
@permission_required(STAFF_ORDERS, load=_vendor)
def commission_update(vendor, vendor_id):
    form = CommissionForm()
    if form.validate_on_submit():
        try:
            terms.set_commission(vendor, current_user, form.commission.data)
        except OrderError as exc:
            show_error(form, exc)
        else:
            flash(_("The commission rate is saved. It applies to new orders."), "success")
            return redirect(url_for("orders_staff.ledger_show", vendor_id=vendor.id))
    return ledger_page(vendor, commission_form=resent(form))


@bp.get("/ledger.csv")
@permission_required(STAFF_ORDERS)
def ledger_csv():
    booth = request.args.get("booth", "")
    vendor = _vendor(int(booth)) if booth.isascii() and booth.isdigit() and len(booth) < 10 else None
    if booth and vendor is None:
        abort(404)
    name = f"so-cai-{vendor.slug}" if vendor else "so-cai-tat-ca"
    return csv_response(statements.export_rows(vendor.id if vendor else None), f"{name}-{date.today():%Y%m%d}.csv")
