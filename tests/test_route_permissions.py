"""The permission matrix over EVERY vendor-dashboard and staff route, found in the URL map (so a new route
is covered the day it is added). Object ids in the URL always belong to booth A.

- /vendor/<booth>/…: anonymous → sign-in; shopper → 403; member of booth B → 404 (with A's slug, and with
  B's slug but A's object ids); A's member → allowed; staff → allowed on A when A is assisted, else 404.
- /staff/…: anonymous → sign-in; shopper and booth members → 403; staff → allowed.
"""
from datetime import date

import pytest
import sqlalchemy as sa

from catalog.listings.models import CategoryMapping
from catalog.models import Certificate, ProductImage
from storefront.extensions import db
from storefront.media import storage
from storefront.models import User
from tests.factories import make_product, make_vendor, signed_in_client
from vendors.models import VendorDocument, VendorMember



def _allowed(method, status):
    """A page or a redirect; for an empty POST also 400 (the form re-rendered with its messages)."""
    return 200 <= status < 400 or (method == "POST" and status == 400)


def _answered(expected, method, response):
    if expected == "signin":
        return response.status_code == 302 and "/account/signin" in response.headers["Location"]
    if expected == "allowed":
        return _allowed(method, response.status_code)
    return response.status_code == expected


# Staff review applications of booths that are not (yet) assisted, so they read every booth's documents.
STAFF_READS_EVERY_BOOTH = {"vendors.document_show"}


def _rules(app, prefix):
    out = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(prefix):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                out.append((rule.endpoint, rule.rule, method))
    # Reads first: a POST may delete booth A's object (an empty delete form is valid) that a later GET needs.
    return sorted(out, key=lambda r: (r[2] != "GET", r))


def _vendor_rules(app):
    return _rules(app, "/vendor/<booth>")


@pytest.fixture
def world(app):
    """Booth A (with a product, image, certificate, document) and booth B; one user per role."""
    with app.app_context():
        a = make_vendor("Hợp tác xã A", commit=False)
        b = make_vendor("Hợp tác xã B", commit=False)
        product = make_product(a, "Sản phẩm của A", commit=False)
        other = make_product(b, "Sản phẩm của B", commit=False)
        product.images.append(ProductImage(key="img/x", width=800, height=800))
        product.certificates.append(Certificate(star=4, decided_on=date.today(), decision_no="1/QĐ",
                                                document_key=storage().save_document(b"%PDF-1.4\n%%EOF\n", "pdf")))
        a.documents.append(VendorDocument(kind="ocop_certificate", filename="x.pdf",
                                          key=storage().save_document(b"%PDF-1.4\n%%EOF\n", "pdf"),
                                          content_type="application/pdf", size=10))
        users = {role: User(email=f"{role}@example.vn", role="staff" if role == "staff" else "shopper")
                 for role in ("shopper", "member_a", "member_b", "staff")}
        db.session.add_all(users.values())
        db.session.add_all([VendorMember(vendor=a, user=users["member_a"]), VendorMember(vendor=b, user=users["member_b"])])
        db.session.commit()
        order = _order_of(product, other)
        ids = {"booth": a.slug, "product_id": product.id, "image_id": product.images[0].id,
               "certificate_id": product.certificates[0].id, "document_id": a.documents[0].id, "vendor_id": a.id,
               "booth_order_id": order.booth_orders[0].id, "order_id": order.id,
               "marketplace": "tiki", "fmt": "jsonl",
               "mapping_id": db.session.scalar(sa.select(sa.func.min(CategoryMapping.id)))}  # a seeded row
        sessions = {role: user.get_id() for role, user in users.items()}
        world = {"ids": ids, "b_slug": b.slug, "b_product": other.id, "sessions": sessions, "a_id": a.id}
        db.session.remove()
    return world


def _order_of(*products):
    """One cash-on-delivery order with a booth order per product's booth (booth A's first)."""
    from orders.models import BoothOrder, Order, OrderLine

    order = Order(code="DHMATRIX1", email="khach@example.vn", recipient_name="Khách", phone="+84912345678",
                  province="vinh-long", commune="Xã Đại Phước", street="12 Ấp Chợ", payment_method="cod",
                  payment_status="cod", items_total_vnd=0, shipping_total_vnd=0, total_vnd=0)
    for p in products:
        bo = BoothOrder(vendor_id=p.vendor_id, items_total_vnd=p.price_vnd, shipping_fee_vnd=30_000,
                        total_vnd=p.price_vnd + 30_000, commission_bp=500)
        bo.lines = [OrderLine(product_id=p.id, product_name=p.name, product_slug=p.slug, unit_price_vnd=p.price_vnd,
                              quantity=1, line_total_vnd=p.price_vnd)]
        order.booth_orders.append(bo)
        order.items_total_vnd += bo.items_total_vnd
        order.shipping_total_vnd += bo.shipping_fee_vnd
        order.total_vnd += bo.total_vnd
    db.session.add(order)
    db.session.commit()
    return order


