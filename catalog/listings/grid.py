"""The product × marketplace grid: for each product, our own market first (published, booth approved, in
stock) and then its listing on every external marketplace. One page of it is three queries whatever its size
(count, products with their booth, listings of the page); the whole filtered grid comes in batches for
the CSV download."""
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from catalog.filters import CatalogFilter, parse_filter
from catalog.listings.models import LISTING_STATUSES, MARKETPLACES, OWN_MARKET, Listing
from catalog.models import Product
from catalog.queries import Page, apply_filter, on_own_market, valid_star
from storefront.extensions import db
from storefront.urls import parse_id
from storefront.vocab import Choice, Vocabulary
from vendors.models import Vendor

STATUSES = Vocabulary([  # the labels of LISTING_STATUSES, in the same order
    Choice("not_listed", "Chưa đăng", "Not listed"),
    Choice("exported", "Đã xuất tệp", "Exported"),
    Choice("submitted", "Đã gửi, chờ duyệt", "Submitted, in review"),
    Choice("listed", "Đang bán", "Listed"),
    Choice("rejected", "Bị từ chối", "Rejected"),
    Choice("delisted", "Đã gỡ", "Delisted"),
])
# The listing filter: "nowhere"/"somewhere" (listed on no / at least one external marketplace), our own market,
# or "<marketplace>:<status>" (no row counts as not_listed).
LISTING_FILTERS = ("nowhere", "somewhere", f"{OWN_MARKET}:listed", f"{OWN_MARKET}:not_listed") + tuple(
    f"{m}:{s}" for m in MARKETPLACES for s in LISTING_STATUSES)
CATALOG_ARGS = ("group", "star", "province", "entity_type")


@dataclass(frozen=True)
class GridFilters:
    catalog: CatalogFilter  # group, star, province, entity type (the catalogue's own filter and parser)
    booth_id: int | None = None
    listing: str = ""  # one of LISTING_FILTERS, or "" for every product
    q: str = ""  # part of the name or SKU

    def query_args(self, **overrides):
        """The filters as URL arguments (for page links and the CSV link)."""
        args = {k: v for k, v in self.catalog.query_args().items() if k in CATALOG_ARGS}
        args.update(booth=self.booth_id, listing=self.listing or None, q=self.q or None)
        args.update(overrides)
        return {k: v for k, v in args.items() if v not in (None, [], "")}


def clean_filters(args):
    """GridFilters from request args (a MultiDict); values that make no sense are dropped, never an error."""
    f = parse_filter(MultiDict([(k, v) for k, v in args.items(multi=True) if k in CATALOG_ARGS]))
    booth = args.get("booth", "")
    listing = args.get("listing", "")
    return GridFilters(
        catalog=f,
        booth_id=parse_id(booth),
        listing=listing if listing in LISTING_FILTERS else "",
        q=" ".join(args.get("q", "").split())[:60])


class Cell(NamedTuple):
    status: str
    url: str | None = None
    reason: str = ""
    external_id: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class GridProduct:
    id: int
    name: str
    slug: str
    sku: str | None
    group: str
    price_vnd: int
    stock: int
    is_published: bool
    star: int | None  # while the certificate is valid
    is_potential_5: bool
    booth_id: int
    booth_name: str
    booth_slug: str
    province: str
    entity_type: str
    on_own_market: bool


class GridRow(NamedTuple):
    product: GridProduct
    cells: dict  # OWN_MARKET first, then every marketplace: Cell, or None when nothing was recorded


class GridPage(Page):
    """One page of grid rows (catalog.queries.Page, its items called rows here)."""

    @property
    def rows(self):
        return self.items


def _listing_exists(*where):
    return sa.exists().where(Listing.product_id == Product.id, *where)


def _listing_condition(value):
    if value == "nowhere":
        return ~_listing_exists(Listing.status == "listed")
    if value == "somewhere":
        return _listing_exists(Listing.status == "listed")
    marketplace, status = value.split(":")
    if marketplace == OWN_MARKET:
        return on_own_market() if status == "listed" else ~on_own_market()
    if status == "not_listed":
        return ~_listing_exists(Listing.marketplace == marketplace, Listing.status != "not_listed")
    return _listing_exists(Listing.marketplace == marketplace, Listing.status == status)


