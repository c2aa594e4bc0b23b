"""The booth's "Bán trên sàn" pages: the grid of readiness and listings with its fix links, downloads,
pushes (the push service stubbed), credentials that are never shown back, and marking a product listed.
Another booth's products are not found."""
import io
import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from catalog.listings import vendor_views
from catalog.listings.models import CategoryMapping, Listing, MarketplaceAccount
from catalog.marketplaces import accounts
from catalog.marketplaces.errors import Unavailable
from catalog.marketplaces.push import PushResult
from catalog.models import ProductImage
from storefront.extensions import db
from storefront.models import User
from tests.factories import make_product, make_vendor, signed_in_client
from vendors.models import Vendor, VendorMember

DESCRIPTION = "<p>" + "Kẹo dừa Bến Tre nấu thủ công, thơm béo, không chất bảo quản. " * 3 + "</p>"
SECRET = "s3cr3t-never-shown-7f2a"


def _ready_product(vendor, name, **kw):
    """A food product every marketplace takes (with the category mappings of the world)."""
    values = dict(description=DESCRIPTION, list_price_vnd=130_000, weight_g=450, length_cm=20.0, width_cm=10.0,
                  height_cm=5.0, shelf_life_days=180, unit="Hộp", product_set="banh_keo_mut")
    values.update(kw)
    product = make_product(vendor, name, star=4, decided_on=date.today() - timedelta(days=30), commit=False,
                           **values)
    product.images.append(ProductImage(key="img/ready", width=800, height=800, position=0))
    return product


@pytest.fixture
def world(app):
    with app.app_context():
        db.session.execute(sa.delete(CategoryMapping))  # the seeded mapping (until the first cleanup)
        for marketplace, category in (("tiki", "8322"), ("sendo", "2481"), ("voso", "Thực phẩm > Đặc sản")):
            db.session.add(CategoryMapping(marketplace=marketplace, group="thuc_pham", product_set="",
                                           category=category))
        owner, other = User(email="owner@example.vn"), User(email="other@example.vn")
        mine, theirs = make_vendor("Của Tôi", commit=False), make_vendor("Người Khác", commit=False)
        db.session.add_all([owner, other, VendorMember(vendor=mine, user=owner), VendorMember(vendor=theirs, user=other)])
        ready = _ready_product(mine, "Kẹo dừa sẵn sàng")
        small = _ready_product(mine, "Bánh pía ảnh nhỏ")
        small.images[0].width, small.images[0].height = 400, 300
        foreign = _ready_product(theirs, "Hàng người khác")
        db.session.commit()
        return {"booth": mine.slug, "vendor_id": mine.id, "theirs": theirs.slug, "ready": ready.id,
                "small": small.id, "foreign": foreign.id, "owner": owner.get_id(), "other": other.get_id()}


@pytest.fixture
def owner(app, world):
    client = signed_in_client(app, world["owner"])
    client.set_cookie("lang", "en")
    return client


def _base(world, booth=None):
    return f"/vendor/{booth or world['booth']}/marketplaces"


def _save_credentials(app, world, marketplace="tiki"):
    with app.app_context():
        vendor = db.session.get(Vendor, world["vendor_id"])
        user = db.session.scalar(sa.select(User).where(User.email == "owner@example.vn"))
        accounts.save_credentials(vendor, marketplace, "client-id-1", SECRET, user)


