"""Models to plain JSON-ready dicts. Codes, not labels, so a response is the same in every language;
URLs are absolute on BASE_URL; dates are ISO 8601. The shapes are described in catalog/api/openapi.py."""
from datetime import datetime, timezone

from flask import current_app, request

from catalog.search.base import FACETS
from storefront.media import image_url
from storefront.urls import canonical_url

IMAGE_WIDTH = 800


def _absolute(path):
    return (current_app.config.get("BASE_URL") or request.host_url.rstrip("/")) + path


def _image(image):
    return _absolute(image_url(image.key, IMAGE_WIDTH, image.width)) if image else None


def _iso(value):
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is None:  # SQLite hands back naive UTC datetimes
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def page_payload(page, serialize, **kw):
    return {"items": [serialize(item, **kw) for item in page.items], "total": page.total,
            "page": page.page, "per_page": page.per_page}


def search_payload(result, today):
    """A product page ranked for a search, with facet counts and a "did you mean" (or null)."""
    facets = result.facets or {}
    return page_payload(result.page, product, today=today) | {
        "query": result.query.text,
        "facets": {name: dict(sorted(facets.get(name, {}).items())) for name in FACETS},
        "suggestion": result.suggestion,
        "degraded": result.degraded,
    }


def suggestions(q, found):
    views = {"product": "catalog.product_detail", "booth": "catalog.booth_detail"}
    return {"query": q, "suggestions": [
        {"text": s.text, "kind": s.kind, "slug": s.slug, "url": canonical_url(views[s.kind], slug=s.slug)}
        for s in found]}


def booth_ref(vendor):
    return {"slug": vendor.slug, "name": vendor.name, "entity_type": vendor.entity_type,
            "province": vendor.province, "url": canonical_url("catalog.booth_detail", slug=vendor.slug)}


def booth(vendor, product_count, story=False):
    data = booth_ref(vendor) | {
        "province_name": vendor.province_name,
        "commune": vendor.commune,
        "product_count": product_count,
        "products_url": canonical_url("api.product_list", booth=vendor.slug),
    }
    if story:
        data["story"] = vendor.story
    return data


def product(p, today):
    status, star = p.ocop_state(today)
    return {
        "id": p.id,
        "slug": p.slug,
        "name": p.name,
        "price_vnd": p.price_vnd,
        "stock": p.stock,
        "in_stock": p.in_stock,
        "group": p.group,
        "stars": star,
        "ocop_status": status,
        "url": canonical_url("catalog.product_detail", slug=p.slug),
        "image_url": _image(p.main_image),
        "qr_url": canonical_url("qr.product_png", slug=p.slug),
        "booth": booth_ref(p.vendor),
        "updated_at": _iso(p.updated_at),
    }


def certificate(cert, today):
    if cert is None:
        return None
    return {
        "star": cert.star,
        "status": cert.effective_status(today),
        "decision_no": cert.decision_no,
        "decided_on": _iso(cert.decided_on),
        "expires_on": _iso(cert.expires_on),
        "issuing_level": cert.issuing_level,
        "issuing_body": cert.issuing_body,
    }


def _dimensions(p):
    if p.length_cm is None and p.width_cm is None and p.height_cm is None:
        return None
    return {"length_cm": p.length_cm, "width_cm": p.width_cm, "height_cm": p.height_cm}


def product_detail(p, today):
    return product(p, today) | {
        "list_price_vnd": p.list_price_vnd,
        "unit": p.unit,
        "weight_g": p.weight_g,
        "dimensions": _dimensions(p),
        "shelf_life_days": p.shelf_life_days,
        "gtin": p.gtin,
        "sku": p.sku,
        "product_set": p.product_set,
        "is_service": p.is_service,
        "description_html": p.description,
        "certificate": certificate(p.current_certificate, today),
        "images": [{"url": _image(i), "alt": i.alt} for i in p.images],
        "showrooms": [{"slug": s.slug, "name": s.name, "address": s.address_text, "province": s.province}
                      for s in p.showrooms],
        "qr_svg_url": canonical_url("qr.product_svg", slug=p.slug),
        "created_at": _iso(p.created_at),
    }
