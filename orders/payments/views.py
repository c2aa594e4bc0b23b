"""Payment endpoints: the Stripe webhook and the card payment page."""
from flask import Blueprint

bp = Blueprint("payments", __name__)
