"""A booth's orders in its dashboard: the list, one booth order with its actions (confirm, pack, ship,
deliver, cancel, refund), and the booth's shipping terms. Each action is one fulfilment service call; a
refused one shows the page again with the reason under the form (400)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from orders import fulfilment, terms
from orders.errors import OrderError
from orders.manage import bp, queries
from orders.manage.forms import (ADVANCE_TARGETS, CARRIERS, AdvanceForm, CancelForm, RefundForm, ShipForm,
                                 ShippingForm)
from orders.manage.helpers import (all_errors, form_page, load_booth, load_booth_order, not_stored, page_number,
                                   pages_for, resent, show_error, template_helpers)
from storefront.accounts.permissions import BOOTH_MANAGE, permission_required
from storefront.money import vnd

bp.after_request(not_stored)
bp.context_processor(template_helpers)


@bp.get("/orders")
@permission_required(BOOTH_MANAGE, load=load_booth)
def booth_order_list(vendor, booth):
    show = request.args.get("show") if request.args.get("show") in queries.filters() else None
    page = page_number()
    items, total = queries.list_booth_orders(vendor.id, show=show, page=page)
    return render_template("orders/manage/booth_order_list.html", vendor=vendor, booth_orders=items, total=total,
                           show=show, page=page, pages=pages_for(total, queries.PER_PAGE, page),
                           counts=queries.booth_order_counts(vendor.id))


def detail_page(bo, **given):
    """The booth order's page with the action forms its status allows (those given carry the input and
    messages of a refused action; a refused form that is not shown has its messages at the top)."""
    remaining = bo.total_vnd - bo.refunded_vnd
    following = fulfilment.next_statuses(bo)
    can_refund = bo.settled_at is not None and remaining > 0 and bo.status != "cancelled"
    forms = {"advance_form": given.get("advance_form") or AdvanceForm(formdata=None),
             "ship_form": given.get("ship_form") or ShipForm(formdata=None),
             "cancel_form": given.get("cancel_form") or CancelForm(formdata=None),
             "refund_form": given.get("refund_form") or RefundForm(formdata=None, amount=remaining)}
    shown = {"advance_form": any(t in following for t in ADVANCE_TARGETS), "ship_form": "shipped" in following,
             "cancel_form": "cancelled" in following, "refund_form": can_refund}
    return form_page(
        "orders/manage/booth_order_detail.html", vendor=bo.vendor, bo=bo, order=bo.order, next_statuses=following,
        is_payable=fulfilment.is_payable(bo.order), can_refund=can_refund, remaining=remaining,
        people=queries.people_of([bo]), carriers=CARRIERS,
        stray_errors=[m for name, form in forms.items() if not shown[name] for m in all_errors(form)], **forms)


@bp.get("/orders/<int:booth_order_id>")
@permission_required(BOOTH_MANAGE, load=load_booth_order)
def booth_order_detail(bo, booth, booth_order_id):
    return detail_page(bo)


def _done(bo, message):
    flash(message, "success")
    return redirect(url_for("orders_manage.booth_order_detail", booth=bo.vendor.slug, booth_order_id=bo.id))


def _advance(bo, form, form_name, target, **details):
    """Move the booth order to `target` with one service call; a refusal re-renders the page (400)."""
    if bo.status == target:  # a second press of the same button, or two members pressing it together
        flash(_("This order is already: %(status)s.", status=fulfilment.BOOTH_STATUSES.label(target)), "info")
        return redirect(url_for("orders_manage.booth_order_detail", booth=bo.vendor.slug, booth_order_id=bo.id))
    try:
        fulfilment.advance(bo, target, current_user, **details)
    except OrderError as exc:
        show_error(form, exc)
        return detail_page(bo, **{form_name: form})
    return _done(bo, _("The order is now: %(status)s. The shopper has been told by e-mail.",
                       status=fulfilment.BOOTH_STATUSES.label(target)))


@bp.post("/orders/<int:booth_order_id>/advance")
@permission_required(BOOTH_MANAGE, load=load_booth_order)
def booth_order_advance(bo, booth, booth_order_id):
    form = AdvanceForm()
    if not form.validate_on_submit():
        form.form_errors.extend(form.to.errors)
        return detail_page(bo, advance_form=resent(form))
    return _advance(bo, form, "advance_form", form.to.data)


@bp.post("/orders/<int:booth_order_id>/ship")
@permission_required(BOOTH_MANAGE, load=load_booth_order)
def booth_order_ship(bo, booth, booth_order_id):
    form = ShipForm()
    if not form.validate_on_submit():
        return detail_page(bo, ship_form=resent(form))
    return _advance(bo, form, "ship_form", "shipped", carrier=form.carrier.data,
                    tracking_code=form.tracking_code.data)


@bp.post("/orders/<int:booth_order_id>/cancel")
@permission_required(BOOTH_MANAGE, load=load_booth_order)
def booth_order_cancel(bo, booth, booth_order_id):
    form = CancelForm()
    if not form.validate_on_submit():
        return detail_page(bo, cancel_form=resent(form))
    return _advance(bo, form, "cancel_form", "cancelled", note=form.note.data or "")


@bp.post("/orders/<int:booth_order_id>/refund")
@permission_required(BOOTH_MANAGE, load=load_booth_order)
def booth_order_refund(bo, booth, booth_order_id):
    form = RefundForm()
    if form.validate_on_submit():
        try:
            made = fulfilment.refund(bo, form.amount.data, current_user, form.reason.data or "")
        except OrderError as exc:
            show_error(form, exc)
        else:
            return _done(bo, _("The refund of %(amount)s is recorded. The shopper has been told by e-mail.",
                               amount=vnd(made.amount_vnd)))
    return detail_page(bo, refund_form=resent(form))


@bp.route("/shipping", methods=["GET", "POST"])
@permission_required(BOOTH_MANAGE, load=load_booth)
def shipping_terms(vendor, booth):
    saved = terms.terms_of(vendor.id)
    form = ShippingForm(data={"shipping_fee": saved.shipping_fee_vnd, "free_over": saved.free_shipping_over_vnd})
    if form.validate_on_submit():
        try:
            terms.update_shipping_terms(vendor, current_user, form.shipping_fee.data, form.free_over.data)
        except OrderError as exc:
            show_error(form, exc)
        else:
            flash(_("Your shipping terms are saved. They apply to new orders."), "success")
            return redirect(url_for("orders_manage.shipping_terms", booth=vendor.slug))
    resent(form)
    return form_page("orders/manage/shipping_form.html", vendor=vendor, form=form, terms=saved)
