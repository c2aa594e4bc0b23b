"""Carts, shopper orders split into one booth order per booth, payments, refunds and each booth's ledger.

Money is integer đồng everywhere. An order's amounts are computed on the server when it is placed and
never change afterwards; refunds are recorded beside them."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.extensions import db
from storefront.models import TimestampMixin, utcnow

PAYMENT_METHODS = ("cod", "card", "vietqr")
# cod: collected by the booth on delivery; pending: waiting for the card or the transfer; paid; failed: the
# card was declined (the shopper may retry until the deadline); cancelled: never paid, stock returned.
PAYMENT_STATUSES = ("cod", "pending", "paid", "failed", "cancelled")
BOOTH_STATUSES = ("pending", "confirmed", "packed", "shipped", "delivered", "cancelled", "refunded")
LEDGER_KINDS = ("sale", "shipping", "commission", "refund", "commission_reversal", "payout", "cod_collected")
REFUND_METHODS = ("stripe", "manual")
REFUND_STATUSES = ("pending", "succeeded", "failed")


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class BoothTerms(db.Model):
    """What a booth charges for shipping, and the platform's commission when it differs from the default."""

    __tablename__ = "booth_terms"

    vendor_id: Mapped[int] = mapped_column(sa.ForeignKey("vendors.id", ondelete="CASCADE"), primary_key=True)
    shipping_fee_vnd: Mapped[int] = mapped_column(sa.BigInteger, default=30_000)
    free_shipping_over_vnd: Mapped[int | None] = mapped_column(sa.BigInteger)
    commission_bp: Mapped[int | None] = mapped_column()  # basis points: 500 = 5 %; None = the platform default
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.CheckConstraint("shipping_fee_vnd >= 0", name="shipping_fee"),
        sa.CheckConstraint("free_shipping_over_vnd IS NULL OR free_shipping_over_vnd > 0", name="free_over"),
        sa.CheckConstraint("commission_bp IS NULL OR (commission_bp >= 0 AND commission_bp <= 10000)",
                           name="commission"),
    )


class Cart(db.Model):
    """A signed-in shopper's saved cart (guests keep theirs in the session)."""

    __tablename__ = "carts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    lines = relationship("CartLine", back_populates="cart", cascade="all, delete-orphan", order_by="CartLine.id")


class CartLine(db.Model):
    __tablename__ = "cart_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(sa.ForeignKey("carts.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column()
    price_seen_vnd: Mapped[int] = mapped_column(sa.BigInteger)  # the price shown when added or last confirmed

    cart = relationship("Cart", back_populates="lines")

    __table_args__ = (sa.UniqueConstraint("cart_id", "product_id"), sa.CheckConstraint("quantity > 0", name="qty"))


