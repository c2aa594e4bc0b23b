"""Applying for a booth, staff review, resubmission, suspension: through the pages, as people use them."""
import pytest

from storefront.extensions import db
from tests.factories import make_product
from tests.vendors.conftest import PDF, application_data, upload
from vendors import services
from vendors.models import Vendor


def _apply(client, **overrides):
    return client.post("/vendor/apply", data=application_data(**overrides), content_type="multipart/form-data")


def _only_booth_named(app, name):
    with app.app_context():
        return db.session.scalar(db.select(Vendor).filter_by(name=name))


def test_an_application_makes_the_applicant_owner_of_a_pending_booth_that_is_not_public(app, client_as, world):
    response = _apply(client_as("shopper"))
    assert response.status_code == 302
    with app.app_context():
        vendor = db.session.scalar(db.select(Vendor).filter_by(name="Hợp tác xã Dừa Sáp"))
        assert vendor.status == "pending" and vendor.submitted_at is not None
        assert [(m.user_id, m.role) for m in vendor.members] == [(world["ids"]["shopper"], "owner")]
        assert vendor.phone == "+84912345678" and vendor.province == "vinh-long"
        [document] = vendor.documents
        assert (document.kind, document.content_type, document.filename) == (
            "ocop_certificate", "application/pdf", "chung-nhan.pdf")
        slug = vendor.slug
    assert response.headers["Location"] == f"/vendor/{slug}/application"
    anonymous = app.test_client()
    assert anonymous.get(f"/booths/{slug}/").status_code == 404
    assert anonymous.get(f"/api/v1/booths/{slug}").status_code == 404
    assert "Chờ duyệt" in client_as("shopper").get(f"/vendor/{slug}/application").get_data(as_text=True)


def test_the_first_application_needs_the_ocop_certificate(app, client_as):
    response = _apply(client_as("shopper"), ocop_certificate=None)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Hãy đính kèm giấy chứng nhận OCOP" in page
    assert 'value="Hợp tác xã Dừa Sáp"' in page  # what was typed is kept
    assert _only_booth_named(app, "Hợp tác xã Dừa Sáp") is None


@pytest.mark.parametrize("field", ["entity_type", "name", "tax_code", "province", "commune", "address_text", "phone",
                                   "email", "story"])
def test_every_application_field_is_required(app, client_as, field):
    response = _apply(client_as("shopper"), **{field: ""})
    assert response.status_code == 400
    assert "Vui lòng điền mục này." in response.get_data(as_text=True)
    assert _only_booth_named(app, "Hợp tác xã Dừa Sáp") is None


def test_a_province_outside_the_34_is_refused(app, client_as):
    response = _apply(client_as("shopper"), province="tra-vinh")
    assert response.status_code == 400 and _only_booth_named(app, "Hợp tác xã Dừa Sáp") is None


def test_staff_approval_opens_the_booth_and_mails_the_owner(app, client_as, world, outbox):
    _apply(client_as("shopper"))
    vendor_id = _only_booth_named(app, "Hợp tác xã Dừa Sáp").id
    response = client_as("staff").post(f"/staff/applications/{vendor_id}/approve")
    assert response.status_code == 302
    with app.app_context():
        vendor = db.session.get(Vendor, vendor_id)
        assert vendor.status == "approved" and vendor.approved_at and vendor.reviewed_by_id == world["ids"]["staff"]
        slug = vendor.slug
    assert app.test_client().get(f"/booths/{slug}/").status_code == 200
    assert app.test_client().get(f"/api/v1/booths/{slug}").status_code == 200
    [mail] = outbox()
    assert mail["To"] == "shopper@example.vn"
    assert f"/vendor/{slug}/" in mail.get_content()


