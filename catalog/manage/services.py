"""Write operations of the vendor dashboard. Each public function is one unit of work: it checks the
values, changes the rows, records the audit entry (when programme staff act for an assisted booth) and
commits once. They raise catalog.manage.errors.CatalogueError, which views show on the form."""
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from catalog import services as catalog_services
from catalog.gtin import GtinError, normalize_gtin
from catalog.html import clean_html
from catalog.manage.errors import (DuplicateCertificate, DuplicateSku, InvalidValue, StockBelowZero,
                                   TooManyImages)
from catalog.models import Product, StockMovement
from catalog.stock import change_stock
from catalog.ocop import CERT_STATUSES, GROUPS, ISSUING_LEVELS, SET_GROUP, STARS
from storefront.extensions import db
from storefront.media import storage
from storefront.models import utcnow
from storefront.uploads import check_document, load_image
from vendors.audit import record_change, snapshot

MAX_PRICE = 1_000_000_000  # đồng: anything above is a typing mistake
MAX_STOCK = 1_000_000
MAX_IMAGES = 12
PRODUCT_FIELDS = ("name", "group", "product_set", "description", "price_vnd", "list_price_vnd", "unit",
                  "weight_g", "length_cm", "width_cm", "height_cm", "shelf_life_days", "gtin", "sku",
                  "is_published")
CERTIFICATE_FIELDS = ("star", "status", "decision_no", "decided_on", "expires_on", "issuing_level",
                      "issuing_body", "score", "document_key")


def _product_values(vendor_id, values, product_id=None):
    """`values` checked and normalised: sanitised description, GTIN digits, prices in range, SKU free."""
    values = dict(values)
    values["name"] = (values.get("name") or "").strip()
    if not values["name"]:
        raise InvalidValue(_l("Please fill this in."), "name")
    if values.get("group") not in GROUPS:
        raise InvalidValue(_l("Choose a product group."), "group")
    values["product_set"] = values.get("product_set") or None
    if values["product_set"] and SET_GROUP.get(values["product_set"]) != values["group"]:
        raise InvalidValue(_l("This product set does not belong to the chosen group."), "product_set")
    values["description"] = clean_html(values.get("description") or "")
    price, list_price = values.get("price_vnd"), values.get("list_price_vnd")
    for field, amount in (("price_vnd", price), ("list_price_vnd", list_price)):
        if amount is not None and not 0 < amount <= MAX_PRICE:
            raise InvalidValue(_l("Enter an amount above 0 and at most 1.000.000.000 ₫."), field)
    if price is None:
        raise InvalidValue(_l("Please fill this in."), "price_vnd")
    if list_price is not None and list_price < price:
        raise InvalidValue(_l("The list price cannot be below the price."), "list_price_vnd")
    if values.get("gtin"):
        try:
            values["gtin"] = normalize_gtin(values["gtin"])
        except GtinError:
            raise InvalidValue(_l("This is not a valid GTIN (barcode): check the digits."), "gtin") from None
    values["gtin"] = values.get("gtin") or None
    values["sku"] = (values.get("sku") or "").strip() or None
    if values["sku"]:
        taken = sa.select(Product.id).where(Product.vendor_id == vendor_id, Product.sku == values["sku"])
        if product_id is not None:
            taken = taken.where(Product.id != product_id)
        if db.session.scalar(taken.limit(1)) is not None:
            raise DuplicateSku()
    return values


def _commit_product():
    """Commit; a SKU taken by a concurrent request between our check and the insert is the same error."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DuplicateSku() from None


def create_product(vendor, user, values, stock=0):
    """A new product of `vendor` from form `values`, with its opening stock recorded as a movement."""
    if not 0 <= stock <= MAX_STOCK:
        error = _stock_range_error()
        error.field = "stock"
        raise error
    values = _product_values(vendor.id, values)
    product = catalog_services.create_product(vendor, values.pop("name"), stock=stock, **values)
    db.session.flush()
    if stock:
        db.session.add(StockMovement(product_id=product.id, delta=stock, stock_after=stock,
                                     reason=str(_l("Opening stock")), user_id=user.id))
    record_change(user, vendor.id, "product.create", product, None, snapshot(product, PRODUCT_FIELDS))
    _commit_product()
    return product


def update_product(product, user, values):
    """Change the product's fields to `values` (its slug, and so its address, stays)."""
    before = snapshot(product, PRODUCT_FIELDS)
    values = _product_values(product.vendor_id, values, product.id)
    catalog_services.assign(product, values)
    record_change(user, product.vendor_id, "product.update", product, before, snapshot(product, PRODUCT_FIELDS))
    _commit_product()
    return product


def set_published(product, user, published):
    """Show the product in the shop (True) or hide it (False)."""
    before = snapshot(product, ("is_published",))
    product.is_published = bool(published)
    record_change(user, product.vendor_id, "product.publish" if published else "product.unpublish", product,
                  before, snapshot(product, ("is_published",)))
    db.session.commit()


def delete_product(product, user):
    """Remove the product: soft (hidden, kept for its orders) if it has orders, otherwise for good.
    Returns True when it was only soft-deleted."""
    before = snapshot(product, PRODUCT_FIELDS)
    soft = catalog_services.has_orders(product.id)
    if soft:
        product.deleted_at = utcnow()
        product.is_published = False
    record_change(user, product.vendor_id, "product.delete", product, before,
                  {"deleted_at": product.deleted_at.isoformat()} if soft else None)
    if not soft:
        db.session.delete(product)
    db.session.commit()
    return soft


