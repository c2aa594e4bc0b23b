"""Write operations on booths, products, certificates, images and showrooms, shared by the register
import and the demo market. They add to the session and never commit: the caller's public service is
the unit of work and commits once."""
from datetime import date

import sqlalchemy as sa

from catalog.models import Certificate, Product, ProductImage, Showroom
from storefront.extensions import db
from storefront.media import storage
from storefront.models import utcnow
from storefront.text import slugify
from vendors.models import Vendor

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
CENTRAL_BODY = "Bộ Nông nghiệp và Môi trường"
CENTRAL_BODY_BEFORE_2025 = "Bộ Nông nghiệp và Phát triển nông thôn"
MINISTRY_RENAMED_ON = date(2025, 3, 1)
# Decision 148/QĐ-TTg (24 Feb 2023) gave 3★ to the districts; from 1 July 2025 there are no districts.
DISTRICT_3_STAR = (date(2023, 2, 24), date(2025, 7, 1))
# Callables (product_id) -> bool: "this product is on an order". The orders domain appends its check at
# start-up; a product with orders is only ever soft-deleted, so the orders keep their line.
ORDER_CHECKS = []


def has_orders(product_id):
    """True if any registered check says the product appears on an order."""
    return any(check(product_id) for check in ORDER_CHECKS)


def assign(obj, values):
    """Set the attributes that differ; True if anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def free_slugs(model, candidates):
    """The candidate slugs not yet used by a row of `model` (one query per 500 candidates)."""
    candidates = list(dict.fromkeys(candidates))
    taken = set()
    for start in range(0, len(candidates), 500):
        chunk = candidates[start:start + 500]
        taken.update(db.session.scalars(sa.select(model.slug).where(model.slug.in_(chunk))))
    return [c for c in candidates if c not in taken]


def unique_slug(model, base, reserved=(), max_length=100):
    """`base`, or `base-2`, `base-3`… whichever is free in the table and not in `reserved`."""
    base = base[: max_length - 8].rstrip("-")
    pattern = base.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"
    used = set(db.session.scalars(sa.select(model.slug).where(
        sa.or_(model.slug == base, model.slug.like(pattern, escape="\\")))))
    used.update(reserved)
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def create_vendor(name, *, slug=None, approve=True, **fields):
    """A new booth called `name` (slug: the slug of its name unless given); approved unless `approve=False`."""
    values = {"story": "", "address_text": "", "commune": "", "legacy_district": "", **fields}
    vendor = Vendor(name=name, slug=slug or slugify(name), **values)
    if approve:
        vendor.status, vendor.approved_at = "approved", utcnow()
    db.session.add(vendor)
    return vendor


def upsert_vendor(name, **fields):
    """Create the booth whose slug is the slug of `name`, or update it. Returns (vendor, change)."""
    vendor = db.session.scalar(sa.select(Vendor).where(Vendor.slug == (fields.get("slug") or slugify(name))))
    if vendor is None:
        return create_vendor(name, **fields), CREATED
    fields.pop("slug", None)
    fields.pop("approve", None)
    return vendor, UPDATED if assign(vendor, fields) else UNCHANGED


def create_product(vendor, name, *, slug=None, **fields):
    """A new product of `vendor`, with `slug` or a free slug made from its name."""
    values = {"description": "", "stock": 0, "unit": "", **fields}
    product = Product(vendor=vendor, name=name, slug=slug or unique_slug(Product, slugify(name), max_length=120),
                      **values)
    db.session.add(product)
    return product


def upsert_product(vendor, name, *, slug, **fields):
    """Create or update the product with `slug`, owned by `vendor`. Returns (product, change)."""
    product = db.session.scalar(sa.select(Product).where(Product.slug == slug))
    if product is None:
        return create_product(vendor, name, slug=slug, **fields), CREATED
    return product, UPDATED if assign(product, {"vendor": vendor, "name": name, **fields}) else UNCHANGED


def issuing_for(star, status, decided_on, province_name="", district_name=""):
    """(level, body) of an OCOP decision: 5★ is central; 3★ was the district's from 2023 until the
    districts were abolished; otherwise (4★, potential 5★) the province's."""
    if star == 5 and status != "potential_5":
        return "central", CENTRAL_BODY if decided_on >= MINISTRY_RENAMED_ON else CENTRAL_BODY_BEFORE_2025
    if star == 3 and DISTRICT_3_STAR[0] <= decided_on < DISTRICT_3_STAR[1]:
        return "district", f"UBND {district_name}" if district_name else "UBND cấp huyện"
    return "province", f"UBND {province_name}" if province_name else ""


def record_certificate(product, *, star, decided_on, status="certified", decision_no="", issuing_level=None,
                       issuing_body=None, score=None, province_name="", district_name=""):
    """Add an OCOP decision to the product's history unless that decision (number and date) is already
    recorded; keeps the product's OCOP summary current. Returns the new certificate or None."""
    for cert in product.certificates:
        if cert.decided_on == decided_on and (cert.decision_no or "") == (decision_no or ""):
            return None
    level, body = issuing_for(star, status, decided_on, province_name, district_name)
    cert = Certificate(star=star, status=status, decision_no=decision_no or "", decided_on=decided_on,
                       issuing_level=issuing_level or level, issuing_body=issuing_body or body, score=score)
    # Keep the in-memory history newest first, as the relationship loads it, so refresh_ocop sees it.
    history = product.certificates
    position = next((i for i, c in enumerate(history) if c.decided_on <= decided_on), len(history))
    history.insert(position, cert)
    product.refresh_ocop()
    return cert


def add_image(product, image, alt=""):
    """Store a PIL image and append it to the product's images (unless the same picture is there)."""
    return attach_image(product, storage().save_image(image), alt)


def attach_image(product, stored, alt=""):
    """Append an image already in storage, `stored` = (key, width, height) from save_image."""
    key, width, height = stored
    for existing in product.images:
        if existing.key == key:
            return existing
    picture = ProductImage(key=key, width=width, height=height, alt=alt, position=len(product.images))
    product.images.append(picture)
    return picture


def upsert_showroom(name, *, products=(), **fields):
    """Create or update the showroom whose slug is the slug of `name`; put `products` on show."""
    showroom = db.session.scalar(sa.select(Showroom).where(Showroom.slug == slugify(name)))
    if showroom is None:
        showroom = Showroom(name=name, slug=slugify(name), **fields)
        db.session.add(showroom)
        change = CREATED
    else:
        change = UPDATED if assign(showroom, fields) else UNCHANGED
    on_show = set(showroom.products)
    for product in products:
        if product not in on_show:
            showroom.products.append(product)
            change = change if change == CREATED else UPDATED
    return showroom, change
