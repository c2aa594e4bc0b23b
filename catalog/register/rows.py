"""Checking one data row of the register and turning it into plain values (codes, integers, dates).
Every problem of the row is reported, not just the first."""
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from catalog.html import clean_html
from catalog.ocop import CERT_STATUSES, GROUPS, PRODUCT_SETS, SET_GROUP
from catalog.register import cells
from catalog.register.report import WARNING
from storefront.places import find_province, former_province, province_by_slug
from storefront.text import fold, slugify
from vendors.entities import ENTITY_TYPES

REFORM = date(2025, 7, 1)  # the 34 provinces and the end of districts
_PROVINCE_PREFIX = re.compile(r"^(tỉnh|thành phố|tp\.?)\s+", re.IGNORECASE)
_DISTRICT = re.compile(r"\b(huyện|thị xã|quận|thành phố|tp\.?)\s+([^,]+)", re.IGNORECASE)


def _unknown_entity(value, choices):
    return _l("Unknown producer type “%(value)s”: write one of %(choices)s.", value=value, choices=choices)


def _unknown_group(value, choices):
    return _l("Unknown OCOP group “%(value)s”: write one of %(choices)s, or a product set.", value=value,
              choices=choices)


def _unknown_status(value, choices):
    return _l("Unknown OCOP status “%(value)s”: write one of %(choices)s.", value=value, choices=choices)


@dataclass
class RegisterRow:
    row: int
    booth: dict  # name, slug, entity_type, province, commune, address_text ('' if not given), legacy_district
    product: dict  # name and the product fields given in the row
    booth_text: dict = field(default_factory=dict)  # the booth's cells as written, to explain conflicts
    star: int | None = None
    status: str = "certified"
    certificate_no: str = ""
    certified_on: date | None = None
    province_name: str = ""  # 'tỉnh Trà Vinh': the province that issued a decision recorded on this row
    valid: bool = True

    @property
    def sku(self):
        return self.product.get("sku")

    @property
    def name_key(self):
        return fold(self.product.get("name") or "")


def province_full_name(slug):
    """'tỉnh Vĩnh Long', 'thành phố Hà Nội': as it follows 'UBND' in an issuing body."""
    full = province_by_slug(slug).full_name
    return full[:1].lower() + full[1:]


@lru_cache(maxsize=512)
def _resolve_province(written):
    """(current province slug, 'tỉnh <old name>' if `written` names a pre-2025 province), or (None, '')."""
    province = find_province(written)
    if province is not None:
        return province.slug, ""
    bare = _PROVINCE_PREFIX.sub("", written)
    province = former_province(bare)
    if province is None:
        return None, ""
    old = next(n for n in province.merged_from if slugify(n) == slugify(bare))
    return province.slug, f"tỉnh {old}"


@lru_cache(maxsize=2048)
def _match(vocabulary, text):
    choice = vocabulary.match(text)
    return choice.code if choice else None


def _former_in_address(slug, address):
    """'tỉnh Trà Vinh' when an address in today's Vĩnh Long still names the old province, else ''."""
    province = province_by_slug(slug) if slug else None
    folded = fold(address or "")
    for old in province.merged_from if province else ():
        if f"tinh {fold(old)}" in folded:
            return f"tỉnh {old}"
    return ""


@lru_cache(maxsize=512)
def _city_name(province_text):
    """The folded name of a province-level city ('can tho'), or '' for a province."""
    province = find_province(province_text)
    return fold(province.name) if province and province.full_name.startswith("Thành phố") else ""


def legacy_district(address, province_text):
    """'ấp Rạch Dừa, xã Đại Phước, huyện Càng Long' -> 'huyện Càng Long' (districts ended in July 2025)."""
    city = _city_name(province_text)
    for match in _DISTRICT.finditer(address or ""):
        if not (city and fold(match[2]) == city):  # 'thành phố Cần Thơ' is the province
            return f"{match[1].lower()} {match[2].strip()}"
    return ""