def _client(app, world, role):
    return signed_in_client(app, None if role == "anonymous" else world["sessions"][role])


def _url(rule, values):
    url = rule
    for name, value in values.items():
        for conv in ("", "int:"):
            url = url.replace(f"<{conv}{name}>", str(value))
    assert "<" not in url, f"the matrix does not know how to fill {url}: name the argument booth/product_id/…"
    return url


def _call(client, method, url):
    response = client.open(url, method=method, data={})
    response.get_data()
    response.close()  # file downloads hold their file open until closed
    return response


def _set_assisted(app, world, assisted):
    from vendors.models import Vendor

    with app.app_context():
        db.session.get(Vendor, world["a_id"]).is_assisted = assisted
        db.session.commit()


def test_the_matrix_sees_the_dashboard_and_staff_routes(app):
    assert _vendor_rules(app), "no /vendor/<booth>/ routes found"
    assert _rules(app, "/staff/"), "no /staff/ routes found"


@pytest.mark.parametrize("role, expected", [("anonymous", "signin"), ("shopper", 403), ("member_b", 404),
                                            ("member_a", "allowed"), ("staff", 404)])
def test_every_booth_route_answers_each_role_as_it_should(app, world, role, expected):
    failures = []
    for endpoint, rule, method in _vendor_rules(app):
        if role == "staff" and endpoint in STAFF_READS_EVERY_BOOTH:
            continue
        response = _call(_client(app, world, role), method, _url(rule, world["ids"]))
        if not _answered(expected, method, response):
            failures.append(f"{method} {rule} ({endpoint}) → {response.status_code}")
    assert not failures, f"{role} expected {expected}:\n" + "\n".join(failures)


def test_a_member_of_another_booth_cannot_reach_booth_a_objects_through_their_own_slug(app, world):
    failures = []
    values = dict(world["ids"], booth=world["b_slug"])
    for endpoint, rule, method in _vendor_rules(app):
        if not any(f"{n}>" in rule for n in ("product_id", "image_id", "certificate_id", "document_id",
                                              "booth_order_id")):
            continue
        response = _call(_client(app, world, "member_b"), method, _url(rule, values))
        if response.status_code != 404:
            failures.append(f"{method} {rule} → {response.status_code}")
    assert not failures, "\n".join(failures)


def test_staff_may_operate_an_assisted_booth_and_every_change_is_audited(app, world):
    from vendors.models import AuditEntry

    _set_assisted(app, world, True)
    failures = []
    for endpoint, rule, method in _vendor_rules(app):
        response = _call(_client(app, world, "staff"), method, _url(rule, world["ids"]))
        if not _allowed(method, response.status_code):
            failures.append(f"{method} {rule} ({endpoint}) → {response.status_code}")
    assert not failures, "\n".join(failures)
    with app.app_context():
        assert db.session.query(AuditEntry).filter_by(vendor_id=world["a_id"]).count() >= 1


@pytest.mark.parametrize("role, expected", [("anonymous", "signin"), ("shopper", 403), ("member_a", 403),
                                            ("staff", "allowed")])
def test_every_staff_route_answers_each_role_as_it_should(app, world, role, expected):
    failures = []
    for endpoint, rule, method in _rules(app, "/staff/"):
        response = _call(_client(app, world, role), method, _url(rule, world["ids"]))
        if not _answered(expected, method, response):
            failures.append(f"{method} {rule} ({endpoint}) → {response.status_code}")
    assert not failures, f"{role} expected {expected}:\n" + "\n".join(failures)


def test_every_dashboard_and_staff_page_is_well_nested(app, world):
    from tests.catalog.test_pages_markup import Nesting

    _set_assisted(app, world, True)
    failures, checked = [], []
    pages = [(r, "member_a") for r in _vendor_rules(app)] + [(r, "staff") for r in _rules(app, "/staff/")]
    pages += [(("vendors.booth_list", "/vendor/", "GET"), "member_a"), (("vendors.application_create", "/vendor/apply", "GET"), "shopper")]
    for (endpoint, rule, method), role in pages:
        if method != "GET":
            continue
        response = _call(_client(app, world, role), method, _url(rule, world["ids"]))
        if response.mimetype != "text/html":
            continue
        if endpoint == "listings_manage.download" and response.status_code == 302:
            continue  # booth A's product is not exportable: back to the grid with a message, no page
        assert response.status_code == 200, f"{rule} → {response.status_code}"
        checked.append(rule)
        parser = Nesting()
        parser.feed(response.get_data(as_text=True))
        parser.close()
        if parser.errors or parser.stack:
            failures.append(f"{rule}: {parser.errors or parser.stack}")
    assert not failures, "\n".join(failures)
    assert len(checked) >= 10, checked
