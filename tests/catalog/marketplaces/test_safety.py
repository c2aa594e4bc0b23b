"""What must never happen: secrets or tokens in the logs, requests leaving the machine, payloads the
marketplaces' documented schema refuses."""
import logging
from base64 import b64encode
from dataclasses import replace

import pytest

from catalog.exporters.base import ListingItem, Picture
from catalog.exporters.sendo import SendoExporter
from catalog.exporters.tiki import TikiExporter
from catalog.marketplaces.push import push_products, refresh_submissions
from tests.catalog.marketplaces.conftest import SENDO_SECRET, TIKI_ID, TIKI_SECRET
from tests.catalog.marketplaces.standin import sendo_problems, tiki_problems


def test_nothing_secret_is_logged_even_at_debug(world, standin, transport, caplog):
    standin.fail_next(1, 429, retry_after=1, path="/tiki/integration")
    standin.refuse("KD-3", "Ảnh mờ")
    with caplog.at_level(logging.DEBUG):
        push_products(world.vendor, "tiki", world.ids[:2], world.user, transport=transport)
        standin.expire_tokens()
        results = push_products(world.vendor, "tiki", world.ids[2:], world.user, transport=transport)
        results += push_products(world.vendor, "sendo", world.ids, world.user, transport=transport)
        results += refresh_submissions(world.vendor, "tiki", transport=transport)

    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "POST /tiki/integration/v2.1/requests" in logged  # the debug logs were captured
    basic = b64encode(f"{TIKI_ID}:{TIKI_SECRET}".encode()).decode()
    tokens = list(standin.tokens)
    assert len(tokens) == 3
    for secret in (TIKI_SECRET, SENDO_SECRET, basic, *tokens):
        assert secret not in logged
        assert not any(secret in r.message for r in results)


def test_no_request_leaves_the_loopback(world, outside_network, app, monkeypatch, transport):
    monkeypatch.setitem(app.config, "TIKI_API_BASE", "https://api.tiki.vn")

    (result,) = push_products(world.vendor, "tiki", world.ids[:1], world.user, transport=transport)

    assert not result.ok
    assert outside_network and set(outside_network) == {"api.tiki.vn"}  # refused by the guard every time


def item(**changes):
    values = dict(
        product_id=1, slug="keo-dua", url="https://cho-ocop.test/products/keo-dua/", sku="KD-1", gtin=None,
        name="Kẹo dừa sầu riêng", description_html="<p>" + "Kẹo dừa " * 20 + "</p>",
        description_text="Kẹo dừa " * 20, price_vnd=45_000, list_price_vnd=50_000, stock=0, unit="hộp",
        weight_g=350, length_cm=12.0, width_cm=8.0, height_cm=4.5, shelf_life_days=180, group="thuc_pham",
        product_set=None, is_food=True, is_service=False, booth_name="HTX", booth_slug="htx", brand="HTX",
        origin_province="Vĩnh Long", pickup_address="Vĩnh Long", ocop_star=4, ocop_decision_no="1/QĐ",
        certificate_url=None, pictures=(Picture("https://cho-ocop.test/media/a.webp", 800, 800),),
        category="8322")
    values.update(changes)
    return ListingItem(**values)


def test_the_exporters_payloads_pass_the_documented_schema():
    assert tiki_problems(TikiExporter().payload(item())) == []
    assert sendo_problems(SendoExporter().payload(item(category="2481"))) == []
    assert SendoExporter().payload(item(category="2481"))["stock_availability"] is False


@pytest.mark.parametrize("change, problem", [
    ({"images": None}, "images"),
    ({"option_attributes": ["color"]}, "option_attributes"),
    ({"category_id": "8322"}, "category_id"),
    ({"name": "Kẹ"}, "name"),
    ({"attributes": {"require_expiry_date": 1}}, "origin"),
    ({"variants": []}, "exactly one variant"),
    ({"market_price": 40_000}, "above market_price"),
    ({"market_price": 500_000}, "10%"),
])
def test_the_tiki_stand_in_refuses_what_tiki_refuses(change, problem):
    body = {**TikiExporter().payload(item()), **change}
    assert any(problem in p for p in tiki_problems(body))


@pytest.mark.parametrize("change, problem", [
    ({"id": 5}, "id must be 0"),
    ({"weight": 0.35}, "weight"),
    ({"stock_availability": True}, "stock_availability"),
    ({"description": "<p>ngắn</p>"}, "description"),
    ({"cat_4_id": None}, "cat_4_id"),
    ({"avatar": "https://x/a.webp"}, "avatar"),
    ({"special_price": 60_000}, "special_price"),
])
def test_the_sendo_stand_in_refuses_what_sendo_refuses(change, problem):
    body = {**SendoExporter().payload(item(category="2481")), **change}
    assert any(problem in p for p in sendo_problems(body))


def test_a_non_food_category_needs_no_food_attributes():
    body = TikiExporter().payload(replace(item(), is_food=False, category="1883"))
    body["attributes"].pop("origin", None)
    assert tiki_problems(body) == []
