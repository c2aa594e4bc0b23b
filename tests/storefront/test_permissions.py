"""The one permission check, over every role, on test-only views guarded the way real views are."""
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Blueprint

from storefront.accounts.permissions import (ADMIN_USERS, BOOTH_MANAGE, BOOTH_MEMBERS, PERMISSIONS, STAFF_REVIEW,
                                             Permission, can, define, permission_required, require)
from storefront.extensions import db
from storefront.models import User
from tests.factories import make_vendor, signed_in_client
from vendors.models import Vendor, VendorMember

ROLES = ("anonymous", "shopper", "owner", "helper", "other_booth", "staff", "admin")


def _booth(booth_id):
    return db.session.get(Vendor, booth_id)


def guarded_views():
    bp = Blueprint("guarded", __name__)

    @bp.get("/_guarded/booth/<int:booth_id>")
    @permission_required(BOOTH_MANAGE, load=_booth)
    def booth(vendor, booth_id):
        return f"booth {vendor.id}"

    @bp.get("/_guarded/booth/<int:booth_id>/members")
    @permission_required(BOOTH_MEMBERS, load=_booth)
    def members(vendor, booth_id):
        return "members"

    @bp.get("/_guarded/staff")
    @permission_required(STAFF_REVIEW)
    def staff():
        return "staff"

    @bp.get("/_guarded/admin")
    @permission_required(ADMIN_USERS)
    def admin():
        return "admin"

    @bp.get("/_guarded/inline/<int:booth_id>")
    def inline(booth_id):
        return f"inline {require(BOOTH_MANAGE, _booth(booth_id)).id}"

    return bp


@pytest.fixture
def world(build_app):
    """A test-only app with the guarded views, two booths and one user in each role (by name)."""
    app = build_app()
    app.register_blueprint(guarded_views())
    with app.app_context():
        mine, theirs = make_vendor("Hợp tác xã Của Tôi"), make_vendor("Hợp tác xã Người Khác")
        users = {role: User(email=f"{role}@example.vn", role=role if role in ("staff", "admin") else "shopper")
                 for role in ROLES[1:]}
        db.session.add_all(users.values())
        db.session.add_all([VendorMember(vendor=mine, user=users["owner"], role="owner"),
                            VendorMember(vendor=mine, user=users["helper"], role="helper"),
                            VendorMember(vendor=theirs, user=users["other_booth"], role="owner")])
        db.session.commit()
        session_ids = {role: user.get_id() for role, user in users.items()}
        booths = {"mine": mine.id, "theirs": theirs.id, "missing": theirs.id + 1000}
        db.session.remove()
    return app, session_ids, booths


def client_as(world, role):
    """A client signed in as `role`, the way Flask-Login keeps it (no sign-in form, so no rate limit)."""
    app, session_ids, _booths = world
    return signed_in_client(app, None if role == "anonymous" else session_ids[role])


BOOTH_MATRIX = {  # role: (own booth, a missing booth)
    "shopper": (403, 403),
    "owner": (200, 404),
    "helper": (200, 404),
    "other_booth": (404, 404),
    "staff": (404, 404),  # staff manage only assisted booths (below)
    "admin": (404, 404),
}


@pytest.mark.parametrize("role", BOOTH_MATRIX)
@pytest.mark.parametrize("route", ["/_guarded/booth/{}", "/_guarded/inline/{}"])
def test_a_booth_is_managed_by_its_members_and_staff_and_hidden_from_other_booths(world, role, route):
    booths = world[2]
    client = client_as(world, role)
    mine, missing = BOOTH_MATRIX[role]
    assert client.get(route.format(booths["mine"])).status_code == mine
    assert client.get(route.format(booths["missing"])).status_code == missing


@pytest.mark.parametrize("role, status", [("staff", 200), ("admin", 200), ("other_booth", 404), ("owner", 200)])
def test_staff_manage_a_booth_only_while_it_is_assisted(world, role, status):
    app, _ids, booths = world
    with app.app_context():
        db.session.get(Vendor, booths["mine"]).is_assisted = True
        db.session.commit()
    assert client_as(world, role).get(f"/_guarded/booth/{booths['mine']}").status_code == status


def test_each_member_sees_only_their_own_booth(world):
    booths = world[2]
    other = client_as(world, "other_booth")
    assert other.get(f"/_guarded/booth/{booths['theirs']}").get_data(as_text=True) == f"booth {booths['theirs']}"
    assert other.get(f"/_guarded/booth/{booths['mine']}").status_code == 404


@pytest.mark.parametrize("path", ["/_guarded/booth/1", "/_guarded/staff", "/_guarded/admin?tab=2"])
def test_anonymous_visitors_are_sent_to_sign_in_and_back(world, path):
    client = client_as(world, "anonymous")
    response = client.get(path)
    location = urlsplit(response.headers["Location"])
    assert response.status_code == 302 and location.path == "/account/signin"
    assert parse_qs(location.query) == {"next": [path]}
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<input id="next" name="next" type="hidden" value="{path}">' in form


@pytest.mark.parametrize("role, staff_page, admin_page", [
    ("shopper", 403, 403), ("owner", 403, 403), ("other_booth", 403, 403), ("staff", 200, 403), ("admin", 200, 200),
])
def test_staff_pages_are_for_staff_and_admin_pages_for_admins(world, role, staff_page, admin_page):
    client = client_as(world, role)
    assert client.get("/_guarded/staff").status_code == staff_page
    assert client.get("/_guarded/admin").status_code == admin_page


@pytest.mark.parametrize("role, status", [
    ("owner", 200), ("helper", 404), ("other_booth", 404), ("shopper", 403), ("staff", 403),
])
def test_only_the_owner_manages_who_helps_with_the_booth(world, role, status):
    assert client_as(world, role).get(f"/_guarded/booth/{world[2]['mine']}/members").status_code == status


def test_a_forbidden_page_says_why_in_vietnamese(world):
    page = client_as(world, "shopper").get("/_guarded/staff").get_data(as_text=True)
    assert "Tài khoản của bạn không có quyền mở trang này." in page


def test_a_closed_account_is_treated_as_a_stranger(world):
    app, _ids, _booths = world
    client = client_as(world, "staff")
    with app.app_context():
        db.session.scalar(db.select(User).filter_by(role="staff")).is_active = False
        db.session.commit()
    assert client.get("/_guarded/staff").status_code == 302


def test_can_answers_the_same_questions_for_templates(world):
    app, _ids, booths = world
    with app.app_context():
        users = {u.email.split("@")[0]: u for u in db.session.scalars(db.select(User))}
        mine = db.session.get(Vendor, booths["mine"])
        assert can(BOOTH_MANAGE, mine, user=users["helper"]) and not can(BOOTH_MANAGE, mine, user=users["other_booth"])
        assert can(BOOTH_MANAGE, user=users["other_booth"]) and not can(BOOTH_MANAGE, user=users["shopper"])
        assert can(STAFF_REVIEW, user=users["staff"]) and not can(ADMIN_USERS, user=users["staff"])
        assert not can(BOOTH_MANAGE, None, user=users["admin"])


def test_a_permission_name_is_defined_once():
    with pytest.raises(ValueError, match="already defined"):
        define(Permission(BOOTH_MANAGE, lambda user: True))
    assert PERMISSIONS[BOOTH_MANAGE].name == BOOTH_MANAGE
