"""The shared backend: full-text search in the PostgreSQL database itself, for several app servers.

Documents live in the tables of catalog.search.pg_models. Only the holder of a PostgreSQL advisory lock
writes them; the lock is held on a connection of its own, so the server frees it when a process dies.
Words are folded in Python as the Whoosh analyzers fold them (catalog.search.pg_rows), descriptions by
`unaccent`; the query, ranking and facets are built by catalog.search.pg_query. Known words sit in a
table with a trigram index, for typo tolerance and "did you mean"."""
import secrets
from contextlib import contextmanager
from datetime import datetime, timezone

import sqlalchemy as sa

from catalog.search import pg_rows
from catalog.search.base import FACETS, Hits, Suggestion, edit_distance
from catalog.search.pg_query import VARIANTS, SearchPlan
from catalog.search.query import begins_with
from storefront.extensions import db
from storefront.text import fold

FUZZY_MIN = 5  # one edit is forgiven on words of at least this many letters
CORRECTION_SIMILARITY = "0.2"  # trigram similarity that still holds words two edits away
LOCK_KEY = 0x6F636F705F737263  # "ocop_src": the indexer's advisory lock
BUILT = "built_at"  # meta key written by every rebuild: the index exists
GENERATION = "generation"  # meta key changed by every write: what was read from the index may have changed
TABLES = ("search_documents", "search_booths", "search_words")

# Reading, for "did you mean". Words are counted up to COUNT_UP_TO: enough to tell known words from unknown
# ones and rare from common, without counting thousands of rows for a common word. The spelling of a word
# is the commonest among the product names of a sample that hold it.
COUNT_UP_TO = 100
MEMO_SIZE = 10_000
SPELLING_SAMPLE = 200
VOCABULARY = ("SELECT w, (SELECT count(*) FROM (SELECT FROM search_documents WHERE document @@ t.q "
              "AND (name_vector @@ t.q OR context_vector @@ t.q) LIMIT :most) AS d) "
              "+ (SELECT count(*) FROM search_booths WHERE name_vector @@ t.q) "
              "FROM unnest(CAST(:words AS text[])) AS w CROSS JOIN LATERAL "
              "(SELECT CAST(quote_literal(w) AS tsquery) AS q) AS t")
SPELLING = ("SELECT s.word, count(*) AS n FROM (SELECT name_vector FROM search_documents WHERE name_vector @@ "
            "CAST(quote_literal(:f) AS tsquery) LIMIT :sample) AS d CROSS JOIN LATERAL unnest(d.name_vector) AS u "
            "JOIN search_words AS s ON s.folded = :f AND u.lexeme = '=' || s.word "
            "GROUP BY s.word ORDER BY n DESC, s.word LIMIT 1")
SUGGEST_BOOTHS = ("SELECT name, slug FROM search_booths WHERE name_vector @@ CAST(:tsq AS tsquery) "
                  "ORDER BY name_folded LIKE :start DESC, length(name_folded), id LIMIT 3")
SUGGEST_STARTING = ("SELECT name, slug FROM search_documents WHERE name_folded LIKE :start "
                    "ORDER BY name_folded USING ~<~, id LIMIT :n")  # the text_pattern_ops index, in order
SUGGEST_ANYWHERE = ("SELECT name, slug FROM search_documents WHERE name_vector @@ CAST(:tsq AS tsquery) "
                    "LIMIT :n")  # any n of them: sorting every match of a short prefix costs too much
# Writing
DOC_COLUMNS = ("id", "vendor_id", "slug", "name", "name_folded", "name_words", "name_vector", "context_vector",
               "group", "star", "star_rank", "province", "entity_type", "product_set", "in_stock", "price", "created")
