"""Parsing one cell of the register: text, amounts in đồng, counts, dates, stars and GTINs, whether
they come from a CSV (always text) or an XLSX (numbers and real dates). Parsers raise CellError with a
code and a reason staff can act on."""
import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from catalog.gtin import GtinError, check_digit, normalize_gtin
from catalog.ocop import STARS
from storefront.money import parse_vnd
from storefront.text import fold, nfc


class CellError(ValueError):
    def __init__(self, code, reason):
        super().__init__(code)
        self.code, self.reason = code, reason


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_STARS = re.compile(r"^(\d)(?:[.,]0+)?\s*(?:sao|stars?|★|\*)?$")
_COUNT = re.compile(r"^(\d{1,3}(?:[.,\s]\d{3})+|\d+)(?:[.,]0+)?$")


def text(value):
    """A cell as trimmed NFC text; whole numbers from XLSX lose their '.0', dates become ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(nfc(value).split())


def limited(value, length):
    value = text(value)
    if len(value) > length:
        raise CellError("too_long", _l("Too long: at most %(length)s characters.", length=length))
    return value


def amount(value):
    """Price in đồng: 120000, '120.000', '120,000 ₫'; must be above zero."""
    try:
        price = parse_vnd(value if isinstance(value, (int, float)) and not isinstance(value, bool) else text(value))
    except ValueError:
        raise CellError("bad_price", _l("“%(value)s” is not a price in đồng (write 120000 or 120.000).",
                                        value=text(value))) from None
    if price <= 0:
        raise CellError("bad_price", _l("The price must be above zero."))
    return price


def count(value, code="bad_number"):
    """A whole number zero or above: 25, '1.200', 1200.0."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and value >= 0:
            return int(value)
    else:
        match = _COUNT.match(text(value))
        if match:
            return int(re.sub(r"[.,\s]", "", match.group(1)))
    raise CellError(code, _l("“%(value)s” is not a whole number of zero or more.", value=text(value)))


def day(value, today=None):
    """A date: a real date cell, 'YYYY-MM-DD' or 'DD/MM/YYYY' (also with '-' or '.'); not in the future."""
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    else:
        raw = text(value)
        ymd, dmy = _YMD.match(raw), _DMY.match(raw)
        try:
            if ymd:
                result = date(int(ymd[1]), int(ymd[2]), int(ymd[3]))
            elif dmy:
                result = date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
            else:
                raise ValueError
        except ValueError:
            raise CellError("bad_date", _l("“%(value)s” is not a date (write 2024-03-15 or 15/03/2024).",
                                           value=raw)) from None
    if result > (today or date.today()):
        raise CellError("bad_date", _l("The date %(value)s is in the future.", value=result.strftime("%d/%m/%Y")))
    return result


def stars(value):
    """(star, status implied or None): 4, '4 sao', '4★', 'Tiềm năng 5 sao' (potential 5★, certified 4★)."""
    raw = text(value)
    folded = fold(raw)
    if folded.startswith("tiem nang") or folded in ("p5", "potential 5", "potential_5"):
        return 4, "potential_5"
    match = _STARS.match(folded)
    if match and int(match[1]) in STARS:
        return int(match[1]), None
    raise CellError("bad_stars", _l("“%(value)s” is not an OCOP star rating: write 3, 4 or 5 "
                                    "(or “Tiềm năng 5 sao”).", value=raw))


def gtin(value):
    raw = text(value)
    try:
        return normalize_gtin(raw)
    except GtinError:
        digits = "".join(raw.split()).replace("-", "")
        if digits.isascii() and digits.isdigit() and len(digits) in (8, 12, 13, 14):
            raise CellError("bad_gtin", _l("Barcode %(value)s has a wrong check digit (the last digit should "
                                           "be %(digit)s): check it against the GS1 certificate.",
                                           value=raw, digit=check_digit(digits[:-1]))) from None
        raise CellError("bad_gtin", _l("Barcode “%(value)s” is not a GTIN: it needs 8, 12, 13 or 14 digits.",
                                       value=raw)) from None
