"""Planning an import: rows grouped by booth, checked against each other (one booth, one type and
place; no SKU or product twice) and matched to the booths and products already in the database, which
are fetched in a few queries whatever the number of rows."""
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from catalog.models import Product
from catalog.register.columns import VIETNAMESE
from catalog.register.report import WARNING
from storefront.extensions import db
from storefront.text import fold
from vendors.models import Vendor

CHUNK = 500
BOOTH_FIELDS = ("entity_type", "province", "commune", "address")


@dataclass
class BoothPlan:
    slug: str
    values: dict  # name and the booth fields of its first row, completed by later rows
    rows: list = field(default_factory=list)
    vendor: Vendor | None = None  # the booth already in the database, if any
    matches: dict = field(default_factory=dict)  # row number -> existing Product


def group_booths(rows, report, header):
    """Rows by booth slug; a booth written with another type or place than on its first row is an error.
    Rows with errors still take part, so that a duplicate SKU on them is reported too."""
    booths, first_text = {}, {}
    for r in rows:
        if not r.booth["slug"]:
            continue
        plan = booths.get(r.booth["slug"])
        if plan is None:
            booths[r.booth["slug"]] = BoothPlan(r.booth["slug"], dict(r.booth), [r])
            first_text[r.booth["slug"]] = (r.row, dict(r.booth_text))
            continue
        plan.rows.append(r)
        first_row, seen = first_text[plan.slug]
        for name in BOOTH_FIELDS if r.valid else ():
            mine = r.booth_text.get(name)
            if mine and seen.get(name) and fold(mine) != fold(seen[name]):
                report.add(r.row, header.label(name), "conflict", _l(
                    "Booth “%(booth)s” has “%(value)s” here but “%(other)s” on row %(first)s.",
                    booth=r.booth["name"], value=mine, other=seen[name], first=first_row))
            elif mine and not seen.get(name):
                seen[name] = mine
                key = "address_text" if name == "address" else name
                plan.values[key] = r.booth[key]
                if name == "address":
                    plan.values["legacy_district"] = r.booth["legacy_district"]
    return booths


def check_duplicates(plan, report, header):
    """Within one booth: a SKU used twice, or the same product name twice without SKUs."""
    skus, names = {}, {}
    for r in plan.rows:
        if r.sku:
            if r.sku in skus:
                report.add(r.row, header.label("sku"), "duplicate_sku", _l(
                    "SKU %(sku)s is used twice for booth “%(booth)s”: also on row %(other)s.",
                    sku=r.sku, booth=r.booth["name"], other=skus[r.sku]))
            skus.setdefault(r.sku, r.row)
        else:
            if r.name_key in names:
                report.add(r.row, header.label("product_name"), "duplicate_product", _l(
                    "“%(name)s” of booth “%(booth)s” is already on row %(other)s: give each a SKU "
                    "if they are different products.", name=r.product["name"], booth=r.booth["name"],
                    other=names[r.name_key]))
            names.setdefault(r.name_key, r.row)


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def fetch_existing(booths, vendor=None):
    """Attach the booths already in the database and match each row to an existing product."""
    if vendor is not None:
        found = {slug: vendor for slug in booths}
    else:
        found = {}
        for chunk in _chunks(booths):
            found.update((v.slug, v) for v in db.session.scalars(sa.select(Vendor).where(Vendor.slug.in_(chunk))))
    products = defaultdict(list)
    for chunk in _chunks({v.id for v in found.values()}):
        stmt = (sa.select(Product).where(Product.vendor_id.in_(chunk))
                .options(selectinload(Product.certificates)).order_by(Product.id))
        for product in db.session.scalars(stmt):
            products[product.vendor_id].append(product)
    for slug, plan in booths.items():
        plan.vendor = found.get(slug)
        if plan.vendor is not None:
            _match(plan, products[plan.vendor.id])


def _match(plan, existing):
    """By SKU first; then by name, a SKU row only taking a product that has no SKU yet."""
    by_sku = {p.sku: p for p in existing if p.sku}
    by_name = defaultdict(list)
    for p in existing:
        by_name[fold(p.name)].append(p)
    claimed = set()
    for r in plan.rows:
        product = by_sku.get(r.sku) if r.sku else None
        if product is not None:
            plan.matches[r.row] = product
            claimed.add(product.id)
    for r in plan.rows:
        if r.row in plan.matches:
            continue
        candidates = [p for p in by_name.get(r.name_key, ()) if p.id not in claimed and not (r.sku and p.sku)]
        candidates.sort(key=lambda p: p.sku is not None)
        if candidates:
            plan.matches[r.row] = candidates[0]
            claimed.add(candidates[0].id)


def check_stars_recorded(plan, report, header):
    """Stars without a decision date cannot become a certificate: say so unless they are already recorded."""
    for r in plan.rows:
        if r.star is None or r.certified_on is not None:
            continue
        product = plan.matches.get(r.row)
        current = product.current_certificate if product is not None else None
        if current is None or (current.star, current.status) != (r.star, r.status):
            report.add(r.row, header.label("stars"), "stars_not_recorded", _l(
                "%(star)s★ is not recorded: an OCOP certificate needs its decision date (column “%(column)s”).",
                star=r.star, column=header.labels.get("certified_on", VIETNAMESE["certified_on"])), WARNING)
