"""The hand-written Trà Vinh market: booths, products with certificates and pictures, showrooms.
Everything is matched by slug, so loading it again changes nothing."""
import math
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from catalog import services
from catalog.demo.booths import BOOTHS, PROVINCE, SHOWROOM_HOURS, SHOWROOMS
from catalog.demo.images import picture
from catalog.demo.products import PRODUCTS
from catalog.gtin import check_digit
from catalog.html import clean_html
from catalog.ocop import SERVICE_GROUPS
from catalog.models import Product
from storefront.extensions import db
from storefront.media import storage
from storefront.text import slugify
from vendors.models import Vendor

GTIN_PREFIX = "29300"  # restricted-circulation range 200–299: never a real GS1 Vietnam (893) number
ON_SHOW_PER_BOOTH = 3
REFORM = date(2025, 7, 1)  # Trà Vinh became part of Vĩnh Long


def demo_gtin(n):
    data = f"{GTIN_PREFIX}{n:07d}"
    return data + check_digit(data)


def _sku(booth_key, n):
    return "".join(part[0] for part in booth_key.split("-")).upper() + f"-{n:02d}"


def _certificates(spec):
    """'4@2022-10-12 p5@2025-09-15' -> [(4, 'certified', date(2022, 10, 12)), (4, 'potential_5', …)]."""
    for item in spec.split():
        star, day = item.split("@")
        yield (4, "potential_5", date.fromisoformat(day)) if star == "p5" else (int(star), "certified",
                                                                                date.fromisoformat(day))


def _issuing_province(day):
    return "tỉnh Trà Vinh" if day < REFORM else "tỉnh Vĩnh Long"


def _description(item, booth):
    facts = [f"Quy cách: {item.unit}" + (f", {item.weight_g:,} g".replace(",", ".") if item.weight_g else "")]
    facts.append(f"Nơi sản xuất: {booth.district}, Trà Vinh (nay thuộc tỉnh Vĩnh Long)")
    if item.shelf_life_days:
        facts.append(f"Hạn sử dụng: {item.shelf_life_days} ngày kể từ ngày sản xuất")
    items = "".join(f"<li>{f}</li>" for f in facts)
    return clean_html(f"<p>{item.blurb}</p><ul>{items}</ul><p>Sản phẩm của <strong>{booth.name}</strong>.</p>")


def load_booths(tally):
    """The demo booths by key; new ones are approved."""
    by_slug = {v.slug: v for v in db.session.scalars(
        sa.select(Vendor).where(Vendor.slug.in_([slugify(b.name) for b in BOOTHS])))}
    booths = {}
    for b in BOOTHS:
        fields = {"entity_type": b.entity_type, "province": PROVINCE, "commune": b.commune,
                  "address_text": b.address, "legacy_district": b.district, "story": b.story}
        vendor = by_slug.get(slugify(b.name))
        if vendor is None:
            vendor, change = services.create_vendor(b.name, **fields), services.CREATED
        else:
            change = services.UPDATED if services.assign(vendor, {"name": b.name, **fields}) else services.UNCHANGED
        tally["booths"][change] += 1
        booths[b.key] = vendor
    return booths


def packed_size(weight_g, group):
    """A believable parcel for a demo product without measured dimensions: a cube holding its weight at about
    half the density of water, in whole centimetres (at least 5). Services ship nothing."""
    if not weight_g or group in SERVICE_GROUPS:
        return None
    side = max(5, math.ceil((weight_g * 2) ** (1 / 3)))
    return (side, side, side)


def load_products(booths, tally):
    """The demo products by booth key, in the order of PRODUCTS."""
    booth_info = {b.key: b for b in BOOTHS}
    stmt = (sa.select(Product).where(Product.slug.in_([slugify(p.name) for p in PRODUCTS]))
            .options(selectinload(Product.certificates), selectinload(Product.images)))
    by_slug = {p.slug: p for p in db.session.scalars(stmt)}
    by_booth, unpictured = {}, []
    for n, item in enumerate(PRODUCTS, start=1):
        booth = booth_info[item.booth]
        mine = by_booth.setdefault(item.booth, [])
        fields = {"group": item.group, "product_set": item.product_set, "price_vnd": item.price_vnd,
                  "stock": item.stock, "unit": item.unit, "weight_g": item.weight_g,
                  "shelf_life_days": item.shelf_life_days, "sku": _sku(item.booth, len(mine) + 1),
                  "gtin": demo_gtin(n) if item.gtin else None, "description": _description(item, booth),
                  "length_cm": None, "width_cm": None, "height_cm": None, **item.extra}
        dims = item.dims or packed_size(item.weight_g, item.group)
        if dims:
            fields["length_cm"], fields["width_cm"], fields["height_cm"] = map(float, dims)
        product = by_slug.get(slugify(item.name))
        if product is None:
            product = services.create_product(booths[item.booth], item.name, slug=slugify(item.name), **fields)
            change = services.CREATED
        else:
            change = services.UPDATED if services.assign(
                product, {"vendor": booths[item.booth], "name": item.name, **fields}) else services.UNCHANGED
        for i, (star, status, day) in enumerate(_certificates(item.certificates)):
            number = f"{(n * 37 + i * 11) % 2900 + 100}/QĐ-UBND"
            if services.record_certificate(product, star=star, status=status, decided_on=day, decision_no=number,
                                           province_name=_issuing_province(day), district_name=booth.district):
                tally["certificates"] += 1
                change = change if change == services.CREATED else services.UPDATED
        if not product.images:
            unpictured.append((product, item))
        tally["products"][change] += 1
        mine.append(product)
    _draw_pictures(unpictured, tally)
    return by_booth


def _draw_pictures(unpictured, tally):
    """Draw and store the missing pictures in a few threads (Pillow releases the GIL while encoding)."""
    store = storage()
    with ThreadPoolExecutor(max_workers=4) as pool:
        stored = pool.map(lambda pair: store.save_image(picture(pair[1].name, pair[1].group)), unpictured)
        for (product, item), image in zip(unpictured, stored):
            services.attach_image(product, image, alt=item.name)
            tally["images"] += 1


def load_showrooms(by_booth, tally):
    """The article's five showrooms, each showing the first products of the booths around it."""
    for name, commune, address, description, booth_keys in SHOWROOMS:
        products = [p for key in booth_keys for p in by_booth[key][:ON_SHOW_PER_BOOTH]]
        _showroom, change = services.upsert_showroom(
            name, products=products, address_text=address, province=PROVINCE, commune=commune,
            description=description, opening_hours=SHOWROOM_HOURS)
        tally["showrooms"][change] += 1
