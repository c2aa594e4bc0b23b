"""Accounts: the user and its roles. Sign-in, passwords and permissions live in storefront/accounts."""
import hashlib
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.vocab import Choice, Vocabulary

ROLES = Vocabulary(
    [
        Choice("shopper", "Khách hàng", "Shopper"),
        Choice("staff", "Cán bộ chương trình", "Programme staff"),
        Choice("admin", "Quản trị", "Administrator"),
    ]
)


def utcnow():
    return datetime.now(timezone.utc)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class User(TimestampMixin, db.Model):
    """A person who signs in. Booth membership (owner/helper) lives in vendors.models.VendorMember."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(sa.String(16), unique=True)  # normalised +84…
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16), default="shopper")
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (sa.CheckConstraint("role IN ('shopper', 'staff', 'admin')", name="role"),)

    # Flask-Login's user interface (with is_active above and get_id below): a stored user is a signed-in one.
    is_authenticated = True
    is_anonymous = False

    def get_id(self):
        """What Flask-Login keeps in the session and the remember-me cookie: the id and a fingerprint of the
        password hash, so a new password ends every other session (see storefront/accounts/__init__.py)."""
        fingerprint = hashlib.sha256((self.password_hash or "").encode()).hexdigest()[:16]
        return f"{self.id}:{fingerprint}"

    @property
    def is_staff(self):
        return self.role in ("staff", "admin")

    @property
    def is_booth_member(self):
        """`memberships` is added by vendors.models.VendorMember (storefront does not import vendors)."""
        return bool(self.memberships)
