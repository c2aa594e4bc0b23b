"""Small readiness checks shared by the exporters. Each takes a ListingItem (and the marketplace's limits) and
returns a Blocker, or None when the product passes. Codes are stable: tests, screens and CSV reports use them.

    service            a tourism service: nothing to ship, cannot be listed as goods
    no_weight          no packed weight
    no_dimensions      length, width or height missing
    no_picture         no picture at all
    picture_small      a picture under the minimum (detail: width, height, minimum)
    description_short  the description's text is too short (detail: length, minimum)
    description_long   the description's HTML is too long (detail: length, limit)
    name_short         (detail: length, limit)
    name_long          (detail: length, limit)
    no_category        no category mapped for the product's group or set (detail: invalid, when the mapped
                       value is not the integer id the marketplace needs)
    no_certificate     a food product without a valid OCOP certificate
    no_shelf_life      a food product without a shelf life
    price_rule         sale price above the list price or under 10 % of it (detail: price, list_price)
"""
from catalog.exporters.base import Blocker

MIN_PICTURE_PX = 500
MIN_PRICE_SHARE = 10  # per cent of the list price a sale price may not go under


def service(item):
    """Tourism services have nothing to ship."""
    return Blocker("service") if item.is_service else None


def weight(item):
    """A packed weight in grams, above zero."""
    return None if item.weight_g and item.weight_g > 0 else Blocker("no_weight", "weight")


def dimensions(item):
    """Packed length, width and height in cm, all above zero."""
    sizes = (item.length_cm, item.width_cm, item.height_cm)
    return None if all(s and s > 0 for s in sizes) else Blocker("no_dimensions", "dimensions")


def pictures(item, minimum=MIN_PICTURE_PX):
    """At least one picture, and every picture at least `minimum` px on both sides (the first too small
    one is reported)."""
    if not item.pictures:
        return Blocker("no_picture", "pictures")
    for picture in item.pictures:
        if picture.width < minimum or picture.height < minimum:
            return Blocker("picture_small", "pictures",
                           {"width": picture.width, "height": picture.height, "minimum": minimum})
    return None


def description(item, minimum=0, limit=None):
    """The description's text (tags stripped, whitespace collapsed) is at least `minimum` characters, and
    its HTML (what is sent) at most `limit`."""
    length = len(item.description_text)
    if length < minimum:
        return Blocker("description_short", "description", {"length": length, "minimum": minimum})
    if limit is not None and len(item.description_html) > limit:
        return Blocker("description_long", "description", {"length": len(item.description_html), "limit": limit})
    return None


def name(item, minimum=1, limit=255):
    """A name of `minimum` to `limit` characters (surrounding spaces do not count)."""
    length = len(item.name.strip())
    if length < minimum:
        return Blocker("name_short", "name", {"length": length, "limit": minimum})
    if length > limit:
        return Blocker("name_long", "name", {"length": length, "limit": limit})
    return None


def category(item, numeric=False):
    """A category is mapped; with `numeric`, it is the integer id the marketplace's API or file needs."""
    if not item.category:
        return Blocker("no_category", "category")
    if numeric and not (item.category.isascii() and item.category.isdigit()):
        return Blocker("no_category", "category", {"invalid": item.category})
    return None


def certificate(item):
    """Food (catalog.ocop.FOOD_GROUPS) needs a valid OCOP certificate: marketplaces ask for its documents."""
    return Blocker("no_certificate", "certificate") if item.is_food and item.ocop_star is None else None


def shelf_life(item):
    """Food needs a shelf life (Tiki's require_expiry_date, Voso's han_su_dung)."""
    return Blocker("no_shelf_life", "shelf_life") if item.is_food and not item.shelf_life_days else None


def price(item):
    """The sale price is at most the list price and at least 10 % of it (Tiki's rule, kept for the files)."""
    sale, listed = item.price_vnd, item.list_price_vnd
    if sale > listed or sale * 100 < listed * MIN_PRICE_SHARE:
        return Blocker("price_rule", "price", {"price": sale, "list_price": listed})
    return None


def collect(item, checks):
    """The blockers of `checks` (callables item -> Blocker | None), in order. A service blocks alone: the
    other checks are about goods."""
    if item.is_service:
        return [service(item)]
    return [b for b in (check(item) for check in checks) if b is not None]
