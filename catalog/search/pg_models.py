"""Tables of the `postgres` search backend (catalog.search.postgres_backend). They exist in every database
so that models and migrations agree; only PostgreSQL fills them.

Text columns hold words already folded in Python (storefront.text.fold, the analyzers' fold), so search
behaves as with Whoosh. The PostgreSQL-only index methods (GIN, trigram, pattern operators) are declared
with `postgresql_*` options, which other databases ignore."""
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db

TSVECTOR = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")
# GIN indexes read by every search: no pending list of recent entries for each search to scan.
GIN = {"postgresql_using": "gin", "postgresql_with": {"fastupdate": "off"}}


class SearchDocument(db.Model):
    """One visible product. `document` holds every searchable word, weighted by where it comes from
    (A name, C booth/place/labels, D description); the small `name_vector` (folded words, and each
    word as written, lower case with its tone marks, as '=kẹo' at the same position) and
    `context_vector` serve ranking and suggestions."""

    __tablename__ = "search_documents"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # the product's id
    vendor_id: Mapped[int] = mapped_column(index=True)
    slug: Mapped[str] = mapped_column(sa.String(120))
    name: Mapped[str] = mapped_column(sa.String(255))
    name_folded: Mapped[str] = mapped_column(sa.Text)  # the name's folded words, one space apart
    name_words: Mapped[int] = mapped_column(sa.SmallInteger)
    name_vector = mapped_column(TSVECTOR, nullable=False)
    context_vector = mapped_column(TSVECTOR, nullable=False)
    document = mapped_column(TSVECTOR, nullable=False)
    group: Mapped[str] = mapped_column(sa.String(24))
    star: Mapped[str] = mapped_column(sa.String(4))  # '' when no valid certificate
    star_rank: Mapped[int] = mapped_column(sa.SmallInteger)
    province: Mapped[str | None] = mapped_column(sa.String(40))
    entity_type: Mapped[str | None] = mapped_column(sa.String(24))
    product_set: Mapped[str] = mapped_column(sa.String(40))
    in_stock: Mapped[bool] = mapped_column()
    price: Mapped[int] = mapped_column(sa.BigInteger)
    created: Mapped[int] = mapped_column(sa.BigInteger)  # unix seconds

    __table_args__ = (
        sa.Index("ix_search_documents_document", "document", **GIN),
        sa.Index("ix_search_documents_name_vector", "name_vector", **GIN),
        sa.Index("ix_search_documents_name_prefix", "name_folded",
                 postgresql_ops={"name_folded": "text_pattern_ops"}),
    )


class SearchBooth(db.Model):
    """One open booth, for as-you-type suggestions."""

    __tablename__ = "search_booths"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # the vendor's id
    slug: Mapped[str] = mapped_column(sa.String(100))
    name: Mapped[str] = mapped_column(sa.String(200))
    name_folded: Mapped[str] = mapped_column(sa.Text)
    name_vector = mapped_column(TSVECTOR, nullable=False)

    __table_args__ = (sa.Index("ix_search_booths_name_vector", "name_vector", **GIN),)


class SearchWord(db.Model):
    """Known words: every folded word of names, places and booths, and each spelling with tone marks
    of a product name's words. Typo tolerance and "did you mean" look here (trigram index)."""

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    folded: Mapped[str] = mapped_column(sa.String(80))

    __table_args__ = (
        sa.Index("ix_search_words_folded", "folded"),
        sa.Index("ix_search_words_trigrams", "folded", postgresql_ops={"folded": "gin_trgm_ops"}, **GIN),
    )


class SearchMeta(db.Model):
    """Facts about the index: when it was built, and the day its stars were computed for."""

    __tablename__ = "search_meta"

    key: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)
