"""Shared fixtures of the dashboard tests: three booths (mine, an assisted one, someone else's), a user per
role, and clients signed in as each. Imported by tests/catalog/test_manage_*.py."""
import io
from datetime import date

import pytest
from PIL import Image

from catalog.models import Certificate, ProductImage
from storefront.extensions import db
from storefront.media import storage
from storefront.models import User
from tests.factories import make_product, make_vendor, signed_in_client
from vendors.models import VendorMember

PRODUCT = {"name": "Kẹo dừa sáp", "group": "thuc_pham", "product_set": "banh_keo_mut", "description": "<p>Ngon</p>",
           "price_vnd": "120.000", "list_price_vnd": "150.000", "unit": "hộp", "weight_g": "500",
           "length_cm": "20", "width_cm": "10,5", "height_cm": "5", "shelf_life_days": "180",
           "gtin": "8936045100011", "sku": "KD-01", "is_published": "y"}

CERTIFICATE_PDF = b"%PDF-1.4\n%%EOF\n"


def png_bytes(size=(32, 24), color=(200, 30, 30), fmt="PNG", **save):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt, **save)
    return buf.getvalue()


def _booth_with_product(name, user=None, assisted=False):
    vendor = make_vendor(name, is_assisted=assisted, commit=False)
    product = make_product(vendor, f"Sản phẩm của {name}", commit=False)
    product.images.extend([ProductImage(key="img/a", width=800, height=800, position=0),
                           ProductImage(key="img/b", width=800, height=600, position=1)])
    product.certificates.append(Certificate(star=4, decided_on=date(2024, 5, 1), decision_no=f"1/{name}",
                                            document_key=storage().save_document(CERTIFICATE_PDF, "pdf")))
    product.refresh_ocop()
    if user is not None:
        db.session.add(VendorMember(vendor=vendor, user=user, role="owner"))
    return vendor, product


@pytest.fixture
def world(app):
    """{'sessions': role → session id, 'mine'/'assisted'/'theirs': {booth, product_id, image_id, image2_id,
    certificate_id, vendor_id}}."""
    with app.app_context():
        users = {role: User(email=f"{role}@example.vn", role="staff" if role == "staff" else "shopper")
                 for role in ("shopper", "owner", "other", "staff")}
        db.session.add_all(users.values())
        booths = {"mine": _booth_with_product("Của Tôi", users["owner"]),
                  "assisted": _booth_with_product("Được Hỗ Trợ", assisted=True),
                  "theirs": _booth_with_product("Người Khác", users["other"])}
        db.session.commit()
        out = {"sessions": {role: user.get_id() for role, user in users.items()},
               "user_ids": {role: user.id for role, user in users.items()}}
        for key, (vendor, product) in booths.items():
            out[key] = {"booth": vendor.slug, "vendor_id": vendor.id, "product_id": product.id,
                        "image_id": product.images[0].id, "image2_id": product.images[1].id,
                        "certificate_id": product.certificates[0].id}
        db.session.remove()
    return out


@pytest.fixture
def client_as(app, world):
    """`client_as(role)`: a test client signed in as 'shopper', 'owner', 'other', 'staff' (or anonymous)."""

    def make(role):
        return signed_in_client(app, None if role == "anonymous" else world["sessions"][role])

    return make
