"""Producers (chủ thể OCOP), each the owner of one public booth, and the people who run it."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from storefront.extensions import db
from storefront.models import TimestampMixin, utcnow
from storefront.places import province_by_slug
from vendors.entities import DOCUMENT_KINDS, ENTITY_TYPES, VENDOR_STATUSES


class Vendor(TimestampMixin, db.Model):
    __tablename__ = "vendors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    entity_type: Mapped[str] = mapped_column(sa.String(20), index=True)
    tax_code: Mapped[str | None] = mapped_column(sa.String(32))
    story: Mapped[str] = mapped_column(sa.Text, default="")
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    # The address as the producer wrote it (often pre-2025, naming a district) and where it is now.
    address_text: Mapped[str] = mapped_column(sa.String(400), default="")
    province: Mapped[str] = mapped_column(sa.String(40), index=True)  # slug from storefront/data/provinces.json
    commune: Mapped[str] = mapped_column(sa.String(120), default="")
    legacy_district: Mapped[str] = mapped_column(sa.String(120), default="")
    logo_key: Mapped[str | None] = mapped_column(sa.String(80))
    banner_key: Mapped[str | None] = mapped_column(sa.String(80))
    status: Mapped[str] = mapped_column(sa.String(16), default="pending", index=True)
    approved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Onboarding: when the application was (re)submitted, who reviewed it last, and why it was sent back.
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    reviewed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    rejection_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # An assisted booth is operated by programme staff on behalf of a household; their changes are audited.
    is_assisted: Mapped[bool] = mapped_column(default=False)

    products = relationship("Product", back_populates="vendor")
    members = relationship("VendorMember", back_populates="vendor", cascade="all, delete-orphan")
    documents = relationship("VendorDocument", back_populates="vendor", cascade="all, delete-orphan",
                             order_by="VendorDocument.id")

    __table_args__ = (
        sa.CheckConstraint(f"entity_type IN {ENTITY_TYPES.codes}", name="entity_type"),
        sa.CheckConstraint(f"status IN {VENDOR_STATUSES.codes}", name="status"),
    )

    @property
    def is_public(self):
        return self.status == "approved"

    @property
    def entity_label(self):
        return ENTITY_TYPES.label(self.entity_type)

    @property
    def province_name(self):
        p = province_by_slug(self.province)
        return p.name if p else ""

    @property
    def place(self):
        """'Xã Đại Phước, Vĩnh Long' — current commune and province."""
        return ", ".join(x for x in (self.commune, self.province_name) if x)


class VendorMember(db.Model):
    """A user who runs a booth: its owner or a helper."""

    __tablename__ = "vendor_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(sa.ForeignKey("vendors.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(10), default="owner")

    vendor = relationship("Vendor", back_populates="members")
    user = relationship("User", backref=backref("memberships", cascade="all, delete-orphan"))

    __table_args__ = (
        sa.UniqueConstraint("vendor_id", "user_id"),
        sa.CheckConstraint("role IN ('owner', 'helper')", name="role"),
    )


class VendorDocument(db.Model):
    """A document attached to a booth application (OCOP certificate, food-safety certificate…)."""

    __tablename__ = "vendor_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(sa.ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(24))
    key: Mapped[str] = mapped_column(sa.String(120))  # storefront.media document key
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(60))
    size: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    vendor = relationship("Vendor", back_populates="documents")

    __table_args__ = (sa.CheckConstraint(f"kind IN {DOCUMENT_KINDS.codes}", name="kind"),)


class AuditEntry(db.Model):
    """Who changed what in a booth, when, with the values before and after (read by the booth owner)."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(sa.ForeignKey("vendors.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(40))  # e.g. product.update, stock.adjust, booth.update
    object_type: Mapped[str] = mapped_column(sa.String(30), default="")
    object_id: Mapped[int | None] = mapped_column()
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    user = relationship("User")

    __table_args__ = (sa.Index("ix_audit_entries_vendor_created", "vendor_id", "created_at"),)
