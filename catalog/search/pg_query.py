"""The SQL of one search in the `postgres` backend: the match, the filters, the ranking and the facets.

Every query word must be in the product's `document` vector (GIN index): folded, anywhere; or, for a
word of five letters or more, a known word one edit away in the name or the place (weights A and C).
The ranking scores each word like WhooshBackend's DisjunctionMax: the best of where it matched (its
tone marks as typed in the name 6, the name 4, booth/place/labels 2, a near word in the name 1.5 or in
the place 0.75, else the description 0.4) plus 0.3 of the others; then the words as a phrase in the
name add 6, in the place 3. The words' matches are computed once per row as bit masks, and a table
per word turns a mask into its score."""
from functools import cached_property

from catalog.search.base import FACETS
from catalog.search.pg_rows import exact_lexeme, quote

EXACT, NAME, CONTEXT, FUZZY_NAME, FUZZY_CONTEXT, DESCRIPTION = 6.0, 4.0, 2.0, 1.5, 0.75, 0.4
TIEBREAK = 0.3
PHRASE = 6.0  # the words as a phrase in the name
PLACE_PHRASE = 3.0  # ... or in the booth, place or labels ("Trà Cú" the district, not "Trà Vinh" and "củ")
SORTS = {  # the catalogue's orders (catalog.queries): [(column, descending)]
    "newest": [("created", True), ("id", True)],
    "price_asc": [("price", False), ("id", True)],
    "price_desc": [("price", True), ("id", True)],
    "stars": [("star_rank", True), ("created", True), ("id", True)],
}
# Known words near each long query word, through the trigram index (one edit keeps a similarity of at
# least 1/3 on words of five letters or more, above pg_trgm's default threshold of 0.3).
VARIANTS = ("SELECT w.q, s.folded FROM unnest(CAST(:words AS text[])) AS w(q) "
            "JOIN LATERAL (SELECT folded FROM search_words WHERE folded % w.q) AS s ON true")


