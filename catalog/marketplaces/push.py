"""Pushing a booth's products to Tiki or Sendo, and learning Tiki's review results.

Each product gets a PushResult; its Listing row records what happened: sent → "submitted" (Tiki's
track_id, or Sendo's product id, which waits in Sendo's review as status 1); refused (a 4xx with the
marketplace's words) → "rejected" with that reason; a transient failure (timeout, 5xx or 429 after the
retries) changes nothing. A product that cannot be listed (catalog.exporters blockers) is not sent, and
one already submitted or listed there is not sent twice.

One product's failure does not stop the others. Failures of the marketplace itself do: refused
credentials stop the batch at once, and after STOP_AFTER transient failures in a row the rest are reported
"not sent" instead of each waiting through its retries against a marketplace that is down. A batch also
starts no new request after MARKETPLACE_PUSH_BUDGET seconds (default 20), so a push from a web page ends
before the server gives up on it; the rest are reported "not sent" and can be pushed again.

Commits: one per product, right after its outcome is recorded, not one at the end. The marketplace has
already received the product when we record it: a crash or a worker timeout later in a long batch must
not lose the track ids already handed out (pushing those products again would send them twice), and no
database transaction stays open across the network calls."""
import logging
import time
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from catalog.exporters import get as get_exporter
from catalog.exporters.items import iter_items
from catalog.exporters.messages import describe
from catalog.listings.models import Listing
from catalog.listings.services import ListingError, check_url
from catalog.marketplaces import accounts
from catalog.marketplaces.errors import (AuthError, MarketplaceError, RateLimited, Rejected, SecretsKeyError,
                                         Unavailable, Unsupported)
from catalog.models import Product
from storefront.extensions import db
from storefront.models import utcnow
from vendors.audit import record_change

log = logging.getLogger(__name__)

STOP_AFTER = 2
IN_PROGRESS = ("submitted", "listed")


@dataclass(frozen=True)
class PushResult:
    product_id: int
    name: str
    ok: bool  # sent (push) or checked (refresh) without a problem
    status: str | None  # the listing's status afterwards ("not_listed" without a row; None: not this booth's)
    message: str


class _Breaker:
    """Counts the marketplace's own failures and the time spent; `stopped` holds the message once it is no
    use going on (see `check()`)."""

    def __init__(self, budget):
        self.in_a_row = 0
        self.stopped = None
        self.deadline = None if budget is None else time.monotonic() + budget

    def check(self):
        """The reason to send nothing more, or None."""
        if self.stopped is None and self.deadline is not None and time.monotonic() >= self.deadline:
            self.stopped = _("this is taking too long; send the rest again in a moment.")
        return self.stopped

    def failed(self, exc):
        if isinstance(exc, (AuthError, SecretsKeyError)):
            self.stopped = str(exc)
        elif isinstance(exc, (RateLimited, Unavailable)):
            self.in_a_row += 1
            if self.in_a_row >= STOP_AFTER:
                self.stopped = str(exc)

    def succeeded(self):
        self.in_a_row = 0


def _api_exporter(marketplace):
    exporter = get_exporter(marketplace) if marketplace in accounts.API_MARKETPLACES else None
    if exporter is None or not exporter.has_api:
        raise Unsupported(marketplace=str(marketplace)[:20])
    return exporter


def _product_ids(product_ids):
    ids = []
    for value in product_ids:
        try:
            value = int(value)
        except (TypeError, ValueError):
            continue
        if value not in ids:
            ids.append(value)
    return ids


def _listings(product_ids, marketplace):
    rows = db.session.scalars(sa.select(Listing).where(Listing.product_id.in_(product_ids),
                                                       Listing.marketplace == marketplace))
    return {row.product_id: row for row in rows}


def _record(listings, product_id, marketplace, user, retry=True, **values):
    """Set `values` on the product's listing (created when missing) and commit; returns the status."""
    listing = listings.get(product_id)
    if listing is None:
        listing = listings[product_id] = Listing(product_id=product_id, marketplace=marketplace)
        db.session.add(listing)
    for name, value in {**values, "source": "push", "updated_by_id": getattr(user, "id", None)}.items():
        setattr(listing, name, value)
    try:
        db.session.commit()
    except IntegrityError:  # another request created the row meanwhile: update that one
        db.session.rollback()
        if not retry:
            raise
        listings.pop(product_id, None)
        listings.update(_listings([product_id], marketplace))
        return _record(listings, product_id, marketplace, user, retry=False, **values)
    return values["status"]


def _status(listings, product_id):
    listing = listings.get(product_id)
    return listing.status if listing is not None else "not_listed"


def _budget(budget):
    return current_app.config.get("MARKETPLACE_PUSH_BUDGET", 20) if budget == "config" else budget