def add_certificate(product, user, *, star, decided_on, status="certified", decision_no="", issuing_level=None,
                    issuing_body="", score=None, document=None):
    """Record an OCOP decision (and its scanned document, a PDF or picture file) for the product."""
    if star not in STARS:
        raise InvalidValue(_l("Choose 3, 4 or 5 stars."), "star")
    if status not in CERT_STATUSES:
        raise InvalidValue(_l("Choose a status."), "status")
    if issuing_level and issuing_level not in ISSUING_LEVELS:
        raise InvalidValue(_l("Choose an issuing level."), "issuing_level")
    if score is not None and not 0 <= score <= 100:
        raise InvalidValue(_l("Enter a number from 0 to %(max)s.", max=100), "score")
    if decided_on > date.today():
        raise InvalidValue(_l("The decision date cannot be in the future."), "decided_on")
    key = None
    if document is not None:
        data, _type, extension = check_document(document)
        key = storage().save_document(data, extension)
    cert = catalog_services.record_certificate(
        product, star=star, decided_on=decided_on, status=status, decision_no=(decision_no or "").strip(),
        issuing_level=issuing_level or None, issuing_body=(issuing_body or "").strip() or None, score=score,
        province_name=product.vendor.province_name)
    if cert is None:
        raise DuplicateCertificate()
    cert.document_key = key
    db.session.flush()
    record_change(user, product.vendor_id, "certificate.create", cert, None, snapshot(cert, CERTIFICATE_FIELDS))
    db.session.commit()
    return cert


def remove_certificate(product, user, certificate):
    """Delete one decision from the product's history; the next newest becomes the current one."""
    before = snapshot(certificate, CERTIFICATE_FIELDS)
    product.certificates.remove(certificate)
    product.refresh_ocop()
    record_change(user, product.vendor_id, "certificate.delete", certificate, before, None)
    db.session.commit()


def _stock_range_error():
    return InvalidValue(_l("Enter a number from 0 to %(max)s.", max=f"{MAX_STOCK:,}".replace(",", ".")), "amount")


def _renumber(product):
    for position, picture in enumerate(product.images):
        picture.position = position


def add_images(product, user, files, alt=""):
    """Check and store each uploaded picture (stored once, as WebP at every width) and append them in order.
    One bad file refuses the whole upload with a message naming it."""
    files = list(files)
    if not files:
        raise InvalidValue(_l("Choose at least one picture."), "images")
    if len(product.images) + len(files) > MAX_IMAGES:
        raise TooManyImages(max=MAX_IMAGES)
    before = [p.key for p in product.images]
    added = []
    for file in files:
        try:
            image = load_image(file)
        except ValueError as exc:
            db.session.rollback()
            name = getattr(file, "filename", "") or ""
            raise InvalidValue(f"{name}: {exc}" if name else str(exc), "images") from None
        added.append(catalog_services.add_image(product, image, alt or product.name[:255]))
        del image
    _renumber(product)
    db.session.flush()
    record_change(user, product.vendor_id, "image.add", product, {"images": before},
                  {"images": [p.key for p in product.images]})
    db.session.commit()
    return added


def move_image(product, user, picture, direction):
    """Move a picture one place up (towards the main picture) or down."""
    if direction not in ("up", "down"):
        raise InvalidValue(_l("Move a picture up or down."))
    images = list(product.images)
    i = images.index(picture)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(images):
        return
    before = [p.key for p in images]
    images[i], images[j] = images[j], images[i]
    for position, each in enumerate(images):
        each.position = position
    record_change(user, product.vendor_id, "image.move", product, {"images": before},
                  {"images": [p.key for p in images]})
    db.session.commit()


def remove_image(product, user, picture):
    """Take a picture off the product (the stored files stay: another product may show the same one)."""
    before = [p.key for p in product.images]
    product.images.remove(picture)
    _renumber(product)
    record_change(user, product.vendor_id, "image.delete", product, {"images": before},
                  {"images": [p.key for p in product.images]})
    db.session.commit()


def adjust_stock(product, user, *, reason, delta=None, set_to=None):
    """Add `delta` to the stock, or set it to `set_to`, with a reason; one StockMovement per change.
    Safe against concurrent changes: the database applies each one to the current value."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidValue(_l("Say why the stock changes."), "reason")
    if (delta is None) == (set_to is None):
        raise InvalidValue(_l("Either set the stock or adjust it."), "amount")
    product_id, vendor_id = product.id, product.vendor_id
    if set_to is not None:
        if not 0 <= set_to <= MAX_STOCK:
            raise _stock_range_error()
        while True:  # compare-and-set: retry if someone else changed the stock since we read it
            current = db.session.scalar(sa.select(Product.__table__.c.stock).where(Product.id == product_id))
            after = change_stock(product_id, set_to - current, expected=current)
            if after is not None:
                delta = set_to - current
                break
        if delta == 0:
            db.session.rollback()
            return None
    else:
        if abs(delta) > MAX_STOCK:
            raise _stock_range_error()
        after = change_stock(product_id, delta)
        if after is None:
            current = db.session.scalar(sa.select(Product.__table__.c.stock).where(Product.id == product_id))
            db.session.rollback()
            raise StockBelowZero(stock=current)
        if after > MAX_STOCK:
            db.session.rollback()
            raise _stock_range_error()
    movement = StockMovement(product_id=product_id, delta=delta, stock_after=after, reason=reason[:200],
                             user_id=user.id)
    db.session.add(movement)
    record_change(user, vendor_id, "stock.adjust", product, {"stock": after - delta}, {"stock": after})
    db.session.commit()
    return movement
