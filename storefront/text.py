"""Vietnamese text: NFC normalisation, diacritic folding, slugs and collation."""
import re
import unicodedata

_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def nfc(value):
    """Normalise user text to NFC (some keyboards send decomposed letters) and drop control characters."""
    if value is None:
        return None
    return _CONTROL.sub("", unicodedata.normalize("NFC", str(value)))


def fold(value):
    """Case- and diacritic-insensitive form: 'Đặc Sản' -> 'dac san'. đ/Đ do not decompose under NFD."""
    decomposed = unicodedata.normalize("NFD", nfc(value).casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d"))


def slugify(value, max_length=80):
    """'Kẹo dừa Bến Tre' -> 'keo-dua-ben-tre'."""
    slug = _SLUG_JUNK.sub("-", fold(value)).strip("-")
    return slug[:max_length].rstrip("-") or "x"


def sort_key(value):
    """Vietnamese alphabetical order: Đ right after D, tone marks after the bare letter."""
    folded = fold(value)
    return (folded, nfc(value).casefold())
