"""The figures the province reports: how many OCOP products are listed on at least one external marketplace,
against the target, per marketplace, and by group, star, province and producer type; our own market is a
channel counted on its own.

OCOP products: not deleted, of an approved booth, with a valid certificate as of `today` (catalog.queries:
live status, not expired). Everything comes from ONE query grouped by the breakdowns' columns, whatever
the number of products."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from catalog.listings.models import MARKETPLACES, Listing
from catalog.listings.services import label as marketplace_label
from catalog.models import Product
from catalog.ocop import GROUPS, STARS
from catalog.queries import on_own_market, valid_star
from storefront.extensions import db
from storefront.places import province_by_slug
from storefront.text import sort_key
from vendors.entities import ENTITY_TYPES
from vendors.models import Vendor

BREAKDOWNS = (("group", _l("By OCOP group")), ("star", _l("By star rating")), ("province", _l("By province")),
              ("entity_type", _l("By producer type")))
STAR_KEYS = tuple(str(s) for s in STARS) + ("p5",)


@dataclass
class Line:
    """One row of a figure: how many OCOP products, and how many of them are listed."""

    key: str
    label: object
    total: int = 0
    listed: int = 0

    @property
    def pct(self):
        return round(100 * self.listed / self.total, 1) if self.total else 0.0


@dataclass
class Figures:
    as_of: date
    target_pct: int
    headline: Line  # listed on at least one external marketplace
    marketplaces: list  # [Line] per marketplace, in MARKETPLACES order
    own_market: Line  # on sale in our own market (published, booth approved, in stock or a service)
    breakdowns: dict = field(default_factory=dict)  # {"group": [Line], …} in BREAKDOWNS order

    @property
    def meets_target(self):
        return self.headline.total > 0 and self.headline.pct >= self.target_pct


def _star_key(status, star):
    return "p5" if status == "potential_5" else str(star)


def _star_label(key):
    return _l("Potential 5 stars") if key == "p5" else _l("%(star)s stars", star=key)


def _province_label(slug):
    province = province_by_slug(slug or "")
    return province.name if province else slug or ""


def _statement(today):
    """Per product (joined to its listed listings): its breakdown columns, whether it is on sale here and a
    0/1 per marketplace where it is listed; then counted per distinct combination."""
    own = sa.case((on_own_market(), 1), else_=0)
    dimensions = [Product.id, Product.group, Product.ocop_status, Product.ocop_star, Vendor.province,
                  Vendor.entity_type, Product.is_published, Product.stock]
    products = (
        sa.select(*dimensions[1:6], sa.func.max(own).label("own"),
                  *(sa.func.max(sa.case((Listing.marketplace == m, 1), else_=0)).label(m) for m in MARKETPLACES))
        .select_from(Product).join(Product.vendor)
        .outerjoin(Listing, sa.and_(Listing.product_id == Product.id, Listing.status == "listed"))
        .where(Product.deleted_at.is_(None), Vendor.status == "approved", valid_star(today).is_not(None))
        .group_by(*dimensions)
        .subquery()
    )
    columns = list(products.c)
    return sa.select(*columns, sa.func.count()).group_by(*columns)


def _ordered(lines, kind):
    if kind == "group":
        order = {code: i for i, code in enumerate(GROUPS.codes)}
        return sorted(lines, key=lambda line: order.get(line.key, len(order)))
    if kind == "star":
        return sorted(lines, key=lambda line: STAR_KEYS.index(line.key) if line.key in STAR_KEYS else 99)
    if kind == "entity_type":
        order = {code: i for i, code in enumerate(ENTITY_TYPES.codes)}
        return sorted(lines, key=lambda line: order.get(line.key, len(order)))
    return sorted(lines, key=lambda line: sort_key(str(line.label)))


def _labels(kind, key):
    if kind == "group":
        return GROUPS.label(key) or key
    if kind == "star":
        return _star_label(key)
    if kind == "province":
        return _province_label(key)
    return ENTITY_TYPES.label(key) or key


def compute_figures(today=None, target_pct=None):
    """The province's figures as of `today` (1 query). `target_pct` defaults to LISTING_TARGET_PCT."""
    today = today or date.today()
    if target_pct is None:
        target_pct = current_app.config["LISTING_TARGET_PCT"]
    headline = Line("any", _l("Listed on at least one marketplace"))
    per_marketplace = {m: Line(m, marketplace_label(m)) for m in MARKETPLACES}
    own_market = Line("own", _l("On sale in our market"))
    groups = {kind: defaultdict(lambda: [0, 0]) for kind, _label in BREAKDOWNS}
    for group, status, star, province, entity_type, own, *rest in db.session.execute(_statement(today)):
        *listed, count = rest
        on_any = count if any(listed) else 0
        headline.total += count
        headline.listed += on_any
        own_market.total += count
        own_market.listed += count if own else 0
        for m, flag in zip(MARKETPLACES, listed):
            per_marketplace[m].total += count
            per_marketplace[m].listed += count if flag else 0
        keys = {"group": group, "star": _star_key(status, star), "province": province, "entity_type": entity_type}
        for kind, key in keys.items():
            groups[kind][key][0] += count
            groups[kind][key][1] += on_any
    breakdowns = {
        kind: _ordered([Line(key, _labels(kind, key), total, listed) for key, (total, listed) in found.items()], kind)
        for kind, found in groups.items()
    }
    return Figures(today, target_pct, headline, list(per_marketplace.values()), own_market, breakdowns)