_LISTED = ", ".join(f'"{c}"' for c in DOC_COLUMNS)
DOCUMENT = "CAST({head} AS tsvector) || setweight(to_tsvector('ocop_vi', {description}), 'D')"
UPSERT_DOCUMENTS = (
    f"INSERT INTO search_documents ({_LISTED}, document) VALUES ("
    + ", ".join(f"CAST(:{c} AS tsvector)" if c.endswith("_vector") else f":{c}" for c in DOC_COLUMNS)
    + ", " + DOCUMENT.format(head=":head", description=":description") + ") ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f'"{c}" = excluded."{c}"' for c in [*DOC_COLUMNS[1:], "document"]))
NEXT = "search_documents_next"  # the table a rebuild fills, then swaps in
STAGING = (f"CREATE TEMP TABLE search_staging ON COMMIT DROP AS SELECT {_LISTED}, ''::text AS head, "
           "''::text AS description FROM search_documents WITH NO DATA")
FROM_STAGING = (f"INSERT INTO {NEXT} ({_LISTED}, document) SELECT {_LISTED}, "
                + DOCUMENT.format(head="head", description="description") + " FROM search_staging")
UPSERT_BOOTHS = ("INSERT INTO search_booths (id, slug, name, name_folded, name_vector) VALUES (:id, :slug, :name, "
                 ":name_folded, CAST(:name_vector AS tsvector)) ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, "
                 "name = excluded.name, name_folded = excluded.name_folded, name_vector = excluded.name_vector")
ADD_WORDS = ("INSERT INTO search_words (word, folded) SELECT * FROM unnest(CAST(:words AS text[]), "
             "CAST(:folded AS text[])) ON CONFLICT (word) DO NOTHING")
PUT_META = ("INSERT INTO search_meta (key, value) VALUES (:key, :value) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value")


def make_backend(app):
    url = sa.engine.make_url(app.config.get("SQLALCHEMY_DATABASE_URI") or "sqlite://")
    if url.get_backend_name() != "postgresql":
        raise RuntimeError(f"SEARCH_BACKEND 'postgres' needs a PostgreSQL database, and DATABASE_URL is "
                           f"{url.get_backend_name()}: use SEARCH_BACKEND=whoosh")
    return PostgresBackend(app)


class PostgresBackend:
    name = "postgres"

    def __init__(self, app):
        self.app = app
        self._engine = None
        self._ready = False  # once built, the index stays built: rebuilds swap tables and meta in one transaction
        self._memo, self._memo_generation = {}, None

    @property
    def engine(self):
        if self._engine is None:
            with self.app.app_context():
                self._engine = db.engine
        return self._engine

    def _read(self, sql, params=None, indexed=False):
        """Rows of one statement; with `indexed`, through the indexes rather than a whole-table scan."""
        with self.engine.connect() as conn:
            if indexed:
                conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
            return conn.execute(sa.text(sql), params or {}).all()

    def _remembered(self, key, compute):
        """compute(), remembered until the index next changes (did-you-mean asks the same things often)."""
        generation = self.get_meta(GENERATION)
        if generation is None:
            return compute()
        if self._memo_generation != generation or len(self._memo) > MEMO_SIZE:
            self._memo, self._memo_generation = {}, generation
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # -- state --------------------------------------------------------------------------------------------------

    def get_meta(self, key):
        rows = self._read("SELECT value FROM search_meta WHERE key = :key", {"key": key})
        return rows[0][0] if rows else None

    def set_meta(self, key, value):
        with self.engine.begin() as conn:
            conn.execute(sa.text(PUT_META), {"key": key, "value": str(value)})

    def is_ready(self):
        """True once a rebuild (or a clear) has made the tables an index, and they can be read. Asked
        before every search: a true answer is remembered."""
        if not self._ready:
            try:
                self._ready = self.get_meta(BUILT) is not None
            except sa.exc.DBAPIError:
                return False
        return self._ready

    def is_empty(self):
        """True when the index holds no product and no booth. An index never built is not empty: the
        tests' reset() then makes it a ready, empty one."""
        try:
            built, products, booths = self._read(
                "SELECT (SELECT value FROM search_meta WHERE key = :key), EXISTS (SELECT FROM search_documents), "
                "EXISTS (SELECT FROM search_booths)", {"key": BUILT})[0]
        except sa.exc.DBAPIError:
            return True
        return built is not None and not products and not booths

    # -- reading ------------------------------------------------------------------------------------------------

    def _plan(self, conn, q, f, fuzzy=True):
        """The SearchPlan of `q` under `f`, with known words one edit from its long words when `fuzzy`."""
        variants = {}
        long = sorted({w for w in q.folded if len(w) >= FUZZY_MIN}) if fuzzy else []
        if long:
            for word, known in conn.execute(sa.text(VARIANTS), {"words": long}):
                if known != word and known[0] == word[0] and edit_distance(word, known) == 1:
                    variants.setdefault(word, set()).add(known)
        plan = SearchPlan(q, f, {w: sorted(v) for w, v in variants.items()})
        if plan.matches:
            # The planner prices a vector test like a comparison and reads every row for a common word;
            # through the GIN index the rows that match are found without testing their vectors.
            conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
        return plan

    def search(self, q, f, facets=False):
        first = (f.page - 1) * f.per_page
        with self.engine.connect() as conn:
            plan = self._plan(conn, q, f)
            if not facets:
                rows = conn.execute(sa.text(plan.page_sql(first, f.per_page)), plan.params).all()
                total = rows[0].total if rows else (conn.execute(sa.text(plan.count_sql()), plan.params).scalar()
                                                    if first else 0)
                return Hits([r.id for r in rows], total)
            rows = conn.execute(sa.text(plan.page_and_facets_sql(first, f.per_page)), plan.params).all()
        hits, total, counts = [], 0, {dim: {} for dim in FACETS}
        for kind, value, n, *keys in rows:
            if kind == "hit":
                hits.append((tuple(-k if descending else k for k, (_sql, descending) in zip(keys, plan.keys)), n))
            elif kind == "total":
                total = n
            elif value and value != "none":
                counts[kind][value] = n
        return Hits([product_id for _keys, product_id in sorted(hits)], total, counts)

    def count(self, q, f):
        with self.engine.connect() as conn:
            plan = self._plan(conn, q, f, fuzzy=False)
            return conn.execute(sa.text(plan.count_sql()), plan.params).scalar()

    def vendor_product_ids(self, vendor_id):
        return [r[0] for r in self._read("SELECT id FROM search_documents WHERE vendor_id = :v ORDER BY id",
                                         {"v": vendor_id})]

    def vocabulary(self, word):
        """How many documents hold `word` (folded) in a name or place (up to COUNT_UP_TO), plus booths
        with it in their name."""
        return self._remembered(("vocabulary", word), lambda: self._vocabulary([word]).get(word, 0))

    def _vocabulary(self, words):
        return dict(self._read(VOCABULARY, {"words": list(words), "most": COUNT_UP_TO}, indexed=True)) if words else {}

    def corrections(self, word):
        """Known folded words one or two edits from `word` (same first letter), commonest first."""
        return self._remembered(("corrections", word), lambda: self._corrections(word)) if word else []

    def _corrections(self, word):
        with self.engine.begin() as conn:
            conn.execute(sa.text("SELECT set_config('pg_trgm.similarity_threshold', :s, true)"),
                         {"s": CORRECTION_SIMILARITY})
            known = set(conn.execute(sa.text("SELECT folded FROM search_words WHERE folded % :w"),
                                     {"w": word}).scalars())
        near = sorted((edit_distance(word, w), w) for w in known if w != word and w[0] == word[0])
        near = [w for d, w in near if d <= 2][:10]
        counts = self._vocabulary(near)  # known words no document holds any more are left out
        return sorted((w for w in near if counts.get(w)), key=lambda w: (edit_distance(word, w), -counts[w]))

    def spelling(self, folded):
        """The commonest way the folded word is written (with its tone marks) in product names, or None."""
        def commonest():
            rows = self._read(SPELLING, {"f": folded, "sample": SPELLING_SAMPLE}, indexed=True)
            return rows[0].word if rows else None

        return self._remembered(("spelling", folded), commonest)

    def suggest(self, words, prefix, limit=8):
        """Up to `limit` booth (at most 3) and distinct product names whose words start as typed, those that
        begin with the typed text first: found by the prefix index on folded names, then, when they are
        too few, by the GIN index of name words (anywhere in the name, the shortest names first)."""
        terms = [pg_rows.quote(w) for w in words] + ([pg_rows.quote(prefix) + ":*"] if prefix else [])
        if not terms:
            return []
        start = " ".join([*words, prefix]).strip()
        escaped = start.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params = {"tsq": " & ".join(terms), "start": escaped + "%", "n": limit * 5}
        with self.engine.connect() as conn:
            conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
            found = [Suggestion(name, "booth", slug) for name, slug in conn.execute(sa.text(SUGGEST_BOOTHS), params)]
            seen = {fold(s.text) for s in found}
            products = _distinct(conn.execute(sa.text(SUGGEST_STARTING), params), seen, limit)
            if len(products) < limit:
                rows = sorted(conn.execute(sa.text(SUGGEST_ANYWHERE), params), key=lambda r: (len(r.name), r.name))
                products += _distinct(rows, seen, limit - len(products))
        found += [Suggestion(name, "product", slug) for name, slug in products]
        found.sort(key=lambda s: not begins_with(s.text, words, prefix))
        return found[:limit]

    # -- writing (only under self.lock) ---------------------------------------------------------------------------

    @contextmanager
    def lock(self, blocking=False):
        """The indexer's advisory lock, held on a connection of its own (outside any transaction)."""
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            if blocking:
                conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_KEY})
            elif not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar():
                yield False
                return
            try:
                yield True
            finally:
                try:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                except sa.exc.DBAPIError:
                    conn.invalidate()  # the server frees the lock with the connection
        finally:
            conn.close()

    def apply(self, docs, removed, booths=(), removed_booths=()):
        docs = list({d["id"]: d for d in docs}.values())
        words = set()
        with self.engine.begin() as conn:
            if removed:
                conn.execute(sa.text("DELETE FROM search_documents WHERE id = ANY(:ids)"), {"ids": list(removed)})
            if docs:
                conn.execute(sa.text(UPSERT_DOCUMENTS), [pg_rows.document_row(d, words) for d in docs])
            if removed_booths:
                conn.execute(sa.text("DELETE FROM search_booths WHERE id = ANY(:ids)"), {"ids": list(removed_booths)})
            if booths:
                conn.execute(sa.text(UPSERT_BOOTHS), [pg_rows.booth_row(b, words) for b in booths])
            _add_words(conn, words)
            conn.execute(sa.text(PUT_META), {"key": GENERATION, "value": secrets.token_hex(8)})

    def rebuild(self, batches, booths, meta):
        """Build a new documents table beside the live one, index it, and swap the two at the end of one
        transaction: readers keep the previous index until then and wait only for the swap itself.
        Documents are copied into a temporary table and get their vectors in one INSERT; indexes built
        after the rows are faster than indexes kept up to date row by row, and no dead rows are left."""
        booths = list(booths)
        words = set()
        with self.engine.begin() as conn:
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {NEXT}"))
            conn.execute(sa.text(f"CREATE TABLE {NEXT} (LIKE search_documents INCLUDING DEFAULTS)"))
            conn.execute(sa.text(STAGING))
            columns = (*DOC_COLUMNS, "head", "description")
            listed = ", ".join(f'"{c}"' for c in columns)
            cursor = conn.connection.driver_connection.cursor()
            with cursor.copy(f"COPY search_staging ({listed}) FROM STDIN") as copy:
                for batch in batches:
                    for doc in batch:
                        row = pg_rows.document_row(doc, words)
                        copy.write_row([row[c] for c in columns])
            conn.execute(sa.text(FROM_STAGING))
            renames = _index_like_the_live_table(conn)
            conn.execute(sa.text(f"ANALYZE {NEXT}"))
            for table in ("search_booths", "search_words", "search_meta"):
                conn.execute(sa.text(f"DELETE FROM {table}"))
            if booths:
                conn.execute(sa.text(UPSERT_BOOTHS), [pg_rows.booth_row(b, words) for b in booths])
            _add_words(conn, words)
            for key, value in {**meta, BUILT: _now(), GENERATION: secrets.token_hex(8)}.items():
                conn.execute(sa.text(PUT_META), {"key": key, "value": str(value)})
            for statement in ("DROP TABLE search_documents", f"ALTER TABLE {NEXT} RENAME TO search_documents",
                              *renames):
                conn.execute(sa.text(statement))
        self._ready = True
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE search_booths, search_words"))

    def clear(self):
        """Make the index empty and ready (tests; `reindex` on an empty market), keeping its meta."""
        with self.engine.begin() as conn:
            for table in TABLES:
                conn.execute(sa.text(f"DELETE FROM {table}"))
            for key, value in {BUILT: _now(), GENERATION: secrets.token_hex(8)}.items():
                conn.execute(sa.text(PUT_META), {"key": key, "value": value})
        self._ready = True


