"""Shop-wide plumbing: media files, robots.txt and a health check."""
from flask import Blueprint, abort, current_app, make_response, send_file

from storefront.urls import canonical_url

from storefront.media import storage

bp = Blueprint("storefront", __name__)

YEAR = 365 * 24 * 3600


@bp.get("/media/<path:key>/<int:width>.webp")
def media(key, width):
    path = storage().path(key, width)
    if ".." in key or not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/webp", max_age=YEAR, conditional=True)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response


@bp.get("/robots.txt")
def robots():
    body = f"User-agent: *\nDisallow: /api/\nDisallow: /lang/\nSitemap: {canonical_url('catalog.sitemap')}\n"
    response = make_response(body)
    response.mimetype = "text/plain"
    return response


@bp.get("/healthz")
def health():
    return {"status": "ok", "env": current_app.config["ENV_NAME"]}
