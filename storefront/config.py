"""Settings read from the environment. `create_app` picks a class by OCOP_ENV."""
import os

DEV_SECRET = "dev-only-not-secret"


def _database_url(url):
    """Point bare PostgreSQL URLs at psycopg 3, the driver we install."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("DATABASE_URL", ""))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Canonical absolute base for QR codes, sitemaps and JSON-LD, e.g. https://cho-ocop.vn
    BASE_URL = os.environ.get("BASE_URL", "").rstrip("/")
    LANGUAGES = ("vi", "en")
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    MEDIA_DIR = os.environ.get("MEDIA_DIR", "")  # default: instance/media
    # Whole-page cache for visitors without a session (see storefront/pagecache.py).
    PAGE_CACHE_SIZE = int(os.environ.get("PAGE_CACHE_SIZE", "2000"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    SESSION_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"


class TestConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("TEST_DATABASE_URL", ""))
    SESSION_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    BASE_URL = "https://cho-ocop.test"


CONFIGS = {"production": Config, "development": DevelopmentConfig, "testing": TestConfig}


def config_from_env():
    name = os.environ.get("OCOP_ENV", "production")
    if name not in CONFIGS:
        raise RuntimeError(f"OCOP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