def _distinct(rows, seen, most):
    """Up to `most` (name, slug) of `rows` whose folded name is not in `seen` yet (which grows)."""
    kept = []
    for name, slug in rows:
        if len(kept) >= most:
            break
        if fold(name) not in seen:
            seen.add(fold(name))
            kept.append((name, slug))
    return kept


def _index_like_the_live_table(conn):
    """Give the rebuilt table the live table's primary key and indexes (as the migrations made them),
    under temporary names; returns the statements that rename them to the live names after the swap."""
    renames = []
    for name, definition, is_key in conn.execute(sa.text(
            "SELECT i.indexname, i.indexdef, c.conname IS NOT NULL FROM pg_indexes i LEFT JOIN pg_constraint c "
            "ON c.conname = i.indexname AND c.contype = 'p' AND c.conrelid = 'search_documents'::regclass "
            "WHERE i.schemaname = current_schema() AND i.tablename = 'search_documents'")):
        temporary = f"{name[:50]}_next"
        if is_key:
            conn.execute(sa.text(f'ALTER TABLE {NEXT} ADD CONSTRAINT "{temporary}" PRIMARY KEY (id)'))
            renames.append(f'ALTER TABLE search_documents RENAME CONSTRAINT "{temporary}" TO "{name}"')
        else:
            head, _on, tail = definition.partition(" ON ")
            table, _space, rest = tail.partition(" ")
            conn.execute(sa.text(f'{head.rsplit(" ", 1)[0]} "{temporary}" ON {table}_next {rest}'))
            renames.append(f'ALTER INDEX "{temporary}" RENAME TO "{name}"')
    return renames


def _add_words(conn, words, batch=5000):
    rows = sorted(w for w in words if len(w[0]) <= pg_rows.MAX_WORD)
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        conn.execute(sa.text(ADD_WORDS), {"words": [w for w, _f in chunk], "folded": [f for _w, f in chunk]})


def _now():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
