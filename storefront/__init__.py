"""Chợ OCOP: the application factory. Each init step is small and named; domains are listed explicitly."""
import logging
import os
from pathlib import Path

from flask import Flask
from flask_babel import get_locale
from sqlalchemy import event
from sqlalchemy.engine import Engine

from storefront import errors, i18n, media, pagecache
from storefront.config import DEV_SECRET, config_from_env
from storefront.extensions import csrf, db, migrate
from storefront.money import vnd
from storefront.urls import DatabaseIdConverter

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"


def create_app(config=None):
    config = config or config_from_env()
    instance = getattr(config, "INSTANCE_PATH", None) or os.environ.get("OCOP_INSTANCE") or str(ROOT / "instance")
    app = Flask(
        __name__, instance_path=instance, template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config)
    app.url_map.converters["int"] = DatabaseIdConverter
    for step in (init_config, init_extensions, init_templates, init_blueprints, init_accounts, init_orders,
                 init_cli):
        step(app)
    return app


def init_config(app):
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    env = app.config["ENV_NAME"]
    if env == "production" and (not app.config.get("SECRET_KEY") or app.config["SECRET_KEY"] == DEV_SECRET):
        raise RuntimeError("SECRET_KEY must be set in the environment outside development (OCOP_ENV=development)")
    if env == "production" and not app.config.get("BASE_URL"):
        # Links in e-mails (password reset) and QR codes must not be built from a Host header an attacker sends.
        raise RuntimeError("BASE_URL (e.g. https://cho-ocop.vn) must be set in the environment in production")
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'ocop.sqlite'}"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    logging.basicConfig(level=logging.INFO if env != "testing" else logging.WARNING)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite: enforce foreign keys, WAL for concurrent readers, and wait on locks instead of failing."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()


def init_extensions(app):
    # Import the models of every domain so metadata (and Alembic autogenerate) sees them all.
    import catalog.listings.models  # noqa: F401
    import catalog.models  # noqa: F401
    import catalog.search.models  # noqa: F401
    import catalog.search.pg_models  # noqa: F401
    import orders.models  # noqa: F401
    import storefront.models  # noqa: F401
    import vendors.models  # noqa: F401
    from catalog import search

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    csrf.init_app(app)
    i18n.init_app(app)
    media.init_app(app)
    pagecache.init_app(app)
    errors.init_app(app)
    search.init_app(app)


def init_templates(app):
    app.jinja_env.filters["vnd"] = vnd
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")


def init_blueprints(app):
    from catalog.api import bp as catalog_api
    from catalog.listings.staff_views import bp as listings_staff
    from catalog.listings.vendor_views import bp as listings_manage
    from catalog.manage import bp as catalog_manage
    from catalog.qr import bp as catalog_qr
    from catalog.search.views import bp as catalog_search
    from catalog.views import bp as catalog_views
    from orders.manage import bp as orders_manage
    from orders.payments.views import bp as orders_payments
    from orders.staff import bp as orders_staff
    from orders.views import bp as orders_views
    from storefront.views import bp as storefront_views
    from vendors.staff import bp as vendors_staff
    from vendors.views import bp as vendors_views

    app.register_blueprint(storefront_views)
    app.register_blueprint(catalog_views)
    app.register_blueprint(catalog_qr)
    app.register_blueprint(catalog_search)
    app.register_blueprint(vendors_views)
    app.register_blueprint(vendors_staff)
    app.register_blueprint(catalog_manage)
    app.register_blueprint(orders_views)
    app.register_blueprint(orders_payments)
    app.register_blueprint(orders_manage)
    app.register_blueprint(orders_staff)
    app.register_blueprint(listings_manage)
    app.register_blueprint(listings_staff)
    app.register_blueprint(catalog_api, url_prefix="/api/v1")


def init_accounts(app):
    """Sign-in (Flask-Login), the /account/ pages, rate limits, security headers and permissions."""
    from storefront import accounts

    accounts.init_app(app)


def init_orders(app):
    """Orders reach into the other domains: products on orders are kept, carts merge at sign-in."""
    import orders

    orders.init_app(app)


def init_cli(app):
    from catalog.cli import register as register_catalog
    from catalog.marketplaces.cli import register as register_marketplaces
    from orders.cli import register as register_orders
    from storefront.accounts.cli import create_user
    from storefront.cli import ocop

    register_catalog(ocop)
    register_marketplaces(ocop)
    register_orders(ocop)
    ocop.add_command(create_user)
    app.cli.add_command(ocop)
