"""Sendo's partner API: a login token (8 hours) and product creation.

    POST {base}/login  {"shop_key", "secret_key"} -> {"success": true, "result": {"token", "expires"}}
    POST {base}/api/partner/product  (catalog.exporters.sendo payload, id 0 creates) with Bearer token
         -> {"success": true, "result": <the new product's id>}
Sendo answers errors as {"success": false, "error": {"message": …}}, sometimes with HTTP 200: both are
read. A new product waits in Sendo's review (status 1) and cannot be updated until it is approved."""
from datetime import datetime, timedelta, timezone

from catalog.marketplaces.errors import AuthError, Rejected, Unavailable
from catalog.marketplaces.http import TokenClient, error_message, json_body
from storefront.models import utcnow

TOKEN_LIFETIME = timedelta(hours=8)


def _expiry(value):
    """Sendo's `expires` (ISO 8601, often with 7 decimals and +07:00), never later than 8 h from now."""
    latest = utcnow() + TOKEN_LIFETIME
    try:
        when = datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return latest
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone(timedelta(hours=7)))
    return min(when, latest)


class SendoClient(TokenClient):
    def __init__(self, base_url, shop_key, secret_key, token_cache, transport=None):
        super().__init__(base_url, token_cache, transport)
        self._login = {"shop_key": shop_key, "secret_key": secret_key}

    def fetch_token(self):
        response = self.transport.request("POST", self.base_url + "/login", json=self._login, idempotent=True)
        if response.status_code in (400, 401, 403):
            raise AuthError()
        body = json_body(response)
        result = body.get("result") if isinstance(body.get("result"), dict) else {}
        token = result.get("token")
        if response.status_code < 300 and body.get("success") is False:
            raise AuthError()
        if response.status_code >= 300 or not isinstance(token, str) or not token:
            raise Unavailable()
        return token, _expiry(result.get("expires"))

    def create_product(self, payload):
        """Create one product: {"id": Sendo's product id}; Rejected with Sendo's message when refused."""
        response = self.authorized("POST", "/api/partner/product", json=payload, idempotent=False)
        body = json_body(response)
        if 400 <= response.status_code < 500 or (response.status_code < 300 and body.get("success") is False):
            raise Rejected(error_message(response))
        result = body.get("result")
        if isinstance(result, dict):
            result = result.get("id")
        if response.status_code >= 300 or result in (None, "", 0):
            raise Unavailable()
        return {"id": str(result)}
