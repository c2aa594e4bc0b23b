"""Tiki: the JSON body of a v2.1 product request (`POST /integration/v2.1/requests`), one per product, written
as JSON Lines for many.

Blockers: name 3–255 characters; sale price ≤ list price and ≥ 10 % of it; at least one picture and every
picture ≥ 500×500 px; food (catalog.ocop.FOOD_GROUPS) needs a valid OCOP certificate and a shelf life (Tiki
sets require_expiry_date, so every batch received carries an expiry date); a mapped category that is an
integer (a primary category id); packed weight; packed dimensions. Tiki also wants square pictures: that
is not checked here, a picture goes as it is.

Payload decisions ([A] = assumptions of marketplaces.md, kept as constants here):
- `image` is the main picture, `images` the others (at most 8), `[]` when there are none, never null.
- `attributes`: origin "Việt Nam" (Tiki's origin is a country), require_expiry_date 1 for food else 0,
  brand = the producer's name, product_weight_kg, unit when set, and the packed size in cm as
  product_length/product_width/product_height [A].
- Exactly one variant: `min_code` is the GTIN, left out when the product has none (never null);
  inventory_type "seller_backorder" (producers keep and ship their own stock) with one warehouse,
  WAREHOUSE_ID [A], holding the product's stock.
- `certificate_files` [A]: the OCOP certificate document when it has a public URL, else [].
- `meta_data.is_auto_turn_on` true: producers rarely return to the seller centre, so an approved product
  goes on sale without another step."""
from catalog.exporters import rules
from catalog.exporters.sheet import MAX_GALLERY, JsonlExporter, category_id, number

ORIGIN = "Việt Nam"
WAREHOUSE_ID = 1
INVENTORY_TYPE = "seller_backorder"
CHECKS = (
    lambda i: rules.name(i, 3, 255), rules.price, rules.pictures, rules.certificate, rules.shelf_life,
    lambda i: rules.category(i, numeric=True), rules.weight, rules.dimensions,
)


class TikiExporter(JsonlExporter):
    key = "tiki"
    label = "Tiki"

    def blockers(self, item):
        return rules.collect(item, CHECKS)

    def payload(self, item):
        """The v2.1 request body of one ready product."""
        attributes = {
            "origin": ORIGIN,
            "require_expiry_date": 1 if item.is_food else 0,
            "brand": item.brand,
            "product_weight_kg": item.weight_g / 1000 if item.weight_g else None,
            "product_length": number(item.length_cm),
            "product_width": number(item.width_cm),
            "product_height": number(item.height_cm),
            "unit": item.unit or None,
        }
        variant = {"sku": item.sku, "min_code": item.gtin, "price": item.price_vnd, "inventory_type": INVENTORY_TYPE,
                   "seller_warehouse": str(WAREHOUSE_ID),
                   "warehouse_stocks": [{"warehouseId": WAREHOUSE_ID, "qtyAvailable": item.stock}]}
        return {
            "category_id": category_id(item),
            "name": item.name,
            "description": item.description_html,
            "market_price": item.list_price_vnd,
            "attributes": {k: v for k, v in attributes.items() if v is not None},
            "image": item.pictures[0].url if item.pictures else None,
            "images": [p.url for p in item.pictures[1:MAX_GALLERY + 1]],
            "option_attributes": [],
            "variants": [{k: v for k, v in variant.items() if v is not None}],
            "certificate_files": [{"type": "ocop", "url": item.certificate_url}] if item.certificate_url else [],
            "meta_data": {"is_auto_turn_on": True},
        }


EXPORTER = TikiExporter
