"""Query parameters of the API, read strictly. Unlike the catalogue page, which drops what it does not
understand, the API answers 400 naming the parameter and what it accepts: a client is better told
about a typo (`stars=4`) than silently handed the whole catalogue. An empty value counts as absent."""
import re

from flask_babel import lazy_gettext as _l

from catalog.api.errors import ApiError
from catalog.filters import SORTS, STAR_VALUES, CatalogFilter
from catalog.ocop import GROUPS
from storefront.places import provinces
from vendors.entities import ENTITY_TYPES

DEFAULT_PER_PAGE = 24
MAX_PER_PAGE = 100
MAX_PAGE = 10**6
MAX_PRICE = 10**12
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
PRODUCT_PARAMS = ("q", "group", "star", "province", "entity_type", "price_min", "price_max", "in_stock", "sort",
                  "booth", "page", "per_page")
SUGGEST_PARAMS = ("q",)
PRODUCT_SORTS = ("relevance", *SORTS)
BOOTH_PARAMS = ("province", "entity_type", "page", "per_page")
_DIGITS = re.compile(r"[0-9]{1,15}")


def province_slugs():
    return tuple(p.slug for p in provinces())


def _bad(name, message):
    return ApiError(400, message, parameter=name)


def _values(args, name):
    return [v.strip() for v in args.getlist(name) if v.strip()]


def _single(args, name):
    values = _values(args, name)
    if len(values) > 1:
        raise _bad(name, _l("Give this parameter at most once."))
    return values[0] if values else None


def _one_of(name, value, allowed):
    if value not in allowed:
        if len(allowed) > 12:
            raise _bad(name, _l("Not a value we know: the OpenAPI document lists the accepted values."))
        raise _bad(name, _l("Must be one of: %(values)s.", values=", ".join(allowed)))
    return value


def _number(args, name, low, high):
    value = _single(args, name)
    if value is None:
        return None
    if not _DIGITS.fullmatch(value) or not low <= int(value) <= high:
        raise _bad(name, _l("Must be a whole number from %(low)s to %(high)s.", low=low, high=high))
    return int(value)


def _reject_unknown(args, accepted):
    for name in args.keys():
        if name not in accepted:
            raise _bad(name[:40], _l("Unknown parameter. This endpoint accepts: %(names)s.", names=", ".join(accepted)))


def _list_args(args, accepted):
    """(page, per_page, province, entity_type), shared by both lists."""
    _reject_unknown(args, accepted)
    province = _single(args, "province")
    entity_type = _single(args, "entity_type")
    return (
        _number(args, "page", 1, MAX_PAGE) or 1,
        _number(args, "per_page", 1, MAX_PER_PAGE) or DEFAULT_PER_PAGE,
        province and _one_of("province", province, province_slugs()),
        entity_type and _one_of("entity_type", entity_type, ENTITY_TYPES.codes),
    )


def parse_product_args(args):
    """(CatalogFilter, booth slug or None, search text or None) from the query string of GET /products.
    With a search text the default order is relevance; without one, relevance means newest."""
    page, per_page, province, entity_type = _list_args(args, PRODUCT_PARAMS)
    f = CatalogFilter(page=page, per_page=per_page, province=province, entity_type=entity_type)
    f.groups = list(dict.fromkeys(_one_of("group", v, GROUPS.codes) for v in _values(args, "group")))
    f.stars = list(dict.fromkeys(_one_of("star", v.lower(), STAR_VALUES) for v in _values(args, "star")))
    f.price_min = _number(args, "price_min", 0, MAX_PRICE)
    f.price_max = _number(args, "price_max", 0, MAX_PRICE)
    if f.price_min is not None and f.price_max is not None and f.price_min > f.price_max:
        raise _bad("price_min", _l("price_min must not be greater than price_max."))
    if (in_stock := _single(args, "in_stock")) is not None:
        f.in_stock = BOOLEANS[_one_of("in_stock", in_stock.lower(), tuple(BOOLEANS))]
    q = _single(args, "q")
    f.sort = "relevance" if q else "newest"
    if (sort := _single(args, "sort")) is not None:
        f.sort = _one_of("sort", sort, PRODUCT_SORTS)
    if f.sort == "relevance" and not q:
        f.sort = "newest"
    return f, _single(args, "booth"), q


def parse_suggest_args(args):
    """The typed text of GET /suggest (may be empty: no suggestions)."""
    _reject_unknown(args, SUGGEST_PARAMS)
    return _single(args, "q") or ""


def parse_booth_args(args):
    """(page, per_page, province, entity_type) from the query string of GET /booths."""
    return _list_args(args, BOOTH_PARAMS)
