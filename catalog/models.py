"""Products, their OCOP certificates and images, and the showrooms where they are on show."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

import vendors.models  # noqa: F401  (Product.vendor refers to Vendor by name)
from catalog.ocop import CERTIFICATE_MONTHS, GROUPS, LIVE_STATUSES, PRODUCT_SETS, SERVICE_GROUPS
from storefront.extensions import db
from storefront.models import TimestampMixin, utcnow
from storefront.text import fold


def add_months(day, months):
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class Product(TimestampMixin, db.Model):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(sa.ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    # The name folded (storefront.text.fold: no case, no tone marks), kept by a listener below: the search
    # fallback while an index is rebuilt, and the baseline of bench/search.py.
    search_name: Mapped[str] = mapped_column(sa.String(255), default="")
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    group: Mapped[str] = mapped_column(sa.String(24), index=True)
    product_set: Mapped[str | None] = mapped_column(sa.String(40))
    description: Mapped[str] = mapped_column(sa.Text, default="")  # sanitised HTML (catalog.html.clean)
    price_vnd: Mapped[int] = mapped_column(sa.BigInteger)
    list_price_vnd: Mapped[int | None] = mapped_column(sa.BigInteger)
    stock: Mapped[int] = mapped_column(default=0)
    unit: Mapped[str] = mapped_column(sa.String(30), default="")
    weight_g: Mapped[int | None] = mapped_column()
    length_cm: Mapped[float | None] = mapped_column(sa.Float(asdecimal=False))
    width_cm: Mapped[float | None] = mapped_column(sa.Float(asdecimal=False))
    height_cm: Mapped[float | None] = mapped_column(sa.Float(asdecimal=False))
    shelf_life_days: Mapped[int | None] = mapped_column()
    gtin: Mapped[str | None] = mapped_column(sa.String(14), index=True)
    sku: Mapped[str | None] = mapped_column(sa.String(64))
    is_published: Mapped[bool] = mapped_column(default=True)
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Summary of the current certificate, kept by refresh_ocop() so listings filter without joins.
    # Whether it is still valid is decided at query time against today's date (see catalog.queries).
    ocop_star: Mapped[int | None] = mapped_column(index=True)
    ocop_status: Mapped[str | None] = mapped_column(sa.String(16))
    ocop_expires_on: Mapped[date | None] = mapped_column()

    vendor = relationship("Vendor", back_populates="products")
    images = relationship(
        "ProductImage", back_populates="product", order_by="ProductImage.position",
        cascade="all, delete-orphan",
    )
    certificates = relationship(
        "Certificate", back_populates="product", cascade="all, delete-orphan",
        order_by="(Certificate.decided_on.desc(), Certificate.id.desc())",
    )
    showrooms = relationship("Showroom", secondary="showroom_products", back_populates="products")

    __table_args__ = (
        sa.UniqueConstraint("vendor_id", "sku"),
        sa.CheckConstraint("price_vnd > 0", name="price_positive"),
        sa.CheckConstraint("stock >= 0", name="stock_not_negative"),
        sa.CheckConstraint(f'"group" IN {GROUPS.codes}', name="group"),
        sa.Index("ix_products_listing", "is_published", "created_at"),
        sa.Index("ix_products_price", "is_published", "price_vnd"),
        sa.Index("ix_products_visible", "is_published", "deleted_at", "vendor_id"),
    )

    @validates("name")
    def _fold_name(self, _key, value):
        self.search_name = fold(value or "")
        return value

    @property
    def in_stock(self):
        return self.is_service or self.stock > 0

    @property
    def is_service(self):
        return self.group in SERVICE_GROUPS

    @property
    def group_label(self):
        return GROUPS.label(self.group)

    @property
    def product_set_label(self):
        return PRODUCT_SETS.label(self.product_set)

    @property
    def current_certificate(self):
        return self.certificates[0] if self.certificates else None

    def ocop_state(self, today=None):
        """(effective status, star or None): a lapsed certificate is 'expired' and carries no star."""
        if not self.ocop_status:
            return (None, None)
        today = today or date.today()
        if self.ocop_status in LIVE_STATUSES:
            if self.ocop_expires_on and self.ocop_expires_on < today:
                return ("expired", None)
            return (self.ocop_status, self.ocop_star)
        return (self.ocop_status, None)

    def refresh_ocop(self):
        """Copy the current certificate's star, status and expiry onto the product."""
        cert = self.current_certificate
        self.ocop_star = cert.star if cert else None
        self.ocop_status = cert.status if cert else None
        self.ocop_expires_on = cert.expires_on if cert else None

    @property
    def main_image(self):
        return self.images[0] if self.images else None


class ProductImage(db.Model):
    __tablename__ = "product_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    key: Mapped[str] = mapped_column(sa.String(80))  # storefront.media key; files at every stored width
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    alt: Mapped[str] = mapped_column(sa.String(255), default="")

    product = relationship("Product", back_populates="images")


class Certificate(db.Model):
    """One OCOP decision for a product. History is kept: the newest decision is the current one."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id", ondelete="CASCADE"), index=True)
    star: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(sa.String(16), default="certified")
    decision_no: Mapped[str] = mapped_column(sa.String(60), default="")
    decided_on: Mapped[date] = mapped_column()
    expires_on: Mapped[date] = mapped_column()
    issuing_level: Mapped[str] = mapped_column(sa.String(10), default="province")
    issuing_body: Mapped[str] = mapped_column(sa.String(200), default="")
    score: Mapped[int | None] = mapped_column()
    document_key: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    product = relationship("Product", back_populates="certificates")

    __table_args__ = (
        sa.CheckConstraint("star IN (3, 4, 5)", name="star"),
        sa.CheckConstraint("status IN ('certified', 'potential_5', 'expired', 'revoked')", name="status"),
        sa.CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score"),
    )

    def __init__(self, **kwargs):
        if "expires_on" not in kwargs and kwargs.get("decided_on"):
            kwargs["expires_on"] = add_months(kwargs["decided_on"], CERTIFICATE_MONTHS)
        super().__init__(**kwargs)

    def effective_status(self, today=None):
        today = today or date.today()
        if self.status in LIVE_STATUSES and self.expires_on < today:
            return "expired"
        return self.status

    def is_valid(self, today=None):
        return self.effective_status(today) in LIVE_STATUSES


showroom_products = sa.Table(
    "showroom_products",
    db.metadata,
    sa.Column("showroom_id", sa.ForeignKey("showrooms.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("product_id", sa.ForeignKey("products.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Showroom(db.Model):
    """An OCOP display store where shoppers can see and buy products offline."""

    __tablename__ = "showrooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    address_text: Mapped[str] = mapped_column(sa.String(400))
    province: Mapped[str] = mapped_column(sa.String(40))
    commune: Mapped[str] = mapped_column(sa.String(120), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    opening_hours: Mapped[str] = mapped_column(sa.String(120), default="")

    products = relationship("Product", secondary="showroom_products", back_populates="showrooms")


class StockMovement(db.Model):
    """Every change of a product's stock, with its reason: the stock history a booth can read."""

    __tablename__ = "stock_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id", ondelete="CASCADE"))
    delta: Mapped[int] = mapped_column()
    stock_after: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.Index("ix_stock_movements_product_created", "product_id", "created_at"),)
