"""Staff upload a CSV or XLSX of listing URLs (product SKU or slug, marketplace, url, optional status and
marketplace id) to update many listings at once. Every row is checked first, with the register import's
per-row report (row, column, reason); with any error nothing is written. A dry run does the same work and
rolls it back. Products and listings are looked up in a few queries per thousand rows, never one per row."""
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from catalog.listings import services
from catalog.listings.csv_reading import COLUMNS, ListingImportReport, check_header, column_key, read_listing_file
from catalog.listings.models import Listing
from catalog.listings.services import CHUNK, DELISTABLE, ListingError
from catalog.models import Product
from catalog.queries import is_slug
from storefront.extensions import db
from storefront.text import fold
from vendors.models import Vendor

MARKETPLACE_NAMES = {"tiki": "tiki", "sendo": "sendo", "voso": "voso", "postmart": "postmart", "vnpost": "postmart"}
STATUS_NAMES = {
    "listed": "listed", "dang_ban": "listed", "da_dang": "listed", "niem_yet": "listed", "da_niem_yet": "listed",
    "delisted": "delisted", "da_go": "delisted", "ngung_ban": "delisted", "go": "delisted",
}


@dataclass
class _Row:
    row: int
    sku: str = ""
    slug: str = ""
    booth: str = ""
    marketplace: str | None = None
    url: str | None = None
    status: str = "listed"
    external_id: str | None = None
    product_id: int | None = None


def _marketplace(text):
    folded = re.sub(r"[^a-z0-9]", "", fold(text)).removeprefix("www").removesuffix("vn")
    return MARKETPLACE_NAMES.get(folded)


def _check_row(header, number, cells, report):
    """A _Row with its cells parsed; problems go to the report."""
    r = _Row(number, sku=header.cell(cells, "sku"), slug=header.cell(cells, "slug"), booth=header.cell(cells, "booth"))
    if not r.sku and not r.slug:
        report.add(number, header.label("slug" if "slug" in header.index else "sku"), "no_product", _l(
            "Give the product's SKU or its slug (the last part of its address in our market)."))
    text = header.cell(cells, "marketplace")
    r.marketplace = _marketplace(text)
    if r.marketplace is None:
        report.add(number, header.label("marketplace"), "bad_marketplace", _l(
            "Unknown marketplace “%(value)s”: write Tiki, Sendo, Voso or Postmart.", value=text))
    status = header.cell(cells, "status")
    r.status = STATUS_NAMES.get(column_key(status)) if status else "listed"
    if r.status is None:
        report.add(number, header.label("status"), "bad_status", _l(
            "Unknown status “%(value)s”: write listed (đang bán) or delisted (đã gỡ), or leave it blank.",
            value=status))
    url = header.cell(cells, "url")
    if r.marketplace and (url or r.status != "delisted"):
        try:
            r.url = services.check_url(r.marketplace, url)
        except ListingError as exc:
            report.add(number, header.label("url"), "bad_url", str(exc))
    try:
        r.external_id = services.check_external_id(header.cell(cells, "external_id"))
    except ListingError as exc:
        report.add(number, header.label("external_id"), "bad_external_id", str(exc))
    return r


def _chunks(values):
    values = sorted(values)
    return (values[i:i + CHUNK] for i in range(0, len(values), CHUNK))


def _products(column, values):
    """{value: [(product id, booth slug, booth name)]} of not-deleted products whose `column` is in values."""
    found = {}
    for chunk in _chunks(values):
        stmt = (sa.select(column, Product.id, Vendor.slug, Vendor.name).join(Product.vendor)
                .where(column.in_(chunk), Product.deleted_at.is_(None)))
        for value, product_id, booth_slug, booth_name in db.session.execute(stmt):
            found.setdefault(value, []).append((product_id, booth_slug, booth_name))
    return found


def _in_booth(match, booth):
    return not booth or match[1] == booth or fold(match[2]) == fold(booth)


