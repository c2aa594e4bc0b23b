"""Emptying the database between tests. Tables that migrations seed (the category mapping) are put back as
the migration left them, so every test starts from a freshly migrated database."""
import sqlalchemy as sa

from catalog import search
from storefront.extensions import db

SEEDED_TABLES = ("category_mappings",)
_seeds = {}  # database URL -> {table: [row dicts]} read right after the migrations ran


def remember_seeds(app):
    """Read the seeded tables' rows (call once, right after `upgrade()`)."""
    with app.app_context(), db.engine.connect() as conn:
        _seeds[app.config["SQLALCHEMY_DATABASE_URI"]] = {
            name: [dict(row) for row in conn.execute(sa.select(db.metadata.tables[name])).mappings()]
            for name in SEEDED_TABLES}


def empty_database(app, reset_search=True):
    """Empty every table and the page cache (and the search index), then put the seeded rows back."""
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        seeds = _seeds.get(app.config["SQLALCHEMY_DATABASE_URI"], {})
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for name in tables:
                    conn.execute(sa.text(f'DELETE FROM "{name}"'))
            for name, rows in seeds.items():
                if rows:
                    conn.execute(sa.insert(db.metadata.tables[name]), rows)
                    if conn.dialect.name == "postgresql":  # TRUNCATE … RESTART IDENTITY started the ids again at 1
                        conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                             f"(SELECT max(id) FROM {name}))"))
        app.extensions["page_cache"].clear()
        if reset_search and not search.backend(app).is_empty():
            search.reset()
