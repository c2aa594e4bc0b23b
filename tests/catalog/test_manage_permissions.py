"""The permission matrix over every dashboard route of the catalogue side: who may open or change what."""
import io

import pytest
import sqlalchemy as sa

from catalog.models import Product
from storefront.extensions import db
from tests.catalog.manage_world import PRODUCT, client_as, png_bytes, world  # noqa: F401  (fixtures)
from vendors.models import AuditEntry


def _image_upload():
    return {"images": [(io.BytesIO(png_bytes()), "moi.png")]}


ROUTES = [  # (method, path, form data or a function making it, action audited)
    ("GET", "/vendor/{booth}/", None, None),
    ("GET", "/vendor/{booth}/products", None, None),
    ("GET", "/vendor/{booth}/products/new", None, None),
    ("POST", "/vendor/{booth}/products/new", dict(PRODUCT, sku="NEW-1"), "product.create"),
    ("GET", "/vendor/{booth}/products/{product_id}/edit", None, None),
    ("POST", "/vendor/{booth}/products/{product_id}/edit", dict(PRODUCT, sku="EDIT-1"), "product.update"),
    ("POST", "/vendor/{booth}/products/{product_id}/publish", {}, "product.publish"),
    ("POST", "/vendor/{booth}/products/{product_id}/unpublish", {}, "product.unpublish"),
    ("POST", "/vendor/{booth}/products/{product_id}/delete", {"confirm": "y"}, "product.delete"),
    ("GET", "/vendor/{booth}/products/{product_id}/certificates/new", None, None),
    ("POST", "/vendor/{booth}/products/{product_id}/certificates/new",
     {"star": "5", "status": "certified", "decided_on": "2025-01-02", "decision_no": "9/QĐ-UBND"},
     "certificate.create"),
    ("GET", "/vendor/{booth}/products/{product_id}/certificates/{certificate_id}/document", None, None),
    ("POST", "/vendor/{booth}/products/{product_id}/certificates/{certificate_id}/delete", {}, "certificate.delete"),
    ("POST", "/vendor/{booth}/products/{product_id}/images", _image_upload, "image.add"),
    ("POST", "/vendor/{booth}/products/{product_id}/images/{image_id}/move", {"direction": "down"}, "image.move"),
    ("POST", "/vendor/{booth}/products/{product_id}/images/{image_id}/delete", {}, "image.delete"),
    ("GET", "/vendor/{booth}/products/{product_id}/stock", None, None),
    ("POST", "/vendor/{booth}/products/{product_id}/stock", {"mode": "adjust", "amount": "5", "reason": "Lô mới"},
     "stock.adjust"),
]
IDS = ("product_id", "image_id", "certificate_id")


def _call(client, route, values):
    method, path, data, _action = route
    url = path.format(**values)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data=data() if callable(data) else dict(data or {}),
                               content_type="multipart/form-data")
    response.get_data()
    response.close()  # a download holds its file open until closed
    return response


def _label(route):
    return f"{route[0]} {route[1]}"


def _prepare(app, route, booth):
    """Publishing needs a hidden product, so that it changes something."""
    if route[1].endswith("/publish"):
        with app.app_context():
            db.session.execute(sa.update(Product).where(Product.id == booth["product_id"]).values(is_published=False))
            db.session.commit()


def test_the_matrix_covers_every_catalogue_route_of_the_dashboard(app):
    ours = {r.rule.replace("<int:", "<").replace("<", "{").replace(">", "}"): r.methods
            for r in app.url_map.iter_rules() if r.endpoint.startswith("manage.") and "spreadsheet" not in r.endpoint}
    listed = {(m, p) for m, p, _d, _a in ROUTES}
    assert {(m, p) for p, methods in ours.items() for m in methods - {"HEAD", "OPTIONS"}} == listed


@pytest.mark.parametrize("route", ROUTES, ids=_label)
def test_anonymous_visitors_are_sent_to_sign_in(world, client_as, route):
    response = _call(client_as("anonymous"), route, world["mine"])
    assert response.status_code == 302 and "/account/signin" in response.headers["Location"]


@pytest.mark.parametrize("route", ROUTES, ids=_label)
def test_shoppers_are_refused(world, client_as, route):
    assert _call(client_as("shopper"), route, world["mine"]).status_code == 403


@pytest.mark.parametrize("route", ROUTES, ids=_label)
def test_a_member_of_another_booth_does_not_learn_that_the_booth_exists(world, client_as, route):
    assert _call(client_as("other"), route, world["mine"]).status_code == 404


@pytest.mark.parametrize("route", [r for r in ROUTES if any(f"{{{n}}}" in r[1] for n in IDS)], ids=_label)
def test_another_booths_objects_are_not_found_under_my_booth(world, client_as, route):
    client = client_as("owner")
    all_theirs = dict(world["theirs"], booth=world["mine"]["booth"])
    assert _call(client, route, all_theirs).status_code == 404
    if "{image_id}" in route[1] or "{certificate_id}" in route[1]:
        my_product_their_object = dict(world["theirs"], booth=world["mine"]["booth"],
                                       product_id=world["mine"]["product_id"])
        assert _call(client, route, my_product_their_object).status_code == 404


@pytest.mark.parametrize("route", ROUTES, ids=_label)
def test_a_member_runs_their_own_booth(app, world, client_as, route):
    _prepare(app, route, world["mine"])
    response = _call(client_as("owner"), route, world["mine"])
    assert response.status_code == (200 if route[0] == "GET" else 302), response.get_data(as_text=True)[-3000:]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0  # members are not audited


@pytest.mark.parametrize("route", ROUTES, ids=_label)
def test_staff_run_an_assisted_booth_and_each_change_is_audited_with_before_and_after(app, world, client_as, route):
    _prepare(app, route, world["assisted"])
    response = _call(client_as("staff"), route, world["assisted"])
    assert response.status_code == (200 if route[0] == "GET" else 302)
    with app.app_context():
        entries = db.session.scalars(sa.select(AuditEntry)).all()
        if route[3] is None:
            assert entries == []
        else:
            assert [e.action for e in entries] == [route[3]]
            entry = entries[0]
            assert entry.vendor_id == world["assisted"]["vendor_id"] and entry.user_id == world["user_ids"]["staff"]
            assert entry.before or entry.after
            assert entry.before != entry.after


@pytest.mark.parametrize("route", ROUTES, ids=_label)
def test_staff_cannot_reach_a_booth_that_is_not_assisted(world, client_as, route):
    assert _call(client_as("staff"), route, world["mine"]).status_code == 404
