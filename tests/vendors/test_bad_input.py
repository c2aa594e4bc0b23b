"""What a careless or hostile visitor may send: files that lie about what they are, huge files, markup in every
text field, a redirect off the site, a forged CSRF token."""
from urllib.parse import parse_qs, urlsplit

import pytest

from storefront.extensions import db
from tests.vendors.conftest import PDF, application_data, png_bytes, upload
from vendors.models import Vendor

SCRIPT = "<script>alert('x')</script>"  # short enough for the tax number
ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
BIG = b"\xff\xd8\xff\xe0" + b"0" * (10 * 1024 * 1024 + 1)


def _apply(client, **overrides):
    return closed(client.post("/vendor/apply", data=application_data(**overrides), content_type="multipart/form-data"))


def closed(response):
    """The response, with the request body the test client spooled to a temporary file closed."""
    response.request.environ["wsgi.input"].close()
    return response


def _booth_count(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Vendor))


@pytest.mark.parametrize("data, name, message", [
    (b"<html>not a picture</html>", "giay.jpg", "Không đọc được tệp này như một ảnh"),
    (BIG, "rat-lon.jpg", "Tệp lớn hơn 10 MB."),
    (b"%PDF-1.4\n<html>not really a pdf</html>", "gia.pdf", "Tệp PDF này bị thiếu hoặc hỏng."),
    (b"", "rong.pdf", "Tệp trống."),
])
def test_an_application_document_is_checked_by_its_content(app, client_as, data, name, message):
    before = _booth_count(app)
    response = _apply(client_as("shopper"), ocop_certificate=upload(data, name))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _booth_count(app) == before


def test_a_photo_of_a_certificate_is_accepted_and_stored_as_jpeg(app, client_as):
    assert _apply(client_as("shopper"), ocop_certificate=upload(png_bytes(), "anh.png")).status_code == 302
    with app.app_context():
        [document] = db.session.scalar(db.select(Vendor).filter_by(name="Hợp tác xã Dừa Sáp")).documents
        assert (document.content_type, document.filename) == ("image/jpeg", "anh.jpg")


@pytest.mark.parametrize("field", ["logo", "banner"])
@pytest.mark.parametrize("data", [b"GIF89a not a jpeg at all", BIG, PDF])
def test_a_logo_or_banner_that_is_not_a_picture_is_refused(app, world, client_as, field, data):
    mine = world["booths"]["mine"]
    response = closed(client_as("owner").post(f"/vendor/{mine['slug']}/profile", content_type="multipart/form-data",
                                              data={"story": "", "phone": "0912 345 678", "email": "a@example.vn",
                                                    "province": "vinh-long", "commune": "Xã A",
                                                    "address_text": "Ấp 1", field: upload(data, "anh.jpg")}))
    assert response.status_code == 400
    with app.app_context():
        vendor = db.session.get(Vendor, mine["id"])
        assert vendor.logo_key is None and vendor.banner_key is None and vendor.commune == ""


def test_markup_in_every_text_field_is_shown_as_text_everywhere(app, world, client_as):
    text_fields = ("name", "tax_code", "commune", "address_text", "story")
    applicant = client_as("shopper")
    assert _apply(applicant, **{f: SCRIPT for f in text_fields}).status_code == 302
    with app.app_context():
        vendor = db.session.scalar(db.select(Vendor).filter_by(tax_code=SCRIPT))
        assert vendor.name == SCRIPT and vendor.story == SCRIPT
        vendor_id, slug = vendor.id, vendor.slug
    staff = client_as("staff")
    reject = staff.post(f"/staff/applications/{vendor_id}/reject", data={"reason": SCRIPT})
    assert reject.status_code == 302
    pages = [applicant.get(f"/vendor/{slug}/application"), applicant.get("/vendor/"),
             applicant.get(f"/vendor/{slug}/profile"), staff.get("/staff/applications"),
             staff.get(f"/staff/applications/{vendor_id}")]
    for response in pages:
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and SCRIPT not in page and ESCAPED in page, response.request.path


