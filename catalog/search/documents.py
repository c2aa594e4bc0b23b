"""Search documents built from the database, the source of truth. A document is a plain dict that every
backend indexes the same way; only products a shopper may see get one."""
import html
import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from catalog.models import Product
from catalog.ocop import GROUPS, LIVE_STATUSES, PRODUCT_SETS, SERVICE_GROUPS
from storefront.places import province_by_slug
from vendors.entities import ENTITY_TYPES
from vendors.models import Vendor

DESCRIPTION_CHARS = 1500  # descriptions weigh little in ranking; their tail would only slow the index
_TAG = re.compile(r"<[^>]*>")

COLUMNS = (
    Product.id, Product.slug, Product.name, Product.description, Product.group, Product.product_set,
    Product.price_vnd, Product.stock, Product.created_at, Product.ocop_star, Product.ocop_status,
    Product.ocop_expires_on, Product.is_published, Product.deleted_at,
    Vendor.id.label("vendor_id"), Vendor.slug.label("vendor_slug"), Vendor.name.label("vendor_name"),
    Vendor.status.label("vendor_status"), Vendor.province, Vendor.commune, Vendor.legacy_district,
    Vendor.entity_type,
)


@dataclass(frozen=True)
class Booth:
    id: int
    slug: str
    name: str


def star_key(status, star, expires_on, today):
    """'3' / '4' / '5' for a valid certificate, 'p5' for a valid potential 5-star one, '' otherwise: the
    same meaning as the catalogue's star filter."""
    if status not in LIVE_STATUSES or not expires_on or expires_on < today:
        return ""
    return "p5" if status == "potential_5" else str(star)


def star_rank(key):
    """The catalogue's 'stars' sort: 5★ > potential 5★ > 4★ > 3★ > none."""
    return {"5": 10, "p5": 9, "4": 8, "3": 6}.get(key, 0)


def plain_text(markup):
    return " ".join(html.unescape(_TAG.sub(" ", markup or "")).split())[:DESCRIPTION_CHARS]


def _place_words(row):
    """Booth, place (commune, legacy district, province and the provinces merged into it) and labels."""
    province = province_by_slug(row.province)
    parts = [row.vendor_name, row.commune, row.legacy_district]
    if province:
        parts += [province.name, *(old for old in province.merged_from if old != province.name)]
    for vocab, code in ((GROUPS, row.group), (PRODUCT_SETS, row.product_set), (ENTITY_TYPES, row.entity_type)):
        choice = vocab.get(code) if code else None
        if choice:
            parts += [choice.vi, choice.en]
    return " · ".join(p for p in parts if p)


def is_visible(row):
    return row.is_published and row.deleted_at is None and row.vendor_status == "approved"


def document(row, today):
    key = star_key(row.ocop_status, row.ocop_star, row.ocop_expires_on, today)
    return {
        "id": row.id,
        "slug": row.slug,
        "name": row.name,
        "context": _place_words(row),
        "description": plain_text(row.description),
        "group": row.group,
        "product_set": row.product_set or "",
        "star": key,
        "star_rank": star_rank(key),
        "province": row.province,
        "entity_type": row.entity_type,
        "vendor_id": row.vendor_id,
        "in_stock": row.group in SERVICE_GROUPS or row.stock > 0,
        "price": row.price_vnd,
        "created": int(row.created_at.timestamp() * 1_000_000),  # microseconds: products imported together differ
    }


def _select():
    return sa.select(*COLUMNS).join(Vendor, Product.vendor_id == Vendor.id)


def load(session, product_ids, today=None):
    """(documents of the visible products among `product_ids`, ids of the others to remove)."""
    today = today or date.today()
    docs, ids = [], sorted(set(product_ids))
    for start in range(0, len(ids), 500):
        rows = session.execute(_select().where(Product.id.in_(ids[start:start + 500])))
        docs += [document(row, today) for row in rows if is_visible(row)]
    indexed = {d["id"] for d in docs}
    return docs, [i for i in ids if i not in indexed]


def count_all(session):
    return session.scalar(sa.select(sa.func.count()).select_from(Product))


def iter_all(session, batch=2000, today=None):
    """Every visible product's document, in id order, `batch` rows at a time (keyset pagination)."""
    today = today or date.today()
    last = 0
    while True:
        rows = session.execute(_select().where(Product.id > last).order_by(Product.id).limit(batch)).all()
        if not rows:
            return
        last = rows[-1].id
        yield [document(r, today) for r in rows if is_visible(r)], len(rows)


def product_ids_of_vendors(session, vendor_ids):
    return session.scalars(sa.select(Product.id).where(Product.vendor_id.in_(sorted(vendor_ids)))).all()


def approved_booths(session, vendor_ids=None):
    """Open booths (all, or those among `vendor_ids`) for the booth-name suggestions."""
    stmt = sa.select(Vendor.id, Vendor.slug, Vendor.name).where(Vendor.status == "approved").order_by(Vendor.id)
    if vendor_ids is not None:
        stmt = stmt.where(Vendor.id.in_(sorted(vendor_ids)))
    return [Booth(*r) for r in session.execute(stmt)]


def expired_between(session, start, end):
    """Ids of products whose certificate expired on a day in [start, end)."""
    return session.scalars(sa.select(Product.id).where(Product.ocop_expires_on >= start,
                                                       Product.ocop_expires_on < end)).all()
