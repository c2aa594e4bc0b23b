"""Relevance over the fixed catalogue (catalogue.py), the same cases for every backend: tone marks, đ,
capitals, decomposed input, phrases, names before descriptions, typos, places, booths, OCOP labels, filters,
sorts, facets, "did you mean", and what must never be found."""
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import partial

import pytest

from storefront.text import fold
from tests.catalog.search import catalogue as fixed

VINH_LONG = {"thanh_long", "tra_cuon", "ngoc_bien", "con_phung"}
COOPERATIVES = {"thanh_long", "ngoc_bien", "meo_vac", "cong_bang", "tan_cuong", "sa_dec"}
COCONUT = ["Kẹo dừa sầu riêng", "Kẹo dừa lá dứa", "Kẹo dừa đậu phộng", "Dầu dừa nguyên chất", "Dầu dừa nguyên chất",
           "Rượu dừa Thanh Long", "Kẹo dừa Cồn Phụng"]
KEO_DUA = ["Kẹo dừa sầu riêng", "Kẹo dừa lá dứa", "Kẹo dừa đậu phộng", "Kẹo dừa Cồn Phụng"]
MELON = ["Dưa lưới ruột cam", "Dưa lưới Taki"]
BANH_TET = ["Bánh tét lá cẩm", "Bánh tét Trà Cuôn nhân chuối"]
DRINKS = ["Rượu dừa Thanh Long", "Rượu ngô men lá", "Rượu Bàu Đá"]


def nfd(text):
    return unicodedata.normalize("NFD", text)


@dataclass(frozen=True)
class Case:
    """What a search must find. Names may repeat (two booths sell "Dầu dừa nguyên chất")."""
    text: str
    top: tuple = ()  # the first results, in this order
    first: tuple = ()  # the first len(first) results, in any order
    only: tuple | None = None  # every result, in any order
    has: tuple = ()  # among the results
    lacks: tuple = ()  # not among the results
    booths: frozenset = frozenset()  # the results are exactly the visible products of these booths
    first_booths: frozenset = frozenset()  # the first results are exactly the visible products of these booths
    filters: dict = field(default_factory=dict)


def case(id, text, **expect):
    for key in ("top", "first", "only", "has", "lacks"):
        if key in expect:
            expect[key] = tuple(expect[key])
    for key in ("booths", "first_booths"):
        if key in expect:
            expect[key] = frozenset(expect[key])
    return pytest.param(Case(text, **expect), id=id)


