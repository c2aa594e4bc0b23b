"""QR codes on every listing: PNG and SVG of the product page's canonical absolute URL. Each image is
rendered once per URL and kept in an in-process LRU; browsers keep it a day and revalidate by ETag."""
import hashlib
import io
from functools import lru_cache

import qrcode
from flask import Blueprint, abort, current_app, request
from qrcode.image.pil import PilImage
from qrcode.image.svg import SvgPathFillImage

from catalog.queries import product_is_visible
from storefront.urls import canonical_url

bp = Blueprint("qr", __name__)

MAX_AGE = 24 * 3600
# Error correction M survives a smudged or partly torn label; 8 px modules keep a phone scan easy at the
# typical 50-60 characters (version 4, 296 px), and 4 modules of quiet zone is what the standard asks.
# The SVG variant with a white background still scans when a page puts it on a dark colour.
FORMATS = {"png": ("image/png", PilImage), "svg": ("image/svg+xml", SvgPathFillImage)}


@lru_cache(maxsize=4096)
def render_qr(url, fmt):
    """(bytes, etag) of a QR code encoding `url`, as 'png' or 'svg'."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4,
                         image_factory=FORMATS[fmt][1])
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    data = buffer.getvalue()
    return data, hashlib.sha256(data).hexdigest()[:32]


def _serve(slug, fmt):
    if not product_is_visible(slug):
        abort(404)
    data, etag = render_qr(canonical_url("catalog.product_detail", slug=slug), fmt)
    response = current_app.response_class(data, mimetype=FORMATS[fmt][0])
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response.make_conditional(request)


@bp.get("/products/<slug>/qr.png")
def product_png(slug):
    return _serve(slug, "png")


@bp.get("/products/<slug>/qr.svg")
def product_svg(slug):
    return _serve(slug, "svg")
