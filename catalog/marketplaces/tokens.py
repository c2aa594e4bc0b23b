"""Where the clients keep their access tokens between calls. A token is handed out only while it has more
than EARLY of its life left, so a request never starts with a token about to expire.

    get() -> str | None     put(token, expires_at)     clear()

MemoryTokenCache lives as long as the client; AccountTokenCache keeps the token encrypted in the booth's
MarketplaceAccount row (token, token_expires_at), so one token serves every push until it expires. It only
changes the row: the service that uses the client commits."""
from datetime import timedelta, timezone

from catalog.marketplaces.secrets import decrypt_text, encrypt_text
from storefront.models import utcnow

EARLY = timedelta(minutes=1)


def _aware(moment):
    """SQLite hands timezone-aware columns back naive (in UTC)."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


class MemoryTokenCache:
    def __init__(self, now=utcnow):
        self.now = now
        self.token = None
        self.expires_at = None

    def get(self):
        if self.token and self.expires_at and self.expires_at - EARLY > self.now():
            return self.token
        return None

    def put(self, token, expires_at):
        self.token, self.expires_at = token, expires_at

    def clear(self):
        self.token = self.expires_at = None


class AccountTokenCache:
    def __init__(self, account, now=utcnow):
        self.account = account
        self.now = now

    def get(self):
        account = self.account
        expires_at = _aware(account.token_expires_at)
        if account.token and expires_at and expires_at - EARLY > self.now():
            return decrypt_text(account.token)
        return None

    def put(self, token, expires_at):
        self.account.token = encrypt_text(token)
        self.account.token_expires_at = expires_at

    def clear(self):
        self.account.token = None
        self.account.token_expires_at = None
