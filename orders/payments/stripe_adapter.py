"""Every call to Stripe goes through here, with a timeout and the library's own network retries.

Amounts are VND, a zero-decimal currency: 150000 means 150.000 ₫. The API base comes from STRIPE_API_BASE
(empty: Stripe itself; tests point it at a local localstripe server)."""
import logging

import stripe
from flask import current_app

log = logging.getLogger(__name__)


class StripeUnavailable(Exception):
    """Stripe refused or could not be reached; the message is for logs, not for shoppers."""


class SignatureError(Exception):
    """A webhook whose signature, timestamp or body does not check out."""


def _client():
    app = current_app._get_current_object()
    client = app.extensions.get("stripe_client")
    if client is None:
        config = app.config
        base = config.get("STRIPE_API_BASE") or None
        client = stripe.StripeClient(
            config["STRIPE_SECRET_KEY"], base_addresses={"api": base} if base else None,
            max_network_retries=2, http_client=stripe.RequestsClient(timeout=config.get("STRIPE_TIMEOUT", 10)),
        )
        app.extensions["stripe_client"] = client
    return client


def _call(what, fn):
    try:
        return fn()
    except stripe.StripeError as exc:
        log.warning("stripe %s failed: %s", what, exc)
        raise StripeUnavailable(str(exc)) from exc


def _intent(pi):
    return {"id": pi.id, "status": pi.status, "amount": pi.amount, "currency": pi.currency,
            "client_secret": pi.client_secret}


def create_payment_intent(order):
    """A PaymentIntent for the order's total, with our own idempotency key and the order in its metadata."""
    params = {"amount": order.total_vnd, "currency": "vnd", "payment_method_types": ["card"],
              "metadata": {"order_code": order.code, "order_id": str(order.id)}}
    return _intent(_call("create", lambda: _client().v1.payment_intents.create(
        params, {"idempotency_key": f"order-{order.id}-pi"})))


def retrieve_payment_intent(intent_id):
    return _intent(_call("retrieve", lambda: _client().v1.payment_intents.retrieve(intent_id)))


def cancel_payment_intent(intent_id):
    return _intent(_call("cancel", lambda: _client().v1.payment_intents.cancel(intent_id)))


def create_refund(intent_id, amount, idempotency_key):
    """(refund id, status) for `amount` đồng of a PaymentIntent's charge."""
    refund = _call("refund", lambda: _client().v1.refunds.create(
        {"payment_intent": intent_id, "amount": amount}, {"idempotency_key": idempotency_key}))
    return refund.id, refund.status


def construct_event(payload, signature_header):
    """The verified event from a webhook's raw body and Stripe-Signature header, as plain dicts (the library's
    objects are not dicts: no `.get`), or SignatureError for a bad signature, a stale timestamp or a body
    that is not an event."""
    secret = current_app.config["STRIPE_WEBHOOK_SECRET"]
    try:
        event = stripe.Webhook.construct_event(payload, signature_header or "", secret,
                                               tolerance=current_app.config.get("STRIPE_WEBHOOK_TOLERANCE", 300))
        event = event.to_dict()
    except (ValueError, TypeError, AttributeError, stripe.SignatureVerificationError) as exc:
        # non-JSON or non-UTF-8 bodies are ValueErrors; a JSON list or string fails inside the library
        raise SignatureError(str(exc)) from exc
    data = event.get("data")
    if not (isinstance(event.get("id"), str) and 0 < len(event["id"]) <= 255 and isinstance(event.get("type"), str)
            and isinstance(data, dict) and isinstance(data.get("object"), dict)):
        raise SignatureError("the body is not a Stripe event")
    return event