def _resolve(rows, header, report):
    """Find every row's product: 1 query per thousand slugs and per thousand SKUs."""
    by_slug = _products(Product.slug, {r.slug for r in rows if r.slug and is_slug(r.slug)})
    by_sku = _products(Product.sku, {r.sku for r in rows if r.sku and not r.slug and len(r.sku) <= 64})
    for r in rows:
        if not (r.slug or r.sku):
            continue
        key, label = (r.slug, header.label("slug")) if r.slug else (r.sku, header.label("sku"))
        matches = (by_slug if r.slug else by_sku).get(key, [])
        in_booth = [m for m in matches if _in_booth(m, r.booth)]
        if not matches:
            reason = _l("No product has the slug “%(value)s”.", value=key) if r.slug \
                else _l("No product has the SKU “%(value)s”.", value=key)
            report.add(r.row, label, "unknown_product", reason)
        elif not in_booth:
            report.add(r.row, header.label("booth"), "other_booth", _l(
                "“%(value)s” is not a product of booth “%(booth)s”.", value=key, booth=r.booth))
        elif len(in_booth) > 1:
            report.add(r.row, label, "ambiguous_sku", _l(
                "Several booths have a product with SKU “%(value)s” (%(booths)s): add a “booth” column with the "
                "booth's slug.", value=key, booths=", ".join(sorted(m[1] for m in in_booth))))
        else:
            r.product_id = in_booth[0][0]


def _existing(rows):
    """{(product id, marketplace): Listing} for the rows' products (1 query per thousand products)."""
    found = {}
    for chunk in _chunks({r.product_id for r in rows if r.product_id}):
        for listing in db.session.scalars(sa.select(Listing).where(Listing.product_id.in_(chunk))):
            found[(listing.product_id, listing.marketplace)] = listing
    return found


def _check_transitions(rows, listings, header, report):
    seen = {}
    for r in rows:
        if r.product_id is None or r.marketplace is None or r.status is None:
            continue
        key = (r.product_id, r.marketplace)
        if key in seen:
            report.add(r.row, header.label("marketplace"), "repeated_row", _l(
                "Row %(first)s already names this product on this marketplace.", first=seen[key]))
        seen.setdefault(key, r.row)
        listing = listings.get(key)
        if r.status == "delisted" and (listing is None or listing.status not in DELISTABLE):
            report.add(r.row, header.label("status"), "not_listed", _l(
                "This product is not listed on %(marketplace)s: there is nothing to delist.",
                marketplace=services.label(r.marketplace)))


def _create_missing(rows, listings, report):
    """Insert the rows' missing listings as not_listed in one bulk statement (the ORM would insert them one
    by one to learn their ids), then load them like the others."""
    missing = sorted({(r.product_id, r.marketplace) for r in rows} - set(listings))
    if not missing:
        return
    db.session.execute(sa.insert(Listing), [
        {"product_id": product_id, "marketplace": marketplace, "status": "not_listed", "reason": "",
         "source": "csv"} for product_id, marketplace in missing])
    report.created = len(missing)
    created = {product_id for product_id, _m in missing}
    listings.update({key: listing for key, listing in _existing([r for r in rows if r.product_id in created]).items()
                     if key not in listings})


def _apply(rows, listings, user, report):
    _create_missing(rows, listings, report)
    for r in rows:
        listing = listings[(r.product_id, r.marketplace)]
        if r.status == "listed":
            changed = services.apply_listed(listing, r.url, r.external_id, user, "csv")
        else:
            changed = services.apply_delisted(listing, r.url, user, "csv")
            if r.external_id:
                listing.external_id = r.external_id
        if changed:
            setattr(report, r.status, getattr(report, r.status) + 1)
        else:
            report.unchanged += 1


def import_listings(source, filename="", user=None, *, dry_run=False):
    """Update listings from the file in `source` (bytes, a path or a binary file such as an upload).
    Returns a ListingImportReport; writes nothing unless every row is right (and not in a dry run);
    raises RegisterFileError when the file cannot be read at all (empty, wrong type or encoding)."""
    report = ListingImportReport(dry_run=dry_run)
    header, data = read_listing_file(source, filename)
    report.rows = len(data)
    check_header(header, report)
    if report.ok:
        rows = [_check_row(header, number, cells, report) for number, cells in data]
        _resolve(rows, header, report)
        listings = _existing(rows)
        _check_transitions(rows, listings, header, report)
    order = {text: i for i, text in enumerate(header.labels[n] for n in COLUMNS if n in header.labels)}
    report.problems.sort(key=lambda p: (p.row, order.get(p.column, len(order))))
    if not report.ok:
        return report
    try:
        _apply(rows, listings, user, report)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report
