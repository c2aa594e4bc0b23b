"""The search outbox: a row per change, written in the same transaction as the change itself."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models import utcnow


class SearchOutbox(db.Model):
    """'product' rows name one product; 'vendor' rows stand for every product of a booth. The indexer reads
    the current database state for them, so rows are idempotent and their order does not matter."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    ref_id: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.CheckConstraint("kind IN ('product', 'vendor')", name="kind"),)
