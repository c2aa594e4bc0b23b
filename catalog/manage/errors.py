"""What a booth's catalogue write can refuse, each with the message a person sees and the form field it
belongs under (None: the form as a whole)."""
from flask_babel import lazy_gettext as _l

from storefront.domain import DomainError


class CatalogueError(DomainError):
    message = _l("This change could not be saved.")


class InvalidValue(CatalogueError):
    """A value out of range or of the wrong kind; raised with its own message and field."""


class DuplicateSku(CatalogueError):
    message = _l("Another product of this booth already has this SKU.")
    field = "sku"


class DuplicateCertificate(CatalogueError):
    message = _l("This decision (number and date) is already recorded for the product.")
    field = "decision_no"


class StockBelowZero(CatalogueError):
    message = _l("Stock cannot go below zero (there are %(stock)d in stock).")
    field = "amount"


class TooManyImages(CatalogueError):
    message = _l("A product has at most %(max)d pictures.")
    field = "images"
