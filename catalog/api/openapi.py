"""The OpenAPI 3.1 document of API v1. Enumerations come from the same vocabularies the API checks
against, so the document cannot drift from what the endpoints accept."""
from catalog.api.params import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, MAX_PRICE, PRODUCT_SORTS, province_slugs
from catalog.filters import STAR_VALUES
from catalog.search.base import FACETS
from catalog.ocop import CERT_STATUSES, GROUPS, ISSUING_LEVELS, PRODUCT_SETS
from storefront.urls import canonical_url
from vendors.entities import ENTITY_TYPES

REF = "#/components/schemas/"


def _ref(name):
    return {"$ref": REF + name}


def _nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def _object(required, optional=None):
    props = required | (optional or {})
    return {"type": "object", "required": list(required), "properties": props}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
URL = {"type": "string", "format": "uri"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
VND = {"type": "integer", "minimum": 1, "description": "Đồng (VND has no minor unit)."}


def _query(name, schema, description, array=False):
    param = {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
    if array:
        param |= {"schema": {"type": "array", "items": schema}, "style": "form", "explode": True}
    return param


def _parameters(booths=False):
    common = [
        _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
               "Page number. A page after the last one is a 404 (page 1 always answers, even when empty)."),
        _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
               "Items per page; outside the range is a 400, not silently clamped."),
        _query("province", {"type": "string", "enum": list(province_slugs())},
               "Slug of one of the 34 provinces (2025 structure) where the booth is."),
        _query("entity_type", {"type": "string", "enum": list(ENTITY_TYPES.codes)}, "The producer's reporting type."),
    ]
    if booths:
        return common
    return common + [
        _query("group", {"type": "string", "enum": list(GROUPS.codes)},
               "OCOP product group (Decision 148/2023). Repeat for any of several.", array=True),
        _query("star", {"type": "string", "enum": list(STAR_VALUES)},
               "Valid OCOP certificate: 3, 4 or 5 stars, or p5 (potential 5-star, a status of its own). "
               "Repeat for any of several.", array=True),
        _query("price_min", {"type": "integer", "minimum": 0, "maximum": MAX_PRICE}, "Lowest price in đồng, digits only."),
        _query("price_max", {"type": "integer", "minimum": 0, "maximum": MAX_PRICE}, "Highest price in đồng, digits only."),
        _query("in_stock", {"type": "boolean"}, "true (or 1): only products in stock; services always are."),
        _query("q", STRING, "Search text: case, tone marks (dừa/dua) and one typo on words of 5+ letters are "
                            "forgiven; matches the name, booth, place, group and description. Any text is "
                            "accepted (query syntax is not interpreted); the answer then also has `query`, "
                            "`facets`, `suggestion` and `degraded`."),
        _query("sort", {"type": "string", "enum": list(PRODUCT_SORTS)},
               "Order of the items. Default: relevance with q, newest without (relevance without q is newest)."),
        _query("booth", STRING, "Slug of a booth: only its products. An unknown booth is a 400."),
    ]


