"""Cart, checkout, booth orders, payments (cash on delivery, Stripe cards, VietQR transfers) and each
booth's ledger. `init_app` connects the domain to the others: a product on an order is never hard-deleted,
and a guest's cart joins the saved one at sign-in."""
import sqlalchemy as sa
from flask import session
from flask_login import user_logged_in


def _has_order_lines(product_id):
    from orders.models import OrderLine
    from storefront.extensions import db

    return db.session.scalar(sa.select(OrderLine.id).where(OrderLine.product_id == product_id).limit(1)) is not None


def _merge_cart(_app, user, **_extra):
    from orders.cart import SavedCart, SessionCart, merge_into_saved

    guest = SessionCart(session)
    items = guest.items()
    if items:
        merge_into_saved(items, SavedCart(user))
        guest.clear()


def init_app(app):
    import orders.permissions  # noqa: F401  (defines STAFF_ORDERS)
    from catalog.services import ORDER_CHECKS

    if _has_order_lines not in ORDER_CHECKS:
        ORDER_CHECKS.append(_has_order_lines)
    user_logged_in.connect(_merge_cart, app)
