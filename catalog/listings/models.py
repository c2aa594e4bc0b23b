"""Where each product is listed, how our groups map to each marketplace's categories, and the booths'
marketplace credentials (encrypted at rest, see catalog.marketplaces.secrets)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.extensions import db
from storefront.models import utcnow

# The external marketplaces, in the order screens show them. Our own market is a channel too, but its
# "listing" is derived (published, booth approved, in stock), never stored.
MARKETPLACES = ("tiki", "sendo", "voso", "postmart")
OWN_MARKET = "cho"
# not_listed: nothing done yet; exported: put in a download or file; submitted: sent to the marketplace's API,
# waiting for its review; listed: on sale there (with its URL when known); rejected: refused, with the reason;
# delisted: was listed, no longer is.
LISTING_STATUSES = ("not_listed", "exported", "submitted", "listed", "rejected", "delisted")
LISTING_SOURCES = ("export", "push", "manual", "csv")


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class CategoryMapping(db.Model):
    """OCOP group (and optionally one product set within it) → a marketplace's category id or path.
    `product_set` "" covers the whole group; a row for the product's own set wins over the group's."""

    __tablename__ = "category_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    marketplace: Mapped[str] = mapped_column(sa.String(20))
    group: Mapped[str] = mapped_column(sa.String(24))
    product_set: Mapped[str] = mapped_column(sa.String(40), default="")
    category: Mapped[str] = mapped_column(sa.String(300))  # Tiki/Sendo/Postmart: an integer id; Voso: a path
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    is_example: Mapped[bool] = mapped_column(default=False)  # seeded as an illustration: staff should check it
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("marketplace", "group", "product_set"),
        sa.CheckConstraint(_in("marketplace", MARKETPLACES), name="marketplace"),
    )


class Listing(db.Model):
    """One product on one external marketplace. No row means "not listed"."""

    __tablename__ = "listings"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id", ondelete="CASCADE"))
    marketplace: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(12), default="not_listed")
    reason: Mapped[str] = mapped_column(sa.Text, default="")  # why it was rejected (the marketplace's words)
    external_id: Mapped[str | None] = mapped_column(sa.String(100))
    url: Mapped[str | None] = mapped_column(sa.String(500))
    track_id: Mapped[str | None] = mapped_column(sa.String(100))  # Tiki's request tracking id while in review
    source: Mapped[str] = mapped_column(sa.String(10), default="manual")
    exported_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    listed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    delisted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    product = relationship("Product")

    __table_args__ = (
        sa.UniqueConstraint("product_id", "marketplace"),
        sa.Index("ix_listings_marketplace_status", "marketplace", "status"),
        sa.CheckConstraint(_in("marketplace", MARKETPLACES), name="marketplace"),
        sa.CheckConstraint(_in("status", LISTING_STATUSES), name="status"),
        sa.CheckConstraint(_in("source", LISTING_SOURCES), name="source"),
    )


class MarketplaceAccount(db.Model):
    """A booth's API credentials for one marketplace (Tiki: client id/secret; Sendo: shop key/secret),
    encrypted with MARKETPLACE_SECRETS_KEY, with the access token cached (also encrypted) until it expires."""

    __tablename__ = "marketplace_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(sa.ForeignKey("vendors.id", ondelete="CASCADE"))
    marketplace: Mapped[str] = mapped_column(sa.String(20))
    credentials: Mapped[bytes] = mapped_column(sa.LargeBinary)  # Fernet token of {"key": …, "secret": …}
    token: Mapped[bytes | None] = mapped_column(sa.LargeBinary)  # Fernet token of the access token
    token_expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # When the credentials were last saved (set by accounts.save_credentials; a token refresh leaves it alone).
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("vendor_id", "marketplace"),
        sa.CheckConstraint(_in("marketplace", ("tiki", "sendo")), name="marketplace"),
    )