def test_the_grid_shows_readiness_fix_links_and_phone_cards(app, world, owner):
    page = owner.get(_base(world))
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Kẹo dừa sẵn sàng" in html and "Hàng người khác" not in html
    assert 'class="mgrid"' in html and 'data-label="Tiki"' in html and 'data-label="Our market"' in html
    assert "✓ Ready" in html
    assert f'/products/{world["small"]}/edit#images"' in html  # the small picture links to the pictures
    # Postmart has no category mapped: programme staff fix that, so the sentence links nowhere.
    assert "<li>No marketplace category is mapped for this product&#39;s group: staff must add one.</li>" in html
    assert html.count(f'/products/{world["small"]}/edit#images"') == 4
    for key, fmt in (("tiki", "jsonl"), ("sendo", "jsonl"), ("voso", "xlsx"), ("voso", "csv")):
        assert f"{_base(world)}/{key}.{fmt}" in html
    assert f"{_base(world)}/tiki/account" in html and f"{_base(world)}/sendo/account" in html
    assert f"{_base(world)}/tiki/push" not in html  # no credentials, no push button
    assert f'{_base(world)}/tiki/{world["ready"]}/listing' in html


def test_the_dashboard_nav_links_to_the_grid(app, world, owner):
    html = owner.get(f"/vendor/{world['booth']}/products").get_data(as_text=True)
    assert f'href="{_base(world)}">Sell on marketplaces</a>' in html


@pytest.mark.parametrize("extra", [2, 40])
def test_the_grid_runs_a_bounded_number_of_queries(app, world, owner, count_queries, extra):
    with app.app_context():
        vendor = db.session.get(Vendor, world["vendor_id"])
        for i in range(extra):
            make_product(vendor, f"Hàng {i:02d}", image=i % 2 == 0, weight_g=200, commit=False)
        db.session.commit()
    with count_queries() as q:
        assert owner.get(_base(world)).status_code == 200
    # user, memberships, booth; count, rows, listings; mapping, products, images, certificates; credentials
    assert q.count <= 12, q.statements


@pytest.mark.parametrize("method, path", [
    ("GET", "/tiki/{foreign}/listing"), ("POST", "/tiki/{foreign}/listing"),
    ("GET", "/tiki/99999999999/listing"),
])
def test_another_booths_product_is_not_found(app, world, owner, method, path):
    response = owner.open(_base(world) + path.format(**world), method=method,
                          data={"url": "https://tiki.vn/x", "action": "delist"})
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["", "/tiki.jsonl", "/tiki/account", "/tiki/1/listing"])
def test_another_booths_pages_are_not_found(app, world, owner, path):
    assert owner.get(_base(world, world["theirs"]) + path).status_code == 404


@pytest.mark.parametrize("path", ["/amazon.jsonl", "/tiki.xlsx", "/voso.jsonl", "/cho.csv", "/voso/account",
                                  "/amazon/account", "/cho/1/listing", "/amazon/1/listing"])
def test_unknown_marketplaces_and_formats_are_not_found(app, world, owner, path):
    assert owner.get(_base(world) + path.replace("/1/", f"/{world['ready']}/")).status_code == 404


def _download(client, url):
    """(response, body): a download holds its (temporary) file open until the response is closed."""
    with client.get(url) as response:
        return response, response.get_data()


def test_a_download_is_an_attachment_of_the_ready_products_and_records_the_export(app, world, owner):
    response, body = _download(owner, f"{_base(world)}/tiki.jsonl")
    assert response.status_code == 200
    assert response.mimetype == "application/x-ndjson"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and f"tiki-{world['booth']}-{date.today():%Y%m%d}.jsonl" in disposition
    assert [json.loads(line)["name"] for line in body.decode().splitlines()] == ["Kẹo dừa sẵn sàng"]
    xlsx, body = _download(owner, f"{_base(world)}/voso.xlsx")
    assert xlsx.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and "Kẹo dừa sẵn sàng" in rows[1]
    csv, body = _download(owner, f"{_base(world)}/voso.csv")
    assert csv.mimetype == "text/csv" and body.startswith(b"\xef\xbb\xbf")
    with app.app_context():
        statuses = dict(db.session.execute(sa.select(Listing.marketplace, Listing.status)
                                           .where(Listing.product_id == world["ready"])).all())
    assert statuses == {"tiki": "exported", "voso": "exported"}


