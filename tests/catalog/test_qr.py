"""QR codes on listings: they decode back to the product's canonical URL, are cached, and exist only for
products on sale."""
import io
import re
from xml.etree import ElementTree

import pytest
import zxingcpp
from flask_migrate import upgrade
from PIL import Image, ImageDraw

from catalog.qr import render_qr
from storefront import create_app
from storefront.config import TestConfig
from storefront.extensions import db
from tests.factories import make_product, make_vendor

SVG = "{http://www.w3.org/2000/svg}"
MODULE = re.compile(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)H[\d.]+z")


def decode_png(data):
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)).convert("L"))
    assert [r.format for r in results] == [zxingcpp.BarcodeFormat.QRCode]
    return results[0].text


def decode_svg(data):
    """Draw the SVG's module squares (each `Mx,yHx2Vy2Hxz` in the path) and decode the drawing."""
    root = ElementTree.fromstring(data)
    width = float(root.get("viewBox").split()[2])
    scale = 10
    image = Image.new("L", (round(width * scale),) * 2, 255)
    draw = ImageDraw.Draw(image)
    modules = MODULE.findall(root.find(f"{SVG}path").get("d"))
    assert modules
    for x, y, x2, y2 in modules:
        draw.rectangle([float(x) * scale, float(y) * scale, float(x2) * scale - 1, float(y2) * scale - 1], fill=0)
    return zxingcpp.read_barcodes(image)[0].text


@pytest.fixture
def product(ctx):
    return make_product(make_vendor(), "Kẹo dừa Bến Tre", slug="keo-dua-ben-tre", star=4)


def test_png_decodes_back_to_the_canonical_product_url(client, product):
    response = client.get("/products/keo-dua-ben-tre/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert decode_png(response.data) == "https://cho-ocop.test/products/keo-dua-ben-tre/"


def test_svg_is_xml_with_a_path_that_decodes_to_the_same_url(client, product):
    response = client.get("/products/keo-dua-ben-tre/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    root = ElementTree.fromstring(response.data)
    assert root.tag == f"{SVG}svg" and root.find(f"{SVG}path") is not None
    assert decode_svg(response.data) == "https://cho-ocop.test/products/keo-dua-ben-tre/"


def test_a_changed_base_url_is_what_the_code_encodes(tmp_path):
    class OtherSite(TestConfig):
        INSTANCE_PATH = str(tmp_path / "instance")
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'other.sqlite'}"
        BASE_URL = "https://cho.example.vn"

    other = create_app(OtherSite)
    try:
        with other.test_request_context():
            upgrade()
            make_product(slug="mam-ca-linh")
            db.session.remove()
        response = other.test_client().get("/products/mam-ca-linh/qr.png")
        assert decode_png(response.data) == "https://cho.example.vn/products/mam-ca-linh/"
    finally:
        with other.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_the_code_is_cacheable_for_a_day_and_revalidates_with_its_etag(client, product, fmt):
    first = client.get(f"/products/keo-dua-ben-tre/qr.{fmt}")
    assert first.cache_control.public and first.cache_control.max_age == 86400
    etag = first.headers["ETag"]
    again = client.get(f"/products/keo-dua-ben-tre/qr.{fmt}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    stale = client.get(f"/products/keo-dua-ben-tre/qr.{fmt}", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.data == first.data


def test_each_url_is_rendered_once(client, product):
    render_qr.cache_clear()
    for _ in range(3):
        client.get("/products/keo-dua-ben-tre/qr.png")
    client.get("/products/keo-dua-ben-tre/qr.svg")
    info = render_qr.cache_info()
    assert (info.misses, info.hits) == (2, 2)


@pytest.fixture
def hidden(ctx):
    return {
        "unpublished": make_product(slug="chua-dang", is_published=False),
        "pending booth": make_product(make_vendor(status="pending"), slug="gian-cho-duyet"),
        "suspended booth": make_product(make_vendor(status="suspended"), slug="gian-tam-ngung"),
    }


@pytest.mark.parametrize("fmt", ["png", "svg"])
@pytest.mark.parametrize("slug", ["chua-dang", "gian-cho-duyet", "gian-tam-ngung", "khong-co", "%00", "%FF", "x" * 500])
def test_products_not_on_sale_have_no_code(client, hidden, slug, fmt):
    assert client.get(f"/products/{slug}/qr.{fmt}").status_code == 404


def test_an_unpublished_product_loses_its_code_even_if_the_client_has_it(client, product):
    etag = client.get("/products/keo-dua-ben-tre/qr.png").headers["ETag"]
    product.is_published = False
    db.session.commit()
    assert client.get("/products/keo-dua-ben-tre/qr.png", headers={"If-None-Match": etag}).status_code == 404
