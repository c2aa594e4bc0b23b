"""Settings read from the environment. `create_app` picks a class by OCOP_ENV."""
import os
from datetime import timedelta

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
    # Search (catalog/search): "whoosh" keeps an index in SEARCH_DIR (default instance/search); "postgres"
    # searches the shared PostgreSQL database. SEARCH_RAISE_ERRORS lets index failures surface (tests).
    SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "whoosh")
    SEARCH_DIR = os.environ.get("SEARCH_DIR", "")
    SEARCH_RAISE_ERRORS = False
    # Orders (orders/): the platform's commission in basis points (500 = 5 %), overridable per booth, and how
    # long an unpaid card or transfer order holds its stock before `ocop expire-orders` cancels it.
    ORDER_COMMISSION_BP = int(os.environ.get("ORDER_COMMISSION_BP", "500"))
    CARD_PAY_MINUTES = int(os.environ.get("CARD_PAY_MINUTES", "30"))
    VIETQR_PAY_HOURS = int(os.environ.get("VIETQR_PAY_HOURS", "24"))
    # Card payments through Stripe: offered only when the three keys are set. STRIPE_API_BASE and STRIPE_JS_URL
    # point at a stand-in (localstripe) in tests. VND is zero-decimal; below STRIPE_MIN_VND a card is not offered.
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
    STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
    STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/")
    STRIPE_MIN_VND = int(os.environ.get("STRIPE_MIN_VND", "15000"))
    STRIPE_TIMEOUT = 10
    # Bank transfer by VietQR to the platform's account: offered only when the bank BIN and account are set.
    # Marketplaces (issue 6): which exporters are on, the push clients' base URLs and the key that encrypts
    # booths' marketplace credentials (a Fernet key: `python -c "from cryptography.fernet import Fernet;
    # print(Fernet.generate_key().decode())"`). Without the key, credentials cannot be saved.
    EXPORTERS = [k for k in os.environ.get("EXPORTERS", "tiki,sendo,voso,postmart").split(",") if k.strip()]
    TIKI_API_BASE = os.environ.get("TIKI_API_BASE", "https://api.tiki.vn").rstrip("/")
    SENDO_API_BASE = os.environ.get("SENDO_API_BASE", "https://open.sendo.vn").rstrip("/")
    MARKETPLACE_SECRETS_KEY = os.environ.get("MARKETPLACE_SECRETS_KEY", "")
    MARKETPLACE_TIMEOUT = float(os.environ.get("MARKETPLACE_TIMEOUT", "10"))  # seconds to wait for an answer
    MARKETPLACE_ATTEMPTS = int(os.environ.get("MARKETPLACE_ATTEMPTS", "4"))  # tries per call on 429, 5xx, no connection
    MARKETPLACE_BACKOFF = float(os.environ.get("MARKETPLACE_BACKOFF", "0.5"))  # first wait, doubled each retry
    MARKETPLACE_MAX_WAIT = float(os.environ.get("MARKETPLACE_MAX_WAIT", "30"))  # a longer Retry-After fails at once
    MARKETPLACE_PUSH_BUDGET = float(os.environ.get("MARKETPLACE_PUSH_BUDGET", "20"))  # a web push starts nothing after
    LISTING_TARGET_PCT = int(os.environ.get("LISTING_TARGET_PCT", "70"))  # % of OCOP products on a marketplace

    VIETQR_BANK_BIN = os.environ.get("VIETQR_BANK_BIN", "")
    VIETQR_ACCOUNT = os.environ.get("VIETQR_ACCOUNT", "")
    VIETQR_ACCOUNT_NAME = os.environ.get("VIETQR_ACCOUNT_NAME", "")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    # Accounts (storefront/accounts): "remember me" lasts 30 days, on HTTPS only outside development.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    PASSWORD_MIN_LENGTH = 10
    RESET_TOKEN_MAX_AGE = 3600  # seconds a password-reset link stays valid
    # Rate limits (Flask-Limiter syntax). Counted in Redis when REDIS_URL is set, else in this process.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "ocop")
    RATELIMIT_SIGNIN_ACCOUNT = "5/minute;20/hour"
    RATELIMIT_SIGNIN_ADDRESS = "30/minute"
    RATELIMIT_RESET_ACCOUNT = "3/hour"
    RATELIMIT_RESET_ADDRESS = "10/hour"
    RATELIMIT_SIGNUP_ADDRESS = "10/hour"
    # Mail (storefront/mail.py): "smtp" sends through MAIL_SERVER; "outbox" writes .eml files to MAIL_OUTBOX.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_OUTBOX = os.environ.get("MAIL_OUTBOX", "")  # default: instance/outbox
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "true").lower() in ("1", "true", "yes")
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "false").lower() in ("1", "true", "yes")
    MAIL_TIMEOUT = 10
    MAIL_FROM = os.environ.get("MAIL_FROM", "Chợ OCOP <no-reply@cho-ocop.vn>")


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")
    # A made-up account so the demo shows the transfer option (970403 is a bank BIN from the VietQR example).
    VIETQR_BANK_BIN = os.environ.get("VIETQR_BANK_BIN", "970403")
    VIETQR_ACCOUNT = os.environ.get("VIETQR_ACCOUNT", "0011012345678")
    VIETQR_ACCOUNT_NAME = os.environ.get("VIETQR_ACCOUNT_NAME", "CHO OCOP DEMO")
    # A fixed key for development only; production reads MARKETPLACE_SECRETS_KEY from the environment.
    MARKETPLACE_SECRETS_KEY = os.environ.get("MARKETPLACE_SECRETS_KEY", "ZGV2LW9ubHktbWFya2V0cGxhY2Uta2V5LTMyYnl0ZXM=")


class TestConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("TEST_DATABASE_URL", ""))
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    BASE_URL = "https://cho-ocop.test"
    MAIL_BACKEND = "outbox"
    SEARCH_BACKEND = os.environ.get("TEST_SEARCH_BACKEND", "whoosh")
    VIETQR_BANK_BIN = "970403"
    VIETQR_ACCOUNT = "0011012345678"
    VIETQR_ACCOUNT_NAME = "CHO OCOP"
    MARKETPLACE_SECRETS_KEY = "dGVzdC1vbmx5LW1hcmtldHBsYWNlLWtleS0zMmJ5dGU="
    SEARCH_RAISE_ERRORS = True
    REDIS_URL = ""  # tests that want Redis build their own app


CONFIGS = {"production": Config, "development": DevelopmentConfig, "testing": TestConfig}


def config_from_env():
    name = os.environ.get("OCOP_ENV", "production")
    if name not in CONFIGS:
        raise RuntimeError(f"OCOP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
