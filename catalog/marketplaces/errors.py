"""What talking to a marketplace can go wrong with, each with a message safe to show a booth member.
Messages never carry credentials, tokens or request bodies."""
from flask_babel import lazy_gettext as _l

from storefront.domain import DomainError


class MarketplaceError(DomainError):
    message = _l("The marketplace could not handle the request. Please try again later.")


class SecretsKeyError(MarketplaceError):
    """MARKETPLACE_SECRETS_KEY is unset, not a Fernet key, or not the key the stored value was made with."""

    message = _l("Marketplace credentials cannot be used on this server right now (its encryption key is "
                 "missing or has changed). Please tell the programme staff.")


class NoCredentials(MarketplaceError):
    message = _l("Save this booth's credentials for %(marketplace)s first.")


class InvalidCredentials(MarketplaceError):
    """A credentials form value that is empty or too long; `field` is "key" or "secret"."""


class Unsupported(MarketplaceError):
    message = _l("%(marketplace)s cannot be used through its API here.")


class AuthError(MarketplaceError):
    message = _l("The marketplace refused this booth's credentials: check them and save them again.")


class RateLimited(MarketplaceError):
    message = _l("The marketplace is receiving too many requests. Please try again in a few minutes.")


class Unavailable(MarketplaceError):
    message = _l("The marketplace could not be reached or did not answer in time. Please try again later.")


class Rejected(MarketplaceError):
    """The marketplace refused the product; `reason` is its own words (shown to the booth as they are)."""

    message = _l("The marketplace refused the product.")

    def __init__(self, reason=""):
        self.reason = (reason or "").strip()[:2000]
        super().__init__(self.reason or None)