def test_markup_typed_into_a_refused_form_comes_back_escaped(client_as):
    response = _apply(client_as("shopper"), email=SCRIPT, phone=SCRIPT, ocop_certificate=None)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and SCRIPT not in page and ESCAPED in page


def test_the_audit_log_shows_markup_staff_typed_as_text(app, world, client_as):
    assisted = world["booths"]["assisted"]
    client_as("staff").post(f"/vendor/{assisted['slug']}/profile", data={
        "story": SCRIPT, "phone": "0912 345 678", "email": "a@example.vn", "province": "vinh-long",
        "commune": SCRIPT, "address_text": SCRIPT})
    page = client_as("owner2").get(f"/vendor/{assisted['slug']}/audit").get_data(as_text=True)
    assert SCRIPT not in page and page.count(ESCAPED) == 3


def test_markup_in_an_approved_booth_is_escaped_on_its_public_page(app, world, client_as):
    assisted = world["booths"]["assisted"]
    client_as("staff").post(f"/vendor/{assisted['slug']}/profile", data={
        "story": SCRIPT, "phone": "0912 345 678", "email": "a@example.vn", "province": "vinh-long",
        "commune": SCRIPT, "address_text": SCRIPT})
    page = app.test_client().get(f"/booths/{assisted['slug']}/").get_data(as_text=True)
    assert SCRIPT not in page and ESCAPED in page


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_a_staff_action_never_sends_anyone_off_the_site(app, world, client_as, next_url):
    mine = world["booths"]["mine"]
    response = client_as("staff").post(f"/staff/booths/{mine['id']}/suspend", data={"next": next_url})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/applications/{mine['id']}"


def test_a_staff_action_goes_back_to_the_filtered_queue_it_came_from(world, client_as):
    response = client_as("staff").post(f"/staff/booths/{world['booths']['mine']['id']}/suspend",
                                       data={"next": "/staff/applications?status=approved"})
    assert response.headers["Location"] == "/staff/applications?status=approved"


def test_an_anonymous_applicant_signs_in_and_comes_back_to_the_form(client_as):
    response = client_as("anonymous").get("/vendor/apply")
    location = urlsplit(response.headers["Location"])
    assert location.path == "/account/signin" and parse_qs(location.query) == {"next": ["/vendor/apply"]}


@pytest.mark.parametrize("target, path, data", [
    ("pending", "/staff/applications/{id}/approve", {}),
    ("pending", "/staff/applications/{id}/reject", {"reason": "Thiếu giấy."}),
    ("mine", "/staff/booths/{id}/suspend", {}),
    ("mine", "/staff/booths/{id}/assisted", {"is_assisted": "1"}),
])
def test_a_forged_csrf_token_is_refused(csrf_app, world, client_as, target, path, data):
    booth = world["booths"][target]
    response = client_as("staff", csrf_app).post(path.format(id=booth["id"]), data={**data, "csrf_token": "forged"})
    assert response.status_code == 400
    with csrf_app.app_context():
        vendor = db.session.get(Vendor, booth["id"])
        assert (vendor.status, vendor.is_assisted) == (("pending" if target == "pending" else "approved"), False)


def test_an_application_with_a_forged_csrf_token_creates_nothing(app, csrf_app, client_as):
    before = _booth_count(app)
    response = client_as("shopper", csrf_app).post("/vendor/apply", content_type="multipart/form-data",
                                                   data={**application_data(), "csrf_token": "forged"})
    assert response.status_code == 400 and _booth_count(app) == before


def test_a_real_csrf_token_lets_the_application_through(app, csrf_app, client_as):
    import re
    client = client_as("shopper", csrf_app)
    form = client.get("/vendor/apply").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post("/vendor/apply", content_type="multipart/form-data",
                           data={**application_data(), "csrf_token": token})
    assert response.status_code == 302
