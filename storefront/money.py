"""Money is an integer number of đồng; this renders it the way vi_VN does: 120.000 ₫."""
import re

_AMOUNT = re.compile(r"^(\d{1,3}([ .,]\d{3})+|\d+)$")


def vnd(amount):
    if amount is None:
        return ""
    amount = int(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + "\u00a0₫"


def parse_vnd(text):
    """'120.000', '120,000', '120000 ₫' -> 120000; raises ValueError on anything else."""
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        if not text.is_integer():
            raise ValueError("VND has no fractional part")
        return int(text)
    cleaned = str(text).strip().replace("₫", "").replace("đ", "").replace("VND", "").replace("\u00a0", "").strip()
    if not _AMOUNT.match(cleaned):
        raise ValueError(f"not an amount in đồng: {text!r}")
    return int(re.sub(r"[ .,]", "", cleaned))