def test_a_rejection_mails_the_reason_and_a_fixed_application_goes_back_to_the_queue(app, client_as, outbox):
    applicant = client_as("shopper")
    _apply(applicant)
    first = _only_booth_named(app, "Hợp tác xã Dừa Sáp")
    response = client_as("staff").post(f"/staff/applications/{first.id}/reject",
                                       data={"reason": "Giấy chứng nhận OCOP đã hết hạn."})
    assert response.status_code == 302
    rejected = _only_booth_named(app, "Hợp tác xã Dừa Sáp")
    assert rejected.status == "rejected" and rejected.rejection_reason == "Giấy chứng nhận OCOP đã hết hạn."
    [mail] = outbox()
    assert mail["To"] == "shopper@example.vn" and "Giấy chứng nhận OCOP đã hết hạn." in mail.get_content()
    status_page = applicant.get(f"/vendor/{first.slug}/application").get_data(as_text=True)
    assert "Giấy chứng nhận OCOP đã hết hạn." in status_page and 'name="tax_code"' in status_page

    response = applicant.post(f"/vendor/{first.slug}/application", content_type="multipart/form-data",
                              data=application_data(ocop_certificate=upload(PDF + b" ", "moi.pdf"),
                                                    tax_code="1500999999"))
    assert response.status_code == 302
    again = _only_booth_named(app, "Hợp tác xã Dừa Sáp")
    assert again.status == "pending" and again.tax_code == "1500999999"
    assert again.submitted_at > first.submitted_at
    with app.app_context():
        assert len(db.session.get(Vendor, again.id).documents) == 2


def test_a_rejection_needs_a_reason(app, client_as, outbox):
    _apply(client_as("shopper"))
    vendor = _only_booth_named(app, "Hợp tác xã Dừa Sáp")
    response = client_as("staff").post(f"/staff/applications/{vendor.id}/reject", data={"reason": "   "})
    assert response.status_code == 400
    assert "Vui lòng điền mục này." in response.get_data(as_text=True)
    assert _only_booth_named(app, "Hợp tác xã Dừa Sáp").status == "pending" and outbox() == []


def test_a_pending_application_cannot_be_resubmitted(app, client_as):
    _apply(client_as("shopper"))
    vendor = _only_booth_named(app, "Hợp tác xã Dừa Sáp")
    response = client_as("shopper").post(f"/vendor/{vendor.slug}/application", content_type="multipart/form-data",
                                         data=application_data(name="Tên mới"))
    assert response.status_code == 400
    assert _only_booth_named(app, "Hợp tác xã Dừa Sáp").submitted_at == vendor.submitted_at


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_only_a_pending_application_can_be_approved_or_rejected(app, client_as, world, outbox, action):
    mine = world["booths"]["mine"]
    response = client_as("staff").post(f"/staff/applications/{mine['id']}/{action}", data={"reason": "Thiếu giấy."},
                                       follow_redirects=True)
    assert response.request.path == f"/staff/applications/{mine['id']}"
    assert "Chỉ có thể duyệt hoặc trả lại hồ sơ đang chờ duyệt." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Vendor, mine["id"]).status == "approved"
    assert outbox() == []


def test_approving_twice_is_a_domain_error(app, world):
    with app.test_request_context():
        vendor = db.session.get(Vendor, world["booths"]["mine"]["id"])
        with pytest.raises(services.NotPending):
            services.approve_booth(vendor.members[0].user, vendor)


def test_suspending_hides_the_booth_and_its_products_at_once_even_from_cached_pages(app, client_as, world):
    mine = world["booths"]["mine"]
    visitor = app.test_client()
    assert world["product"] in visitor.get("/products/").get_data(as_text=True)
    assert world["product"] in visitor.get("/api/v1/products").get_data(as_text=True)
    assert visitor.get("/products/").headers.get("X-Page-Cache") == "hit"  # the page is cached now

    assert client_as("staff").post(f"/staff/booths/{mine['id']}/suspend").status_code == 302

    assert world["product"] not in visitor.get("/products/").get_data(as_text=True)
    assert world["product"] not in [p["slug"] for p in visitor.get("/api/v1/products").get_json()["items"]]
    assert visitor.get(f"/booths/{mine['slug']}/").status_code == 404
    assert visitor.get(f"/api/v1/booths/{mine['slug']}").status_code == 404
    assert visitor.get(f"/api/v1/products/{world['product']}").status_code == 404

    assert client_as("staff").post(f"/staff/booths/{mine['id']}/reinstate").status_code == 302
    assert world["product"] in visitor.get("/products/").get_data(as_text=True)


