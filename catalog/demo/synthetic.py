"""Synthetic products for benchmarks (`ocop demo --scale N`): varied Vietnamese names, groups, stars,
prices, stock and all 34 provinces, about one booth per 50 products, inserted with bulk Core statements.

Product i is always the same product (one seeded generator, read in order), and booths and products
carry slugs of their own ('mau-…' booths), so asking for N products again adds nothing, and asking for
more adds only the missing ones."""
import random
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from catalog.demo import words
from catalog.demo.images import picture
from catalog.gtin import check_digit
from catalog.models import Certificate, Product, ProductImage, add_months
from catalog.ocop import CERTIFICATE_MONTHS, sets_of
from catalog.services import issuing_for
from storefront.extensions import db
from storefront.media import storage
from storefront.places import provinces
from storefront.text import fold, slugify
from vendors.entities import ENTITY_TYPES
from vendors.models import Vendor

BOOTH_PREFIX = "mau-"
PER_BOOTH = 50
BATCH = 5000
SEED = 2023
FIRST_DECISION, LAST_DECISION = date(2021, 1, 1), date(2026, 10, 31)
CREATED_FROM = datetime(2024, 1, 1, tzinfo=timezone.utc)
# (star, status) of a product's certificate, or none; weighted roughly like the article's province.
OCOP_LEVELS = ((3, "certified"), (4, "certified"), (4, "potential_5"), (5, "certified"), (None, None))
OCOP_WEIGHTS = (59, 30, 5, 3, 3)


def _booth(j):
    rng = random.Random(f"booth-{j}")
    province = provinces()[j % len(provinces())]
    entity = rng.choices(ENTITY_TYPES.codes, weights=words.ENTITY_WEIGHTS)[0]
    name = f"{words.ENTITY_NAMES[entity]} {rng.choice(words.TRADES)} {rng.choice(words.PLACES)}"
    commune = f"{rng.choice(('Xã', 'Phường'))} {rng.choice(words.PLACES)}"
    return {
        "name": name, "slug": f"{BOOTH_PREFIX}{j + 1:04d}-{slugify(name, 80)}"[:100], "entity_type": entity,
        "province": province.slug, "commune": commune, "address_text": f"{commune}, {province.name}",
        "legacy_district": "", "story": f"{name}: sản phẩm OCOP của {province.full_name}.",
        "status": "approved", "approved_at": CREATED_FROM, "created_at": CREATED_FROM, "updated_at": CREATED_FROM,
    }


def _product(i, rng, booth_name):
    group = rng.choices(words.GROUP_CODES, weights=words.GROUP_WEIGHTS)[0]
    word = rng.choice(words.PRODUCT_WORDS[group])
    unit, size = rng.choice(words.LIQUID_SIZES if word.startswith(words.LIQUIDS) else words.SIZES[group])
    name = " ".join(x for x in (word, rng.choice(words.MODIFIERS[group]), rng.choice(words.PLACES), size) if x)
    low, high = words.PRICES[group]
    created = CREATED_FROM + timedelta(minutes=rng.randrange(0, 1_000_000))
    row = {
        "name": name, "search_name": fold(name), "slug": f"{slugify(name, 100)}-m{i + 1:06d}", "group": group,
        "product_set": rng.choice(sets_of(group)).code, "price_vnd": rng.randrange(low, high, 1000),
        "stock": 0 if rng.random() < 0.08 else rng.randrange(1, 500), "unit": unit,
        "weight_g": None if group == "du_lich" else rng.choice((100, 200, 250, 300, 500, 700, 1000, 2000)),
        "sku": f"M{i + 1:06d}", "gtin": None, "is_published": True, "created_at": created, "updated_at": created,
        "description": (f"<p>{name} của {booth_name}. {rng.choice(words.BLURBS)}</p>"
                        f"<ul><li>Quy cách: {unit}</li><li>{rng.choice(words.BLURBS)}</li></ul>"),
    }
    if rng.random() < 0.3:
        data = f"29310{i + 1:07d}"
        row["gtin"] = data + check_digit(data)
    star, status = rng.choices(OCOP_LEVELS, weights=OCOP_WEIGHTS)[0]
    decided = FIRST_DECISION + timedelta(days=rng.randrange((LAST_DECISION - FIRST_DECISION).days))
    expires = add_months(decided, CERTIFICATE_MONTHS)
    row.update(ocop_star=star, ocop_status=status, ocop_expires_on=expires if star else None)
    if star is None:
        return row, None
    return row, {"star": star, "status": status, "decided_on": decided, "expires_on": expires,
                 "decision_no": f"{rng.randrange(100, 3000)}/QĐ-UBND"}


def _image_pool():
    """A few stored pictures per group, shared by every synthetic product."""
    pool = {}
    for group, names in words.PRODUCT_WORDS.items():
        pool[group] = [storage().save_image(picture(name, group, "pool")) for name in names[:4]]
    return pool


def _ensure_booths(count):
    existing = dict(db.session.execute(
        sa.select(Vendor.slug, Vendor.id).where(Vendor.slug.like(f"{BOOTH_PREFIX}%"))).all())
    specs = [_booth(j) for j in range(count)]
    missing = [b for b in specs if b["slug"] not in existing]
    if missing:
        rows = db.session.execute(sa.insert(Vendor).returning(Vendor.slug, Vendor.id), missing).all()
        existing.update(dict(rows))
    return [(existing[b["slug"]], b) for b in specs], len(missing)


def ensure_synthetic(n, tally, progress):
    """Make sure synthetic products 1..n exist. Flushes its inserts; the caller commits."""
    booths, tally["synthetic_booths_created"] = _ensure_booths(-(-n // PER_BOOTH))
    existing = set(db.session.scalars(sa.select(Product.slug).join(Product.vendor)
                                      .where(Vendor.slug.like(f"{BOOTH_PREFIX}%"))))
    pool = _image_pool() if len(existing) < n else {}
    rng = random.Random(SEED)
    issuers = {p.slug: p.full_name[:1].lower() + p.full_name[1:] for p in provinces()}
    created = 0
    with progress(total=n, desc="Synthetic products") as bar:
        for start in range(0, n, BATCH):
            products, certificates, images = [], [], []
            for i in range(start, min(n, start + BATCH)):
                vendor_id, booth = booths[i // PER_BOOTH]
                row, cert = _product(i, rng, booth["name"])
                if row["slug"] in existing:
                    continue
                products.append({**row, "vendor_id": vendor_id})
                if cert is not None:
                    level, body = issuing_for(cert["star"], cert["status"], cert["decided_on"],
                                              issuers[booth["province"]])
                    cert.update(issuing_level=level, issuing_body=body, created_at=row["created_at"])
                certificates.append(cert)
                key, width, height = pool[row["group"]][i % len(pool[row["group"]])]
                images.append({"key": key, "width": width, "height": height, "alt": row["name"], "position": 0})
            if products:
                ids = db.session.scalars(sa.insert(Product).returning(Product.id, sort_by_parameter_order=True),
                                         products).all()
                _insert_children(ids, certificates, images)
                created += len(products)
            bar.update(min(n, start + BATCH) - start)
    tally["synthetic_products_created"] = created
    tally["synthetic_products"] = len(existing) + created


def _insert_children(ids, certificates, images):
    certificates = [{**c, "product_id": pid} for pid, c in zip(ids, certificates) if c]
    if certificates:
        db.session.execute(sa.insert(Certificate), certificates)
    db.session.execute(sa.insert(ProductImage), [{**img, "product_id": pid} for pid, img in zip(ids, images)])
