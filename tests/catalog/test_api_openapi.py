"""The OpenAPI document describes every API route, and real answers satisfy its schemas."""
from datetime import date

import pytest

from storefront.extensions import db
from tests.factories import make_product, make_showroom, make_vendor

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
         "integer": int, "number": (int, float)}


def check(value, schema, doc, where="$"):
    """Errors of `value` against the JSON Schema subset the document uses ($ref, allOf, anyOf, enum, type,
    required, properties, items, minimum, maximum, format date)."""
    if "$ref" in schema:
        return check(value, doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]], doc, where)
    errors = []
    for sub in schema.get("allOf", []):
        errors += check(value, sub, doc, where)
    if "anyOf" in schema and all(check(value, sub, doc, where) for sub in schema["anyOf"]):
        errors.append(f"{where}: matches none of anyOf")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in enum")
    if "type" in schema:
        wanted = TYPES[schema["type"]]
        if not isinstance(value, wanted) or (isinstance(value, bool) and schema["type"] in ("integer", "number")):
            return errors + [f"{where}: {value!r} is not {schema['type']}"]
    if isinstance(value, int) and not isinstance(value, bool):
        if value < schema.get("minimum", value) or value > schema.get("maximum", value):
            errors.append(f"{where}: {value} out of range")
    if schema.get("format") == "date" and isinstance(value, str):
        date.fromisoformat(value)
    if isinstance(value, dict):
        errors += [f"{where}: missing {name}" for name in schema.get("required", []) if name not in value]
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                errors += check(value[name], sub, doc, f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += check(item, schema["items"], doc, f"{where}[{i}]")
    return errors


@pytest.fixture
def doc(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


@pytest.fixture
def market(ctx):
    booth = make_vendor("Hợp tác xã Bàng Buông", slug="htx-bang-buong")
    product = make_product(booth, "Giỏ bàng", slug="gio-bang", group="thu_cong_my_nghe", star=4, image=True,
                           product_set="tcmn_gia_dung", list_price_vnd=150_000, width_cm=30.0)
    make_product(booth, "Chiếu bàng", slug="chieu-bang", group="thu_cong_my_nghe")
    make_showroom(products=[product])
    db.session.expire_all()


def api_paths(app):
    return {rule.rule.removeprefix("/api/v1").replace("<slug>", "{slug}")
            for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}


def test_the_document_is_openapi_3_1_served_at_the_api_root(doc):
    assert doc["openapi"].startswith("3.1.")
    assert doc["servers"] == [{"url": "https://cho-ocop.test/api/v1"}]


def test_every_api_route_is_documented_and_every_documented_path_exists(app, doc):
    assert api_paths(app) == set(doc["paths"])
    assert len(api_paths(app)) == 6


def test_every_parameter_the_api_accepts_is_documented(doc):
    from catalog.api.params import BOOTH_PARAMS, PRODUCT_PARAMS, SUGGEST_PARAMS

    def names(path):
        return {p["name"] for p in doc["paths"][path]["get"]["parameters"]}

    assert names("/products") == set(PRODUCT_PARAMS)
    assert names("/booths") == set(BOOTH_PARAMS)
    assert names("/suggest") == set(SUGGEST_PARAMS)


def test_every_reference_resolves(doc):
    def refs(node):
        if isinstance(node, dict):
            yield from ([node["$ref"]] if "$ref" in node else [])
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    schemas = doc["components"]["schemas"]
    assert all(ref.rsplit("/", 1)[1] in schemas for ref in refs(doc))


@pytest.mark.parametrize("url, path, status", [
    ("/api/v1/products", "/products", 200),
    ("/api/v1/products?group=thu_cong_my_nghe&star=4&in_stock=1&sort=stars", "/products", 200),
    ("/api/v1/products/gio-bang", "/products/{slug}", 200),
    ("/api/v1/products/chieu-bang", "/products/{slug}", 200),
    ("/api/v1/booths", "/booths", 200),
    ("/api/v1/booths/htx-bang-buong", "/booths/{slug}", 200),
    ("/api/v1/products?q=gio%20bang", "/products", 200),
    ("/api/v1/products?q=giỏ&group=thu_cong_my_nghe&sort=price_asc", "/products", 200),
    ("/api/v1/products?q=gio%20banng", "/products", 200),
    ("/api/v1/suggest?q=gio", "/suggest", 200),
    ("/api/v1/suggest?q=", "/suggest", 200),
    ("/api/v1/suggest?x=1", "/suggest", 400),
    ("/api/v1/products?per_page=1000", "/products", 400),
    ("/api/v1/booths?page=9", "/booths", 404),
    ("/api/v1/products/khong-co", "/products/{slug}", 404),
    ("/api/v1/booths/khong-co", "/booths/{slug}", 404),
])
def test_answers_match_the_documented_schema(client, doc, market, url, path, status):
    response = client.get(url)
    assert response.status_code == status
    schema = doc["paths"][path]["get"]["responses"][str(status)]["content"]["application/json"]["schema"]
    assert check(response.get_json(), schema, doc) == []


def test_the_schema_check_catches_a_missing_required_field(client, doc, market):
    """The checker above must be able to fail, or the previous test proves nothing."""
    body = client.get("/api/v1/products").get_json()
    del body["items"][0]["booth"]["province"]
    body["items"][0]["stars"] = 7
    errors = check(body, {"$ref": "#/components/schemas/ProductList"}, doc)
    assert set(errors) == {"$.items[0].stars: 7 not in enum", "$.items[0].booth: missing province"}
