"""Read queries for shopper-facing pages and the API. Each returns fully loaded objects in a bounded
number of SQL statements, whatever the catalogue size."""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from catalog.models import Product, Showroom
from catalog.models import showroom_products as link
from catalog.ocop import LIVE_STATUSES, SERVICE_GROUPS
from storefront.extensions import db
from storefront.pagecache import memoize
from storefront.text import sort_key
from vendors.models import Vendor


def _on_sale():
    return sa.and_(Product.is_published.is_(True), Product.deleted_at.is_(None))


def in_stock():
    """SQL: the product can be bought now (stock left, or a service, which has none)."""
    return sa.or_(Product.stock > 0, Product.group.in_(SERVICE_GROUPS))


def on_own_market():
    """SQL: on sale in our own market: published, not deleted, in stock, of an approved booth (Vendor joined).
    The marketplace grids and figures count our market as a channel with it."""
    return sa.and_(_on_sale(), Vendor.status == "approved", in_stock())


def _on_sale_flag():
    return sa.case((_on_sale(), 1), else_=0)


def visible_products(newest_first=False):
    """Products a shopper may see: published, not deleted, of an approved booth (vendor joined).

    SQLite plans without statistics and, given `is_published = 1`, walks the (is_published, created_at)
    index over nearly every row. That is right only for a newest-first listing, which the index returns
    in order and stops at the page (`newest_first=True`). Otherwise the condition is stated in a form no
    index matches, so the planner starts from what is selective (slug, booth, group, province, ids): at
    100,000 products a price-sorted page or a booth's other products drop from ~350 ms to ~50 ms / <1 ms.
    PostgreSQL, which keeps statistics, plans both forms alike."""
    on_sale = _on_sale() if newest_first else _on_sale_flag() == 1
    return sa.select(Product).join(Product.vendor).where(on_sale, Vendor.status == "approved")


def count_on_sale():
    """SQL: how many of the selected products are on sale, as a sum (see visible_products for why)."""
    return sa.func.coalesce(sa.func.sum(_on_sale_flag()), 0)


def valid_star(today=None):
    """SQL expression: the product's star while its certificate is live and unexpired, else NULL."""
    today = today or date.today()
    return sa.case(
        (sa.and_(Product.ocop_status.in_(LIVE_STATUSES), Product.ocop_expires_on >= today), Product.ocop_star),
        else_=None,
    )


def _live(today):
    return sa.and_(Product.ocop_status.in_(LIVE_STATUSES), Product.ocop_expires_on >= today)


def _star_condition(value, today):
    """'3'/'4'/'5': certified with that star; 'p5': potential 5-star (a status of its own, not 5★)."""
    if value == "p5":
        return sa.and_(_live(today), Product.ocop_status == "potential_5")
    return sa.and_(_live(today), Product.ocop_status == "certified", Product.ocop_star == int(value))


def star_rank(today):
    """Sort key for 'stars': 5★ > potential 5★ > 4★ > 3★ > none (an expired certificate ranks as none)."""
    return sa.case(
        (sa.and_(_live(today), Product.ocop_status == "potential_5"), 9),
        (sa.and_(_live(today), Product.ocop_status == "certified"), Product.ocop_star * 2),
        else_=0,
    )


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
        stmt = stmt.where(in_stock())
    if f.vendor_id is not None:
        stmt = stmt.where(Product.vendor_id == f.vendor_id)
    return stmt


def _order(stmt, sort, today):
    if sort == "price_asc":
        return stmt.order_by(Product.price_vnd.asc(), Product.id.desc())
    if sort == "price_desc":
        return stmt.order_by(Product.price_vnd.desc(), Product.id.desc())
    if sort == "stars":
        return stmt.order_by(star_rank(today).desc(), Product.created_at.desc(), Product.id.desc())
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


def list_products(f, today=None, where=()):
    """One page of the catalogue for filter `f`: 3 queries (count, rows with booth, images). `where` adds
    conditions (the search fallback's name matches); the count is then not memoized."""
    today = today or date.today()
    # A booth's page starts from the booth's own products; the whole catalogue, newest first, from the index.
    newest_first = f.sort in ("newest", "relevance") and f.vendor_id is None and not where
    base = apply_filter(visible_products(newest_first=newest_first), f, today).where(*where)
    counted = (sa.select(count_on_sale()).select_from(Product).join(Product.vendor)
               .where(Vendor.status == "approved", *where))
    if where:
        total = db.session.scalar(apply_filter(counted, f, today))
    else:
        total = memoize(("product-count", f.count_key(), today),
                        lambda: db.session.scalar(apply_filter(counted, f, today)))
    stmt = (
        _order(base, f.sort, today)
        .options(contains_eager(Product.vendor), selectinload(Product.images))
        .limit(f.per_page)
        .offset((f.page - 1) * f.per_page)
    )
    items = db.session.scalars(stmt).unique().all()
    return Page(items, total, f.page, f.per_page)


