"""What the Whoosh backend stores beyond Whoosh's own index: the schemas and their fields, one record per
document read back a segment at a time, postings read a block at a time, and the saved table of a
rebuilt index's one segment."""
import logging
import os
import pickle
from array import array
from itertools import accumulate

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema
from whoosh.matching import FilterMatcher

from catalog.search.analysis import folded_analyzer

log = logging.getLogger(__name__)
TABLE_FORMAT = 2  # of saved whoosh_tables.SegmentTable pickles: change it with the table's attributes
# Orders of the catalogue's sorts (catalog.queries), as (column, descending) keys: ties newest product first.
SORT_KEYS = {"price_asc": (("price", False), ("id", True)), "price_desc": (("price", True), ("id", True)),
             "newest": (("created", True), ("id", True)),
             "stars": (("star_rank", True), ("created", True), ("id", True))}


def product_schema():
    """Whoosh indexes the ids and the descriptions' words; names, contexts and columns are one record per
    document in the `data` column (record), read a segment at a time."""
    return Schema(id=ID(stored=True, unique=True), vendor=ID, name=STORED, slug=STORED,
                  description=TEXT(analyzer=folded_analyzer(), phrase=False), data=COLUMN(VarBytesColumn()))


def booth_schema():
    return Schema(id=ID(stored=True, unique=True), name=STORED, slug=STORED)


def fields(doc):
    return {"id": str(doc["id"]), "vendor": str(doc["vendor_id"]), "description": doc["description"],
            "name": doc["name"], "slug": doc["slug"], "data": record(doc)}


def booth_fields(booth):
    return {"id": str(booth.id), "name": booth.name, "slug": booth.slug}


# The per-document record of the index's `data` column, in this order; text fields last.
RECORD = ("id", "vendor_id", "in_stock", "price", "created", "star_rank", "group", "star", "province", "entity_type",
          "name", "context")
SEPARATOR = "\x1f"


def record(doc):
    """A document's `data` column value: its RECORD fields in one string, read back for a whole segment
    at once (Whoosh's stored fields are unpickled and decompressed one document at a time)."""
    values = [str(int(doc[f])) for f in RECORD[:6]] + [str(doc[f] or "") for f in RECORD[6:]]
    return SEPARATOR.join(v.replace(SEPARATOR, " ") for v in values).encode("utf-8")


def postings(reader, field, word):
    """(document numbers in order, those holding the word more than once, how many times) of a word in
    one segment, as arrays, deleted documents included (they are left out per generation). Whoosh 2.7's
    blocks of postings are decoded here a block at a time (its matchers make several Python calls per
    posting); any other matcher is read the generic way."""
    docs, heavy, counts = array("i"), array("i"), array("H")
    if (field, word) not in reader:
        return docs, heavy, counts
    matcher = reader.postings(field, word)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            first = len(docs)
            docs.extend(accumulate(matcher._data[0]))  # the block's ids are stored as differences
            weights = matcher._data[1]  # None: all 1; a float: all that; else one per posting
            if isinstance(weights, float):
                weights = [weights] * (len(docs) - first)
            for doc, weight in zip(docs[first:], weights or ()):
                if weight > 1:
                    heavy.append(doc)
                    counts.append(min(int(weight), 65535))
            matcher._next_block()
        return docs, heavy, counts
    while matcher.is_active():
        docs.append(matcher.id())
        if matcher.weight() > 1:
            heavy.append(matcher.id())
            counts.append(min(int(matcher.weight()), 65535))
        matcher.next()
    return docs, heavy, counts


def _table_file(folder, indexname, segment_id):
    return folder / f"{indexname}-{segment_id}.v{TABLE_FORMAT}.table"


def save_table(folder, indexname, table):
    """Save the table of an index's segment beside it (whoosh_tables.SegmentTable): a worker loads it in
    a tenth of the time building it takes (at 100,000 products, 0.3 s instead of 3 s)."""
    tmp = folder / f"table.{os.getpid()}.tmp"
    with open(tmp, "wb") as handle:
        pickle.dump(table, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, _table_file(folder, indexname, table.key))


def load_table(folder, indexname, reader):
    """The table saved for a segment reader's segment, or None (none saved, or a damaged file, or not
    this segment's): the caller builds it from the segment instead."""
    segment_id = reader.segment().segment_id()
    path = _table_file(folder, indexname, segment_id)
    try:
        with open(path, "rb") as handle:
            table = pickle.load(handle)  # written by save_table into this instance's own index folder
    except FileNotFoundError:
        return None
    except Exception:
        log.warning("search: could not load %s; building it from the index", path, exc_info=True)
        return None
    same = getattr(table, "key", None) == segment_id and getattr(table, "size", None) == reader.doc_count_all()
    return table if same else None
