"""The number of SQL statements per page is small and does not grow with the catalogue: no per-product
queries from templates (issue 2: the catalogue with 48 products and the product page run at most 10)."""
from datetime import date

import pytest

from catalog.models import Certificate, ProductImage
from catalog.queries import get_product
from storefront.extensions import db
from tests.factories import make_product, make_showroom, make_vendor


def fill(app, n, booths=4):
    """`n` products spread over `booths` booths, each with two images and a certificate, half in a showroom."""
    with app.app_context():
        vendors = [make_vendor(commit=False) for _ in range(booths)]
        products = []
        for i in range(n):
            p = make_product(vendors[i % booths], star=(3, 4, 5)[i % 3], commit=False, image=True)
            p.images.append(ProductImage(key="img/test2", width=1600, height=1200, position=1))
            products.append(p)
        make_showroom(products=products[::2], commit=False)
        db.session.commit()
        return products[0].slug, vendors[0].slug


def measure(app, client, count_queries, url, session_cookie=False):
    """Statements run to render `url` for real (the page cache emptied first)."""
    app.extensions["page_cache"].pages.clear()
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers.get("X-Page-Cache") != "hit"
    return q.count


def test_catalogue_of_48_runs_at_most_10_queries_and_the_same_for_5_or_60_products(app, client, count_queries):
    fill(app, 5)
    small = measure(app, client, count_queries, "/products/?per_page=48")
    fill(app, 55)
    large = measure(app, client, count_queries, "/products/?per_page=48")
    assert large <= 10
    assert small == large
    filtered = measure(app, client, count_queries, "/products/?per_page=48&star=4&star=5&in_stock=1&sort=stars")
    assert filtered == large


def test_product_page_runs_at_most_10_queries_whatever_the_catalogue(app, client, count_queries):
    slug, _ = fill(app, 5, booths=1)
    small = measure(app, client, count_queries, f"/products/{slug}/")
    with app.app_context():
        p = get_product(slug)
        for year in range(2015, 2024, 3):  # a certificate history
            p.certificates.append(Certificate(star=3, decided_on=date(year, 1, 1), decision_no=f"{year}"))
        db.session.commit()
    fill(app, 60, booths=1)
    large = measure(app, client, count_queries, f"/products/{slug}/")
    assert large <= 10
    assert small == large


@pytest.mark.parametrize("url", ["/", "/booths/", "BOOTH", "/showrooms/", "/sitemap.xml"])
def test_other_pages_run_a_bounded_number_of_queries(app, client, count_queries, url):
    _, booth = fill(app, 8)
    url = url.replace("BOOTH", f"/booths/{booth}/")
    small = measure(app, client, count_queries, url)
    fill(app, 40)
    large = measure(app, client, count_queries, url)
    assert large <= 10 and small == large


def test_a_visitor_with_a_session_gets_a_fresh_render_then_the_cached_skeleton(app, client, count_queries):
    slug, _ = fill(app, 48)
    client.set_cookie("session", "anything")  # not the anonymous page: a skeleton with personal holes
    with count_queries() as q:
        first = client.get("/products/?per_page=48")
    assert first.status_code == 200 and 0 < q.count <= 10
    with count_queries() as q:
        second = client.get("/products/?per_page=48")
    assert second.headers["X-Page-Cache"] == "hit" and q.count == 0
    assert second.get_data() == first.get_data()
