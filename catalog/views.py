"""Shopper pages: home, catalogue, product, booths, showrooms and the sitemap.

Each view parses the request, runs the queries of catalog.queries and renders. Anonymous visitors get
whole-page cached copies (storefront.pagecache), so templates must not touch the session."""
from datetime import date

from flask import Blueprint, abort, current_app, render_template, request, send_file

from catalog import queries
from catalog.filters import PageOutOfRange, parse_filter
from catalog.ocop import CERT_STATUSES, ISSUING_LEVELS
from catalog.pages import CardLinks, active_chips, card_labels, filter_choices, page_numbers
from catalog.seo import product_jsonld, product_meta
from catalog.sitemap import MAX_URLS, NoSuchPart, build_sitemap
from storefront.media import image_url, srcset, storage
from storefront.uploads import DOCUMENT_TYPES
from storefront.pagecache import cached_page
from storefront.urls import canonical_url

bp = Blueprint("catalog", __name__)


@bp.record_once
def _template_helpers(state):
    """Cheap helpers for listings, as template globals."""
    state.app.jinja_env.globals.update(image_url=image_url, srcset=srcset,
                                       page_numbers=page_numbers, card_labels=card_labels, card_links=CardLinks)


def _filter_or_404(args):
    try:
        return parse_filter(args)
    except PageOutOfRange:
        abort(404)


def _found(thing):
    if thing is None:
        abort(404)
    return thing


def _slug_or_404(slug):
    """Only slug-shaped values reach the database (a NUL byte is an error on PostgreSQL, not a miss)."""
    if not queries.is_slug(slug):
        abort(404)
    return slug


@bp.get("/")
@cached_page
def home():
    group_counts, star_counts = queries.browse_counts()
    return render_template(
        "catalog/home_show.html",
        featured=queries.featured_products(8),
        group_counts=group_counts,
        star_counts=star_counts,
        booths=queries.list_vendors(per_page=6).items,
        showrooms=queries.showroom_summaries(),
        today=date.today(),
        canonical=canonical_url("catalog.home"),
        **filter_choices(),
    )


@bp.get("/products/")
@cached_page
def product_list():
    f = _filter_or_404(request.args)
    page = queries.list_products(f)
    if f.page > page.pages:
        abort(404)
    return render_template(
        "catalog/product_list.html", f=f, page=page, chips=active_chips(f), today=date.today(),
        canonical=canonical_url("catalog.product_list", **f.query_args()), **filter_choices(),
    )


@bp.get("/products/<slug>/")
@cached_page
def product_detail(slug):
    product = _found(queries.get_product(_slug_or_404(slug)))
    return render_template(
        "catalog/product_show.html", p=product, cert=product.current_certificate,
        more=queries.more_from_vendor(product, 4), jsonld=product_jsonld(product), meta=product_meta(product),
        cert_statuses=CERT_STATUSES, issuing_levels=ISSUING_LEVELS, today=date.today(),
        canonical=canonical_url("catalog.product_detail", slug=product.slug),
    )


@bp.get("/products/<slug>/certificate")
def product_certificate(slug):
    """The scanned OCOP decision of a product's current certificate (an administrative decision, public), for
    shoppers and for marketplaces that ask for it; 404 when the product is not on show or has no document."""
    cert = _found(queries.get_product(_slug_or_404(slug))).current_certificate
    path = storage().document_path(cert.document_key) if cert and cert.document_key else None
    if path is None or not path.exists():
        abort(404)
    extension = path.suffix.lstrip(".").lower()
    response = send_file(path, mimetype=DOCUMENT_TYPES.get(extension, "application/octet-stream"),
                         download_name=f"ocop-{slug}.{extension}", max_age=3600)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/booths/")
@cached_page
def booth_list():
    f = _filter_or_404(request.args)
    page = queries.list_vendors(page=f.page, per_page=f.per_page, province=f.province, entity_type=f.entity_type)
    if f.page > page.pages:
        abort(404)
    args = {k: v for k, v in (("province", f.province), ("entity_type", f.entity_type),
                              ("per_page", f.per_page if f.per_page != 24 else None)) if v}
    return render_template(
        "catalog/booth_list.html", f=f, page=page, args=args,
        canonical=canonical_url("catalog.booth_list", **args, page=f.page if f.page > 1 else None),
        **filter_choices(),
    )


@bp.get("/booths/<slug>/")
@cached_page
def booth_detail(slug):
    vendor = _found(queries.get_vendor(_slug_or_404(slug)))
    f = _filter_or_404(request.args)
    f.vendor_id = vendor.id
    page = queries.list_products(f)
    if f.page > page.pages:
        abort(404)
    return render_template(
        "catalog/booth_show.html", v=vendor, f=f, page=page, today=date.today(),
        canonical=canonical_url("catalog.booth_detail", slug=vendor.slug, **f.query_args()), **filter_choices(),
    )


@bp.get("/showrooms/")
@cached_page
def showroom_list():
    return render_template(
        "catalog/showroom_list.html", showrooms=queries.list_showrooms(), today=date.today(),
        canonical=canonical_url("catalog.showroom_list"),
    )


@bp.get("/sitemap.xml")
@cached_page
def sitemap():
    part = request.args.get("part")
    if part is not None and not (part.isascii() and part.isdigit() and len(part) < 7):
        abort(404)
    try:
        body = build_sitemap(int(part) if part else None, current_app.config.get("SITEMAP_MAX_URLS", MAX_URLS))
    except NoSuchPart:
        abort(404)
    return body, 200, {"Content-Type": "application/xml; charset=utf-8"}
