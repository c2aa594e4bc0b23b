"""Vietnamese mobile numbers: every usual way of writing one is the same number; anything else is refused."""
import pytest

from storefront.accounts.phone import InvalidPhone, display_phone, normalise_phone


@pytest.mark.parametrize("written", [
    "0912 345 678", "0912345678", "0912.345.678", "0912-345-678", "(091) 2345 678",
    "+84912345678", "+84 912 345 678", "84912345678", "0084912345678", "+84 0912 345 678", " 0912345678 ",
])
def test_the_usual_spellings_of_a_mobile_number_are_one_number(written):
    assert normalise_phone(written) == "+84912345678"


@pytest.mark.parametrize("written, expected", [
    ("0321234567", "+84321234567"), ("0561234567", "+84561234567"), ("0701234567", "+84701234567"),
    ("0861234567", "+84861234567"), ("0981234567", "+84981234567"),
])
def test_every_mobile_prefix_is_accepted(written, expected):
    assert normalise_phone(written) == expected


@pytest.mark.parametrize("written", [
    "", None, "091234567",            # nine digits
    "09123456789",                    # eleven digits
    "01234567890",                    # old 01x numbers were renumbered in 2018
    "0212345678", "0412345678", "0612345678",  # not mobile ranges
    "02838123456",                    # a Hồ Chí Minh City landline
    "+1 415 555 0100", "+8491234567",  # another country; one digit short
    "0912 34a 678", "０９１２３４５６７８",  # letters; full-width digits
    "849123456789",                   # 84 with too many digits
])
def test_anything_else_is_not_a_vietnamese_mobile_number(written):
    with pytest.raises(InvalidPhone):
        normalise_phone(written)


def test_a_stored_number_is_shown_the_way_people_write_it():
    assert display_phone("+84912345678") == "0912 345 678"
    assert display_phone(None) == ""
