"""Vietnamese mobile numbers, stored as +84 and nine digits.

`0912 345 678`, `0912.345.678`, `+84 912 345 678`, `+84 0912 345 678`, `84912345678` and
`0084912345678` are all `+84912345678`. Mobile numbers have ten digits written nationally, starting
03, 05, 07, 08 or 09 (the 2018 renumbering moved the old eleven-digit 01x numbers into these ranges).
"""
import re

MOBILE_FIRST_DIGITS = "35789"
_SEPARATORS = re.compile(r"[\s.\-()]")


class InvalidPhone(ValueError):
    """Not a Vietnamese mobile number."""


def normalise_phone(text):
    """The number as +84xxxxxxxxx, or InvalidPhone."""
    digits = _SEPARATORS.sub("", text or "")
    if digits.startswith("+84"):
        national = digits[3:]
    elif digits.startswith("0084"):
        national = digits[4:]
    elif digits.startswith("84") and len(digits) == 11:
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        raise InvalidPhone(text)
    if len(national) == 10 and national.startswith("0"):  # "+84 0912 345 678", a common way to write it
        national = national[1:]
    if len(national) != 9 or not national.isascii() or not national.isdigit() \
            or national[0] not in MOBILE_FIRST_DIGITS:
        raise InvalidPhone(text)
    return "+84" + national


def is_phone(text):
    try:
        normalise_phone(text)
    except InvalidPhone:
        return False
    return True


def display_phone(phone):
    """+84912345678 as people write it at home: 0912 345 678."""
    if not phone or not phone.startswith("+84") or len(phone) != 12:
        return phone or ""
    national = "0" + phone[3:]
    return f"{national[:4]} {national[4:7]} {national[7:]}"
