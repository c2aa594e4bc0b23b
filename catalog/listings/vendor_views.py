"""The vendor dashboard's "Bán trên sàn" (sell on marketplaces) pages, under /vendor/<booth>/marketplaces."""
from flask import Blueprint

import catalog.listings.permissions  # noqa: F401  (defines STAFF_MARKETPLACES)

bp = Blueprint("listings_manage", __name__, url_prefix="/vendor/<booth>/marketplaces")
