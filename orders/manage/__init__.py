"""The booth's side of orders under /vendor/<booth>/: its booth orders, shipping terms and ledger, all behind
permissions.BOOTH_MANAGE."""
from flask import Blueprint

bp = Blueprint("orders_manage", __name__, url_prefix="/vendor/<booth>")

from orders.manage import statement, views  # noqa: E402,F401  (routes on bp)
