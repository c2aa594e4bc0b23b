"""The Whoosh backend's in-memory search (whoosh_tables, whoosh_view, whoosh_ranking, whoosh_suggest) over
an index written straight from documents, without a database: best-first ranking returns exactly what
scoring every match returns, sorts and facets agree with counting by hand, later commits (new segments,
deletions) are searched as one index while the first segment's table is kept, and an index of an older
schema is not used."""
import json
import random
from collections import Counter

import pytest

from catalog.demo import words
from catalog.filters import CatalogFilter
from catalog.search import bitsets, whoosh_ranking, whoosh_tables
from catalog.search.analysis import folded_words
from catalog.search.base import FACETS
from catalog.search.whoosh_contexts import together
from catalog.search.documents import star_rank
from catalog.search.query import parse_query
from catalog.search.whoosh_backend import SORT_KEYS, WhooshBackend
from catalog.search.whoosh_tables import CONTEXT, NAME
from storefront.text import fold

PROVINCES = ("vinh-long", "dong-thap", "ha-noi")
QUERIES = ["dừa", "dua", "kẹo dừa", "keo dua", "mật hoa dừa", "bánh tét", "trà", "Hòa Minh", "hop tac xa",
           "hợp tác xã dừa", "chuoi say", "truyen thong", "truyền thốn", "nguyen chat", "Phú An hũ", "xyz"]


def make_docs(ids, seed=7):
    """Synthetic documents as catalog.search.documents makes them, from the demo's words."""
    rng = random.Random(seed)
    docs = []
    for i in ids:
        group = rng.choice(words.GROUP_CODES)
        name = " ".join(x for x in (rng.choice(words.PRODUCT_WORDS[group]), rng.choice(words.MODIFIERS[group]),
                                    rng.choice(words.PLACES), rng.choice(("", "hũ", "hộp quà"))) if x)
        booth = f"{rng.choice(list(words.ENTITY_NAMES.values()))} {rng.choice(words.TRADES)} {rng.choice(words.PLACES)}"
        star = rng.choice(["", "3", "4", "5", "p5"])
        docs.append({
            "id": i, "slug": f"p-{i}", "name": name, "product_set": "", "group": group,
            "context": " · ".join([booth, f"Xã {rng.choice(words.PLACES)}", rng.choice(("Vĩnh Long", "Bến Tre")),
                                   "Thực phẩm" if group == "thuc_pham" else "Đồ uống"]),
            "description": f"{name} của {booth}. {rng.choice(words.BLURBS)} {rng.choice(words.BLURBS)}",
            "star": star, "star_rank": star_rank(star), "province": rng.choice(PROVINCES),
            "entity_type": rng.choice(("hop_tac_xa", "cong_ty")), "vendor_id": i % 9, "in_stock": rng.random() < 0.8,
            "price": rng.randrange(10_000, 500_000, 1000), "created": rng.randrange(10**9),
        })
    return docs


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    """An index of 700 documents in one segment, then two more commits: 40 renamed, 30 removed, 60 added."""
    backend = WhooshBackend(tmp_path_factory.mktemp("engine"))
    docs = {d["id"]: d for d in make_docs(range(1, 701))}
    with backend.lock(blocking=True):
        backend.rebuild([list(docs.values())], [], {})
        backend._view()  # the first segment's table, to be kept by later generations
        first = dict(backend._tables)
        renamed = [{**d, "name": d["name"] + " đặc biệt"} for d in make_docs(range(1, 41), seed=8)]
        backend.apply(renamed, list(range(100, 130)))
        added = make_docs(range(701, 761), seed=9)
        backend.apply(added, [])
    docs.update({d["id"]: d for d in renamed + added})
    for i in range(100, 130):
        del docs[i]
    backend.docs, backend.first_tables = docs, first
    return backend


FILTERS = [CatalogFilter(), CatalogFilter(groups=["thuc_pham"]), CatalogFilter(in_stock=True, province="ha-noi"),
           CatalogFilter(price_min=50_000, price_max=200_000), CatalogFilter(stars=["4", "p5"], vendor_id=3)]


