"""The 34 provinces of the 2025 two-level structure, shipped as data (storefront/data/provinces.json)."""
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from storefront.text import fold, slugify

DATA = Path(__file__).parent / "data" / "provinces.json"


@dataclass(frozen=True)
class Province:
    code: str
    slug: str
    name: str
    full_name: str
    merged_from: tuple


@cache
def provinces():
    rows = json.loads(DATA.read_text(encoding="utf-8"))["provinces"]
    return tuple(
        Province(r["code"], r["slug"], r["name"], r["full_name"], tuple(r["merged_from"])) for r in rows
    )


@cache
def _by_slug():
    return {p.slug: p for p in provinces()}


def province_by_slug(slug):
    return _by_slug().get(slug)


def find_province(text):
    """Current province for a name as people write it ('Vĩnh Long', 'tỉnh vinh long', 'Tp. Hồ Chí Minh').

    Old (pre-2025) province names are not matched here: codes and names were reused, so mapping an old
    record to a new province is a human decision (see ocop-domain.md)."""
    if not text:
        return None
    return _by_slug().get(_bare_name(text))


def _bare_name(text):
    key = fold(text or "").replace(".", " ").strip()
    for prefix in ("thanh pho ", "tinh ", "tp "):
        if key.startswith(prefix):
            key = key[len(prefix):]
    return slugify(key)


@cache
def _former():
    return {slugify(old): p for p in provinces() for old in p.merged_from}


def former_province(text):
    """The current province that absorbed a pre-2025 province named `text` ('Tỉnh Trà Vinh' -> Vĩnh Long)."""
    return _former().get(_bare_name(text))
