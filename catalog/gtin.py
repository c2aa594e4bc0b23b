"""GTIN (EAN/UPC) check digits and GS1 Digital Link paths."""


class GtinError(ValueError):
    pass


def check_digit(data_digits):
    """GS1 mod-10: weights 3,1,3,1… from the rightmost data digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(data_digits)))
    return str((10 - total % 10) % 10)


def normalize_gtin(value):
    """Digits of a valid GTIN-8/12/13/14 ('893 6045 10001 1' -> '8936045100011'); raises GtinError."""
    digits = "".join(str(value).split()).replace("-", "")
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in (8, 12, 13, 14):
        raise GtinError("a GTIN has 8, 12, 13 or 14 digits")
    if check_digit(digits[:-1]) != digits[-1]:
        raise GtinError(f"wrong check digit: expected {check_digit(digits[:-1])}")
    return digits


def gtin14(gtin):
    return gtin.zfill(14)


def digital_link_path(gtin, batch=None, serial=None):
    """'/01/<GTIN-14>[/10/<batch>][/21/<serial>]' as GS1 Digital Link orders the qualifiers."""
    path = f"/01/{gtin14(gtin)}"
    if batch:
        path += f"/10/{batch}"
    if serial:
        path += f"/21/{serial}"
    return path
