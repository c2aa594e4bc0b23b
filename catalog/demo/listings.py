"""Where the demo products are already listed, so the "sell on marketplaces" screens and the province's
figures have something to show: some products on Tiki, Sendo, Voso or Postmart (with example URLs), one Tiki
request in review and one rejected. Rows are only added, never changed, so loading again changes nothing and
what a tester changed stays."""
import sqlalchemy as sa

from catalog.listings.models import Listing
from storefront.extensions import db
from storefront.models import utcnow

URLS = {
    "tiki": "https://tiki.vn/{slug}-p{n}.html",
    "sendo": "https://www.sendo.vn/{slug}-{n}.html",
    "voso": "https://voso.vn/san-pham/{slug}",
    "postmart": "https://postmart.vn/san-pham/{slug}",
}
REJECTED = "Ảnh sản phẩm có số điện thoại của người bán"


def _plan(products):
    """(product, marketplace, status, reason) for the demo: every third product on Tiki, every fourth on Sendo,
    every fifth on Voso, every seventh on Postmart; services are never listed elsewhere."""
    goods = [p for p in products if not p.is_service]
    for n, product in enumerate(goods, start=1):
        if n % 3 == 0:
            yield product, "tiki", "listed", ""
        elif n == 7:
            yield product, "tiki", "rejected", REJECTED
        elif n == 11:
            yield product, "tiki", "submitted", ""
        if n % 4 == 0:
            yield product, "sendo", "listed", ""
        if n % 5 == 0:
            yield product, "voso", "listed", ""
        if n % 7 == 0:
            yield product, "postmart", "listed", ""


def load_listings(products, tally):
    """Add the demo listings that are missing. `products` in the demo's order."""
    ids = [p.id for p in products]
    have = set(db.session.execute(sa.select(Listing.product_id, Listing.marketplace)
                                  .where(Listing.product_id.in_(ids))).all())
    now = utcnow()
    for product, marketplace, status, reason in _plan(products):
        if (product.id, marketplace) in have:
            continue
        listing = Listing(product_id=product.id, marketplace=marketplace, status=status, reason=reason,
                          source="manual")
        if status == "listed":
            listing.url = URLS[marketplace].format(slug=product.slug, n=100000 + product.id)
            listing.listed_at = now
        elif status == "submitted":
            listing.track_id, listing.submitted_at, listing.source = f"demo-{product.id}", now, "push"
        db.session.add(listing)
        tally["listings"] += 1