def push_products(vendor, marketplace, product_ids, user, *, transport=None, budget="config"):
    """Send the booth's products `product_ids` to `marketplace` ("tiki" or "sendo"): one PushResult per
    id, in the order given; ids that are not this booth's products are reported, never sent. `budget`:
    seconds after which no new product is sent (None: no limit).
    Raises Unsupported, NoCredentials or SecretsKeyError before anything is sent."""
    exporter = _api_exporter(marketplace)
    name = accounts.API_MARKETPLACES[marketplace]
    vendor_id = vendor.id
    ids = _product_ids(product_ids)
    results = {}
    with accounts.open_client(vendor_id, marketplace, transport) as client:
        items = list(iter_items(marketplace, booth_id=vendor_id, product_ids=ids)) if ids else []
        listings = _listings([item.product_id for item in items], marketplace)
        breaker, sent = _Breaker(_budget(budget)), []
        for item in items:
            pid = item.product_id
            status = _status(listings, pid)
            if breaker.check():
                results[pid] = PushResult(pid, item.name, False, status, _("Not sent: %(reason)s",
                                                                            reason=breaker.stopped))
                continue
            if status in IN_PROGRESS:
                message = (_("Already listed on %(marketplace)s: not sent again.", marketplace=name)
                           if status == "listed" else
                           _("Already waiting for review on %(marketplace)s: not sent again.", marketplace=name))
                results[pid] = PushResult(pid, item.name, False, status, message)
                continue
            blockers = exporter.blockers(item)
            if blockers:
                reasons = " ".join(describe(b) for b in blockers)
                results[pid] = PushResult(pid, item.name, False, status, _("Not sent: %(reason)s", reason=reasons))
                continue
            results[pid], reached = _send(client, exporter, item, listings, marketplace, name, user, breaker)
            if reached:
                sent.append(pid)
        if sent:
            record_change(user, vendor_id, "marketplace.push", None, None,
                          {"marketplace": marketplace, "products": sent})
        db.session.commit()  # the token the client may have fetched, and the audit entry
    for pid in ids:
        if pid not in results:
            results[pid] = PushResult(pid, "", False, None, _("Not a product of this booth."))
    return [results[pid] for pid in ids]


def _send(client, exporter, item, listings, marketplace, name, user, breaker):
    """(PushResult, whether the marketplace received the product) for one ready product."""
    pid = item.product_id
    try:
        answer = client.create_product(exporter.payload(item))
    except Rejected as exc:
        breaker.succeeded()
        status = _record(listings, pid, marketplace, user, status="rejected", reason=exc.reason or str(exc),
                         track_id=None, submitted_at=utcnow())
        return PushResult(pid, item.name, False, status, _("Refused by %(marketplace)s: %(reason)s",
                                                           marketplace=name, reason=exc.reason or str(exc))), True
    except MarketplaceError as exc:
        breaker.failed(exc)
        db.session.commit()  # a token fetched or cleared on the way is kept
        return PushResult(pid, item.name, False, _status(listings, pid), str(exc)), False
    except Exception:  # a defect must not cost the booth the rest of its batch (nor become a 500)
        log.exception("pushing product %s to %s failed", pid, marketplace)
        db.session.rollback()
        return PushResult(pid, item.name, False, _status(listings, pid), str(MarketplaceError.message)), False
    breaker.succeeded()
    if marketplace == "tiki":
        values = {"track_id": answer["track_id"], "external_id": None}
        message = _("Sent to Tiki: waiting for Tiki's review.")
    else:
        values = {"external_id": answer["id"], "track_id": None}
        message = _("Sent to Sendo: waiting for Sendo's approval.")
    status = _record(listings, pid, marketplace, user, status="submitted", reason="", submitted_at=utcnow(),
                     url=None, **values)
    return PushResult(pid, item.name, True, status, message), True


def _page_url(url):
    """Tiki's product page address when it is one (an http(s) URL on tiki.vn), else None."""
    try:
        return check_url("tiki", url) if url else None
    except ListingError:
        return None


def refresh_submissions(vendor, marketplace="tiki", *, transport=None, progress=None, budget="config"):
    """Ask Tiki about each of the booth's submitted products: approved → "listed" (Tiki's product id,
    listed_at, the page URL when Tiki gives one), rejected → "rejected" with Tiki's reason, still in review →
    unchanged. One PushResult per submission, in product order; `progress(1)` after each; `budget` as for
    push_products (the command passes None)."""
    if marketplace != "tiki":
        raise Unsupported(_l("Only Tiki reports its review through its API: once %(marketplace)s approves a "
                             "product, mark it listed with its address."),
                          marketplace=accounts.API_MARKETPLACES.get(marketplace, str(marketplace)[:20]))
    vendor_id = vendor.id
    rows = db.session.execute(
        sa.select(Listing, Product.name).join(Product, Product.id == Listing.product_id)
        .where(Product.vendor_id == vendor_id, Listing.marketplace == "tiki", Listing.status == "submitted",
               Listing.track_id.is_not(None))
        .order_by(Listing.product_id)).all()
    if not rows:
        return []
    results = []
    with accounts.open_client(vendor_id, "tiki", transport) as client:
        breaker = _Breaker(_budget(budget))
        for listing, name in rows:
            if breaker.check():
                results.append(PushResult(listing.product_id, name, False, listing.status,
                                          _("Not checked: %(reason)s", reason=breaker.stopped)))
            else:
                results.append(_check(client, listing, name, breaker))
            if progress is not None:
                progress(1)
        db.session.commit()  # the token the client may have fetched
    return results


def _check(client, listing, name, breaker):
    pid = listing.product_id
    try:
        answer = client.tracking(listing.track_id)
    except MarketplaceError as exc:
        breaker.failed(exc)
        db.session.commit()
        return PushResult(pid, name, False, listing.status, str(exc))
    breaker.succeeded()
    state = answer["state"]
    if state == "approved":
        listing.status, listing.reason, listing.listed_at = "listed", "", utcnow()
        listing.external_id = (answer["product_id"] or listing.external_id or "")[:100] or None
        listing.url = _page_url(answer["url"]) or listing.url
        message = _("Approved by Tiki: now listed there.")
    elif state == "rejected":
        listing.status, listing.reason = "rejected", answer["reason"]
        message = (_("Refused by %(marketplace)s: %(reason)s", marketplace="Tiki", reason=answer["reason"])
                   if answer["reason"] else _("Refused by Tiki (no reason given)."))
    else:
        message = _("Still in Tiki's review (%(state)s).", state=state)
    db.session.commit()
    return PushResult(pid, name, state != "rejected", listing.status, message)