def test_nothing_exportable_says_how_many_were_blocked_instead_of_an_empty_file(app, world, owner):
    response = owner.get(f"{_base(world)}/postmart.csv")  # no Postmart category mapped
    assert response.status_code == 302 and response.headers["Location"].endswith(_base(world))
    html = owner.get(_base(world)).get_data(as_text=True)
    assert "Nothing to download for Postmart: all 2 products are blocked." in html


def test_push_without_credentials_is_refused_cleanly(app, world, owner, monkeypatch):
    monkeypatch.setattr(vendor_views.push, "push_products", lambda *a, **k: pytest.fail("must not push"))
    response = owner.post(f"{_base(world)}/tiki/push", data={"product_id": str(world["ready"])})
    assert response.status_code == 302
    assert "Save this booth&#39;s Tiki API credentials first." in owner.get(_base(world)).get_data(as_text=True)
    assert owner.post(f"{_base(world)}/voso/push").status_code == 404  # no API


def test_push_sends_the_ready_products_and_flashes_each_result(app, world, owner, monkeypatch):
    _save_credentials(app, world)
    calls = []

    def stub(vendor, marketplace, product_ids, user):
        calls.append((vendor.id, marketplace, list(product_ids), user.email))
        return [PushResult(product_ids[0], "Kẹo dừa sẵn sàng", True, "submitted", "Sent: waiting for Tiki's review."),
                PushResult(world["foreign"], "", False, None, "Not a product of this booth.")]

    monkeypatch.setattr(vendor_views.push, "push_products", stub)
    html = owner.get(_base(world)).get_data(as_text=True)
    assert f"{_base(world)}/tiki/push" in html and f'name="product_id" value="{world["ready"]}" form="push-tiki"' in html
    assert f'value="{world["small"]}" form="push-tiki"' not in html  # blocked: no tick box
    assert owner.post(f"{_base(world)}/tiki/push").status_code == 302  # none ticked: every ready one
    assert calls == [(world["vendor_id"], "tiki", [world["ready"]], "owner@example.vn")]
    html = owner.get(_base(world)).get_data(as_text=True)
    assert "Tiki: 1 sent, 1 not sent." in html
    assert "“Kẹo dừa sẵn sàng”: Sent: waiting for Tiki&#39;s review." in html and "Not a product of this booth." in html
    owner.post(f"{_base(world)}/tiki/push", data={"product_id": [str(world["small"]), "junk", "-3"]})
    assert calls[-1][2] == [world["small"]]


def test_a_marketplace_failure_during_a_push_is_a_message_not_an_error(app, world, owner, monkeypatch):
    _save_credentials(app, world, "sendo")

    def down(*_args, **_kw):
        raise Unavailable()

    monkeypatch.setattr(vendor_views.push, "push_products", down)
    monkeypatch.setattr(vendor_views.push, "refresh_submissions", down)
    assert owner.post(f"{_base(world)}/sendo/push").status_code == 302
    assert "could not be reached" in owner.get(_base(world)).get_data(as_text=True)
    assert owner.post(f"{_base(world)}/sendo/refresh").status_code == 404  # Sendo's review is not polled


def test_refresh_polls_tiki_once_credentials_exist(app, world, owner, monkeypatch):
    assert owner.post(f"{_base(world)}/tiki/refresh").status_code == 302
    assert "API credentials first" in owner.get(_base(world)).get_data(as_text=True)
    _save_credentials(app, world)
    monkeypatch.setattr(vendor_views.push, "refresh_submissions", lambda vendor, marketplace: [
        PushResult(world["ready"], "Kẹo dừa sẵn sàng", True, "listed", "Approved by Tiki: now listed there.")])
    assert owner.post(f"{_base(world)}/tiki/refresh").status_code == 302
    html = owner.get(_base(world)).get_data(as_text=True)
    assert "Tiki: 1 products checked." in html and "Approved by Tiki" in html