def by_hand(view, docs_of_view, f):
    """The document numbers of the view that filter `f` lets through, from the documents themselves."""
    keep = []
    for doc in bitsets.members(view.live):
        d = docs_of_view[doc]
        if ((not f.groups or d["group"] in f.groups) and (not f.stars or d["star"] in f.stars)
                and (not f.province or d["province"] == f.province) and (not f.in_stock or d["in_stock"])
                and (f.vendor_id is None or d["vendor_id"] == f.vendor_id)
                and (f.price_min is None or d["price"] >= f.price_min)
                and (f.price_max is None or d["price"] <= f.price_max)):
            keep.append(doc)
    return bitsets.from_docs(keep)


@pytest.fixture(scope="module")
def view(backend):
    view, readers = backend._view()
    docs_of_view = {doc: backend.docs[pid] for doc, pid in zip(bitsets.members(view.live),
                                                               view.product_ids(bitsets.members(view.live)))}
    return view, readers, docs_of_view


def test_the_generations_search_every_segment_and_keep_the_first_table(backend, view):
    view, _readers, docs_of_view = view
    assert len(view.parts) > 1
    assert view.count == len(backend.docs) == 730
    assert {d["id"] for d in docs_of_view.values()} == set(backend.docs)
    assert [t for t in backend._tables.values() if t in backend.first_tables.values()]
    renamed = {d["id"] for d in docs_of_view.values() if d["name"].endswith("đặc biệt")}
    assert set(range(1, 41)) <= renamed


@pytest.mark.parametrize("text", QUERIES)
def test_best_first_ranking_is_scoring_every_match(backend, view, text):
    view, readers, _docs = view
    plan = whoosh_ranking.Plan(view, readers, parse_query(text))
    undecided = whoosh_ranking.Node(0, (whoosh_ranking.UNDECIDED,) * len(plan.alts),
                                    (whoosh_ranking.UNDECIDED,) * len(plan.phrases))
    for f in FILTERS:
        allowed = plan.matches
        for bits in view.filters(f).values():
            allowed &= bits
        everything = sorted(bitsets.members(allowed), key=lambda d: (-plan.doc_score(undecided, d), d))
        for count in (1, 3, 24, len(everything) + 1):
            assert whoosh_ranking.top(plan, allowed, count) == everything[:count], (text, f, count)


@pytest.mark.parametrize("f", FILTERS, ids=range(len(FILTERS)))
def test_filters_facets_and_sorts_agree_with_counting_by_hand(backend, view, f):
    view, readers, docs_of_view = view
    plan = whoosh_ranking.Plan(view, readers, parse_query("dua"))
    sets = view.filters(f)
    allowed = plan.matches
    for bits in sets.values():
        allowed &= bits
    assert allowed == plan.matches & by_hand(view, docs_of_view, f)
    facets = view.facet_counts(plan.matches, sets)
    for dim in FACETS:
        key = {"group": "groups", "star": "stars"}[dim] if dim in ("group", "star") else dim
        without = CatalogFilter(**{**vars(f), key: [] if key.endswith("s") else None})
        others = by_hand(view, docs_of_view, without)
        expected = Counter(docs_of_view[d][dim] for d in bitsets.members(plan.matches & others))
        assert facets[dim] == {v: n for v, n in expected.items() if v}, dim
    for sort, keys in SORT_KEYS.items():
        expected = sorted(bitsets.members(allowed), key=lambda d: (
            tuple(-docs_of_view[d][c] if desc else docs_of_view[d][c] for c, desc in keys), d))
        assert view.sorted_page(allowed, keys, 30) == expected[:30], sort


def test_search_pages_count_and_skip_deleted_products(backend):
    hits = backend.search(parse_query("dua"), CatalogFilter(sort="relevance", per_page=1000))
    assert len(hits.ids) == hits.total > 0
    assert not set(hits.ids) & set(range(100, 130))
    assert all("dua" in fold(backend.docs[i]["name"] + backend.docs[i]["context"] + backend.docs[i]["description"])
               for i in hits.ids)
    second = backend.search(parse_query("dua"), CatalogFilter(sort="relevance", per_page=7, page=2))
    assert second.ids == hits.ids[7:14]
    assert backend.count(parse_query("dua"), CatalogFilter()) == hits.total