CASES = [
    # Tone marks, đ, capitals, decomposed input
    case("tones-dừa-coconut-before-melon", "dừa", first=COCONUT, has=MELON + ["Mứt dứa Tân Phước"]),
    case("no-tones-dua-finds-coconut-melon-pineapple", "dua",
         only=COCONUT + MELON + ["Mứt dứa Tân Phước", "Đũa tre tự nhiên", "Hộp quà đặc sản miền Tây"]),
    case("tones-dưa-melon-first", "dưa", first=MELON, has=COCONUT),
    case("tones-dứa-pineapple-first", "dứa", first=["Kẹo dừa lá dứa", "Mứt dứa Tân Phước"]),
    case("đ-đũa-chopsticks-first", "đũa", top=["Đũa tre tự nhiên"]),
    case("capitals-DỪA", "DỪA", first=COCONUT),
    case("nfd-dừa", nfd("dừa"), first=COCONUT),
    case("kẹo-dừa-names-first", "kẹo dừa", first=KEO_DUA, has=["Hộp quà đặc sản miền Tây"],
         lacks=fixed.HIDDEN),
    case("keo-dua-without-tones", "keo dua", first=KEO_DUA),
    case("capitals-KẸO-DỪA", "KẸO DỪA", first=KEO_DUA),
    case("nfd-Kẹo-Dừa", nfd("Kẹo Dừa"), first=KEO_DUA),
    case("đ-Đặc-sản", "Đặc sản", top=["Hộp quà đặc sản miền Tây"], booths={"dac_san"}),
    case("đ-dac-san-without-tones", "dac san", top=["Hộp quà đặc sản miền Tây"], booths={"dac_san"}),
    case("đ-capitals-ĐẶC-SẢN", "ĐẶC SẢN", top=["Hộp quà đặc sản miền Tây"], booths={"dac_san"}),
    case("đ-nfd-Đặc-sản", nfd("Đặc sản"), top=["Hộp quà đặc sản miền Tây"], booths={"dac_san"}),
    case("nuoc-mam-without-tones", "nuoc mam", first=["Nước mắm nhĩ Phú Quốc", "Nước mắm cốt cá cơm 40 độ đạm"],
         booths={"thanh_ha"}),
    case("mật-ong", "Mật ong", first=["Mật ong bạc hà Mèo Vạc", "Mật ong rừng nguyên chất"], booths={"meo_vac"}),
    case("mat-ong-without-tones", "mat ong", first=["Mật ong bạc hà Mèo Vạc", "Mật ong rừng nguyên chất"]),
    # Phrases, names before descriptions
    case("phrase-bánh-tét-before-scattered", "bánh tét", first=BANH_TET,
         only=BANH_TET + ["Bánh phồng tôm quà Tết"]),
    case("phrase-banh-tet-without-tones", "banh tet", first=BANH_TET, only=BANH_TET + ["Bánh phồng tôm quà Tết"]),
    case("phrase-lá-cẩm", "lá cẩm", top=["Bánh tét lá cẩm"]),
    case("name-before-description-chuối", "chuối", top=["Bánh tét Trà Cuôn nhân chuối"],
         only=BANH_TET + ["Hộp quà đặc sản miền Tây"]),
    case("name-before-description-sầu-riêng", "sầu riêng",
         only=["Kẹo dừa sầu riêng", "Bánh pía sầu riêng trứng muối"]),
    case("description-only-khmer", "khmer", only=["Cốm dẹp Ba So", "Mắm bò hóc"]),
    # Typos: one edit on words of five letters or more
    case("typo-robustta", "robustta", top=["Cà phê Robusta rang xay"]),
    case("typo-arabika", "arabika", top=["Cà phê hạt Arabica"]),
    case("typo-bonsay", "bonsay", top=["Cây kiểng bonsai mai chiếu thủy"]),
    case("typo-sầu-riiêng", "sầu riiêng", only=["Kẹo dừa sầu riêng", "Bánh pía sầu riêng trứng muối"]),
    case("typo-nguyenn-finds-the-booth", "nguyenn",
         has=fixed.names_of("thuong") + ["Ca cao nguyên chất"]),
    case("typo-thuongg", "thuongg", booths={"thuong"}),
    case("typo-nguyenn-thi-thuongg", "nguyenn thi thuongg", booths={"thuong"}),
    case("typo-short-word-keoo-not-forgiven", "keoo", only=[]),
    # Places: commune, legacy district, province, provinces merged into it
    case("place-legacy-district-Cầu-Kè", "Cầu Kè", booths={"tra_cuon"}),
    case("place-legacy-district-cau-ke", "cau ke", booths={"tra_cuon"}),
    case("place-legacy-district-Trà-Cú", "Trà Cú", first_booths={"ngoc_bien"}),
    case("place-legacy-district-tra-cu", "tra cu", first_booths={"ngoc_bien"}),
    case("place-commune-Tam-Ngãi", "Tam Ngãi", booths={"tra_cuon"}),
    case("place-commune-Sa-Đéc", "Sa Đéc", top=["Hoa hồng Sa Đéc"], booths={"sa_dec"}),
    case("place-commune-Phú-Quốc", "Phú Quốc", booths={"thanh_ha"}),
    case("place-Mèo-Vạc", "Mèo Vạc", top=["Mật ong bạc hà Mèo Vạc"], booths={"meo_vac"}),
    case("place-province-Vĩnh-Long", "Vĩnh Long", booths=VINH_LONG),
    case("place-merged-Trà-Vinh", "Trà Vinh", booths=VINH_LONG),
    case("place-merged-Bến-Tre", "Bến Tre", booths=VINH_LONG),
    case("place-merged-ben-tre-without-tones", "ben tre", booths=VINH_LONG),
    case("place-merged-Hà-Giang-before-Thanh-Hà-An-Giang", "Hà Giang", first_booths={"meo_vac"}),
    case("place-merged-Sóc-Trăng", "Sóc Trăng", booths={"dac_san", "ong_cua"}),
    case("place-merged-Tiền-Giang", "Tiền Giang", first_booths={"thuong", "sa_dec"}),
    case("place-merged-Kiên-Giang", "Kiên Giang", booths={"thanh_ha"}),
    case("place-merged-Thừa-Thiên-Huế", "Thừa Thiên Huế", booths={"phong_dien"}),
    # Booth names
    case("booth-Thanh-Long", "Thanh Long", top=["Rượu dừa Thanh Long"], first_booths={"thanh_long"}),
    case("booth-Nguyễn-Thị-Thương", "Nguyễn Thị Thương", booths={"thuong"}),
    case("booth-nguyen-thi-thuong-without-tones", "nguyen thi thuong", booths={"thuong"}),
    case("booth-Công-Bằng", "Công Bằng", booths={"cong_bang"}),
    case("booth-suspended-Bà-Hai-never", "Bà Hai", only=[]),
    case("booth-pending-Mới-Mở-never", "Mới Mở", only=[]),
    # OCOP groups, product sets, entity types (Vietnamese and English labels)
    case("group-đồ-uống", "đồ uống", only=DRINKS),
    case("group-beverages", "beverages", only=DRINKS),
    case("group-thủ-công-mỹ-nghệ", "thủ công mỹ nghệ", booths={"phu_vinh"}),
    case("group-sinh-vật-cảnh", "sinh vật cảnh", booths={"sa_dec"}),
    case("set-gia-vị", "gia vị", booths={"thanh_ha"}),
    case("set-cà-phê-ca-cao", "cà phê, ca cao", booths={"cong_bang"}),
    case("set-bánh-kẹo-mứt", "bánh kẹo mứt", has=KEO_DUA + ["Mứt dứa Tân Phước", "Mè xửng Huế"]),
    case("entity-hợp-tác-xã", "hợp tác xã", first_booths=COOPERATIVES),
    case("entity-cooperative-also-finds-cooperative-groups", "cooperative", booths=COOPERATIVES | {"phu_vinh"}),
    case("entity-hộ-kinh-doanh", "hộ kinh doanh", booths={"tra_cuon", "thuong", "phong_dien"}),
    case("entity-doanh-nghiệp", "doanh nghiệp", booths={"con_phung", "ong_cua"}),
    case("entity-tổ-hợp-tác", "tổ hợp tác", booths={"phu_vinh"}),
    case("entity-công-ty", "công ty", booths={"thanh_ha", "dac_san", "bau_da"}),
    # Filters with a query
    case("filter-group", "dừa", only=["Rượu dừa Thanh Long"], filters={"groups": ["do_uong"]}),
    case("filter-star-4", "dua", only=["Kẹo dừa sầu riêng", "Dầu dừa nguyên chất"], filters={"stars": ["4"]}),
    case("filter-star-expired-certificate-does-not-count", "rượu", only=["Rượu ngô men lá", "Nem chợ Huyện"],
         filters={"stars": ["3"]}),
    case("filter-star-p5", "nước mắm", only=["Nước mắm nhĩ Phú Quốc"], filters={"stars": ["p5"]}),
    case("filter-star-5", "nước mắm", only=["Nước mắm cốt cá cơm 40 độ đạm"], filters={"stars": ["5"]}),
    case("filter-province", "kẹo", first=KEO_DUA,
         lacks=["Khay tre đựng bánh kẹo", "Hộp quà đặc sản miền Tây", "Mè xửng Huế", "Mứt dứa Tân Phước"],
         filters={"province": "vinh-long"}),
    case("filter-in-stock", "kẹo dừa", has=["Kẹo dừa sầu riêng"], lacks=["Kẹo dừa lá dứa"],
         filters={"in_stock": True}),
    case("filter-in-stock-melon", "dưa lưới", only=["Dưa lưới ruột cam"], filters={"in_stock": True}),
    case("filter-in-stock-services-always", "tour", only=["Tour sinh thái Cồn Phụng"], filters={"in_stock": True}),
    case("filter-price-max", "mật ong", only=["Mật ong rừng nguyên chất", "Rượu ngô men lá"],
         filters={"price_max": 300_000}),
    case("filter-price-range-inclusive", "kẹo dừa",
         only=["Kẹo dừa lá dứa", "Kẹo dừa đậu phộng", "Mứt dứa Tân Phước"],
         filters={"price_min": 50_000, "price_max": 55_000}),
    case("filter-vendor", "kẹo dừa", only=["Kẹo dừa Cồn Phụng"], filters={"vendor": "con_phung"}),
    case("filter-entity-type", "dừa", only=["Kẹo dừa Cồn Phụng", "Dầu dừa nguyên chất"],
         filters={"entity_type": "doanh_nghiep"}),
    case("filter-several-at-once", "bánh", top=["Bánh tét lá cẩm"], only=["Bánh tét lá cẩm", "Kẹo dừa sầu riêng"],
         filters={"groups": ["thuc_pham"], "stars": ["4"], "province": "vinh-long", "in_stock": True}),
]


