"""Shopper pages (placeholders: the pages helper replaces this module)."""
from flask import Blueprint

bp = Blueprint("catalog", __name__)


@bp.get("/")
def home():
    return "home"


@bp.get("/products/")
def product_list():
    return "products"


@bp.get("/products/<slug>/")
def product_detail(slug):
    return slug


@bp.get("/booths/")
def booth_list():
    return "booths"


@bp.get("/booths/<slug>/")
def booth_detail(slug):
    return slug


@bp.get("/showrooms/")
def showroom_list():
    return "showrooms"


@bp.get("/sitemap.xml")
def sitemap():
    return ""