def test_credentials_are_saved_and_never_shown_back(app, world, owner):
    url = f"{_base(world)}/tiki/account"
    assert "Client secret" in owner.get(url).get_data(as_text=True)
    response = owner.post(url, data={"key": "client-id-1", "secret": SECRET})
    assert response.status_code == 302
    with app.app_context():
        account = db.session.scalar(sa.select(MarketplaceAccount))
        assert SECRET.encode() not in account.credentials
    page = owner.get(url).get_data(as_text=True)
    assert "Credentials saved on" in page and SECRET not in page and "client-id-1" not in page
    grid = owner.get(_base(world)).get_data(as_text=True)
    assert SECRET not in grid and f"{_base(world)}/tiki/push" in grid
    assert owner.post(f"{url}/delete").status_code == 302
    with app.app_context():
        assert accounts.configured(world["vendor_id"]) == set()


@pytest.mark.parametrize("data, field_kept", [({"key": "", "secret": SECRET}, None),
                                              ({"key": "shop-key-9", "secret": ""}, "shop-key-9"),
                                              ({"key": "x" * 201, "secret": SECRET}, None)])
def test_a_bad_credentials_form_answers_400_and_never_echoes_the_secret(app, world, owner, data, field_kept):
    response = owner.post(f"{_base(world)}/sendo/account", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and SECRET not in html
    assert "Please fill this in." in html or "at most 200" in html
    if field_kept:
        assert f'value="{field_kept}"' in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MarketplaceAccount)) == 0


def test_marking_a_product_listed_then_delisted(app, world, owner):
    url = f"{_base(world)}/sendo/{world['ready']}/listing"
    assert owner.get(url).status_code == 200
    bad = owner.post(url, data={"url": "https://evil.example/<b>x</b>", "external_id": "S-1"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "must be a page on sendo.vn" in html
    assert 'value="https://evil.example/&lt;b&gt;x&lt;/b&gt;"' in html and 'value="S-1"' in html
    assert owner.post(url, data={"url": "https://www.sendo.vn/keo-dua-123.html", "external_id": "S-1"}).status_code == 302
    grid = owner.get(_base(world)).get_data(as_text=True)
    assert "is marked as listed on Sendo" in grid and 'href="https://www.sendo.vn/keo-dua-123.html"' in grid
    assert owner.post(url, data={"action": "delist"}).status_code == 302
    with app.app_context():
        listing = db.session.scalar(sa.select(Listing).where(Listing.product_id == world["ready"]))
        assert (listing.marketplace, listing.status, listing.external_id) == ("sendo", "delisted", "S-1")


def test_delisting_a_product_never_listed_is_refused_with_a_message(app, world, owner):
    response = owner.post(f"{_base(world)}/voso/{world['small']}/listing", data={"action": "delist"})
    assert response.status_code == 400 and "nothing to delist" in response.get_data(as_text=True)


def test_forms_need_the_pages_csrf_token(app, world, csrf_app, monkeypatch):
    """With CSRF protection on (as in production) a forged token changes nothing; the page's own works."""
    client = signed_in_client(csrf_app, world["owner"])
    client.set_cookie("lang", "en")
    monkeypatch.setattr(vendor_views.push, "push_products", lambda *a, **k: pytest.fail("must not push"))
    account, listing = f"{_base(world)}/tiki/account", f"{_base(world)}/sendo/{world['ready']}/listing"
    for url, data in ((account, {"key": "k", "secret": SECRET}), (listing, {"url": "https://sendo.vn/x"}),
                      (f"{_base(world)}/tiki/push", {}), (f"{account}/delete", {})):
        forged = client.post(url, data={**data, "csrf_token": "forged"})
        html = forged.get_data(as_text=True)
        assert forged.status_code == 400 and "This form has expired" in html and SECRET not in html
    with app.app_context():
        assert accounts.configured(world["vendor_id"]) == set()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Listing)) == 0
    page = client.get(account).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    assert client.post(account, data={"key": "k", "secret": SECRET, "csrf_token": token}).status_code == 302
    assert 'name="csrf_token"' in client.get(_base(world)).get_data(as_text=True)  # the push and refresh forms
