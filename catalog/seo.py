"""What search engines and link previews read: schema.org JSON-LD and OpenGraph values for a product."""
import json

from flask import current_app, request
from markupsafe import Markup

from catalog.html import plain_text
from storefront.media import image_url
from storefront.urls import canonical_url

SCHEMA_AVAILABILITY = {True: "https://schema.org/InStock", False: "https://schema.org/OutOfStock"}
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def absolute(path):
    """An absolute URL on the configured BASE_URL (or this request's host) for a site path."""
    return (current_app.config.get("BASE_URL") or request.host_url.rstrip("/")) + path


def json_for_script(data):
    """JSON that cannot end its <script> element early or open a comment: <, > and & become \\u escapes."""
    return Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE))


def product_image_urls(product, width=800):
    return [absolute(image_url(img.key, width, img.width)) for img in product.images]


def product_jsonld(product):
    """schema.org Product with one Offer; the seller is the booth."""
    vendor = product.vendor
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "url": canonical_url("catalog.product_detail", slug=product.slug),
        "category": product.group_label,
        "offers": {
            "@type": "Offer",
            "price": product.price_vnd,
            "priceCurrency": "VND",
            "availability": SCHEMA_AVAILABILITY[product.in_stock],
            "url": canonical_url("catalog.product_detail", slug=product.slug),
            "seller": {
                "@type": "Organization",
                "name": vendor.name,
                "url": canonical_url("catalog.booth_detail", slug=vendor.slug),
            },
        },
    }
    if images := product_image_urls(product):
        data["image"] = images
    if description := plain_text(product.description, 500):
        data["description"] = description
    if product.sku:
        data["sku"] = product.sku
    if product.gtin and product.gtin.isdigit() and len(product.gtin) in (8, 12, 13, 14):
        data[f"gtin{len(product.gtin)}"] = product.gtin
    if product.weight_g and not product.is_service:
        data["weight"] = {"@type": "QuantitativeValue", "value": product.weight_g, "unitCode": "GRM"}
    return json_for_script(data)


def product_meta(product):
    """OpenGraph and description values for the page head (plain text, escaped by the template)."""
    description = plain_text(product.description, 200) or f"{product.name} — {product.vendor.name}"
    images = product_image_urls(product, 1600)
    return {
        "title": product.name,
        "description": description,
        "image": images[0] if images else None,
        "url": canonical_url("catalog.product_detail", slug=product.slug),
        "type": "product",
    }
