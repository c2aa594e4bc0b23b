from datetime import date

from catalog.models import Certificate, Product, add_months


def test_certificate_expires_36_months_after_the_decision():
    cert = Certificate(star=4, decided_on=date(2023, 5, 15))
    assert cert.expires_on == date(2026, 5, 15)


def test_month_arithmetic_clamps_to_the_end_of_the_month():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 2, 28), 36) == date(2026, 2, 28)


def test_a_lapsed_certificate_is_expired_whatever_its_recorded_status():
    cert = Certificate(star=4, status="certified", decided_on=date(2020, 1, 1))
    assert cert.effective_status(today=date(2023, 1, 2)) == "expired"
    assert not cert.is_valid(today=date(2023, 1, 2))
    assert cert.is_valid(today=date(2022, 12, 31))


def test_revoked_certificates_are_never_valid():
    cert = Certificate(star=5, status="revoked", decided_on=date.today())
    assert not cert.is_valid()


def test_product_ocop_state_hides_the_star_of_a_lapsed_certificate():
    product = Product(name="Bánh tét", group="thuc_pham", price_vnd=1000)
    product.certificates.append(Certificate(star=4, status="potential_5", decided_on=date(2022, 3, 1)))
    product.refresh_ocop()
    assert product.ocop_state(today=date(2025, 2, 28)) == ("potential_5", 4)
    assert product.ocop_state(today=date(2025, 3, 2)) == ("expired", None)


def test_the_newest_decision_is_the_current_certificate(ctx):
    from tests.factories import make_product
    from storefront.extensions import db

    product = make_product(star=3, decided_on=date(2021, 6, 1))
    product.certificates.append(Certificate(star=4, decided_on=date(2024, 6, 1)))
    db.session.commit()
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    product.refresh_ocop()
    assert [c.star for c in product.certificates] == [4, 3]
    assert product.ocop_star == 4 and product.ocop_expires_on == date(2027, 6, 1)