def products_by_ids(ids):
    """Visible products with these ids, in the order given, with booth and images (2 queries)."""
    if not ids:
        return []
    stmt = visible_products().where(Product.id.in_(ids)).options(contains_eager(Product.vendor),
                                                                 selectinload(Product.images))
    found = {p.id: p for p in db.session.scalars(stmt).unique()}
    return [found[i] for i in ids if i in found]


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
    """Approved booths, by name, with how many visible products each has (3 queries: the products are
    counted for this page's booths only, so the cost does not grow with the catalogue)."""
    stmt = visible_vendors()
    if province:
        stmt = stmt.where(Vendor.province == province)
    if entity_type:
        stmt = stmt.where(Vendor.entity_type == entity_type)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    vendors = db.session.scalars(
        stmt.order_by(Vendor.name, Vendor.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    counts = {}
    if vendors:
        counts = dict(db.session.execute(
            sa.select(Product.vendor_id, count_on_sale())
            .where(Product.vendor_id.in_([v.id for v in vendors]))
            .group_by(Product.vendor_id)
        ).all())
    for vendor in vendors:
        vendor.product_count = counts.get(vendor.id, 0)
    return Page(list(vendors), total, page, per_page)


def list_showrooms():
    """Every showroom with its visible products and their booths (4 queries), starting from the showrooms'
    own product lists so the cost does not grow with the catalogue."""
    showrooms = db.session.scalars(sa.select(Showroom).order_by(Showroom.id)).all()
    shown = {s.id: [] for s in showrooms}
    pairs = db.session.execute(sa.select(link.c.showroom_id, link.c.product_id)).all() if showrooms else []
    if pairs:
        products = db.session.scalars(
            visible_products().where(Product.id.in_(sorted({product_id for _s, product_id in pairs})))
            .options(contains_eager(Product.vendor), selectinload(Product.images))
        ).unique().all()
        by_id = {p.id: p for p in products}
        for showroom_id, product_id in pairs:
            if product_id in by_id and showroom_id in shown:
                shown[showroom_id].append(by_id[product_id])
    for s in showrooms:
        s.visible_products = sorted(shown[s.id], key=lambda p: sort_key(p.name))
    return showrooms


def browse_counts(today=None):
    """browse_counts_uncached, remembered until the next committed write (it scans the catalogue)."""
    today = today or date.today()
    return memoize(("browse-counts", today), lambda: browse_counts_uncached(today))


def browse_counts_uncached(today=None):
    """({group: n}, {'3': n, '4': n, '5': n, 'p5': n}) of visible products in one pass over the catalogue.
    Star counts follow the star filter: a valid certificate only, potential 5-star under 'p5' only."""
    today = today or date.today()
    live = sa.case((_live(today), 1), else_=0)
    stmt = (
        sa.select(Product.group, Product.ocop_star, Product.ocop_status, live, count_on_sale())
        .join(Product.vendor).where(Vendor.status == "approved")
        .group_by(Product.group, Product.ocop_star, Product.ocop_status, live)
    )
    groups, stars = {}, {"3": 0, "4": 0, "5": 0, "p5": 0}
    for group, star, status, is_live, n in db.session.execute(stmt):
        if not n:
            continue
        groups[group] = groups.get(group, 0) + n
        key = "p5" if status == "potential_5" else str(star)
        if is_live and key in stars:
            stars[key] += n
    return groups, stars


def group_counts(today=None):
    """{group code: number of visible products} for the home page's browse-by-group links."""
    return browse_counts(today)[0]


def star_counts(today=None):
    """{'3': n, '4': n, '5': n, 'p5': n} of visible products with a valid certificate."""
    return browse_counts(today)[1]


def featured_products(limit=8, today=None):
    """Newest in-stock products with a valid 4★, 5★ or potential 5★ certificate (2 queries); when there are
    none, the newest in-stock products (2 more)."""
    today = today or date.today()
    base = visible_products(newest_first=True).options(contains_eager(Product.vendor), selectinload(Product.images))
    available = in_stock()
    starred = sa.or_(*(_star_condition(v, today) for v in ("4", "5", "p5")))
    newest = (Product.created_at.desc(), Product.id.desc())
    items = db.session.scalars(base.where(available, starred).order_by(*newest).limit(limit)).unique().all()
    if not items:
        items = db.session.scalars(base.where(available).order_by(*newest).limit(limit)).unique().all()
    return items


def more_from_vendor(product, limit=4):
    """A few other visible products of the same booth, newest first (2 queries)."""
    stmt = (
        visible_products()
        .where(Product.vendor_id == product.vendor_id, Product.id != product.id)
        .options(contains_eager(Product.vendor), selectinload(Product.images))
        .order_by(Product.created_at.desc(), Product.id.desc())
        .limit(limit)
    )
    return db.session.scalars(stmt).unique().all()


def showroom_summaries():
    """Every showroom, without its products (1 query)."""
    return db.session.scalars(sa.select(Showroom).order_by(Showroom.id)).all()


def sitemap_products(offset=0, limit=None):
    """(slug, updated_at) rows of visible products in a stable order: plain rows, no ORM objects."""
    stmt = visible_products().with_only_columns(Product.slug, Product.updated_at).order_by(Product.id)
    if offset:
        stmt = stmt.offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return db.session.execute(stmt)


def sitemap_vendors():
    """(slug, updated_at) rows of approved booths."""
    return db.session.execute(
        visible_vendors().with_only_columns(Vendor.slug, Vendor.updated_at).order_by(Vendor.id)
    ).all()


def count_visible_products():
    return db.session.scalar(
        sa.select(count_on_sale()).select_from(Product).join(Product.vendor).where(Vendor.status == "approved")
    )


def is_slug(text):
    """Whether `text` could be a slug; checked before a lookup (PostgreSQL refuses NUL in a parameter)."""
    return 0 < len(text) <= 120 and text.isascii() and text.replace("-", "").replace("_", "").isalnum()


def product_is_visible(slug):
    """Whether a product with this slug is on sale (1 query)."""
    if not is_slug(slug):
        return False
    stmt = visible_products().where(Product.slug == slug).with_only_columns(Product.id).limit(1)
    return db.session.scalar(stmt) is not None


def count_booth_products(vendor_id):
    """How many products of this booth a shopper may see (1 query)."""
    stmt = sa.select(count_on_sale()).join(Product.vendor).where(Product.vendor_id == vendor_id,
                                                                 Vendor.status == "approved")
    return db.session.scalar(stmt)