def filters_of(catalogue, filters):
    _app, loaded = catalogue
    filters = dict(filters)
    if "vendor" in filters:
        filters["vendor_id"] = loaded.booths[filters.pop("vendor")]
    return filters


@pytest.mark.parametrize("c", CASES)
def test_search_finds_the_expected_products(catalogue, find, c):
    _app, loaded = catalogue
    result = find(c.text, **filters_of(catalogue, c.filters))
    found = [(p.name, loaded.booth_of(p.id)) for p in result.page.items]
    names = [name for name, _booth in found]
    assert result.page.total == len(found)
    assert not result.degraded
    if c.top:
        assert names[:len(c.top)] == list(c.top)
    if c.first:
        assert Counter(names[:len(c.first)]) == Counter(c.first)
    if c.only is not None:
        assert Counter(names) == Counter(c.only)
    assert not set(c.has) - set(names)
    assert not set(c.lacks) & set(names)
    if c.booths:
        assert {booth for _name, booth in found} == c.booths
        assert Counter(names) == Counter(loaded.names_of(*c.booths))
    if c.first_booths:
        expected = loaded.names_of(*c.first_booths)
        assert {booth for _name, booth in found[:len(expected)]} == c.first_booths
        assert Counter(names[:len(expected)]) == Counter(expected)


