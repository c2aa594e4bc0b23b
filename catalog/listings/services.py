"""Changing where a product is listed: exports recorded in bulk, a booth member's "it is on Tiki at this URL",
delisting. `record_exported` and the `apply_*` helpers only flush (their caller commits); `mark_listed` and
`mark_delisted` are one unit of work each and commit.

Status changes allowed: anything → listed (a person saw it there); listed / submitted / delisted → delisted;
not_listed / exported → exported (an export never hides a submission, a listing, a rejection or a delisting)."""
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from catalog.listings.models import MARKETPLACES, Listing
from storefront.domain import DomainError
from storefront.extensions import db
from storefront.models import utcnow

# Each marketplace's label and the web domain its product pages live on (a URL must be on it or a subdomain).
MARKETPLACE_SITES = {
    "tiki": ("Tiki", "tiki.vn"),
    "sendo": ("Sendo", "sendo.vn"),
    "voso": ("Voso", "voso.vn"),
    "postmart": ("Postmart", "postmart.vn"),
}
URL_MAX = 500  # Listing.url
EXTERNAL_ID_MAX = 100  # Listing.external_id
EXPORTABLE = ("not_listed", "exported")  # statuses an export may move to "exported"
DELISTABLE = ("listed", "submitted", "delisted")
CHUNK = 1000  # ids per IN list: well under SQLite's and PostgreSQL's parameter limits


class ListingError(DomainError):
    """A listing change refused, with the form field it belongs under."""

    message = _l("This listing could not be saved.")


def label(marketplace):
    """'tiki' → 'Tiki' (marketplace names are not translated)."""
    return MARKETPLACE_SITES[marketplace][0] if marketplace in MARKETPLACE_SITES else marketplace


def check_marketplace(marketplace):
    if marketplace not in MARKETPLACES:
        raise ListingError(_l("Unknown marketplace: choose Tiki, Sendo, Voso or Postmart."), field="marketplace")
    return marketplace


def check_url(marketplace, url):
    """The URL cleaned of surrounding spaces, when it is an http(s) address on the marketplace's own domain;
    raises ListingError (field "url") otherwise."""
    check_marketplace(marketplace)
    url = (url or "").strip()
    domain = MARKETPLACE_SITES[marketplace][1]
    if not url:
        raise ListingError(_l("Enter the address of the product's page on %(marketplace)s."), field="url",
                           marketplace=label(marketplace))
    if len(url) > URL_MAX:
        raise ListingError(_l("The address is longer than %(max)s characters."), field="url", max=URL_MAX)
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number)
    except ValueError:
        parts, host = None, ""
    unsafe = any(ch.isspace() or ord(ch) < 32 for ch in url)
    if parts is None or unsafe or parts.scheme.lower() not in ("http", "https"):
        raise ListingError(_l("Enter a web address starting with https://."), field="url")
    if parts.username is not None or not (host == domain or host.endswith("." + domain)):
        raise ListingError(_l("The address must be a page on %(domain)s."), field="url", domain=domain)
    return url


def check_external_id(external_id):
    external_id = (external_id or "").strip() or None
    if external_id and len(external_id) > EXTERNAL_ID_MAX:
        raise ListingError(_l("The marketplace's product id is longer than %(max)s characters."),
                           field="external_id", max=EXTERNAL_ID_MAX)
    return external_id


def get_listing(product_id, marketplace):
    """The listing of a product on a marketplace, or None (1 query)."""
    return db.session.scalar(sa.select(Listing).filter_by(product_id=product_id, marketplace=marketplace))


def _listing(product, marketplace):
    listing = get_listing(product.id, marketplace)
    if listing is None:
        listing = Listing(product_id=product.id, marketplace=marketplace, status="not_listed", reason="")
        db.session.add(listing)
    return listing


def apply_listed(listing, url, external_id, user, source):
    """Set an already-checked listing to listed (flush only). Returns whether anything changed."""
    before = (listing.status, listing.url, listing.external_id)
    listing.url = url
    if external_id:
        listing.external_id = external_id
    if before == ("listed", listing.url, listing.external_id):
        return False
    listing.status, listing.listed_at, listing.reason = "listed", utcnow(), ""
    listing.source, listing.updated_by_id = source, user.id if user is not None else None
    return True


def apply_delisted(listing, url, user, source):
    """Set a listing to delisted (flush only); raises ListingError when it was never listed or submitted.
    Returns whether anything changed."""
    if listing.status not in DELISTABLE:
        raise ListingError(_l("This product is not listed on %(marketplace)s: there is nothing to delist."),
                           field="marketplace", marketplace=label(listing.marketplace))
    if listing.status == "delisted" and (not url or url == listing.url):
        return False
    listing.url = url or listing.url
    listing.status, listing.delisted_at = "delisted", utcnow()
    listing.source, listing.updated_by_id = source, user.id if user is not None else None
    return True


def mark_listed(product, marketplace, url, user, external_id=None):
    """A booth member or staff says the product is on sale on `marketplace` at `url`. Commits; raises
    ListingError (with the form field) on a bad marketplace, URL or external id."""
    url = check_url(marketplace, url)
    external_id = check_external_id(external_id)
    listing = _listing(product, marketplace)
    apply_listed(listing, url, external_id, user, "manual")
    db.session.commit()
    return listing


def mark_delisted(product, marketplace, user):
    """The product is no longer on sale on `marketplace`. Commits; raises ListingError when it was not
    listed (or submitted) there."""
    check_marketplace(marketplace)
    listing = get_listing(product.id, marketplace)
    if listing is None:
        raise ListingError(_l("This product is not listed on %(marketplace)s: there is nothing to delist."),
                           field="marketplace", marketplace=label(marketplace))
    apply_delisted(listing, None, user, "manual")
    db.session.commit()
    return listing


def record_exported(product_ids, marketplace):
    """Mark these products as exported to `marketplace` (put in a download or file): their listings move to
    "exported" unless they are further along; missing listings are created. Flushes only: the caller commits.
    Three statements per thousand products (select, update, insert), whatever the rest of the table holds."""
    check_marketplace(marketplace)
    ids = sorted({int(i) for i in product_ids})
    now = utcnow()
    db.session.flush()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        existing = set(db.session.scalars(
            sa.select(Listing.product_id).where(Listing.marketplace == marketplace, Listing.product_id.in_(chunk))))
        if existing:
            db.session.execute(
                sa.update(Listing)
                .where(Listing.marketplace == marketplace, Listing.product_id.in_(chunk),
                       Listing.status.in_(EXPORTABLE))
                .values(status="exported", exported_at=now, source="export", updated_at=now)
                .execution_options(synchronize_session="fetch"))
        missing = [i for i in chunk if i not in existing]
        if missing:
            db.session.execute(sa.insert(Listing), [
                {"product_id": i, "marketplace": marketplace, "status": "exported", "reason": "", "source": "export",
                 "exported_at": now, "updated_at": now} for i in missing])
