"""Every route of the booth and staff blueprints, for every kind of visitor; and the audit log of what staff do
on an assisted booth."""
from urllib.parse import urlsplit

import pytest

from storefront.extensions import db
from vendors.models import AuditEntry, Vendor

ROLES = ("anonymous", "shopper", "owner", "helper", "other_booth", "staff")

# endpoint: (method, who may, target booth for the URL values, form data for a POST)
ROUTES = {
    "vendors.booth_list": ("GET", "signed_in", "mine", None),
    "vendors.application_create": ("GET", "signed_in", "mine", None),
    "vendors.application_edit": ("GET", "booth", "mine", None),
    "vendors.profile_edit": ("GET", "booth", "mine", None),
    "vendors.audit_list": ("GET", "booth", "mine", None),
    "vendors.document_show": ("GET", "documents", "mine", None),
    "staff.application_list": ("GET", "staff", "mine", None),
    "staff.application_show": ("GET", "staff", "mine", None),
    "staff.application_approve": ("POST", "staff", "pending", {}),
    "staff.application_reject": ("POST", "staff", "pending", {"reason": "Thiếu giấy tờ."}),
    "staff.booth_suspend": ("POST", "staff", "mine", {}),
    "staff.booth_reinstate": ("POST", "staff", "suspended", {}),
    "staff.booth_assisted": ("POST", "staff", "mine", {"is_assisted": "1"}),
}
BOOTH_ROUTES = [e for e, (_m, who, _t, _d) in ROUTES.items() if who in ("booth", "documents")]


def _url(app, endpoint, booth):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {"booth": booth["slug"], "vendor_id": booth["id"], "document_id": booth["document_id"]}
    with app.test_request_context():
        from flask import url_for
        return url_for(endpoint, **{k: v for k, v in values.items() if k in rule.arguments})


def _request(client, app, world, endpoint, target):
    method, _who, _target, data = ROUTES[endpoint]
    url = _url(app, endpoint, world["booths"][target])
    response = client.open(url, method=method, data=data)
    response.get_data()
    response.close()  # a sent file stays open until closed
    return response


def _expected(who, role, target):
    """The status `role` gets on a route guarded as `who`, for the booth `target`."""
    if role == "anonymous":
        return "signin"
    if who == "signed_in":
        return 200
    if who == "staff":
        return 200 if role == "staff" else 403
    if role == "shopper":
        return 403
    if role in ("owner", "helper"):
        return 200 if target == "mine" else 404
    if role == "staff":
        return 200 if who == "documents" or target == "assisted" else 404
    return 404  # a member of another booth learns nothing


def test_the_matrix_covers_every_route_of_both_blueprints(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in ("vendors", "staff")}
    assert endpoints == set(ROUTES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ROUTES)
def test_each_route_answers_each_kind_of_visitor(app, world, client_as, endpoint, role):
    method, who, target, _data = ROUTES[endpoint]
    response = _request(client_as(role), app, world, endpoint, target)
    expected = _expected(who, role, target)
    if expected == "signin":
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == "/account/signin"
    elif expected == 200 and method == "POST":  # a staff action done: back to the application
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == f"/staff/applications/{world['booths'][target]['id']}"
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", BOOTH_ROUTES)
def test_booth_routes_on_an_assisted_booth_are_for_its_members_and_staff(app, world, client_as, endpoint, role):
    response = _request(client_as(role), app, world, endpoint, "assisted")
    expected = _expected(ROUTES[endpoint][1], role, "assisted")
    assert response.status_code == (302 if expected == "signin" else expected)


@pytest.mark.parametrize("role", ["anonymous", "shopper", "owner", "other_booth"])
@pytest.mark.parametrize("endpoint", [e for e, route in ROUTES.items() if route[0] == "POST"])
def test_a_refused_staff_action_changes_nothing(app, world, client_as, endpoint, role):
    target = ROUTES[endpoint][2]
    with app.app_context():
        before = db.session.get(Vendor, world["booths"][target]["id"])
        before = (before.status, before.is_assisted)
    assert _request(client_as(role), app, world, endpoint, target).status_code in (302, 403)
    with app.app_context():
        after = db.session.get(Vendor, world["booths"][target]["id"])
        assert (after.status, after.is_assisted) == before


def test_a_document_of_another_booth_is_not_found_under_mine(app, world, client_as):
    mine, theirs = world["booths"]["mine"], world["booths"]["theirs"]
    response = client_as("owner").get(f"/vendor/{mine['slug']}/documents/{theirs['document_id']}")
    assert response.status_code == 404
    with client_as("owner").get(f"/vendor/{mine['slug']}/documents/{mine['document_id']}") as response:
        response.get_data()
    assert response.data.startswith(b"%PDF-") and response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment")


def _profile(**overrides):
    return {"story": "Câu chuyện do cán bộ viết", "phone": "0912 345 678", "email": "ho@example.vn",
            "province": "vinh-long", "commune": "Xã Long Hồ", "address_text": "Ấp 1", **overrides}


def test_staff_changes_to_an_assisted_booth_are_in_its_audit_log_for_the_owner(app, world, client_as):
    assisted = world["booths"]["assisted"]
    response = client_as("staff").post(f"/vendor/{assisted['slug']}/profile", data=_profile())
    assert response.status_code == 302
    with app.app_context():
        [entry] = db.session.scalars(db.select(AuditEntry).filter_by(vendor_id=assisted["id"])).all()
        assert (entry.user_id, entry.action, entry.object_type, entry.object_id) == (
            world["ids"]["staff"], "booth.update", "vendor", assisted["id"])
        assert entry.before["story"] == "" and entry.after["story"] == "Câu chuyện do cán bộ viết"
        assert "logo_key" not in entry.after  # only what changed
    page = client_as("owner2").get(f"/vendor/{assisted['slug']}/audit").get_data(as_text=True)
    assert "Tên staff" in page and "Câu chuyện do cán bộ viết" in page and "đã sửa hồ sơ gian hàng" in page


def test_members_changes_are_not_audited_and_staff_cannot_edit_a_booth_that_is_not_assisted(app, world, client_as):
    mine = world["booths"]["mine"]
    assert client_as("owner").post(f"/vendor/{mine['slug']}/profile", data=_profile()).status_code == 302
    assert client_as("staff").post(f"/vendor/{mine['slug']}/profile",
                                   data=_profile(story="Cán bộ sửa")).status_code == 404
    with app.app_context():
        assert db.session.get(Vendor, mine["id"]).story == "Câu chuyện do cán bộ viết"
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 0


def test_turning_assistance_on_is_audited_and_lets_staff_in(app, world, client_as):
    mine = world["booths"]["mine"]
    staff = client_as("staff")
    assert staff.get(f"/vendor/{mine['slug']}/profile").status_code == 404
    assert staff.post(f"/staff/booths/{mine['id']}/assisted", data={"is_assisted": "1"}).status_code == 302
    assert staff.get(f"/vendor/{mine['slug']}/profile").status_code == 200
    with app.app_context():
        [entry] = db.session.scalars(db.select(AuditEntry).filter_by(vendor_id=mine["id"])).all()
        assert (entry.action, entry.before, entry.after) == ("booth.assist", {"is_assisted": False},
                                                             {"is_assisted": True})
    assert staff.post(f"/staff/booths/{mine['id']}/assisted", data={"is_assisted": "0"}).status_code == 302
    assert staff.get(f"/vendor/{mine['slug']}/profile").status_code == 404
