"""Catalogue filters parsed from a query string. Unknown or malformed values are dropped with a notice,
never an error, so a hand-edited or stale URL still shows a page."""
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from catalog.ocop import GROUPS, STARS
from storefront.money import parse_vnd
from storefront.places import province_by_slug
from storefront.text import nfc
from vendors.entities import ENTITY_TYPES

SORTS = {
    "newest": _l("Newest"),
    "price_asc": _l("Price: low to high"),
    "price_desc": _l("Price: high to low"),
    "stars": _l("OCOP stars"),
}
STAR_VALUES = tuple(str(s) for s in STARS) + ("p5",)
TRUE_WORDS = {"1", "true", "on", "yes"}
INTEGER = re.compile(r"-?[0-9]{1,12}")


class PageOutOfRange(Exception):
    pass


@dataclass
class CatalogFilter:
    groups: list = field(default_factory=list)
    stars: list = field(default_factory=list)  # '3', '4', '5', 'p5' (potential 5-star)
    province: str | None = None
    entity_type: str | None = None
    price_min: int | None = None
    price_max: int | None = None
    in_stock: bool = False
    vendor_id: int | None = None
    sort: str = "newest"
    default_sort: str = "newest"  # the sort links leave out of the URL
    page: int = 1
    per_page: int = 24
    notices: list = field(default_factory=list)

    @property
    def is_filtered(self):
        return bool(self.groups or self.stars or self.province or self.entity_type or self.in_stock
                    or self.price_min is not None or self.price_max is not None)

    def count_key(self):
        """What decides how many products match (not the sort, page or page size)."""
        return (tuple(sorted(self.groups)), tuple(sorted(self.stars)), self.province, self.entity_type,
                self.price_min, self.price_max, self.in_stock, self.vendor_id)

    def query_args(self, **overrides):
        """The filter as URL query arguments (for links that change one thing and keep the rest)."""
        args = {
            "group": self.groups, "star": self.stars, "province": self.province,
            "entity_type": self.entity_type, "price_min": self.price_min, "price_max": self.price_max,
            "in_stock": "1" if self.in_stock else None,
            "sort": self.sort if self.sort != self.default_sort else None,
            "per_page": self.per_page if self.per_page != 24 else None,
            "page": self.page if self.page != 1 else None,
        }
        args.update(overrides)
        return {k: v for k, v in args.items() if v not in (None, [], "")}


def parse_filter(args, max_per_page=96, default_per_page=24, sorts=SORTS, default_sort="newest"):
    """A CatalogFilter from request args (a MultiDict), accepting the sorts in `sorts` (the search page adds
    'relevance'). Raises PageOutOfRange for page < 1."""
    f = CatalogFilter(per_page=default_per_page, sort=default_sort, default_sort=default_sort)

    def ignore(name, value):
        shown = nfc(str(value))[:40]
        f.notices.append(_l("Ignored %(name)s=%(value)s: not a value we know.", name=name, value=shown))

    for value in args.getlist("group"):
        choice = GROUPS.match(value)
        if choice and choice.code not in f.groups:
            f.groups.append(choice.code)
        elif not choice:
            ignore("group", value)
    for value in args.getlist("star"):
        value = value.strip().lower()
        if value in STAR_VALUES and value not in f.stars:
            f.stars.append(value)
        elif value not in STAR_VALUES:
            ignore("star", value)
    if value := args.get("province"):
        if province_by_slug(value):
            f.province = value
        else:
            ignore("province", value)
    if value := args.get("entity_type"):
        choice = ENTITY_TYPES.match(value)
        if choice:
            f.entity_type = choice.code
        else:
            ignore("entity_type", value)
    for name in ("price_min", "price_max"):
        if value := args.get(name):
            try:
                amount = parse_vnd(value)
            except ValueError:
                ignore(name, value)
            else:
                if amount > 10**12:
                    ignore(name, value)
                else:
                    setattr(f, name, amount)
    f.in_stock = (args.get("in_stock") or "").lower() in TRUE_WORDS
    if value := args.get("sort"):
        if value in sorts:
            f.sort = value
        else:
            ignore("sort", value)
    if value := args.get("per_page"):
        if INTEGER.fullmatch(value.strip()) and 1 <= int(value) <= max_per_page:
            f.per_page = int(value)
        else:
            ignore("per_page", value)
    if value := args.get("page"):
        if not INTEGER.fullmatch(value.strip()):
            ignore("page", value)
        else:
            page = int(value)
            if page < 1 or page > 10**6:
                raise PageOutOfRange(page)
            f.page = page
    return f
