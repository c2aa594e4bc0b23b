"""Signed links that let a guest open their own order from the e-mail, without an account."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from storefront.urls import canonical_url

SALT = "order-access"


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def order_token(order):
    return _serializer().dumps(order.code)


def token_opens(token, code):
    """Whether `token` was signed by us for the order `code`."""
    try:
        return _serializer().loads(token or "") == code
    except BadSignature:
        return False


def order_link(order):
    """The order's absolute page URL; guests' links carry the signed token."""
    if order.user_id:
        return canonical_url("orders.order_detail", code=order.code)
    return canonical_url("orders.order_detail", code=order.code, t=order_token(order))