class Address(db.Model):
    """A delivery address a signed-in shopper saved at checkout."""

    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    recipient_name: Mapped[str] = mapped_column(sa.String(120))
    phone: Mapped[str] = mapped_column(sa.String(16))
    province: Mapped[str] = mapped_column(sa.String(40))
    commune: Mapped[str] = mapped_column(sa.String(120))
    street: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Order(TimestampMixin, db.Model):
    """What a shopper placed: delivery details, payment, and totals over its booth orders."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)  # 'DH' + 8 characters, the transfer purpose
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    recipient_name: Mapped[str] = mapped_column(sa.String(120))
    phone: Mapped[str] = mapped_column(sa.String(16))  # normalised: 0 + 9 digits
    province: Mapped[str] = mapped_column(sa.String(40))
    commune: Mapped[str] = mapped_column(sa.String(120))
    street: Mapped[str] = mapped_column(sa.String(300))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    payment_method: Mapped[str] = mapped_column(sa.String(10))
    payment_status: Mapped[str] = mapped_column(sa.String(12))
    items_total_vnd: Mapped[int] = mapped_column(sa.BigInteger)
    shipping_total_vnd: Mapped[int] = mapped_column(sa.BigInteger)
    total_vnd: Mapped[int] = mapped_column(sa.BigInteger)
    pay_by: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))  # unpaid card/transfer deadline
    paid_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    stripe_payment_intent: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    booth_orders = relationship("BoothOrder", back_populates="order", order_by="BoothOrder.id",
                                cascade="all, delete-orphan")

    __table_args__ = (
        sa.CheckConstraint(_in("payment_method", PAYMENT_METHODS), name="payment_method"),
        sa.CheckConstraint(_in("payment_status", PAYMENT_STATUSES), name="payment_status"),
        sa.CheckConstraint("total_vnd = items_total_vnd + shipping_total_vnd", name="total"),
        sa.Index("ix_orders_unpaid", "payment_status", "pay_by"),
    )


class BoothOrder(TimestampMixin, db.Model):
    """The part of an order one booth fulfils, with its own status, shipping fee and commission rate."""

    __tablename__ = "booth_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"))
    vendor_id: Mapped[int] = mapped_column(sa.ForeignKey("vendors.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="pending")
    items_total_vnd: Mapped[int] = mapped_column(sa.BigInteger)
    shipping_fee_vnd: Mapped[int] = mapped_column(sa.BigInteger)
    total_vnd: Mapped[int] = mapped_column(sa.BigInteger)
    commission_bp: Mapped[int] = mapped_column()
    refunded_vnd: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    settled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))  # ledger posted
    carrier: Mapped[str] = mapped_column(sa.String(60), default="")
    tracking_code: Mapped[str] = mapped_column(sa.String(60), default="")

    order = relationship("Order", back_populates="booth_orders")
    vendor = relationship("Vendor")
    lines = relationship("OrderLine", back_populates="booth_order", order_by="OrderLine.id",
                         cascade="all, delete-orphan")
    events = relationship("BoothOrderEvent", order_by="BoothOrderEvent.id", cascade="all, delete-orphan")
    refunds = relationship("Refund", order_by="Refund.id", cascade="all, delete-orphan")

    __table_args__ = (
        sa.UniqueConstraint("order_id", "vendor_id"),
        sa.CheckConstraint(_in("status", BOOTH_STATUSES), name="status"),
        sa.CheckConstraint("total_vnd = items_total_vnd + shipping_fee_vnd", name="total"),
        sa.CheckConstraint("refunded_vnd >= 0 AND refunded_vnd <= total_vnd", name="refunded"),
        sa.Index("ix_booth_orders_vendor_created", "vendor_id", "created_at"),
    )


class OrderLine(db.Model):
    """A product on a booth order, with its name and price as they were when the order was placed."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    booth_order_id: Mapped[int] = mapped_column(sa.ForeignKey("booth_orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id", ondelete="RESTRICT"), index=True)
    product_name: Mapped[str] = mapped_column(sa.String(255))
    product_slug: Mapped[str] = mapped_column(sa.String(120))
    unit_price_vnd: Mapped[int] = mapped_column(sa.BigInteger)
    quantity: Mapped[int] = mapped_column()
    line_total_vnd: Mapped[int] = mapped_column(sa.BigInteger)
    is_service: Mapped[bool] = mapped_column(default=False)  # no stock taken, nothing shipped

    booth_order = relationship("BoothOrder", back_populates="lines")

    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="qty"),
        sa.CheckConstraint("line_total_vnd = unit_price_vnd * quantity", name="line_total"),
    )


class BoothOrderEvent(db.Model):
    """A status change of a booth order: who, when, from what to what."""

    __tablename__ = "booth_order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    booth_order_id: Mapped[int] = mapped_column(sa.ForeignKey("booth_orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(sa.String(12))
    to_status: Mapped[str] = mapped_column(sa.String(12))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Refund(db.Model):
    """Money given back on a booth order: through Stripe for card orders, recorded for the others."""

    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(primary_key=True)
    booth_order_id: Mapped[int] = mapped_column(sa.ForeignKey("booth_orders.id", ondelete="CASCADE"), index=True)
    amount_vnd: Mapped[int] = mapped_column(sa.BigInteger)
    method: Mapped[str] = mapped_column(sa.String(10))
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    stripe_refund_id: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    reason: Mapped[str] = mapped_column(sa.String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("amount_vnd > 0", name="amount"),
        sa.CheckConstraint(_in("method", REFUND_METHODS), name="method"),
        sa.CheckConstraint(_in("status", REFUND_STATUSES), name="status"),
    )


class LedgerEntry(db.Model):
    """One movement on a booth's account with the platform. Positive: the platform owes the booth more.

    sale, shipping (+) and commission (−) are posted when a booth order is settled (card or transfer paid,
    or cash collected on delivery); refund (−) and commission_reversal (+) when money goes back; payout (−)
    when staff pay the booth; cod_collected (−) when the booth took the shopper's cash itself."""

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(sa.ForeignKey("vendors.id", ondelete="RESTRICT"))
    booth_order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("booth_orders.id", ondelete="RESTRICT"),
                                                       index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    amount_vnd: Mapped[int] = mapped_column(sa.BigInteger)
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        sa.CheckConstraint(_in("kind", LEDGER_KINDS), name="kind"),
        sa.Index("ix_ledger_entries_vendor_created", "vendor_id", "created_at"),
    )


class StripeEvent(db.Model):
    """A Stripe webhook event already acted on: a redelivery finds its id here and does nothing."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    type: Mapped[str] = mapped_column(sa.String(60))
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("orders.id", ondelete="SET NULL"))
    received_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
