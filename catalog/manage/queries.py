"""Reads of the vendor dashboard: one booth's products, counted and listed in a fixed number of queries
whatever the booth's size."""
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from catalog.models import Product, ProductImage, StockMovement
from catalog.ocop import LIVE_STATUSES, SERVICE_GROUPS
from storefront.extensions import db
from vendors.models import Vendor

EXPIRY_WARNING_DAYS = 90
PER_PAGE = 50


def _goods():
    return Product.group.not_in(SERVICE_GROUPS)


def filters(today=None):
    """Each dashboard filter's name and its condition on Product (the overview counts the same ones)."""
    soon = (today or date.today()) + timedelta(days=EXPIRY_WARNING_DAYS)
    has_image = sa.exists().where(ProductImage.product_id == Product.id)
    return {
        "published": Product.is_published.is_(True),
        "unpublished": Product.is_published.is_(False),
        "out_of_stock": sa.and_(_goods(), Product.stock <= 0),
        "missing_weight": sa.and_(_goods(), Product.weight_g.is_(None)),
        "missing_images": ~has_image,
        "expiring": sa.or_(Product.ocop_status == "expired",
                           sa.and_(Product.ocop_status.in_(LIVE_STATUSES), Product.ocop_expires_on <= soon)),
    }


def get_booth(slug):
    return db.session.scalar(sa.select(Vendor).where(Vendor.slug == slug))


def get_product(booth_slug, product_id):
    """The booth's product with this id (not deleted), or None: another booth's id is simply not found."""
    return db.session.scalar(
        sa.select(Product).join(Product.vendor)
        .where(Vendor.slug == booth_slug, Product.id == product_id, Product.deleted_at.is_(None)))


def _booth_products(vendor_id):
    return sa.and_(Product.vendor_id == vendor_id, Product.deleted_at.is_(None))


def booth_counts(vendor_id, today=None):
    """{'total': n, 'published': n, …one per filter} in one query."""
    conditions = filters(today)
    columns = [sa.func.count().label("total")] + [
        sa.func.count().filter(cond).label(name) for name, cond in conditions.items()]
    row = db.session.execute(sa.select(*columns).select_from(Product).where(_booth_products(vendor_id))).one()
    return dict(row._mapping)


def list_booth_products(vendor_id, show=None, q="", page=1, today=None):
    """(products of one page with their images, total matching) — three queries."""
    where = [_booth_products(vendor_id)]
    if show in filters(today):
        where.append(filters(today)[show])
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(sa.or_(Product.name.ilike(pattern, escape="\\"), Product.sku.ilike(pattern, escape="\\")))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Product).where(*where))
    items = db.session.scalars(
        sa.select(Product).where(*where).options(selectinload(Product.images))
        .order_by(Product.updated_at.desc(), Product.id.desc())
        .limit(PER_PAGE).offset((max(page, 1) - 1) * PER_PAGE)).all()
    return items, total


def stock_history(product_id, limit=100):
    return db.session.scalars(
        sa.select(StockMovement).where(StockMovement.product_id == product_id)
        .order_by(StockMovement.created_at.desc(), StockMovement.id.desc()).limit(limit)).all()


def certificate_of(product, certificate_id):
    return next((c for c in product.certificates if c.id == certificate_id), None)


def image_of(product, image_id):
    return next((p for p in product.images if p.id == image_id), None)

