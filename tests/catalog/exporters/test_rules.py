"""Every readiness rule of every exporter, on pure ListingItems (no database), and every blocker as a sentence."""
import pytest
from flask_babel import force_locale

from catalog.exporters import EXPORTERS, rules
from catalog.exporters.base import Blocker, Picture
from catalog.exporters.messages import describe, label
from tests.catalog.exporters.catalogue import item

ALL = ("tiki", "sendo", "voso", "postmart")
FOOD_RULES = ("tiki", "voso", "postmart")  # certificate and shelf life for food
PRICE_RULE = ("tiki", "voso", "postmart")


def pic(width, height):
    return Picture(f"https://cho-ocop.test/media/img/{width}x{height}/800.webp", width, height)


# (what it proves, field overrides, {exporter: expected codes}); exporters not named expect no blocker.
CASES = [
    ("ready", {}, {}),
    ("tourism services block alone", dict(is_service=True, group="du_lich", weight_g=None, is_food=False),
     {k: ["service"] for k in ALL}),
    ("no weight", dict(weight_g=None), {k: ["no_weight"] for k in ALL}),
    ("zero weight", dict(weight_g=0), {k: ["no_weight"] for k in ALL}),
    ("a missing dimension", dict(height_cm=None), {k: ["no_dimensions"] for k in ALL}),
    ("no picture", dict(pictures=()), {k: ["no_picture"] for k in ALL}),
    ("one picture too small", dict(pictures=(pic(800, 800), pic(400, 300))), {k: ["picture_small"] for k in ALL}),
    ("too narrow", dict(pictures=(pic(499, 800),)), {k: ["picture_small"] for k in ALL}),
    ("500×500 is enough", dict(pictures=(pic(500, 500),)), {}),
    ("description of 99 characters", dict(description_text="x" * 99), {"sendo": ["description_short"]}),
    ("description of 100 characters", dict(description_text="x" * 100), {}),
    ("description HTML over 100,000", dict(description_html="<p>" + "x" * 100_000 + "</p>"),
     {"sendo": ["description_long"]}),
    ("name of 2 characters", dict(name="Ab"), {k: ["name_short"] for k in ("tiki", "voso", "postmart")}),
    ("name of 3 characters", dict(name="Trà"), {"voso": ["name_short"], "postmart": ["name_short"]}),
    ("name of 9 characters", dict(name="Kẹo dừa 1"), {"voso": ["name_short"], "postmart": ["name_short"]}),
    ("name of 10 characters", dict(name="Kẹo dừa 10"), {}),
    ("empty name", dict(name="  "), {k: ["name_short"] for k in ALL}),
    ("name of 255 characters", dict(name="K" * 255), {}),
    ("name of 256 characters", dict(name="K" * 256), {k: ["name_long"] for k in ALL}),
    ("no category", dict(category=None), {k: ["no_category"] for k in ALL}),
    ("a category path where an id is needed", dict(category="Thực phẩm > Đặc sản"),
     {k: ["no_category"] for k in ("tiki", "sendo", "postmart")}),
    ("food without a valid certificate", dict(ocop_star=None), {k: ["no_certificate"] for k in FOOD_RULES}),
    ("food without shelf life", dict(shelf_life_days=None), {k: ["no_shelf_life"] for k in FOOD_RULES}),
    ("handicrafts need neither", dict(is_food=False, group="thu_cong_my_nghe", ocop_star=None,
                                      shelf_life_days=None), {}),
    ("sale above list", dict(price_vnd=60_000), {k: ["price_rule"] for k in PRICE_RULE}),
    ("sale at 10 % of list", dict(price_vnd=5_000), {}),
    ("sale under 10 % of list", dict(price_vnd=4_999), {k: ["price_rule"] for k in PRICE_RULE}),
    ("out of stock is not a blocker", dict(stock=0), {}),
    ("several at once, in the exporter's order", dict(weight_g=None, pictures=(), ocop_star=None),
     {"tiki": ["no_picture", "no_certificate", "no_weight"], "sendo": ["no_weight", "no_picture"],
      "voso": ["no_picture", "no_weight", "no_certificate"], "postmart": ["no_picture", "no_weight", "no_certificate"]}),
]


