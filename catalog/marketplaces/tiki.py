"""Tiki's seller API: an OAuth2 client-credentials token, product requests and their tracking.

    POST {base}/sc/oauth2/token            grant_type=client_credentials, HTTP Basic client_id:client_secret
    POST {base}/integration/v2.1/requests  the product (catalog.exporters.tiki payload) -> track_id, state
    GET  {base}/integration/v2/tracking/{track_id}  -> state (queuing, processing, *awaiting_approve,
                                                       approved, rejected), reason, product_id when approved
The tracking answer's `product_id` and `url` names are assumptions [A] (see marketplaces.md)."""
from datetime import timedelta
from urllib.parse import quote

from catalog.marketplaces.errors import AuthError, MarketplaceError, Rejected, Unavailable
from catalog.marketplaces.http import TokenClient, error_message, json_body
from storefront.models import utcnow

FINAL_STATES = ("approved", "rejected")


class TikiClient(TokenClient):
    def __init__(self, base_url, client_id, client_secret, token_cache, transport=None):
        super().__init__(base_url, token_cache, transport)
        self._basic = (client_id, client_secret)

    def fetch_token(self):
        response = self.transport.request("POST", self.base_url + "/sc/oauth2/token", idempotent=True,
                                          data={"grant_type": "client_credentials"}, auth=self._basic)
        if response.status_code in (400, 401, 403):
            raise AuthError()
        body = json_body(response)
        token = body.get("access_token")
        if response.status_code >= 300 or not isinstance(token, str) or not token:
            raise Unavailable()
        try:
            lifetime = int(body.get("expires_in") or 3600)
        except (TypeError, ValueError):
            lifetime = 3600
        return token, utcnow() + timedelta(seconds=lifetime)

    def create_product(self, payload):
        """Send one product request: {"track_id", "state"}; Rejected with Tiki's message on a 4xx."""
        response = self.authorized("POST", "/integration/v2.1/requests", json=payload, idempotent=False)
        if 400 <= response.status_code < 500:
            raise Rejected(error_message(response))
        body = json_body(response)
        if response.status_code >= 300 or not body.get("track_id") or len(str(body["track_id"])) > 100:
            raise Unavailable()
        return {"track_id": str(body["track_id"]), "state": str(body.get("state") or "queuing")}

    def tracking(self, track_id):
        """Where a request is: {"state", "reason", "product_id", "url"} (the last three may be empty)."""
        response = self.authorized("GET", "/integration/v2/tracking/" + quote(str(track_id), safe=""))
        if 400 <= response.status_code < 500:
            raise MarketplaceError(error_message(response))
        body = json_body(response)
        if response.status_code >= 300 or not body.get("state"):
            raise Unavailable()
        product_id = body.get("product_id")
        return {"state": str(body["state"]), "reason": str(body.get("reason") or ""),
                "product_id": str(product_id) if product_id not in (None, "") else None,
                "url": body.get("url") or body.get("product_url") or None}
