"""Payment endpoints: Stripe's webhook, the card payment page, and the page that waits for the confirmation.

The browser never marks an order paid: only the signed `payment_intent.succeeded` webhook does
(orders.payments.webhooks). The card page is the only page that loads a third-party script (Stripe.js, from
STRIPE_JS_URL), so it alone gets a Content-Security-Policy that allows it."""
import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from orders import fulfilment, history
from orders.access import token_opens
from orders.errors import OrderError, PaymentFailed, PaymentInProgress
from orders.payments import stripe_adapter, webhooks
from storefront.accounts.security import policy_with_stripe
from storefront.extensions import csrf

bp = Blueprint("payments", __name__)
log = logging.getLogger(__name__)
WEBHOOK_MAX_BYTES = 256 * 1024  # Stripe's events are a few kilobytes
WAIT_FAST, WAIT_SLOW, FAST_TRIES = 3, 30, 20  # seconds between reloads of the waiting page, and how many quick ones


@bp.after_request
def _not_stored(response):
    """The payment pages carry a client secret and are for one shopper: nobody keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/payments/stripe/webhook")
@csrf.exempt  # a machine endpoint: the Stripe-Signature header is its proof, not a CSRF token
def stripe_webhook():
    request.max_content_length = WEBHOOK_MAX_BYTES
    try:
        event = stripe_adapter.construct_event(request.get_data(), request.headers.get("Stripe-Signature"))
    except stripe_adapter.SignatureError as exc:
        log.warning("stripe webhook refused: %s", exc)
        return {"error": "invalid signature or payload"}, 400
    return {"received": webhooks.handle_event(event)}, 200


def _open_order(code):
    """(order, token) for its signed-in owner or whoever holds its signed link (`t`); anyone else a 404."""
    order = history.order_by_code(code)
    if order is None:
        abort(404)
    if current_user.is_authenticated and order.user_id == current_user.id:
        return order, None
    token = request.args.get("t")
    if token_opens(token, order.code):
        return order, token
    abort(404)


def _order_page(order, token):
    return url_for("orders.order_detail", code=order.code, t=token)


def _awaits_card(order):
    return order.payment_method == "card" and order.payment_status in ("pending", "failed")


@bp.get("/orders/<code>/pay")
def order_pay(code):
    """The card form (Stripe.js), or a clear message and a retry button when Stripe cannot be reached."""
    order, token = _open_order(code)
    if not _awaits_card(order):
        return redirect(_order_page(order, token), 303)
    error, client_secret = None, None
    try:
        client_secret = fulfilment.start_card_payment(order)
    except PaymentInProgress:
        return redirect(url_for("payments.order_pay_wait", code=order.code, t=token), 303)
    except PaymentFailed as exc:
        error = str(exc)
    except OrderError as exc:  # the deadline passed, or the intent was cancelled
        flash(str(exc), "error")
        return redirect(_order_page(order, token), 303)
    config = current_app.config
    response = current_app.make_response((render_template(
        "orders/payment_show.html", order=order, token=token, error=error, client_secret=client_secret,
        stripe_js_url=config["STRIPE_JS_URL"], publishable_key=config["STRIPE_PUBLISHABLE_KEY"],
        stripe_locale="vi" if str(get_locale()) == "vi" else "en",
    ), 503 if error else 200))
    if client_secret:
        response.headers["Content-Security-Policy"] = policy_with_stripe(config["STRIPE_JS_URL"])
    return response


@bp.get("/orders/<code>/pay/wait")
def order_pay_wait(code):
    """After Stripe.js confirmed the card: reloads itself until the webhook has marked the order paid."""
    order, token = _open_order(code)
    if order.payment_status == "paid":
        flash(_("Payment received. Thank you!"), "success")
        return redirect(_order_page(order, token), 303)
    if not _awaits_card(order):
        return redirect(_order_page(order, token), 303)
    tries = request.args.get("n", "0")
    tries = min(int(tries), 10_000) if tries.isascii() and tries.isdigit() and len(tries) <= 6 else 0
    slow = tries >= FAST_TRIES
    return render_template("orders/payment_wait.html", order=order, token=token, slow=slow,
                           reload_in=WAIT_SLOW if slow else WAIT_FAST,
                           reload_url=url_for("payments.order_pay_wait", code=order.code, t=token, n=tries + 1))
