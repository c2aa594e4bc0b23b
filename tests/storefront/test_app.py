import pytest

from storefront import create_app
from storefront.config import Config, DevelopmentConfig
from storefront.urls import safe_next


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    class NoSecret(Config):
        SECRET_KEY = None
        INSTANCE_PATH = str(tmp_path)

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(NoSecret)


def test_production_refuses_to_start_without_a_base_url(tmp_path):
    class NoBase(Config):
        SECRET_KEY = "a-real-secret"
        BASE_URL = ""
        INSTANCE_PATH = str(tmp_path)

    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app(NoBase)


def test_development_starts_with_its_default_secret_and_an_sqlite_file(tmp_path):
    class Dev(DevelopmentConfig):
        INSTANCE_PATH = str(tmp_path)
        SQLALCHEMY_DATABASE_URI = ""

    app = create_app(Dev)
    assert app.config["SECRET_KEY"]
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'ocop.sqlite'}"


def test_postgres_urls_use_psycopg3():
    from storefront.config import _database_url

    assert _database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert _database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize("target, expected", [
    ("/products/?star=4", "/products/?star=4"),
    ("//evil.example/x", "/"),
    ("https://evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("/ok\r\nSet-Cookie: x=1", "/"),
    (None, "/"),
])
def test_safe_next_only_allows_paths_on_this_site(target, expected):
    assert safe_next(target) == expected


def test_language_switch_sets_a_cookie_and_returns_to_the_page(client):
    response = client.get("/lang/en?next=/products/")
    assert response.status_code == 302 and response.headers["Location"] == "/products/"
    assert "lang=en" in response.headers["Set-Cookie"]


def test_language_switch_never_redirects_off_site(client):
    response = client.get("/lang/en?next=//evil.example/")
    assert response.headers["Location"] == "/"


def test_unknown_language_is_not_stored(client):
    response = client.get("/lang/xx?next=/")
    assert "Set-Cookie" not in response.headers


def test_robots_points_at_the_canonical_sitemap(client):
    body = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: https://cho-ocop.test/sitemap.xml" in body


def test_api_404_is_json_and_page_404_is_html(client):
    api = client.get("/api/v1/nothing-here")
    assert api.status_code == 404 and api.json["error"]["status"] == 404
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"
