"""Upgrading a database that already holds a market keeps every row (SQLite batch migrations rebuild
tables; with foreign keys on, that used to cascade-delete all products)."""
import sqlalchemy as sa
from flask_migrate import upgrade

from storefront import create_app
from storefront.config import TestConfig
from storefront.extensions import db

FIRST = "a59770778cf5"


def test_upgrading_from_the_first_schema_keeps_booths_and_products(tmp_path):
    class Config(TestConfig):
        INSTANCE_PATH = str(tmp_path)
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old.sqlite'}"

    app = create_app(Config)
    with app.app_context():
        upgrade(revision=FIRST)
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO vendors (id, name, slug, entity_type, story, address_text, province, commune,"
                " legacy_district, status, created_at, updated_at) VALUES (1, 'HTX Dừa', 'htx-dua', 'hop_tac_xa',"
                " '', '', 'vinh-long', '', '', 'approved', '2025-01-01', '2025-01-01')"))
            conn.execute(sa.text(
                "INSERT INTO products (id, vendor_id, name, slug, \"group\", description, price_vnd, stock, unit,"
                " is_published, created_at, updated_at) VALUES (1, 1, 'Kẹo dừa', 'keo-dua', 'thuc_pham', '',"
                " 45000, 3, 'hộp', 1, '2025-01-01', '2025-01-01')"))
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM products")).scalar() == 1
            assert conn.execute(sa.text("SELECT status, is_assisted FROM vendors")).one() == ("approved", 0)
            assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []
        db.engine.dispose()