class RowChecker:
    """Validates rows against one header; problems go to `report` with the header names of the file."""

    def __init__(self, header, report, required, today=None):
        self.header, self.report, self.required, self.today = header, report, required, today

    def _cell(self, cells_, name):
        i = self.header.index.get(name)
        return cells_[i] if i is not None and i < len(cells_) else None

    def _problem(self, row, name, code, reason, level="error"):
        self.report.add(row, self.header.label(name), code, reason, level)

    def _parse(self, row, raw, name, parser, *args):
        value = raw.get(name)
        if value is None:
            if name in self.required:
                self._problem(row, name, "required", _l("This value is required."))
            return None
        try:
            return parser(value, *args)
        except cells.CellError as exc:
            self._problem(row, name, exc.code, exc.reason)
            return None

    def _choice(self, row, raw, name, vocabulary, message):
        """The code of a vocabulary entry written as its code or label; `message` says what is allowed."""
        def match(value):
            code = _match(vocabulary, cells.text(value))
            if code is None:
                raise cells.CellError("unknown_value", message(cells.text(value),
                                                               ", ".join(c.vi for c in vocabulary)))
            return code
        return self._parse(row, raw, name, match)

    def _group(self, row, raw):
        """(group, product set): a group, or a product set of Decision 148/2023 implying its group."""
        value = raw.get("group")
        if value is not None and _match(GROUPS, cells.text(value)) is None:
            product_set = _match(PRODUCT_SETS, cells.text(value))
            if product_set:
                return SET_GROUP[product_set], product_set
        return self._choice(row, raw, "group", GROUPS, _unknown_group), None

    def _province(self, row, raw):
        """(current province, its name as written, 'tỉnh <old name>' for a pre-2025 province): an old
        province maps to the one that absorbed it."""
        value = raw.get("province")
        if value is None:
            return self._parse(row, raw, "province", str), "", ""
        written = cells.text(value)
        slug, former = _resolve_province(written)
        if slug:
            return slug, written, former
        self._problem(row, "province", "unknown_value", _l(
            "Unknown province “%(value)s”: write one of the 34 provinces, or a province as it was "
            "before July 2025.", value=written))
        return None, written, ""

    def _certificate(self, row, raw):
        """(star, status, decision number, decision date) as the row gives them."""
        stars = self._parse(row, raw, "stars", cells.stars)
        status = self._choice(row, raw, "ocop_status", CERT_STATUSES, _unknown_status)
        number = self._parse(row, raw, "certificate_no", cells.limited, 60) or ""
        decided_on = self._parse(row, raw, "certified_on", cells.day, self.today)
        if "stars" not in raw and "stars" not in self.required and (number or decided_on):
            self._problem(row, "stars", "required", _l(
                "The stars are required with a decision number or date."))
        if number and "certified_on" not in raw:
            self._problem(row, "certified_on", "required", _l(
                "The decision date is required with the decision number %(number)s.", number=number))
        star, implied = stars if stars else (None, None)
        status = status or implied or "certified"
        if status == "potential_5" and star == 5:
            star = 4
            self._problem(row, "stars", "potential_5_star", _l(
                "A potential 5-star product keeps its provincial 4★ until the national council decides: "
                "recorded as 4★, potential 5★."), WARNING)
        elif status == "potential_5" and star == 3:
            self._problem(row, "stars", "bad_stars", _l("A potential 5-star product has at least 4★."))
        return star, status, number, decided_on

    def _product(self, row, raw):
        group, product_set = self._group(row, raw)
        product = {
            "name": self._parse(row, raw, "product_name", cells.limited, 255), "group": group,
            "price_vnd": self._parse(row, raw, "price_vnd", cells.amount),
            "stock": self._parse(row, raw, "stock", cells.count, "bad_stock"),
            "unit": self._parse(row, raw, "unit", cells.limited, 30),
            "weight_g": self._parse(row, raw, "weight_g", cells.count),
            "gtin": self._parse(row, raw, "gtin", cells.gtin),
            "sku": self._parse(row, raw, "sku", cells.limited, 64),
            "description": clean_html(cells.text(raw["description"])) if "description" in raw else None,
            "product_set": product_set,
        }
        return {k: v for k, v in product.items() if v is not None}

    def check(self, row, cells_):
        """The row's values; `valid` is False when it has errors (they are in the report)."""
        before = len(self.report.errors)
        raw = {}
        for name in self.header.index:
            value = self._cell(cells_, name)
            if value is not None and cells.text(value) != "":
                raw[name] = value
        booth_name = self._parse(row, raw, "booth_name", cells.limited, 200)
        entity_type = self._choice(row, raw, "entity_type", ENTITY_TYPES, _unknown_entity)
        province, province_text, former = self._province(row, raw)
        commune = self._parse(row, raw, "commune", cells.limited, 120) or ""
        address = self._parse(row, raw, "address", cells.limited, 400) or ""
        product = self._product(row, raw)
        star, status, number, decided_on = self._certificate(row, raw)
        address_text = address
        if address and former and fold(province_text) not in fold(address):
            address_text = f"{address}, {province_text}"  # keep the pre-2025 province as written
        former = former or _former_in_address(province, address)
        # The body that issued a decision: the old province before the reform, today's province after it.
        issuer = former if former and decided_on and decided_on < REFORM else (
            province_full_name(province) if province else "")
        booth = {"name": booth_name, "slug": slugify(booth_name) if booth_name else None,
                 "entity_type": entity_type, "province": province, "commune": commune,
                 "address_text": address_text[:400], "legacy_district": legacy_district(address, province_text)}
        booth_text = {n: cells.text(raw[n]) for n in ("entity_type", "province", "commune", "address") if n in raw}
        return RegisterRow(row=row, booth=booth, booth_text=booth_text, product=product, star=star, status=status,
                           certificate_no=number, certified_on=decided_on, province_name=issuer,
                           valid=len(self.report.errors) == before)
