"""Search answered by the database alone, while the index is missing or being rebuilt: every word must
appear in the folded product name (SQL LIKE), newest first. Slower and plainer, but the shop keeps
answering. It is also the baseline bench/search.py measures against."""
import sqlalchemy as sa

from catalog import queries
from catalog.models import Product
from catalog.search.base import Suggestion
from storefront.extensions import db


def _like(word):
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Product.search_name.like(f"%{escaped}%", escape="\\")


def name_conditions(q):
    return [_like(w) for w in q.folded]


def search(q, f, today):
    return queries.list_products(f, today, where=name_conditions(q))


def suggest(words, prefix, limit):
    start = " ".join([*words, prefix]).strip()
    escaped = start.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    stmt = (queries.visible_products().where(Product.search_name.like(f"{escaped}%", escape="\\"))
            .with_only_columns(Product.name, Product.slug).order_by(Product.name).limit(limit * 4))
    found, seen = [], set()
    for name, slug in db.session.execute(stmt):
        if name not in seen:
            seen.add(name)
            found.append(Suggestion(name, "product", slug))
    return found[:limit]


def count_matches(q):
    """How many visible products the fallback finds (bench baseline)."""
    stmt = queries.visible_products().with_only_columns(sa.func.count()).where(*name_conditions(q))
    return db.session.scalar(stmt)