class SearchPlan:
    """`params` and the SQL pieces of a search for ParsedQuery `q` under CatalogFilter `f`, given the
    near spellings `variants` ({folded word: [known words one edit away]})."""

    def __init__(self, q, f, variants=None):
        self.f = f
        self.params = {}
        self.words = []  # per query word: [(vector column, tsquery parameter, weight)], one bit each
        matches = []
        for i, (exact, folded) in enumerate(zip(q.exact, q.folded)):
            near = (variants or {}).get(folded, ())
            self.params[f"f{i}"] = quote(folded)
            checks = [("name_vector", f"f{i}", NAME), ("context_vector", f"f{i}", CONTEXT)]
            if exact != folded:
                self.params[f"e{i}"] = quote(exact_lexeme(exact))
                checks.append(("name_vector", f"e{i}", EXACT))
            if near:
                self.params[f"v{i}"] = " | ".join(quote(v) for v in near)
                checks += [("name_vector", f"v{i}", FUZZY_NAME), ("context_vector", f"v{i}", FUZZY_CONTEXT)]
            self.words.append(checks)
            matches.append(" | ".join([quote(folded), *(quote(v) + ":AC" for v in near)]))
        if matches:
            self.params["q"] = " & ".join(f"({m})" for m in matches)
        if len(q.folded) > 1:
            self.params["phrase"] = " <-> ".join(quote(w) for w in q.folded)
        self.filters = self._filters()

    def _filters(self):
        """{dimension: SQL condition} of the active filters; bound values go to `params`."""
        f, p, sql = self.f, self.params, {}
        if f.groups:
            p["groups"], sql["group"] = list(f.groups), '"group" = ANY(:groups)'
        if f.stars:
            p["stars"], sql["star"] = list(f.stars), "star = ANY(:stars)"
        if f.province:
            p["province"], sql["province"] = f.province, "province = :province"
        if f.entity_type:
            p["entity_type"], sql["entity_type"] = f.entity_type, "entity_type = :entity_type"
        if f.in_stock:
            sql["in_stock"] = "in_stock"
        if f.vendor_id is not None:
            p["vendor_id"], sql["vendor"] = f.vendor_id, "vendor_id = :vendor_id"
        if f.price_min is not None:
            p["price_min"], sql["price_min"] = f.price_min, "price >= :price_min"
        if f.price_max is not None:
            p["price_max"], sql["price_max"] = f.price_max, "price <= :price_max"
        return sql

    @property
    def matches(self):
        """True when the search has words to match (and so uses the GIN index)."""
        return "q" in self.params

    def where(self, facets=True):
        """The match and the filters (less the facets' own filters when `facets` is False)."""
        parts = ["document @@ CAST(:q AS tsquery)"] if self.matches else []
        parts += [sql for dim, sql in self.filters.items() if facets or dim not in FACETS]
        return " AND ".join(parts) or "true"

    def count_sql(self):
        return f"SELECT count(*) FROM search_documents WHERE {self.where()}"

    @cached_property
    def keys(self):
        """The sort: [(SQL expression, descending)]."""
        if self.f.sort in SORTS:
            return SORTS[self.f.sort]
        if self.words:
            return [(self._score[1], True), ("name_words", False), ("id", False)]
        return [("id", False)]

    def _order(self):
        return ", ".join(f"{sql} {'DESC' if descending else 'ASC'}" for sql, descending in self.keys)

    def _masks(self):
        return self._score[0] if self.f.sort not in SORTS and self.words else []

    def page_sql(self, offset, limit):
        """(id, total) of one page of results, best first."""
        columns = ", ".join(["id", "created", "price", "star_rank", "name_words", *self._masks()])
        return (f"SELECT id, count(*) OVER () AS total FROM (SELECT {columns} FROM search_documents "
                f"WHERE {self.where()}) AS hits ORDER BY {self._order()} LIMIT {int(limit)} OFFSET {int(offset)}")

    def page_and_facets_sql(self, offset, limit):
        """One page and the facet counts in one statement, over one scan of the matches. Rows of
        (kind, value, n, *keys): ('hit', NULL, id, *its sort keys) for the page, in no particular order;
        ('total', NULL, count); (facet, value, count) with each facet counted under the other filters."""
        checks = [f"({self.filters.get(dim, 'true')}) AS ok_{dim}" for dim in FACETS]
        columns = ", ".join(['id, "group", star, province, entity_type, created, price, star_rank, name_words',
                             *self._masks(), *checks])
        every = " AND ".join(f"ok_{dim}" for dim in FACETS)
        keys = [f"{sql} AS k{i}" for i, (sql, _descending) in enumerate(self.keys)]
        blanks = ", NULL" * len(keys)
        parts = [f"SELECT 'hit' AS kind, NULL AS value, id AS n, {', '.join(f'k{i}' for i in range(len(keys)))} "
                 "FROM hits", f"SELECT 'total', NULL, count(*){blanks} FROM m WHERE {every}"]
        for dim in FACETS:
            others = " AND ".join(f"ok_{d}" for d in FACETS if d != dim)
            column = '"group"' if dim == "group" else dim
            parts.append(f"SELECT '{dim}', {column}, count(*){blanks} FROM m WHERE {others} GROUP BY {column}")
        return (f"WITH m AS MATERIALIZED (SELECT {columns} FROM search_documents WHERE {self.where(facets=False)}), "
                f"hits AS (SELECT id, {', '.join(keys)} FROM m WHERE {every} ORDER BY {self._order()} "
                f"LIMIT {int(limit)} OFFSET {int(offset)}) " + " UNION ALL ".join(parts))

    @cached_property
    def _score(self):
        """(the columns of the words' match masks, the score computed from them)."""
        masks, terms = [], []
        for i, checks in enumerate(self.words):
            bits = " + ".join(f"({column} @@ CAST(:{param} AS tsquery))::int * {1 << b}"
                              for b, (column, param, _w) in enumerate(checks))
            masks.append(f"{bits} AS m{i}")
            table = ", ".join(str(word_score([w for b, (_c, _p, w) in enumerate(checks) if m >> b & 1]))
                              for m in range(1 << len(checks)))
            terms.append(f"(ARRAY[{table}]::float8[])[m{i} + 1]")
        if "phrase" in self.params:
            masks.append("(name_vector @@ CAST(:phrase AS tsquery))::int AS ph, "
                         "(context_vector @@ CAST(:phrase AS tsquery))::int AS pc")
            terms.append(f"ph * {PHRASE}::float8 + pc * {PLACE_PHRASE}::float8")
        return masks, " + ".join(terms)


def word_score(weights):
    """The best of the fields a word matched in, plus TIEBREAK times the others; a row that matched
    but in none of them has the word in its description."""
    if not weights:
        return DESCRIPTION
    best = max(weights)
    return round(best + TIEBREAK * (sum(weights) - best), 4)