def test_the_relevance_table_has_at_least_40_cases():
    assert len(CASES) >= 40


def test_hidden_products_never_appear_whatever_is_searched(catalogue, names):
    """Unpublished, deleted, and of a pending or suspended booth: not for any word of their names."""
    words = {w for name in fixed.HIDDEN for w in name.split()} | set(fixed.HIDDEN)
    for text in sorted(words):
        assert not set(names(text)) & set(fixed.HIDDEN), text


STAR_RANK = {"5": 4, "p5": 3, "4": 2, "3": 1, "": 0}  # the catalogue's 'stars' order


@pytest.mark.parametrize("sort, key", [
    ("price_asc", lambda loaded, p: p.price_vnd),
    ("price_desc", lambda loaded, p: -p.price_vnd),
    ("stars", lambda loaded, p: -STAR_RANK[fixed.star_key(loaded.items[p.id])]),
], ids=["price_asc", "price_desc", "stars"])
def test_sorts_order_the_same_matches(catalogue, find, sort, key):
    _app, loaded = catalogue
    key = partial(key, loaded)
    ranked = find("dừa").page.items
    ordered = find("dừa", sort=sort).page.items
    assert sorted(p.id for p in ordered) == sorted(p.id for p in ranked)
    assert [key(p) for p in ordered] == sorted(key(p) for p in ranked)


