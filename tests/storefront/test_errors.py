"""Friendly error pages in the shop layout, in the visitor's language; JSON for the API."""
import pytest

import catalog.queries


def test_unknown_page_is_a_friendly_404_in_the_shop_layout(client):
    response = client.get("/khong-co-trang-nay")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "<h1>Không tìm thấy trang</h1>" in page and "Chợ OCOP" in page
    assert 'href="/"' in page and 'href="/products/"' in page and "Về trang chủ" in page
    assert '<meta name="robots" content="noindex">' in page


def test_404_page_follows_the_language_cookie(client):
    client.set_cookie("lang", "en")
    page = client.get("/products/khong-co/").get_data(as_text=True)
    assert '<html lang="en">' in page and "<h1>Page not found</h1>" in page and "Go to the home page" in page


def test_404_pages_are_not_cached(app, client):
    client.get("/products/khong-co/")
    assert client.get("/products/khong-co/").headers.get("X-Page-Cache") != "hit"


def test_an_unexpected_error_is_a_friendly_500_page(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(catalog.queries, "showroom_summaries", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "<h1>Đã có lỗi xảy ra</h1>" in page and "database on fire" not in page
    assert client.get("/").status_code == 500  # an error page is never cached as the home page


@pytest.mark.parametrize("path", ["/api/v1/khong-co", "/api/v1/products/khong-co"])
def test_api_errors_are_json(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.is_json and response.json["error"]["status"] == 404
