"""Routes of the JSON API v1. Each parses its parameters, runs one read query and serialises."""
from datetime import date

from flask import Blueprint, request
from flask_babel import lazy_gettext as _l

from catalog import queries, search
from catalog.api import openapi, serializers
from catalog.api.errors import ApiError, json_response, render_error
from catalog.api.params import parse_booth_args, parse_product_args, parse_suggest_args
from storefront.pagecache import cached_page

bp = Blueprint("api", __name__)
bp.register_error_handler(ApiError, render_error)

NO_PRODUCT = _l("No product on sale has this slug.")
NO_BOOTH = _l("No open booth has this slug.")


@bp.after_request
def allow_any_origin(response):
    """Public, read-only, no credentials: any web page may read it."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _check_page(page):
    if page.page > page.pages:
        raise ApiError(404, _l("Page %(page)s is beyond the last page, %(pages)s.", page=page.page, pages=page.pages),
                       parameter="page")


@bp.get("/products")
@cached_page
def product_list():
    f, booth, q = parse_product_args(request.args)
    if booth is not None:
        vendor = queries.get_vendor(booth) if queries.is_slug(booth) else None
        if vendor is None:
            raise ApiError(400, NO_BOOTH, parameter="booth")
        f.vendor_id = vendor.id
    today = date.today()
    if q is None:
        page = queries.list_products(f, today)
        _check_page(page)
        return json_response(serializers.page_payload(page, serializers.product, today=today))
    result = search.search_products(q, f, facets=True, today=today)
    _check_page(result.page)
    return json_response(serializers.search_payload(result, today))


@bp.get("/suggest")
@cached_page
def suggest():
    q = parse_suggest_args(request.args)
    return json_response(serializers.suggestions(q, search.suggest(q)))


@bp.get("/products/<slug>")
@cached_page
def product_detail(slug):
    product = queries.get_product(slug) if queries.is_slug(slug) else None
    if product is None:
        raise ApiError(404, NO_PRODUCT)
    return json_response(serializers.product_detail(product, date.today()))


@bp.get("/booths")
@cached_page
def booth_list():
    page_no, per_page, province, entity_type = parse_booth_args(request.args)
    page = queries.list_vendors(page_no, per_page, province=province, entity_type=entity_type)
    _check_page(page)
    return json_response(serializers.page_payload(page, lambda v: serializers.booth(v, v.product_count)))


@bp.get("/booths/<slug>")
@cached_page
def booth_detail(slug):
    vendor = queries.get_vendor(slug) if queries.is_slug(slug) else None
    if vendor is None:
        raise ApiError(404, NO_BOOTH)
    count = queries.count_booth_products(vendor.id)
    return json_response(serializers.booth(vendor, count, story=True))


@bp.get("/openapi.json")
@cached_page
def openapi_document():
    return json_response(openapi.document())