def test_stars_sort_puts_an_expired_certificate_with_no_star(names):
    assert names("rượu", sort="stars")[0] == "Rượu Bàu Đá"
    assert names("rượu", sort="stars")[-1] == "Rượu dừa Thanh Long"  # 3★, but the certificate lapsed


def test_newest_sort_with_a_query(catalogue, find):
    items = find("kẹo dừa", sort="newest").page.items
    stamps = [(p.created_at, p.id) for p in items]
    assert stamps == sorted(stamps, reverse=True)


def expected_facets(loaded, matching, **filters):
    """Facet counts from the catalogue's own description: each facet under the other filters."""
    items = [loaded.items[i] for i in matching]
    checks = {
        "group": lambda it: not filters.get("groups") or it.group in filters["groups"],
        "star": lambda it: not filters.get("stars") or fixed.star_key(it) in filters["stars"],
        "province": lambda it: not filters.get("province") or fixed.BOOTHS[it.booth][2] == filters["province"],
        "entity_type": lambda it: True,
    }
    values = {"group": lambda it: it.group, "star": fixed.star_key,
              "province": lambda it: fixed.BOOTHS[it.booth][2], "entity_type": lambda it: fixed.BOOTHS[it.booth][1]}
    facets = {}
    for dim in checks:
        kept = [it for it in items if all(check(it) for other, check in checks.items() if other != dim)]
        facets[dim] = dict(Counter(v for v in map(values[dim], kept) if v))
    return facets


@pytest.mark.parametrize("filters", [
    {},
    {"province": "vinh-long"},
    {"groups": ["do_uong"]},
    {"stars": ["4"], "province": "vinh-long"},
], ids=["none", "province", "group", "star-and-province"])
def test_facet_counts_respect_the_other_filters(catalogue, find, filters):
    _app, loaded = catalogue
    matching = [p.id for p in find("dua").page.items]
    result = find("dua", **filters)
    assert result.facets == expected_facets(loaded, matching, **filters)
    for dim, counts in result.facets.items():  # choosing a value finds as many as its count said
        key = {"group": "groups", "star": "stars"}.get(dim, dim)
        for value, count in counts.items():
            chosen = {**filters, key: [value] if key in ("groups", "stars") else value}
            assert find("dua", **chosen).page.total == count, (dim, value)


def test_facets_show_the_provinces_a_province_filter_leaves_out(find):
    facets = find("dua", province="vinh-long").facets
    assert facets["province"] == {"vinh-long": 7, "dong-thap": 3, "ha-noi": 1, "can-tho": 1}
    assert facets["group"] == {"thuc_pham": 6, "do_uong": 1}


@pytest.mark.parametrize("typed, suggestion", [
    ("mật onh", "mật ong"),
    ("keo duaa", "kẹo dừa"),
    ("nuoc mamm", "nước mắm"),
    ("keoo", "kẹo"),
    ("banh tett", "bánh tét"),
], ids=["mat-onh", "keo-duaa", "nuoc-mamm", "keoo", "banh-tett"])
def test_did_you_mean_offers_a_search_that_finds_products(find, typed, suggestion):
    result = find(typed)
    assert result.page.total == 0
    assert result.suggestion == suggestion
    assert result.suggestion != fold(result.suggestion)  # spelled with its tone marks
    assert find(result.suggestion).page.total > 0


def test_no_did_you_mean_when_something_is_found(find):
    assert find("kẹo dừa").suggestion is None
