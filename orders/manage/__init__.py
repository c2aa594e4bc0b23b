"""The booth's side of orders under /vendor/<booth>/: its booth orders, shipping terms and ledger."""
from flask import Blueprint

bp = Blueprint("orders_manage", __name__, url_prefix="/vendor/<booth>")
