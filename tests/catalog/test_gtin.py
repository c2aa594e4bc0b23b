import pytest

from catalog.gtin import GtinError, check_digit, digital_link_path, normalize_gtin


def test_check_digit_matches_the_gs1_example():
    assert check_digit("893604510001") == "1"


@pytest.mark.parametrize("gtin", ["8936045100011", "4006381333931", "96385074", "036000291452", "00012345600012"])
def test_valid_gtins_of_every_length_are_accepted(gtin):
    assert normalize_gtin(gtin) == gtin


def test_spaces_and_dashes_are_removed():
    assert normalize_gtin("893 6045-10001 1") == "8936045100011"


@pytest.mark.parametrize("bad", ["8936045100012", "893604510001", "89360451000111x", "", "abcdefghijklm", "123456789012345",
                                 "²²²²²²²²", "١٢٣٤٥٦٧٨"])
def test_invalid_gtins_are_refused(bad):
    with pytest.raises(GtinError):
        normalize_gtin(bad)


def test_digital_link_pads_to_gtin14_and_orders_qualifiers():
    assert digital_link_path("8936045100011", batch="L01", serial="7") == "/01/08936045100011/10/L01/21/7"
