"""Emptying the database between tests. Tables that migrations seed (the category mapping) are put back as
the migration left them, so every test starts from a freshly migrated database.

On PostgreSQL a TRUNCATE of every table costs about 70 ms (more on a busy machine), which over two thousand
tests is minutes; so one query first asks which tables a test touched (rows in them, an id sequence that has
moved since the last reset, or a seeded table that no longer matches its seed) and only those are truncated."""
import sqlalchemy as sa

from catalog import search
from storefront.extensions import db

SEEDED_TABLES = ("category_mappings",)
_seeds = {}  # database URL -> {table: [row dicts]} read right after the migrations ran
_probes = {}  # database URL -> the query naming the tables a test touched (PostgreSQL)


def _fingerprint(name):
    return f"(SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x.id), '')) FROM \"{name}\" x)"


def remember_seeds(app):
    """Read the seeded tables' rows (call once, right after `upgrade()`), and on PostgreSQL build the probe."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context(), db.engine.connect() as conn:
        _seeds[url] = {name: [dict(row) for row in conn.execute(sa.select(db.metadata.tables[name])).mappings()]
                       for name in SEEDED_TABLES}
        if conn.dialect.name == "postgresql":
            _probes[url] = _probe(conn)


def _probe(conn):
    parts = []
    for table in db.metadata.sorted_tables:
        name = table.name
        if name in SEEDED_TABLES:  # changed, or rows added and removed again (its id sequence moved)
            sequence = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": name}).scalar()
            seeded, last = conn.execute(sa.text(f"SELECT {_fingerprint(name)}, last_value FROM {sequence}")).one()
            parts.append(f"SELECT '{name}' WHERE {_fingerprint(name)} <> '{seeded}' "
                         f"OR (SELECT last_value FROM {sequence}) <> {last}")
            continue
        touched = f"EXISTS (SELECT 1 FROM \"{name}\")"
        if "id" in table.columns:
            sequence = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": name}).scalar()
            if sequence:
                touched += f" OR (SELECT is_called FROM {sequence})"
        parts.append(f"SELECT '{name}' WHERE {touched}")
    return sa.text(" UNION ALL ".join(parts))


def empty_database(app, reset_search=True):
    """Empty every table and the page cache (and the search index), then put the seeded rows back."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        db.session.remove()
        seeds = _seeds.get(url, {})
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                probe = _probes.get(url)
                touched = ([row[0] for row in conn.execute(probe)] if probe is not None
                           else [t.name for t in db.metadata.sorted_tables])
                if touched:
                    conn.execute(sa.text(f"TRUNCATE {', '.join(touched)} RESTART IDENTITY CASCADE"))
                seeds = {name: rows for name, rows in seeds.items() if name in touched}
            else:
                for table in reversed(db.metadata.sorted_tables):
                    conn.execute(sa.text(f'DELETE FROM "{table.name}"'))
            for name, rows in seeds.items():
                if rows:
                    conn.execute(sa.insert(db.metadata.tables[name]), rows)
                    if conn.dialect.name == "postgresql":  # TRUNCATE … RESTART IDENTITY started the ids again at 1
                        conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                             f"(SELECT max(id) FROM {name}))"))
        app.extensions["page_cache"].clear()
        if reset_search and not search.backend(app).is_empty():
            search.reset()
