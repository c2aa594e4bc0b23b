"""What every search backend provides, and the values they answer with.

A backend (catalog.search.whoosh_backend, catalog.search.postgres_backend) implements:

- reading: `is_ready()`, `search(q, f, facets)` -> Hits, `count(q, f)` -> int (no typo tolerance),
  `suggest(words, prefix, limit)` -> [Suggestion], and for "did you mean": `vocabulary(word)` (how many
  documents hold the folded word), `corrections(word)` (known folded words one or two edits away, best
  first) and `spelling(folded)` (how the word is written with tone marks, or None);
- writing, only inside `with backend.lock(blocking) as got:` when `got` is true: `apply(docs, removed,
  booths, removed_booths)`, `rebuild(batches, booths, meta)`, `clear()`, `get_meta(key)`, `set_meta(key, value)`.

`q` is a catalog.search.query.ParsedQuery, `f` a catalog.filters.CatalogFilter (its sort may also be
'relevance'), documents are the dicts of catalog.search.documents."""
from dataclasses import dataclass, field

FACETS = ("group", "star", "province", "entity_type")


@dataclass
class Hits:
    ids: list  # product ids of the requested page, best first
    total: int
    facets: dict | None = None  # {facet: {value: count}} over FACETS, each ignoring its own filter
    suggestion: str | None = None
    degraded: bool = False  # answered by the database fallback while the index is being rebuilt
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str  # 'product' or 'booth'
    slug: str


def edit_distance(a, b):
    """Levenshtein distance (for ranking "did you mean" candidates)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
