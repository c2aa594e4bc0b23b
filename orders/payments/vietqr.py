"""VietQR (NAPAS 247) bank-transfer codes: the EMVCo merchant-presented payload that Vietnamese banking
apps scan, with the exact amount and the order code as the transfer message (ocop-domain.md §4)."""
import binascii
import io
import re

import qrcode
import qrcode.image.svg

from storefront.text import fold

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
PURPOSE_MAX = 25


def _tlv(tag, value):
    if len(value) > 99:
        raise ValueError(f"VietQR field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16(data):
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) as four uppercase hex digits."""
    return f"{binascii.crc_hqx(data.encode('ascii'), 0xFFFF):04X}"


def purpose_text(text):
    """Transfer message: no diacritics, letters, digits and spaces, at most 25 characters."""
    return re.sub(r"[^A-Za-z0-9 ]", "", fold(text).upper())[:PURPOSE_MAX].strip()


def payload(bank_bin, account, amount=None, purpose=""):
    """The VietQR string: dynamic (one order) when an amount is given, static otherwise."""
    if not (bank_bin.isdigit() and len(bank_bin) == 6):
        raise ValueError("the bank BIN has 6 digits")
    if not (account.isascii() and account.isalnum() and len(account) <= 19):
        raise ValueError("the account number has at most 19 letters or digits")
    beneficiary = _tlv("00", bank_bin) + _tlv("01", account)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_TO_ACCOUNT)
    parts = [_tlv("00", "01"), _tlv("01", "12" if amount else "11"), _tlv("38", merchant), _tlv("53", "704")]
    if amount:
        if not isinstance(amount, int) or amount <= 0:
            raise ValueError("the amount is a positive whole number of đồng")
        parts.append(_tlv("54", str(amount)))
    parts.append(_tlv("58", "VN"))
    if purpose := purpose_text(purpose):
        parts.append(_tlv("62", _tlv("08", purpose)))
    body = "".join(parts) + "6304"
    return body + crc16(body)


def order_payload(order, config):
    return payload(config["VIETQR_BANK_BIN"], config["VIETQR_ACCOUNT"], order.total_vnd, order.code)


def png(data, box_size=8):
    """The QR code of `data` as PNG bytes (error correction M, as banking apps print them)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4)
    code.add_data(data)
    out = io.BytesIO()
    code.make_image().save(out)
    return out.getvalue()


# The banks' NAPAS BINs, as the transfer page names them (the most common ones; others show the BIN only).
BANKS = {
    "970405": "Agribank", "970436": "Vietcombank", "970415": "VietinBank", "970418": "BIDV",
    "970422": "MB Bank", "970407": "Techcombank", "970416": "ACB", "970432": "VPBank", "970423": "TPBank",
    "970403": "Sacombank", "970441": "VIB", "970443": "SHB", "970437": "HDBank", "970448": "OCB",
}


def bank_name(bank_bin):
    return BANKS.get(bank_bin, "")
