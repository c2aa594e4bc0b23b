"""Blockers as sentences in the user's language (Vietnamese by default), for the grids, the push results
and the CLI's summary."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from storefront.money import vnd

# A short name per blocker code, for summaries and filters ("top reasons: no weight (12)…").
LABELS = {
    "service": _l("a service, not goods"),
    "no_weight": _l("no weight"),
    "no_dimensions": _l("no dimensions"),
    "no_picture": _l("no picture"),
    "picture_small": _l("picture too small"),
    "description_short": _l("description too short"),
    "description_long": _l("description too long"),
    "name_short": _l("name too short"),
    "name_long": _l("name too long"),
    "no_category": _l("no category mapped"),
    "no_certificate": _l("no valid OCOP certificate"),
    "no_shelf_life": _l("no shelf life"),
    "price_rule": _l("price rule broken"),
}


def label(code):
    """The short name of a blocker code (the code itself when unknown)."""
    return str(LABELS[code]) if code in LABELS else code


def _no_category(d):
    if d.get("invalid"):
        return _("The category mapped for this group (“%(value)s”) is not a category number: staff must correct "
                 "the mapping.", value=d["invalid"])
    return _("No marketplace category is mapped for this product's group: staff must add one.")


def _price_rule(d):
    if d["price"] > d["list_price"]:
        return _("The price (%(price)s) is above the list price (%(list_price)s).",
                 price=vnd(d["price"]), list_price=vnd(d["list_price"]))
    return _("The price (%(price)s) is less than 10 %% of the list price (%(list_price)s).",
             price=vnd(d["price"]), list_price=vnd(d["list_price"]))


SENTENCES = {
    "service": lambda d: _("Tourism services cannot be listed as goods on this marketplace."),
    "no_weight": lambda d: _("Add the packed weight (grams)."),
    "no_dimensions": lambda d: _("Add the packed length, width and height (cm)."),
    "no_picture": lambda d: _("Add at least one picture."),
    "picture_small": lambda d: _("A picture is smaller than %(minimum)d×%(minimum)d px (it is %(width)d×%(height)d).",
                                 minimum=d.get("minimum", 500), width=d["width"], height=d["height"]),
    "description_short": lambda d: _("The description is too short: %(length)d characters, at least %(minimum)d "
                                     "needed.", length=d["length"], minimum=d["minimum"]),
    "description_long": lambda d: _("The description is too long: %(length)d characters, at most %(limit)d.",
                                    length=d["length"], limit=d["limit"]),
    "name_short": lambda d: _("The name is too short: %(length)d characters, at least %(limit)d needed.",
                              length=d["length"], limit=d["limit"]),
    "name_long": lambda d: _("The name is too long: %(length)d characters, at most %(limit)d.",
                             length=d["length"], limit=d["limit"]),
    "no_category": _no_category,
    "no_certificate": lambda d: _("Food products need a valid OCOP certificate: add the current decision."),
    "no_shelf_life": lambda d: _("Add the shelf life (days): food marketplaces ask for it."),
    "price_rule": _price_rule,
}


def describe(blocker):
    """One sentence saying what blocks listing and how to fix it, e.g. “Ảnh nhỏ hơn 500×500 px (ảnh hiện có
    400×300).”"""
    sentence = SENTENCES.get(blocker.code)
    return sentence(blocker.detail) if sentence else label(blocker.code)
