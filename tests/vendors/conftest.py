"""Onboarding fixtures: one user per role, their booths, a client signed in as any of them, files to upload
and the mail outbox."""
import io
import shutil

import pytest
from PIL import Image

from storefront.extensions import db
from storefront.mail import outbox_path
from storefront.media import storage
from storefront.models import User, utcnow
from tests.factories import make_product, make_vendor, signed_in_client
from vendors.models import Vendor, VendorDocument, VendorMember

ROLES = ("shopper", "owner", "helper", "other_booth", "staff")


@pytest.fixture(autouse=True)
def _empty_outbox(app):
    with app.app_context():
        shutil.rmtree(outbox_path(), ignore_errors=True)


@pytest.fixture
def world(app):
    """Users by role; `mine` (approved, with a product) run by owner and helper; `theirs` run by other_booth;
    `assisted` (approved and assisted), `pending` and `suspended` owned by owner2. Each booth has one stored
    document. Returns user ids, session ids, and each booth's id, slug and document id."""
    with app.app_context():
        users = {role: User(email=f"{role}@example.vn", name=f"Tên {role}",
                            role="staff" if role == "staff" else "shopper") for role in ROLES + ("owner2",)}
        db.session.add_all(users.values())
        mine = make_vendor("Hợp tác xã Của Tôi", commit=False, email="htx@example.vn")
        theirs = make_vendor("Hợp tác xã Người Khác", commit=False)
        assisted = make_vendor("Hộ Bà Tư", commit=False, is_assisted=True, entity_type="ho_kinh_doanh")
        db.session.add_all([VendorMember(vendor=mine, user=users["owner"], role="owner"),
                            VendorMember(vendor=mine, user=users["helper"], role="helper"),
                            VendorMember(vendor=theirs, user=users["other_booth"], role="owner"),
                            VendorMember(vendor=assisted, user=users["owner2"], role="owner")])
        pending = make_vendor("Hộ Chờ Duyệt", commit=False, status="pending", submitted_at=utcnow())
        suspended = make_vendor("Hộ Tạm Ngưng", commit=False, status="suspended")
        db.session.add_all([VendorMember(vendor=pending, user=users["owner2"], role="owner"),
                            VendorMember(vendor=suspended, user=users["owner2"], role="owner")])
        product = make_product(mine, "Kẹo dừa của tôi", commit=False)
        key = storage().save_document(PDF, "pdf")
        every = {"mine": mine, "theirs": theirs, "assisted": assisted, "pending": pending, "suspended": suspended}
        for booth in every.values():
            booth.documents.append(VendorDocument(kind="ocop_certificate", key=key, filename="ocop.pdf",
                                                  content_type="application/pdf", size=len(PDF)))
        db.session.commit()
        ids = {role: user.id for role, user in users.items()}
        session_ids = {role: user.get_id() for role, user in users.items()}
        booths = {name: {"id": b.id, "slug": b.slug, "document_id": b.documents[0].id} for name, b in every.items()}
        product_slug = product.slug
        db.session.remove()
    return {"ids": ids, "session_ids": session_ids, "booths": booths, "product": product_slug}


@pytest.fixture
def client_as(app, world):
    """`client_as(role)`: a client signed in as that role, the way Flask-Login keeps it (no sign-in form)."""

    def make(role, application=None):
        return signed_in_client(application or app, None if role == "anonymous" else world["session_ids"][role])

    return make


@pytest.fixture
def booth(app):
    """`booth(slug)` → the Vendor with that slug, freshly loaded (call inside `with app.app_context()`)."""
    return lambda slug: db.session.scalar(db.select(Vendor).filter_by(slug=slug))


def png_bytes(size=(40, 30), color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def upload(data, name):
    return (io.BytesIO(data), name)


def application_data(**overrides):
    """A complete application form, with an OCOP certificate as a PDF."""
    data = {"entity_type": "hop_tac_xa", "name": "Hợp tác xã Dừa Sáp", "tax_code": "1500123456",
            "province": "vinh-long", "commune": "Xã Cầu Kè", "address_text": "Ấp 3", "phone": "0912 345 678",
            "email": "dua@example.vn", "story": "Chúng tôi trồng dừa sáp.",
            "ocop_certificate": upload(PDF, "chung-nhan.pdf")}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
