"""Programme staff's marketplace pages, under /staff/marketplaces."""
from flask import Blueprint

import catalog.listings.permissions  # noqa: F401  (defines STAFF_MARKETPLACES)

bp = Blueprint("listings_staff", __name__, url_prefix="/staff/marketplaces")

from catalog.listings import staff_grid  # noqa: E402,F401  (the product × marketplace grid's routes)
