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


_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


def sort_key(value):
    """Vietnamese alphabetical order: letters first (ă after a, Đ right after D, ư after u), then tones."""
    letters, tones = [], []
    for ch in unicodedata.normalize("NFD", nfc(value).casefold()):
        if ch in _TONES:
            tones[-1:] = [_TONES[ch]]
        elif unicodedata.combining(ch) and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
        else:
            letters.append(ch)
            tones.append(0)
    return (tuple(_RANK.get(ch, ord(ch) - 200 if ord(ch) < 128 else ord(ch) + 100) for ch in letters), tuple(tones))
