"""Page assembly for the shopper pages: filter choices, active-filter chips, and cheap card rendering."""
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from catalog.filters import SORTS
from catalog.ocop import GROUPS, STARS
from storefront.media import LocalStorage
from storefront.money import vnd
from storefront.places import province_by_slug, provinces
from vendors.entities import ENTITY_TYPES

STAR_LABELS = {
    "3": _l("%(star)d-star", star=3),
    "4": _l("%(star)d-star", star=4),
    "5": _l("%(star)d-star", star=5),
    "p5": _l("Potential 5-star"),
}


@dataclass(frozen=True)
class Chip:
    """One active filter, shown with a link that removes it."""

    label: str
    args: dict


def filter_choices():
    return {
        "groups": GROUPS,
        "star_labels": STAR_LABELS,
        "provinces": provinces(),
        "entity_types": ENTITY_TYPES,
        "sorts": SORTS,
    }


def active_chips(f):
    """A chip per active filter value; each chip's args are the URL without that value (and on page 1)."""
    chips = []
    for code in f.groups:
        chips.append(Chip(GROUPS.label(code), f.query_args(group=[g for g in f.groups if g != code], page=None)))
    for value in f.stars:
        chips.append(Chip(STAR_LABELS[value], f.query_args(star=[s for s in f.stars if s != value], page=None)))
    if f.province and (province := province_by_slug(f.province)):
        chips.append(Chip(province.name, f.query_args(province=None, page=None)))
    if f.entity_type:
        chips.append(Chip(ENTITY_TYPES.label(f.entity_type), f.query_args(entity_type=None, page=None)))
    if f.price_min is not None:
        chips.append(Chip(_l("From %(price)s", price=vnd(f.price_min)), f.query_args(price_min=None, page=None)))
    if f.price_max is not None:
        chips.append(Chip(_l("Up to %(price)s", price=vnd(f.price_max)), f.query_args(price_max=None, page=None)))
    if f.in_stock:
        chips.append(Chip(_l("In stock"), f.query_args(in_stock=None, page=None)))
    return chips


def page_numbers(page, around=2):
    """Page numbers to link, with None for a gap: 1 … 4 5 [6] 7 8 … 20."""
    shown = {1, page.pages} | set(range(max(1, page.page - around), min(page.pages, page.page + around) + 1))
    numbers, previous = [], 0
    for n in sorted(shown):
        if n - previous > 1:
            numbers.append(None)
        numbers.append(n)
        previous = n
    return numbers


def card_labels():
    """The words every product card repeats, translated once per page instead of once per card."""
    return {
        "in_stock": gettext("In stock"),
        "out_of_stock": gettext("Out of stock"),
        "service": gettext("Bookable service"),
        "was": gettext("Was"),
        "potential_5": gettext("Potential 5-star"),
        "stars": {star: gettext("%(star)d-star", star=star) for star in STARS},
    }


class CardLinks:
    """Product and image URLs for listings: url_for runs once per page, each card only formats strings.
    Slugs and media keys are URL-safe ([a-z0-9_-] and '/'), so formatting equals what url_for would build."""

    MARK = "CARDLINKMARK"

    def __init__(self):
        self._product = url_for("catalog.product_detail", slug=self.MARK).split(self.MARK)
        self._media = url_for("storefront.media", key=self.MARK, width=1).split(self.MARK + "/1")

    def product(self, slug):
        return self._product[0] + slug + self._product[1]

    def image(self, key, width):
        return f"{self._media[0]}{key}/{width}{self._media[1]}"

    def src(self, img, width=400):
        widths = LocalStorage.widths_for(img.width)
        return self.image(img.key, min(widths, key=lambda w: (abs(w - width), -w)))

    def srcset(self, img):
        return ", ".join(f"{self.image(img.key, w)} {w}w" for w in LocalStorage.widths_for(img.width))
