"""Shopper pages (placeholder until the pages land)."""
from flask import Blueprint

bp = Blueprint("catalog", __name__)


@bp.get("/sitemap.xml")
def sitemap():
    return ""
