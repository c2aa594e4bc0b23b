"""Stock changes as single conditional UPDATE statements, safe against concurrent writers on SQLite and
PostgreSQL: the database applies each change to the current value and refuses one that would go below
zero. Used by the booth's stock page and by checkout (taking stock) and cancellations (returning it)."""
import sqlalchemy as sa

from catalog.models import Product, StockMovement
from catalog.search.indexer import enqueue_products
from storefront.extensions import db


def change_stock(product_id, delta, expected=None):
    """Add `delta` unless that goes below zero (or the stock is no longer `expected`). Returns the new
    stock, or None when the row did not qualify. Does not commit."""
    products = Product.__table__
    stmt = (sa.update(products).where(products.c.id == product_id, products.c.stock + delta >= 0)
            .values(stock=products.c.stock + delta).returning(products.c.stock))
    if expected is not None:
        stmt = stmt.where(products.c.stock == expected)
    stock = db.session.execute(stmt).scalar()
    if stock is not None and (stock > 0) != (stock - delta > 0):
        enqueue_products(db.session, [product_id])  # in stock <-> sold out: the search index must know
    return stock


def move_stock(product_id, delta, reason, user_id=None):
    """change_stock plus a StockMovement saying why; None (and nothing recorded) when refused."""
    after = change_stock(product_id, delta)
    if after is not None:
        db.session.add(StockMovement(product_id=product_id, delta=delta, stock_after=after, reason=reason[:200],
                                     user_id=user_id))
    return after
