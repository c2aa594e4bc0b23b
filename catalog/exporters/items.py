"""Products as ListingItems: the plain values every exporter sees, loaded in batches so that 10,000 products
export in bounded memory.

Which products: never deleted ones. With `booth_id`, every product of that booth (published or not: the
booth prepares listings before it publishes); with `product_ids`, exactly those (the grids ask for the rows
of one page, whatever they show); with neither, the published products of approved booths (the market).

URLs are absolute on BASE_URL, built from the URL map without a request, so iter_items works in a plain
app context (the CLI) as well as in a request."""
import re
from dataclasses import replace

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from sqlalchemy.orm import joinedload, selectinload

from catalog.exporters.base import ListingItem, Picture
from catalog.html import plain_text
from catalog.listings.models import CategoryMapping
from catalog.models import Product
from catalog.ocop import FOOD_GROUPS
from storefront.extensions import db
from storefront.media import LocalStorage
from vendors.models import Vendor

# Without BASE_URL and outside a request (the CLI in development), links point at `make run`'s server.
FALLBACK_BASE_URL = "http://127.0.0.1:5000"
_BLOCK_TAGS = re.compile(r"</?(?:p|br|li|ul|ol|h3|h4|blockquote)\b[^>]*>", re.IGNORECASE)


def load_mapping(marketplace):
    """{(group, product_set): category} of one marketplace, in one query ("" product_set: the whole group)."""
    rows = db.session.execute(sa.select(CategoryMapping.group, CategoryMapping.product_set, CategoryMapping.category)
                              .where(CategoryMapping.marketplace == marketplace))
    return {(group, product_set or ""): category.strip() for group, product_set, category in rows if category.strip()}


def load_mappings():
    """{marketplace: {(group, product_set): category}} of every marketplace, in one query."""
    mappings = {}
    rows = db.session.execute(sa.select(CategoryMapping.marketplace, CategoryMapping.group,
                                        CategoryMapping.product_set, CategoryMapping.category))
    for marketplace, group, product_set, category in rows:
        if category.strip():
            mappings.setdefault(marketplace, {})[(group, product_set or "")] = category.strip()
    return mappings


def category_for(mapping, group, product_set):
    """The mapped category of the product's own set, else of its whole group, else None."""
    if product_set and (group, product_set) in mapping:
        return mapping[(group, product_set)]
    return mapping.get((group, ""))


def with_category(item, mapping):
    """`item` carrying the category `mapping` gives it."""
    return replace(item, category=category_for(mapping, item.group, item.product_set))


def _selection(booth_id, product_ids):
    conditions = [Product.deleted_at.is_(None)]
    if booth_id is not None:
        conditions.append(Product.vendor_id == booth_id)
    if product_ids is not None:
        conditions.append(Product.id.in_(list(product_ids)))
    if booth_id is None and product_ids is None:
        conditions += [Product.is_published.is_(True),
                       Product.vendor_id.in_(sa.select(Vendor.id).where(Vendor.status == "approved"))]
    return conditions


def count_items(*, booth_id=None, product_ids=None):
    """How many products iter_items would yield (for a progress bar)."""
    return db.session.scalar(sa.select(sa.func.count(Product.id)).where(*_selection(booth_id, product_ids)))


class _Links:
    """Absolute URLs of product pages and stored pictures, from the URL map and BASE_URL."""

    def __init__(self, app):
        base = app.config.get("BASE_URL") or (request.host_url if has_request_context() else FALLBACK_BASE_URL)
        self.base = base.rstrip("/")
        self.adapter = app.url_map.bind("localhost", script_name=app.config.get("APPLICATION_ROOT") or "/")

    def product(self, slug):
        return self.base + self.adapter.build("catalog.product_detail", {"slug": slug})

    def certificate(self, slug):
        return self.base + self.adapter.build("catalog.product_certificate", {"slug": slug})

    def picture(self, image):
        width = max(LocalStorage.widths_for(image.width))  # the largest stored variant
        return Picture(self.base + self.adapter.build("storefront.media", {"key": image.key, "width": width}),
                       image.width, image.height)


def description_text(html):
    """The description's words: block tags become spaces (so paragraphs do not run together), inline tags
    go, whitespace collapses."""
    return plain_text(_BLOCK_TAGS.sub(" ", html or ""))


def _pickup_address(vendor):
    parts = [vendor.address_text.strip()] if vendor.address_text and vendor.address_text.strip() else []
    for extra in (vendor.commune, vendor.province_name):
        if extra and not any(extra.casefold() in p.casefold() for p in parts):
            parts.append(extra)
    return ", ".join(parts)


def to_item(product, links, category=None):
    """One loaded product (with its booth, images and certificates) as a ListingItem."""
    vendor = product.vendor
    _status, star = product.ocop_state()
    cert = product.current_certificate
    return ListingItem(
        product_id=product.id, slug=product.slug, url=links.product(product.slug),
        sku=product.sku or product.slug, gtin=product.gtin or None, name=product.name,
        description_html=product.description or "", description_text=description_text(product.description),
        price_vnd=product.price_vnd, list_price_vnd=product.list_price_vnd or product.price_vnd,
        stock=product.stock, unit=product.unit or "", weight_g=product.weight_g, length_cm=product.length_cm,
        width_cm=product.width_cm, height_cm=product.height_cm, shelf_life_days=product.shelf_life_days,
        group=product.group, product_set=product.product_set or None, is_food=product.group in FOOD_GROUPS,
        is_service=product.is_service, booth_name=vendor.name, booth_slug=vendor.slug, brand=vendor.name,
        origin_province=vendor.province_name, pickup_address=_pickup_address(vendor),
        ocop_star=star, ocop_decision_no=(cert.decision_no or "") if cert and star else "",
        certificate_url=links.certificate(product.slug) if cert and star and cert.document_key else None,
        pictures=tuple(links.picture(image) for image in product.images),
        category=category,
    )


def iter_items(marketplace, *, booth_id=None, product_ids=None, batch=500):
    """Yield ListingItems in product-id order, `batch` products at a time (three queries per batch: the
    products with their booth, their images, their certificates). `marketplace` picks the category mapping;
    None leaves `category` empty (catalog.exporters.service.readiness fills it per marketplace).

    Objects loaded for a batch are removed from the session after it, so memory does not grow with the
    catalogue; objects the session held before are left alone."""
    session = db.session
    links = _Links(current_app)
    mapping = load_mapping(marketplace) if marketplace else {}
    held = set(session.identity_map.keys())
    conditions = _selection(booth_id, product_ids)
    last_id = 0
    while True:
        stmt = (sa.select(Product).where(*conditions, Product.id > last_id).order_by(Product.id).limit(batch)
                .options(joinedload(Product.vendor), selectinload(Product.images),
                         selectinload(Product.certificates)))
        products = session.scalars(stmt).unique().all()
        if not products:
            return
        items = [to_item(p, links, category_for(mapping, p.group, p.product_set)) for p in products]
        last_id = products[-1].id
        del products
        for key, obj in list(session.identity_map.items()):
            if key not in held:
                session.expunge(obj)
        yield from items
        if len(items) < batch:
            return