def test_suggestions_start_with_the_typed_words_shortest_first_each_name_once(backend):
    found = backend.suggest(("keo",), "d", limit=8)
    names = [fold(s.text) for s in found]
    assert 0 < len(found) <= 8 and len(set(names)) == len(names)
    starting = [n for n in names if n.startswith("keo d")]
    assert names[:len(starting)] == starting
    assert [len(n) for n in starting] == sorted(len(n) for n in starting)
    live = {fold(d["name"]) for d in backend.docs.values()}
    assert set(names) <= live


def test_an_index_of_an_older_schema_is_not_used(tmp_path):
    backend = WhooshBackend(tmp_path)
    with backend.lock(blocking=True):
        backend.rebuild([make_docs(range(1, 5))], [], {"stars_as_of": "2026-01-01"})
    assert backend.is_ready()
    pointer = json.loads((tmp_path / "current.json").read_text())
    (tmp_path / "current.json").write_text(json.dumps({**pointer, "schema": 1}))
    other = WhooshBackend(tmp_path)  # a worker starting after an upgrade
    assert not other.is_ready()
    with other.lock(blocking=True):
        other.rebuild([make_docs(range(1, 5))], [], {"stars_as_of": "2026-01-01"})
    assert other.is_ready() and other.get_meta("stars_as_of") == "2026-01-01"


@pytest.mark.parametrize("docs", [[], [0], [5, 9, 63, 64, 200], list(range(3, 300, 7)), range(10, 20)])
def test_bitsets_hold_exactly_their_documents(docs):
    bits = bitsets.from_docs(docs)
    assert bitsets.members(bits) == list(docs)
    assert bitsets.members(bits, limit=2) == list(docs)[:2]
    assert bitsets.members(bits, start=64) == [d for d in docs if d >= 64]
    moved = bitsets.shifted([(bits, 10), (bitsets.from_docs([1]), 0)])
    assert moved == bitsets.from_docs(sorted({1, *(d + 10 for d in docs)}))


def test_a_worker_loads_the_table_a_rebuild_saved_or_builds_it_when_damaged(tmp_path, monkeypatch):
    backend = WhooshBackend(tmp_path)
    with backend.lock(blocking=True):
        backend.rebuild([make_docs(range(1, 200))], [], {})
    expected = backend.search(parse_query("keo dua"), CatalogFilter(sort="relevance")).ids
    saved = list(tmp_path.glob("ix-*/products-*.table"))
    assert len(saved) == 1

    def no_building(self, reader):
        raise AssertionError("the saved table was not used")

    with monkeypatch.context() as patched:
        patched.setattr(whoosh_tables.SegmentTable, "__init__", no_building)
        assert WhooshBackend(tmp_path).search(parse_query("keo dua"), CatalogFilter(sort="relevance")).ids == expected
    saved[0].write_bytes(b"\x80\x05 damaged")
    assert WhooshBackend(tmp_path).search(parse_query("keo dua"), CatalogFilter(sort="relevance")).ids == expected


def test_sorts_break_ties_as_the_catalogue_does_newest_product_first(tmp_path):
    backend = WhooshBackend(tmp_path)
    docs = [{**d, "created": 5, "price": 1000, "star": "4", "star_rank": star_rank("4")} for d in make_docs(range(1, 9))]
    with backend.lock(blocking=True):
        backend.rebuild([docs], [], {})
        backend.apply([{**docs[2], "name": "renamed"}], [])  # product 3 moves to a later segment
    for sort in SORT_KEYS:
        assert backend.search(parse_query(""), CatalogFilter(sort=sort)).ids == list(range(8, 0, -1)), sort


@pytest.mark.parametrize("words", [("hop", "tac", "xa"), ("tac", "xa", "dua"), ("keo", "dua"), ("vinh", "long"),
                                   ("mat", "hoa", "dua"), ("long", "ben", "tre"), ("dua", "keo")])
def test_phrases_are_the_words_together_in_order(view, words):
    view, readers, docs_of_view = view
    for field in (NAME, CONTEXT):
        expected = [d for d in bitsets.members(view.live) if together(folded_words(docs_of_view[d][field]), words)]
        assert bitsets.members(view.phrase_bits(field, words, readers)) == expected, field