@pytest.mark.parametrize("key", ALL)
@pytest.mark.parametrize("_what, overrides, expected", CASES, ids=[c[0] for c in CASES])
def test_each_exporter_blocks_exactly_what_its_marketplace_refuses(key, _what, overrides, expected):
    exporter = EXPORTERS[key]()
    assert [b.code for b in exporter.blockers(item(**overrides))] == expected.get(key, [])


def test_blockers_carry_the_numbers_their_sentence_needs_and_the_part_of_the_form_that_fixes_them():
    small = rules.pictures(item(pictures=(pic(800, 800), pic(400, 300))))
    assert (small.fix, small.detail) == ("pictures", {"width": 400, "height": 300, "minimum": 500})
    assert rules.name(item(name="K" * 300), 3, 255).detail == {"length": 300, "limit": 255}
    assert rules.description(item(description_text="x" * 40), 100).detail == {"length": 40, "minimum": 100}
    assert rules.price(item(price_vnd=60_000)).detail == {"price": 60_000, "list_price": 50_000}
    assert rules.category(item(category="Thực phẩm"), numeric=True).detail == {"invalid": "Thực phẩm"}
    fixes = {rules.weight(item(weight_g=None)).fix, rules.dimensions(item(width_cm=None)).fix,
             rules.certificate(item(ocop_star=None)).fix, rules.shelf_life(item(shelf_life_days=None)).fix,
             rules.category(item(category=None)).fix, rules.price(item(price_vnd=1)).fix}
    assert fixes == {"weight", "dimensions", "certificate", "shelf_life", "category", "price"}


SENTENCES = [
    (Blocker("picture_small", "pictures", {"width": 400, "height": 300, "minimum": 500}),
     "Ảnh nhỏ hơn 500×500 px (ảnh hiện có 400×300).", "A picture is smaller than 500×500 px (it is 400×300)."),
    (Blocker("price_rule", "price", {"price": 60_000, "list_price": 50_000}),
     "Giá bán (60.000\u00a0₫) cao hơn giá niêm yết (50.000\u00a0₫).",
     "The price (60.000\u00a0₫) is above the list price (50.000\u00a0₫)."),
    (Blocker("price_rule", "price", {"price": 1_000, "list_price": 50_000}),
     "Giá bán (1.000\u00a0₫) thấp hơn 10 % giá niêm yết (50.000\u00a0₫).",
     "The price (1.000\u00a0₫) is less than 10 % of the list price (50.000\u00a0₫)."),
    (Blocker("description_short", "description", {"length": 40, "minimum": 100}),
     "Mô tả quá ngắn: 40 ký tự, cần ít nhất 100.", "The description is too short: 40 characters, at least 100 needed."),
    (Blocker("name_long", "name", {"length": 300, "limit": 255}),
     "Tên quá dài: 300 ký tự, tối đa 255.", "The name is too long: 300 characters, at most 255."),
    (Blocker("no_category", "category", {"invalid": "Thực phẩm"}),
     "Danh mục ánh xạ cho nhóm này (“Thực phẩm”)", "The category mapped for this group (“Thực phẩm”)"),
]


@pytest.mark.parametrize("blocker, vi, en", SENTENCES, ids=[s[0].code for s in SENTENCES])
def test_a_blocker_reads_as_a_sentence_in_vietnamese_by_default_and_in_english(app, blocker, vi, en):
    with app.test_request_context():
        assert describe(blocker).startswith(vi.rstrip("."))
        with force_locale("en"):
            assert describe(blocker).startswith(en.rstrip("."))


def test_every_blocker_code_the_exporters_produce_has_its_own_sentence_and_label_in_both_languages(app):
    blockers = {}
    for overrides in [c[1] for c in CASES] + [dict(category="Thực phẩm")]:
        for key in ALL:
            for b in EXPORTERS[key]().blockers(item(**overrides)):
                blockers.setdefault((b.code, bool(b.detail.get("invalid"))), b)
    assert {code for code, _invalid in blockers} == {
        "service", "no_weight", "no_dimensions", "no_picture", "picture_small", "description_short",
        "description_long", "name_short", "name_long", "no_category", "no_certificate", "no_shelf_life", "price_rule"}
    with app.test_request_context():
        for b in blockers.values():
            vi, vi_label = describe(b), label(b.code)
            with force_locale("en"):
                en, en_label = describe(b), label(b.code)
            assert vi != en and vi_label != en_label and vi_label != b.code, b
            assert "%(" not in vi and "%(" not in en
