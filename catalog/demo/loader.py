"""load_demo: the demo market as one unit of work (one commit)."""
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field

import sqlalchemy as sa

from catalog.demo import listings, market, synthetic
from catalog.models import Product
from storefront.extensions import db


@dataclass
class DemoSummary:
    booths: Counter = field(default_factory=Counter)
    products: Counter = field(default_factory=Counter)
    showrooms: Counter = field(default_factory=Counter)
    counts: Counter = field(default_factory=Counter)  # certificates, images, synthetic_*

    def __getitem__(self, key):
        return getattr(self, key) if key in ("booths", "products", "showrooms") else self.counts[key]

    def __setitem__(self, key, value):
        self.counts[key] = value

    def lines(self):
        def kinds(c):
            return ", ".join(f"{c[k]} {k}" for k in ("created", "updated", "unchanged"))
        lines = [f"Booths: {kinds(self.booths)}", f"Products: {kinds(self.products)}",
                 f"Showrooms: {kinds(self.showrooms)}",
                 f"Certificates added: {self.counts['certificates']}, pictures added: {self.counts['images']}, "
                 f"marketplace listings added: {self.counts['listings']}"]
        if "synthetic_products" in self.counts:
            lines.append(f"Synthetic: {self.counts['synthetic_products_created']} products and "
                         f"{self.counts['synthetic_booths_created']} booths created; "
                         f"{self.counts['synthetic_products']} synthetic products in all")
        return lines


def _no_progress(total, desc):
    class Bar:
        def update(self, _n=1):
            pass
    return nullcontext(Bar())


def load_demo(scale=0, if_empty=False, progress=None):
    """Load the Trà Vinh demo market and, with `scale`, make sure that many synthetic products exist.

    Returns a DemoSummary, or None when `if_empty` and the market already has products."""
    if if_empty and db.session.scalar(sa.select(Product.id).limit(1)) is not None:
        return None
    summary = DemoSummary()
    try:
        booths = market.load_booths(summary)
        by_booth = market.load_products(booths, summary)
        market.load_showrooms(by_booth, summary)
        db.session.flush()
        listings.load_listings([p for products in by_booth.values() for p in products], summary)
        if scale:
            synthetic.ensure_synthetic(scale, summary, progress or _no_progress)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if summary["synthetic_products_created"]:
        refresh_statistics()
    return summary


def refresh_statistics():
    """After a bulk load, let the query planner see the new table sizes (SQLite has no statistics until
    ANALYZE; without them it picks the wrong index for the catalogue at 100,000 products)."""
    with db.engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))
