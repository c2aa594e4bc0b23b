"""Each exporter's output for the fixed catalogue (tests/catalog/exporters/catalogue.py) matches its golden file,
and so do the blockers of every product. After an intended change, regenerate with
`REGEN_GOLDEN=1 .venv/bin/pytest tests/catalog/exporters/test_golden.py` and review the diff."""
import io
import json
import os
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from catalog.exporters import EXPORTERS
from catalog.exporters.items import iter_items
from catalog.exporters.service import readiness_for
from tests.catalog.exporters.catalogue import build_catalogue

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("REGEN_GOLDEN") == "1"
TODAY = date(2026, 3, 1)  # Sendo's promotion starts on the export day


def exporter(key):
    return EXPORTERS[key](today=TODAY) if key == "sendo" else EXPORTERS[key]()


@pytest.fixture(scope="module")
def rendered(app):
    """{(key, format): bytes} of every exporter and format over the fixed catalogue (built once)."""
    files = {}
    with app.app_context():
        ids = build_catalogue()
        for key in EXPORTERS:
            ex = exporter(key)
            ready = [i for i in iter_items(key) if not ex.blockers(i)]
            for fmt in ex.formats:
                out = io.BytesIO()
                ex.render(iter(ready), out, fmt)
                files[(key, fmt)] = out.getvalue()
        readiness = readiness_for()
    slugs = {v: k for k, v in ids.items()}
    files[("readiness", "json")] = json.dumps(
        {slugs[pid]: {key: [b.code for b in blockers] for key, blockers in by_key.items()}
         for pid, by_key in readiness.items()}, ensure_ascii=False, indent=1).encode() + b"\n"
    return files


def xlsx_rows(data):
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def check(name, actual):
    path = GOLDEN / name
    if REGEN:
        path.write_bytes(actual)
    assert path.exists(), f"no golden file {path}: run with REGEN_GOLDEN=1"
    assert actual == path.read_bytes(), f"{name} differs from its golden file (REGEN_GOLDEN=1 to accept)"


@pytest.mark.parametrize("key, fmt", [("tiki", "jsonl"), ("sendo", "jsonl"), ("voso", "csv"), ("postmart", "csv"),
                                      ("readiness", "json")])
def test_text_output_matches_its_golden_file(rendered, key, fmt):
    check(f"{key}.{fmt}", rendered[(key, fmt)])


@pytest.mark.parametrize("key", ["voso", "postmart"])
def test_xlsx_output_reads_back_as_its_golden_rows(rendered, key):
    rows = xlsx_rows(rendered[(key, "xlsx")])
    check(f"{key}.xlsx.json", json.dumps(rows, ensure_ascii=False, indent=1).encode() + b"\n")


def test_the_golden_catalogue_exercises_readiness_both_ways(rendered):
    """The fixed catalogue is only useful if every exporter both exports and blocks something."""
    readiness = json.loads(rendered[("readiness", "json")])
    for key in EXPORTERS:
        assert any(not codes[key] for codes in readiness.values()), key
        assert any(codes[key] for codes in readiness.values()), key


def test_api_bodies_keep_the_marketplaces_documented_rules(rendered):
    """What marketplaces.md marks as hard rules holds whatever the golden files say."""
    tiki = [json.loads(line) for line in rendered[("tiki", "jsonl")].splitlines()]
    for body in tiki:
        assert isinstance(body["category_id"], int) and 3 <= len(body["name"]) <= 255
        assert isinstance(body["images"], list) and body["option_attributes"] == [] and len(body["variants"]) == 1
        variant = body["variants"][0]
        assert body["market_price"] * 0.1 <= variant["price"] <= body["market_price"]
        assert None not in variant.values()
    assert tiki[0]["attributes"]["require_expiry_date"] == 1 and tiki[0]["attributes"]["origin"] == "Việt Nam"
    assert tiki[1]["images"] == [] and "min_code" not in tiki[1]["variants"][0]
    sendo = {body["sku"]: body for body in map(json.loads, rendered[("sendo", "jsonl")].splitlines())}
    assert all(body["id"] == 0 and isinstance(body["cat_4_id"], int) and body["weight"] > 0 for body in sendo.values())
    assert (sendo["nuoc-mam-ca-linh"]["stock_quantity"], sendo["nuoc-mam-ca-linh"]["stock_availability"]) == (0, False)
    assert sendo["nuoc-mam-ca-linh"]["unit_id"] == 7 and "special_price" not in sendo["nuoc-mam-ca-linh"]
    assert (sendo["KD-01"]["price"], sendo["KD-01"]["special_price"]) == (50_000, 45_000)
    assert sendo["KD-01"]["avatar"]["picture_url"] == sendo["KD-01"]["pictures"][0]["picture_url"]