def _where(filters, booth_id, today):
    where = [Product.deleted_at.is_(None)]
    booth_id = booth_id if booth_id is not None else filters.booth_id
    if booth_id is not None:
        where.append(Product.vendor_id == booth_id)
    if filters.listing:
        where.append(_listing_condition(filters.listing))
    if filters.q:
        pattern = "%" + filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(sa.or_(Product.name.ilike(pattern, escape="\\"), Product.sku.ilike(pattern, escape="\\")))
    stmt = apply_filter(sa.select(Product.id).join(Product.vendor), filters.catalog, today)
    return stmt.where(*where).whereclause


def _columns(today):
    return (Product.id, Product.name, Product.slug, Product.sku, Product.group, Product.price_vnd, Product.stock,
            Product.is_published, valid_star(today).label("star"),
            sa.and_(Product.ocop_status == "potential_5", valid_star(today).is_not(None)).label("p5"),
            Product.vendor_id, Vendor.name, Vendor.slug, Vendor.province, Vendor.entity_type,
            on_own_market().label("own"))


def _product(row):
    return GridProduct(row[0], row[1], row[2], row[3], row[4], row[5], row[6], bool(row[7]), row[8], bool(row[9]),
                       row[10], row[11], row[12], row[13], row[14], bool(row[15]))


def _rows(products, marketplaces):
    """GridRows of these products with their listings (one query)."""
    ids = [p.id for p in products]
    found = {}
    if ids:
        for listing in db.session.execute(
                sa.select(Listing.product_id, Listing.marketplace, Listing.status, Listing.url, Listing.reason,
                          Listing.external_id, Listing.updated_at)
                .where(Listing.product_id.in_(ids), Listing.marketplace.in_(marketplaces))):
            found[(listing[0], listing[1])] = Cell(*listing[2:])
    return [GridRow(p, {OWN_MARKET: Cell("listed" if p.on_own_market else "not_listed"),
                        **{m: found.get((p.id, m)) for m in marketplaces}}) for p in products]


def grid(*, booth_id=None, filters, page=1, per_page=50, marketplaces=MARKETPLACES, today=None):
    """One page of the grid (a GridPage of GridRows), ordered by booth then product name; `booth_id` limits it
    to one booth (the vendor's page) whatever the filters say. Three queries."""
    today = today or date.today()
    where = _where(filters, booth_id, today)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Product).join(Product.vendor).where(where))
    result = db.session.execute(
        sa.select(*_columns(today)).select_from(Product).join(Product.vendor).where(where)
        .order_by(Vendor.name, Vendor.id, Product.name, Product.id)
        .limit(per_page).offset((max(page, 1) - 1) * per_page))
    products = [_product(row) for row in result]
    return GridPage(_rows(products, marketplaces), total, page, per_page)


def grid_batches(*, booth_id=None, filters, batch=500, marketplaces=MARKETPLACES, today=None):
    """The whole filtered grid in product-id order, as lists of at most `batch` GridRows (two queries each)."""
    today = today or date.today()
    where = _where(filters, booth_id, today)
    last = 0
    while True:
        result = db.session.execute(
            sa.select(*_columns(today)).select_from(Product).join(Product.vendor).where(where, Product.id > last)
            .order_by(Product.id).limit(batch))
        products = [_product(row) for row in result]
        if not products:
            return
        yield _rows(products, marketplaces)
        if len(products) < batch:
            return
        last = products[-1].id


def booth_choices():
    """(id, name) of every booth that has products, by name, for the staff's booth filter."""
    has_products = sa.exists().where(Product.vendor_id == Vendor.id, Product.deleted_at.is_(None))
    return db.session.execute(sa.select(Vendor.id, Vendor.name).where(has_products)
                              .order_by(Vendor.name, Vendor.id)).all()


def pushed_ids(booth_id, marketplace):
    """Ids of the booth's products already submitted to or listed on `marketplace` (not to be sent again)."""
    return set(db.session.scalars(
        sa.select(Listing.product_id).join(Product, Product.id == Listing.product_id)
        .where(Product.vendor_id == booth_id, Listing.marketplace == marketplace,
               Listing.status.in_(("submitted", "listed")))))

