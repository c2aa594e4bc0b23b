"""The vendor dashboard's catalogue side: a booth's overview, products, certificates, images, stock and
spreadsheets, all under /vendor/<booth>/ and all behind permissions.BOOTH_MANAGE."""
from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/vendor/<booth>")

from catalog.manage import overview, products, spreadsheet  # noqa: E402,F401  (routes on bp)
