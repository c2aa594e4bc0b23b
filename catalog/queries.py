"""Read queries for shopper-facing pages and the API. Each returns fully loaded objects in a bounded
number of SQL statements, whatever the catalogue size."""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from catalog.models import Product, Showroom
from catalog.models import showroom_products as link
from catalog.ocop import LIVE_STATUSES
from storefront.extensions import db
from vendors.models import Vendor


def visible_products():
    """Products a shopper may see: published, not deleted, of an approved booth (vendor joined)."""
    return (
        sa.select(Product)
        .join(Product.vendor)
        .where(Product.is_published.is_(True), Product.deleted_at.is_(None), Vendor.status == "approved")
    )


def valid_star(today=None):
    """SQL expression: the product's star while its certificate is live and unexpired, else NULL."""
    today = today or date.today()
    return sa.case(
        (sa.and_(Product.ocop_status.in_(LIVE_STATUSES), Product.ocop_expires_on >= today), Product.ocop_star),
        else_=None,
    )


def _star_condition(value, today):
    live = sa.and_(Product.ocop_status.in_(LIVE_STATUSES), Product.ocop_expires_on >= today)
    if value == "p5":
        return sa.and_(live, Product.ocop_status == "potential_5")
    return sa.and_(live, Product.ocop_star == int(value))


def apply_filter(stmt, f, today=None):
    today = today or date.today()
    if f.groups:
        stmt = stmt.where(Product.group.in_(f.groups))
    if f.stars:
        stmt = stmt.where(sa.or_(*(_star_condition(v, today) for v in f.stars)))
    if f.province:
        stmt = stmt.where(Vendor.province == f.province)
    if f.entity_type:
        stmt = stmt.where(Vendor.entity_type == f.entity_type)
    if f.price_min is not None:
        stmt = stmt.where(Product.price_vnd >= f.price_min)
    if f.price_max is not None:
        stmt = stmt.where(Product.price_vnd <= f.price_max)
    if f.in_stock:
        stmt = stmt.where(sa.or_(Product.stock > 0, Product.group == "du_lich"))
    if f.vendor_id is not None:
        stmt = stmt.where(Product.vendor_id == f.vendor_id)
    return stmt


def _order(stmt, sort, today):
    if sort == "price_asc":
        return stmt.order_by(Product.price_vnd.asc(), Product.id.desc())
    if sort == "price_desc":
        return stmt.order_by(Product.price_vnd.desc(), Product.id.desc())
    if sort == "stars":
        rank = sa.func.coalesce(valid_star(today), 0) * 2 + sa.case((Product.ocop_status == "potential_5", 1), else_=0)
        return stmt.order_by(rank.desc(), Product.id.desc())
    return stmt.order_by(Product.created_at.desc(), Product.id.desc())


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def has_prev(self):
        return self.page > 1


def list_products(f, today=None):
    """One page of the catalogue for filter `f`: 3 queries (count, rows with booth, images)."""
    today = today or date.today()
    base = apply_filter(visible_products(), f, today)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(base.with_only_columns(Product.id).subquery()))
    stmt = (
        _order(base, f.sort, today)
        .options(contains_eager(Product.vendor), selectinload(Product.images))
        .limit(f.per_page)
        .offset((f.page - 1) * f.per_page)
    )
    items = db.session.scalars(stmt).unique().all()
    return Page(items, total, f.page, f.per_page)


def get_product(slug):
    """A visible product with its booth, images, certificate history and showrooms (4 queries), or None."""
    stmt = visible_products().where(Product.slug == slug).options(
        contains_eager(Product.vendor),
        selectinload(Product.images),
        selectinload(Product.certificates),
        selectinload(Product.showrooms),
    )
    return db.session.scalars(stmt).unique().one_or_none()


def visible_vendors():
    return sa.select(Vendor).where(Vendor.status == "approved")


def get_vendor(slug):
    return db.session.scalars(visible_vendors().where(Vendor.slug == slug)).one_or_none()


def list_vendors(page=1, per_page=24, province=None, entity_type=None):
    """Approved booths with how many visible products each has (2 queries)."""
    stmt = visible_vendors()
    if province:
        stmt = stmt.where(Vendor.province == province)
    if entity_type:
        stmt = stmt.where(Vendor.entity_type == entity_type)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    counts = (
        sa.select(Product.vendor_id, sa.func.count().label("n"))
        .where(Product.is_published.is_(True), Product.deleted_at.is_(None))
        .group_by(Product.vendor_id)
        .subquery()
    )
    rows = db.session.execute(
        stmt.add_columns(sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.vendor_id == Vendor.id)
        .order_by(Vendor.name, Vendor.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    for vendor, n in rows:
        vendor.product_count = n
    return Page([v for v, _n in rows], total, page, per_page)


def list_showrooms():
    """Every showroom with its visible products and their booths (3 queries)."""
    showrooms = db.session.scalars(sa.select(Showroom).order_by(Showroom.id)).all()
    ids = [s.id for s in showrooms]
    if not ids:
        return []
    rows = db.session.execute(
        visible_products().add_columns(link.c.showroom_id)
        .join(link, link.c.product_id == Product.id)
        .where(link.c.showroom_id.in_(ids))
        .options(contains_eager(Product.vendor), selectinload(Product.images))
        .order_by(Product.name)
    ).unique().all()
    shown = {s.id: [] for s in showrooms}
    for product, showroom_id in rows:
        shown[showroom_id].append(product)
    for s in showrooms:
        s.visible_products = shown[s.id]
    return showrooms


def group_counts(today=None):
    """{group code: number of visible products} for the home page's browse-by-group links."""
    stmt = visible_products().with_only_columns(Product.group, sa.func.count()).group_by(Product.group)
    return dict(db.session.execute(stmt).all())


def star_counts(today=None):
    """{'3': n, '4': n, '5': n, 'p5': n} of visible products with a valid certificate."""
    today = today or date.today()
    live = sa.and_(Product.ocop_status.in_(LIVE_STATUSES), Product.ocop_expires_on >= today)
    stmt = visible_products().where(live).with_only_columns(Product.ocop_star, Product.ocop_status, sa.func.count()) \
        .group_by(Product.ocop_star, Product.ocop_status)
    counts = {"3": 0, "4": 0, "5": 0, "p5": 0}
    for star, status, n in db.session.execute(stmt):
        counts[str(star)] = counts.get(str(star), 0) + n
        if status == "potential_5":
            counts["p5"] += n
    return counts

