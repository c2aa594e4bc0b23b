"""Programme staff's side of orders under /staff/: every order, transfers received, refunds, payouts, ledgers."""
from flask import Blueprint

bp = Blueprint("orders_staff", __name__, url_prefix="/staff")