def _schemas():
    booth_ref = _object({"slug": STRING, "name": STRING, "entity_type": {"enum": list(ENTITY_TYPES.codes)},
                         "province": STRING, "url": URL})
    booth = {"allOf": [_ref("BoothRef"), _object({
        "province_name": STRING, "commune": STRING, "product_count": {"type": "integer", "minimum": 0},
        "products_url": URL})]}
    product = _object({
        "id": INTEGER, "slug": STRING, "name": STRING, "price_vnd": VND, "stock": {"type": "integer", "minimum": 0},
        "in_stock": BOOLEAN, "group": {"enum": list(GROUPS.codes)},
        "stars": {"enum": [3, 4, 5, None],
                  "description": "Star of a valid (unexpired, certified or potential 5-star) certificate, else null."},
        "ocop_status": {"enum": [*CERT_STATUSES.codes, None],
                        "description": "Effective status: a lapsed certificate says expired."},
        "url": URL, "image_url": _nullable(URL), "qr_url": URL, "booth": _ref("BoothRef"), "updated_at": DATETIME,
    })
    certificate = _object({
        "star": {"enum": [3, 4, 5]}, "status": {"enum": list(CERT_STATUSES.codes)}, "decision_no": STRING,
        "decided_on": DATE, "expires_on": DATE, "issuing_level": {"enum": list(ISSUING_LEVELS.codes)},
        "issuing_body": STRING,
    })
    certificate["description"] = "The newest decision; status is effective today (36 months after the decision)."
    dimensions = _object({"length_cm": _nullable({"type": "number"}), "width_cm": _nullable({"type": "number"}),
                          "height_cm": _nullable({"type": "number"})})
    detail = {"allOf": [_ref("Product"), _object({
        "list_price_vnd": _nullable(VND), "unit": STRING, "weight_g": _nullable(INTEGER),
        "dimensions": _nullable(_ref("Dimensions")), "shelf_life_days": _nullable(INTEGER),
        "gtin": _nullable(STRING), "sku": _nullable(STRING),
        "product_set": {"enum": [*PRODUCT_SETS.codes, None]}, "is_service": BOOLEAN,
        "description_html": {"type": "string", "description": "Sanitised HTML."},
        "certificate": _nullable(_ref("Certificate")),
        "images": {"type": "array", "items": _object({"url": URL, "alt": STRING})},
        "showrooms": {"type": "array", "items": _object(
            {"slug": STRING, "name": STRING, "address": STRING, "province": STRING})},
        "qr_svg_url": URL, "created_at": DATETIME,
    })]}
    error = _object({"error": _object(
        {"status": INTEGER, "title": STRING, "message": STRING},
        {"parameter": {"type": "string", "description": "The query parameter at fault, when there is one."}})})
    return {
        "BoothRef": booth_ref, "Booth": booth,
        "BoothDetail": {"allOf": [_ref("Booth"), _object({"story": STRING})]},
        "Product": product, "ProductDetail": detail, "Certificate": certificate, "Dimensions": dimensions,
        "ProductList": _search_page(), "BoothList": _page_of("Booth"), "Error": error,
        "Suggestions": _object({"query": STRING, "suggestions": {"type": "array", "maxItems": 8, "items": _object(
            {"text": STRING, "kind": {"enum": ["product", "booth"]}, "slug": STRING, "url": URL})}}),
    }


def _page_of(item):
    return _object({"items": {"type": "array", "items": _ref(item)}, "total": {"type": "integer", "minimum": 0},
                    "page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1}})


def _search_page():
    counts = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}}
    page = _page_of("Product")
    page["properties"] |= {
        "query": {"type": "string", "description": "The search text as understood (only with q)."},
        "facets": {"type": "object", "required": list(FACETS), "properties": {name: counts for name in FACETS},
                   "description": "Matches per value of each facet, each counted under the other active filters."},
        "suggestion": _nullable({"type": "string", "description": "Did you mean: a query that has results."}),
        "degraded": {"type": "boolean", "description": "true while the index is rebuilt: plainer name matching."},
    }
    return page


def _json(schema, description):
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _operation(summary, schema, parameters=(), errors=(404,)):
    responses = {"200": _json(schema, "OK")}
    for code in errors:
        responses[str(code)] = _json("Error", {400: "A parameter is malformed or unknown (see error.parameter).",
                                               404: "Not found, or a page after the last one."}[code])
    return {"get": {"summary": summary, "parameters": list(parameters), "responses": responses}}


SLUG = {"name": "slug", "in": "path", "required": True, "schema": STRING}


def document():
    server = canonical_url("api.openapi_document").removesuffix("/openapi.json")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Chợ OCOP API", "version": "1.0.0",
            "description": "Read-only catalogue of OCOP products and their producers' booths. Only products on "
                           "sale from approved booths appear. Query parameters are checked strictly: an unknown "
                           "parameter or a malformed value is a 400 naming the parameter; an empty value counts "
                           "as absent. Codes, not labels, so answers are the same in every language.",
        },
        "servers": [{"url": server}],
        "paths": {
            "/products": _operation("Products on sale, filtered like the catalogue", "ProductList",
                                    _parameters(), errors=(400, 404)),
            "/products/{slug}": _operation("One product with its certificate, images and showrooms",
                                           "ProductDetail", [SLUG]),
            "/suggest": _operation("Up to 8 product and booth names for what has been typed (as you type)",
                                   "Suggestions", [_query("q", STRING, "The text typed so far.")], errors=(400,)),
            "/booths": _operation("Approved booths, by name", "BoothList", _parameters(booths=True), errors=(400, 404)),
            "/booths/{slug}": _operation("One booth", "BoothDetail", [SLUG]),
            "/openapi.json": {"get": {"summary": "This document", "responses": {
                "200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        },
        "components": {"schemas": _schemas()},
    }
