"""VietQR (NAPAS 247) payloads: the CRC against the official example, well-formed TLV with exact lengths, the
amount and a transfer message without diacritics, and a PNG that a QR reader decodes back to the payload."""
import io
import re
from types import SimpleNamespace

import pytest
import zxingcpp
from PIL import Image

from orders.payments import vietqr

# The NAPAS example from ocop-domain.md §4 (static, to an account). Its beneficiary field says the account
# number has 12 characters ("0112") but 13 follow: the CRC was computed over the string as printed.
OFFICIAL = "00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304F4E5"
CONFIG = {"VIETQR_BANK_BIN": "970403", "VIETQR_ACCOUNT": "0011012345678"}


def parse(text):
    """[(tag, value)] of an EMVCo TLV string, refusing any length that does not match what follows."""
    fields, i = [], 0
    while i < len(text):
        tag, length = text[i:i + 2], text[i + 2:i + 4]
        assert re.fullmatch(r"\d\d", tag) and re.fullmatch(r"\d\d", length), f"bad header at {i}: {text[i:]!r}"
        value = text[i + 4:i + 4 + int(length)]
        assert len(value) == int(length), f"field {tag} says {length} characters, {len(value)} follow"
        fields.append((tag, value))
        i += 4 + int(length)
    return fields


def checked(payload):
    """The payload's fields, after checking its CRC (over everything up to and including "6304")."""
    assert payload[-8:-4] == "6304"
    assert vietqr.crc16(payload[:-4]) == payload[-4:]
    return dict(parse(payload))


def test_our_crc_gives_the_official_examples_checksum():
    assert vietqr.crc16(OFFICIAL[:-4]) == "F4E5"
    assert vietqr.crc16("123456789") == "29B1"  # the CRC-16/CCITT-FALSE check value


def test_the_official_example_parses_except_its_inner_account_length():
    fields = checked(OFFICIAL)
    assert [t for t, _ in parse(OFFICIAL)] == ["00", "01", "38", "53", "58", "63"]
    merchant = dict(parse(fields["38"]))
    assert merchant["00"] == "A000000727" and merchant["02"] == "QRIBFTTA"
    with pytest.raises(AssertionError, match="follow|bad header"):
        parse(merchant["01"])  # "0112" + 13 digits


def test_our_static_payload_for_the_same_account_differs_only_by_the_correct_length():
    ours = vietqr.payload("970403", "0011012345678")
    assert ours[:-4].replace("01130011012345678", "01120011012345678") == OFFICIAL[:-4]
    checked(ours)


@pytest.mark.parametrize("amount", [13_000, 280_000, 999_999_999_999])
def test_an_order_payload_is_well_formed_with_the_exact_amount_and_the_order_code(amount):
    order = SimpleNamespace(total_vnd=amount, code="DHK7M2PQ9X")
    payload = vietqr.order_payload(order, CONFIG)
    fields = checked(payload)
    assert [t for t, _ in parse(payload)] == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert (fields["00"], fields["01"], fields["53"], fields["58"]) == ("01", "12", "704", "VN")
    assert fields["54"] == str(amount)
    merchant = parse(fields["38"])
    assert [t for t, _ in merchant] == ["00", "01", "02"]
    assert dict(merchant)["00"] == "A000000727" and dict(merchant)["02"] == "QRIBFTTA"
    assert parse(dict(merchant)["01"]) == [("00", "970403"), ("01", "0011012345678")]
    assert parse(fields["62"]) == [("08", "DHK7M2PQ9X")]


def test_a_static_payload_has_no_amount():
    fields = checked(vietqr.payload("970436", "1234567890"))
    assert fields["01"] == "11" and "54" not in fields and "62" not in fields


@pytest.mark.parametrize("text, expected", [
    ("DHK7M2PQ9X", "DHK7M2PQ9X"),
    ("Đơn hàng DHK7M2PQ9X", "DON HANG DHK7M2PQ9X"),
    ("Thanh toán đơn DHK7M2PQ9X – Kẹo dừa Bến Tre", "THANH TOAN DON DHK7M2PQ9X"),
    ("Cà phê Buôn Ma Thuột, Đắk Lắk!", "CA PHE BUON MA THUOT DAK"),
    ("Ca\u0300 phe\u0302\u0301", "CA PHE"),  # decomposed (NFD) input, as some keyboards send it
])
def test_the_transfer_message_has_no_diacritics_and_at_most_25_characters(text, expected):
    purpose = vietqr.purpose_text(text)
    assert purpose == expected
    assert len(purpose) <= 25 and re.fullmatch(r"[A-Z0-9 ]*", purpose)
    fields = checked(vietqr.payload("970403", "0011012345678", 50_000, text))
    assert parse(fields["62"]) == [("08", expected)]


@pytest.mark.parametrize("bank_bin, account, amount", [
    ("97040", "0011012345678", 1000), ("97040A", "0011012345678", 1000), ("970403", "", 1000),
    ("970403", "1" * 20, 1000), ("970403", "0011-0123", 1000), ("970403", "0011 0123", 1000),
    ("970403", "0011012345678", -5), ("970403", "0011012345678", 1.5), ("970403", "001101234567đ", 1000),
])
def test_malformed_bank_details_or_amounts_are_refused(bank_bin, account, amount):
    with pytest.raises(ValueError):
        vietqr.payload(bank_bin, account, amount, "DHK7M2PQ9X")


def test_the_png_decodes_back_to_the_payload():
    payload = vietqr.order_payload(SimpleNamespace(total_vnd=280_000, code="DHK7M2PQ9X"), CONFIG)
    png = vietqr.png(payload)
    assert png.startswith(b"\x89PNG")
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert result.format == zxingcpp.BarcodeFormat.QRCode and result.text == payload
