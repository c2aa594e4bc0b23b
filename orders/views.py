"""Shopper pages of the orders domain: cart, checkout, the order pages (routes added below)."""
from flask import Blueprint

bp = Blueprint("orders", __name__)
