"""QR codes for listings (placeholder: the API/QR helper replaces this module)."""
from flask import Blueprint

bp = Blueprint("qr", __name__)
