from storefront.places import find_province, former_province, provinces


def test_there_are_34_provinces_with_unique_codes_and_slugs():
    ps = provinces()
    assert len(ps) == 34
    assert len({p.code for p in ps}) == 34 and len({p.slug for p in ps}) == 34


def test_provinces_are_found_as_people_write_them():
    assert find_province("Tỉnh Vĩnh Long").slug == "vinh-long"
    assert find_province("TP. Hồ Chí Minh").slug == "ho-chi-minh"
    assert find_province("vinh long").slug == "vinh-long"
    assert find_province("Atlantis") is None


def test_old_provinces_are_not_current_but_map_to_their_successor():
    assert find_province("Trà Vinh") is None
    assert former_province("Trà Vinh").slug == "vinh-long"
    assert former_province("Bến Tre").slug == "vinh-long"
    assert former_province("Hà Giang").slug == "tuyen-quang"
    assert former_province("Tỉnh Trà Vinh").slug == "vinh-long"
    assert former_province("Atlantis") is None
