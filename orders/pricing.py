"""How much an order costs, computed on the server from the database's prices and the booths' terms.
Pure functions over plain values, so every rule is tested without a request or a database."""
from dataclasses import dataclass, field

DEFAULT_SHIPPING_VND = 30_000


@dataclass
class PricedLine:
    product_id: int
    name: str
    slug: str
    unit_price_vnd: int
    quantity: int
    is_service: bool

    @property
    def total_vnd(self):
        return self.unit_price_vnd * self.quantity


@dataclass
class BoothTotals:
    vendor_id: int
    lines: list = field(default_factory=list)
    shipping_fee_vnd: int = 0
    commission_bp: int = 0

    @property
    def items_total_vnd(self):
        return sum(line.total_vnd for line in self.lines)

    @property
    def total_vnd(self):
        return self.items_total_vnd + self.shipping_fee_vnd


def shipping_fee(items_total, lines, fee, free_over):
    """A booth's flat fee; nothing when every line is a service or the items reach its free threshold."""
    if all(line.is_service for line in lines):
        return 0
    if free_over is not None and items_total >= free_over:
        return 0
    return fee


def commission(items_total, bp):
    """The platform's commission on the items (not on shipping), rounded down to the đồng."""
    return items_total * bp // 10_000


def commission_after_refunds(items_total, shipping, refunded, bp):
    """Commission still due once `refunded` đồng went back: refunds come out of the items first, then
    shipping, and the commission follows the items that were kept."""
    items_kept = items_total - min(refunded, items_total)
    return commission(items_kept, bp)


def booth_totals(lines_by_vendor, terms, default_bp):
    """[BoothTotals] from {vendor_id: [PricedLine]} and {vendor_id: (fee, free_over, bp or None)}."""
    result = []
    for vendor_id, lines in lines_by_vendor.items():
        fee, free_over, bp = terms.get(vendor_id, (DEFAULT_SHIPPING_VND, None, None))
        booth = BoothTotals(vendor_id, list(lines), commission_bp=default_bp if bp is None else bp)
        booth.shipping_fee_vnd = shipping_fee(booth.items_total_vnd, booth.lines, fee, free_over)
        result.append(booth)
    return result
