"""Sendo: the JSON body of `POST /api/partner/product` with `id: 0` (create), one per product, written as
JSON Lines for many.

Blockers: name at most 255 characters; a description of 100 characters of text at least (tags do not
count) and 100,000 characters of HTML at most; packed weight; packed dimensions; at least one picture, every
picture ≥ 500×500 px; a mapped category that is an integer (cat_4_id). Stock is not a blocker: Sendo takes
a product out of stock with stock_availability false.

Payload decisions ([A] = assumptions of marketplaces.md):
- `price` is the list price (the sale price if a booth set a lower list price); when the sale price is
  lower it goes in `special_price` with a promotion from the export day for PROMOTION_DAYS [A].
- `weight` in whole grams; `length`/`width`/`height` in whole cm [A], rounded up so they stay > 0.
- `unit_id` from our unit's first word (hộp → 5 Hộp, chai → 7 Chai…), 1 (Cái) when nothing matches.
- `avatar` is the main picture; `pictures` all pictures, the main one first (at most 9) [A].
- `certificate_file` the OCOP certificate document when it has a public URL, else [].
- No brand (`brand_id` 0), no variants, no attributes."""
import math
from datetime import date, timedelta

from catalog.exporters import rules
from catalog.exporters.sheet import JsonlExporter, category_id
from storefront.text import fold

DESCRIPTION_MIN, DESCRIPTION_MAX = 100, 100_000
PROMOTION_DAYS = 365
MAX_PICTURES = 9
# Sendo's unit ids: 1 Cái, 2 Bộ, 3 Chiếc, 4 Đôi, 5 Hộp, 6 Cuốn, 7 Chai, 8 Thùng (by the unit's folded first word).
UNIT_IDS = {"cai": 1, "bo": 2, "chiec": 3, "doi": 4, "hop": 5, "cuon": 6, "chai": 7, "thung": 8}
CHECKS = (
    lambda i: rules.name(i, 1, 255), lambda i: rules.description(i, DESCRIPTION_MIN, DESCRIPTION_MAX),
    rules.weight, rules.dimensions, rules.pictures, lambda i: rules.category(i, numeric=True),
)


def unit_id(unit):
    """Sendo's unit id for our unit text ("Hộp 500g" -> 5); 1 (Cái) by default."""
    words = fold(unit or "").split()
    return UNIT_IDS.get(words[0], 1) if words else 1


def _cm(value):
    return max(1, math.ceil(value)) if value else None


class SendoExporter(JsonlExporter):
    key = "sendo"
    label = "Sendo"

    def __init__(self, today=None):
        self.today = today or date.today()  # the first day of a promotion (fixed in golden-file tests)

    def blockers(self, item):
        return rules.collect(item, CHECKS)

    def payload(self, item):
        """The create request body of one ready product."""
        body = {
            "id": 0,
            "name": item.name,
            "sku": item.sku,
            "price": max(item.list_price_vnd, item.price_vnd),
            "weight": item.weight_g,
            "stock_quantity": item.stock,
            "stock_availability": item.stock > 0,
            "description": item.description_html,
            "cat_4_id": category_id(item),
            "unit_id": unit_id(item.unit),
            "height": _cm(item.height_cm),
            "length": _cm(item.length_cm),
            "width": _cm(item.width_cm),
            "avatar": {"picture_url": item.pictures[0].url if item.pictures else None},
            "pictures": [{"picture_url": p.url} for p in item.pictures[:MAX_PICTURES]],
            "brand_id": 0,
            "attributes": [],
            "is_config_variant": False,
            "variants": [],
            "certificate_file": ([{"file_name": f"ocop-{item.slug}", "attachment_url": item.certificate_url}]
                                 if item.certificate_url else []),
        }
        if item.list_price_vnd > item.price_vnd:
            body.update(special_price=item.price_vnd, promotion_from_date=self.today.isoformat(),
                        promotion_to_date=(self.today + timedelta(days=PROMOTION_DAYS)).isoformat())
        return body


EXPORTER = SendoExporter
