"""What the vendor's and the staff's grid pages share: page numbers, the words templates repeat, and where a
blocker's fix is on the product form."""
from flask import abort, request, url_for
from flask_babel import to_user_timezone

from catalog.exporters.messages import describe
from catalog.exporters.messages import label as blocker_label
from catalog.listings.forms import CREDENTIAL_LABELS
from catalog.listings.grid import STATUSES
from catalog.listings.models import MARKETPLACES
from catalog.listings.services import label as marketplace_label

PER_PAGE = 50
# Blocker.fix → the element of the product form (templates/manage/product_form.html) that fixes it.
FIX_ANCHORS = {
    "name": "name",
    "description": "description",
    "price": "price_vnd",
    "weight": "weight_g",
    "dimensions": "length_cm",
    "pictures": "images",
    "certificate": "certificates",
    "shelf_life": "shelf_life_days",
}


def page_number():
    page = request.args.get("page", "1")
    if not (page.isascii() and page.isdigit()) or not 0 < int(page) <= 10_000:
        abort(404)
    return int(page)


def check_page(grid_page):
    """A page past the last one is a 404 (the first page always exists, even when empty)."""
    if grid_page.page > grid_page.pages:
        abort(404)
    return grid_page


def fix_url(booth_slug, product_id, blocker):
    """Where on the product form the booth fixes this blocker, or None (staff fix it, or nothing can)."""
    anchor = FIX_ANCHORS.get(blocker.fix)
    if anchor is None:
        return None
    return url_for("manage.product_edit", booth=booth_slug, product_id=product_id, _anchor=anchor)


def local_time(when, pattern="%d/%m/%Y %H:%M"):
    return to_user_timezone(when).strftime(pattern) if when else ""


def template_helpers():
    return {"status_label": STATUSES.label, "statuses": STATUSES, "marketplaces": MARKETPLACES,
            "marketplace_label": marketplace_label, "credential_marketplaces": tuple(CREDENTIAL_LABELS),
            "describe": describe, "blocker_label": blocker_label, "fix_url": fix_url, "local_time": local_time}


def not_stored(response):
    """Dashboard and staff pages are for one signed-in person: no browser or proxy keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response
