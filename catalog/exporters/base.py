"""What every marketplace exporter is: a key, a label, the formats it writes, and two or three methods.

    blockers(item) -> list[Blocker]     what stops this product being listed there (empty: ready)
    render(items, out, fmt)             write ready items to the binary stream `out`, streaming
    payload(item) -> dict               (API marketplaces) the JSON body of one product's create request

Renderers are pure: they see only ListingItems (plain values built from the database by
catalog.exporters.items), never the database, a request or the network, so their output can be compared
with golden files and 10,000 products export in bounded memory."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Picture:
    url: str  # absolute URL of the largest stored variant
    width: int
    height: int


@dataclass(frozen=True)
class ListingItem:
    """One product as every exporter sees it. Money in đồng, weight in grams, dimensions in cm."""

    product_id: int
    slug: str
    url: str  # the product's canonical page on our market
    sku: str  # the booth's SKU, or the product's slug when it has none (unique either way)
    gtin: str | None
    name: str
    description_html: str  # sanitised HTML
    description_text: str  # the same without tags, whitespace collapsed (what length rules count)
    price_vnd: int  # what the shopper pays
    list_price_vnd: int  # the list ("market") price: list_price_vnd, or price_vnd when none is set
    stock: int
    unit: str
    weight_g: int | None
    length_cm: float | None
    width_cm: float | None
    height_cm: float | None
    shelf_life_days: int | None
    group: str  # OCOP group code (catalog.ocop.GROUPS)
    product_set: str | None
    is_food: bool  # catalog.ocop.FOOD_GROUPS (food, drink, herbal): need a certificate, origin, expiry
    is_service: bool  # tourism services: nothing to ship
    booth_name: str
    booth_slug: str
    brand: str  # the booth's name (OCOP products are sold under their producer's name)
    origin_province: str  # the booth's province, as its label ("Vĩnh Long")
    pickup_address: str  # the booth's address text, commune, province
    ocop_star: int | None  # only while the certificate is valid
    ocop_decision_no: str
    certificate_url: str | None  # absolute URL of the certificate document, when one is stored
    pictures: tuple[Picture, ...] = ()
    category: str | None = None  # this marketplace's category (id or path) from the mapping, or None


@dataclass(frozen=True)
class Blocker:
    """One reason a product cannot be listed. `code` is stable (tests, CSV reports); `detail` holds the
    numbers the message needs (catalog.exporters.messages turns it into a sentence in the user's language);
    `fix` names the part of the product form that fixes it ("weight", "pictures", "category", …)."""

    code: str
    fix: str = ""
    detail: dict = field(default_factory=dict, compare=False, hash=False)


class Exporter:
    """Base class: subclasses set key, label and formats and implement blockers() and render()."""

    key = ""
    label = ""
    formats = ()  # file formats render() writes, first is the default: "jsonl", "xlsx", "csv"
    has_api = False  # True when products can be pushed to the marketplace's API (payload() exists)

    def blockers(self, item):
        raise NotImplementedError

    def render(self, items, out, fmt=None):
        raise NotImplementedError

    def payload(self, item):
        raise NotImplementedError(f"{self.key} has no API")
