"""Fixtures for the push tests: the Tiki/Sendo stand-in on 127.0.0.1 (one per run), a transport that records
its waits instead of sleeping, a booth with credentials and ready products, and a guard that refuses any
network connection beyond the loopback."""
import socket

import pytest
import sqlalchemy as sa

from catalog.listings.models import CategoryMapping
from catalog.marketplaces import accounts
from catalog.marketplaces.http import Transport
from storefront.extensions import db
from storefront.models import User
from tests.catalog.marketplaces.standin import SENDO_SHOPS, TIKI_CLIENTS, StandInServer
from tests.factories import make_product, make_vendor

LOOPBACK = ("127.0.0.1", "::1", "localhost")
TIKI_ID, TIKI_SECRET = next(iter(TIKI_CLIENTS.items()))
SENDO_KEY, SENDO_SECRET = next(iter(SENDO_SHOPS.items()))
DESCRIPTION = "<p>" + "Kẹo dừa Bến Tre nấu từ nước cốt dừa tươi và mạch nha, không chất bảo quản. " * 3 + "</p>"


@pytest.fixture(autouse=True)
def outside_network(monkeypatch):
    """Every host name or address other than the loopback is refused; the list says what was tried."""
    tried = []
    resolve, connect = socket.getaddrinfo, socket.socket.connect

    def guarded_resolve(host, *args, **kwargs):
        if host not in LOOPBACK and not (isinstance(host, bytes) and host.decode() in LOOPBACK):
            tried.append(host)
            raise socket.gaierror(socket.EAI_NONAME, f"tests may not reach {host}")
        return resolve(host, *args, **kwargs)

    def guarded_connect(sock, address):
        if isinstance(address, tuple) and address[0] not in LOOPBACK:
            tried.append(address[0])
            raise ConnectionRefusedError(f"tests may not reach {address[0]}")
        return connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_resolve)
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    return tried


@pytest.fixture(scope="session")
def standin_server():
    server = StandInServer()
    yield server
    server.close()


@pytest.fixture
def standin(app, standin_server, monkeypatch):
    """The stand-in emptied for this test, with the app's TIKI_API_BASE and SENDO_API_BASE pointing at it."""
    standin_server.app.reset()
    monkeypatch.setitem(app.config, "TIKI_API_BASE", standin_server.url + "/tiki")
    monkeypatch.setitem(app.config, "SENDO_API_BASE", standin_server.url + "/sendo")
    return standin_server.app


@pytest.fixture
def transport():
    """A Transport whose waits are recorded in `.waits` (no jitter, nothing slept)."""
    waits = []
    recorder = Transport(timeout=5, attempts=4, backoff=0.5, max_wait=30, sleep=waits.append, jitter=lambda: 0.0)
    recorder.waits = waits
    yield recorder
    recorder.close()


def map_categories():
    """The seeded Tiki and Sendo categories of the food group (the test cleanup empties every table)."""
    for marketplace, category in (("tiki", "8322"), ("sendo", "2481")):
        exists = db.session.scalar(sa.select(CategoryMapping.id).where(
            CategoryMapping.marketplace == marketplace, CategoryMapping.group == "thuc_pham",
            CategoryMapping.product_set == ""))
        if exists is None:
            db.session.add(CategoryMapping(marketplace=marketplace, group="thuc_pham", product_set="",
                                           category=category))
    db.session.commit()


def ready_product(vendor, name=None, **kw):
    """A food product that Tiki and Sendo both accept: certificate, picture, weight, size, shelf life."""
    values = dict(price_vnd=45_000, list_price_vnd=50_000, stock=20, star=4, image=True, weight_g=350,
                  length_cm=12, width_cm=8, height_cm=4, shelf_life_days=180, unit="hộp",
                  description=DESCRIPTION)
    values.update(kw)
    return make_product(vendor, name, **values)


@pytest.fixture
def world(ctx, standin):
    """A booth with Tiki and Sendo credentials, its owner-side user, three ready products; another booth."""
    map_categories()
    user = User(email="chu-gian-hang@example.vn", name="Chủ gian hàng")
    db.session.add(user)
    vendor = make_vendor("HTX Kẹo Dừa Thử")
    products = [ready_product(vendor, f"Kẹo dừa sầu riêng {n}", sku=f"KD-{n}") for n in (1, 2, 3)]
    other = make_vendor("HTX Khác")
    foreign = ready_product(other, "Mắm cá linh", sku="KD-1")
    accounts.save_credentials(vendor, "tiki", TIKI_ID, TIKI_SECRET, user)
    accounts.save_credentials(vendor, "sendo", SENDO_KEY, SENDO_SECRET, user)
    return type("World", (), {"vendor": vendor, "user": user, "products": products, "other": other,
                              "foreign": foreign, "ids": [p.id for p in products]})