def test_only_an_open_booth_can_be_suspended(app, client_as, world):
    _apply(client_as("shopper"))
    vendor = _only_booth_named(app, "Hợp tác xã Dừa Sáp")
    staff = client_as("staff")
    refused = staff.post(f"/staff/booths/{vendor.id}/suspend", follow_redirects=True).get_data(as_text=True)
    assert "Chỉ có thể tạm ngưng gian hàng đang mở." in refused
    refused = staff.post(f"/staff/booths/{vendor.id}/reinstate", follow_redirects=True).get_data(as_text=True)
    assert "Chỉ có thể mở lại gian hàng đang tạm ngưng." in refused
    assert _only_booth_named(app, "Hợp tác xã Dừa Sáp").status == "pending"


def test_the_review_queue_lists_pending_applications_first_and_filters_by_status(app, client_as, world):
    _apply(client_as("shopper"))
    staff = client_as("staff")
    page = staff.get("/staff/applications").get_data(as_text=True)
    assert page.index("Hợp tác xã Dừa Sáp") < page.index("Hợp tác xã Của Tôi")
    pending = staff.get("/staff/applications?status=pending").get_data(as_text=True)
    assert "Hợp tác xã Dừa Sáp" in pending and "Hợp tác xã Của Tôi" not in pending
    assert staff.get("/staff/applications?status=nonsense").status_code == 200


def test_my_booths_lists_the_booths_i_run_with_their_dashboards(client_as, world):
    page = client_as("helper").get("/vendor/").get_data(as_text=True)
    assert "Hợp tác xã Của Tôi" in page and f'/vendor/{world["booths"]["mine"]["slug"]}/' in page
    assert "Hợp tác xã Người Khác" not in page
    assert "Hộ Bà Tư" in client_as("staff").get("/vendor/").get_data(as_text=True)  # staff see assisted booths


def test_the_profile_stores_logo_banner_story_contact_and_address(app, client_as, world):
    from tests.vendors.conftest import png_bytes
    mine = world["booths"]["mine"]
    response = client_as("owner").post(f"/vendor/{mine['slug']}/profile", content_type="multipart/form-data", data={
        "story": "Câu chuyện mới", "phone": "+84 912 000 111", "email": "Moi@Example.vn", "province": "can-tho",
        "commune": "Phường Ninh Kiều", "address_text": "12 Hai Bà Trưng",
        "logo": upload(png_bytes((64, 64)), "logo.png"), "banner": upload(png_bytes((600, 200)), "banner.webp")})
    assert response.status_code == 302
    with app.app_context():
        vendor = db.session.get(Vendor, mine["id"])
        assert (vendor.story, vendor.phone, vendor.email, vendor.province, vendor.commune, vendor.address_text) == (
            "Câu chuyện mới", "+84912000111", "moi@example.vn", "can-tho", "Phường Ninh Kiều", "12 Hai Bà Trưng")
        assert vendor.logo_key.startswith("img/") and vendor.banner_key.startswith("img/")
        assert vendor.logo_key != vendor.banner_key
    page = client_as("owner").get(f"/vendor/{mine['slug']}/profile").get_data(as_text=True)
    assert "Câu chuyện mới" in page and "/media/img/" in page
    # a member's own edit is not audited
    assert "Câu chuyện mới" not in client_as("owner").get(f"/vendor/{mine['slug']}/audit").get_data(as_text=True)


def test_a_product_of_a_pending_booth_is_not_on_sale(app, client_as, world):
    _apply(client_as("shopper"))
    with app.app_context():
        vendor = db.session.scalar(db.select(Vendor).filter_by(name="Hợp tác xã Dừa Sáp"))
        slug = make_product(vendor, "Dừa sáp chờ duyệt").slug
    assert app.test_client().get(f"/api/v1/products/{slug}").status_code == 404
