"""A local stand-in for Tiki's and Sendo's seller APIs (one WSGI app: Tiki under /tiki, Sendo under /sendo),
enforcing the request schema in docs/marketplaces.md and answering as the marketplaces do.

Tests script it: `fail_next(n, status, retry_after=…, path=…)` (429 / 5xx / 401 for the next n requests),
`expire_tokens()`, `token_lifetime[...]`, `outcome(sku, *states, reason=…)` (what tracking reports), and read
`received` (every request: method, path, headers, body) to assert what was sent."""
import base64
import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import count

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

TIKI_CLIENTS = {"tiki-client-id": "tiki-client-secret-S3CR3T"}
SENDO_SHOPS = {"sendo-shop-key": "sendo-secret-key-S3CR3T"}
TIKI_FOOD_CATEGORIES = {4384, 8322, 8228, 8212, 4423, 22998}  # the seeded food categories (marketplaces.md)
SENDO_LOGINS_PER_SECOND = 5


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: object


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def tiki_problems(body):
    """What a Tiki v2.1 product request breaks, as Tiki-like messages (empty: accepted)."""
    problems = []
    if not _is_int(body.get("category_id")):
        problems.append("category_id must be an integer")
    name = body.get("name")
    if not isinstance(name, str) or not 3 <= len(name) <= 255:
        problems.append("name must have 3 to 255 characters")
    if not isinstance(body.get("description"), str) or not body["description"].strip():
        problems.append("description is required")
    market_price = body.get("market_price")
    if not _is_int(market_price) or market_price <= 0:
        problems.append("market_price must be a positive integer")
        market_price = None
    if not isinstance(body.get("image"), str) or not body["image"].startswith(("http://", "https://")):
        problems.append("image must be a URL")
    images = body.get("images")
    if not isinstance(images, list) or not all(isinstance(i, str) for i in images):
        problems.append("images must be a list of URLs (never null)")
    attributes = body.get("attributes")
    if not isinstance(attributes, dict):
        problems.append("attributes must be an object")
        attributes = {}
    if body.get("category_id") in TIKI_FOOD_CATEGORIES:
        if not isinstance(attributes.get("origin"), str) or not attributes["origin"].strip():
            problems.append("attributes.origin is required in this category")
        if "require_expiry_date" not in attributes:
            problems.append("attributes.require_expiry_date is required in this category")
    variants = body.get("variants")
    options = body.get("option_attributes")
    if not isinstance(variants, list) or len(variants) != 1 or not isinstance(variants[0], dict):
        problems.append("a simple product has exactly one variant")
        variants = None
    if options != []:
        problems.append("option_attributes must be [] for a simple product")
    if variants:
        variant = variants[0]
        if not isinstance(variant.get("sku"), str) or not variant["sku"].strip():
            problems.append("variants[0].sku is required")
        price = variant.get("price")
        if not _is_int(price) or price <= 0:
            problems.append("variants[0].price must be a positive integer")
        elif market_price is not None:
            if price > market_price:
                problems.append("variants[0].price cannot be above market_price")
            if price * 10 < market_price:
                problems.append("variants[0].price must be at least 10% of market_price")
        stocks = variant.get("warehouse_stocks", [])
        if not isinstance(stocks, list):
            problems.append("variants[0].warehouse_stocks must be a list")
    return problems


def sendo_problems(body):
    """What a Sendo product create request breaks (empty: accepted)."""
    problems = []
    if body.get("id") != 0 or not _is_int(body.get("id")):
        problems.append("id must be 0 to create a product")
    if not isinstance(body.get("name"), str) or not body["name"].strip():
        problems.append("name is required")
    if not isinstance(body.get("sku"), str) or not body["sku"].strip():
        problems.append("sku is required")
    price = body.get("price")
    if not _is_int(price) or price <= 0:
        problems.append("price must be a positive integer")
        price = None
    if not _is_int(body.get("weight")) or body["weight"] <= 0:
        problems.append("weight must be a positive integer number of grams")
    stock = body.get("stock_quantity")
    if not _is_int(stock):
        problems.append("stock_quantity must be an integer")
    elif stock <= 0 and body.get("stock_availability") is not False:
        problems.append("stock_availability must be false when stock_quantity <= 0")
    if not isinstance(body.get("stock_availability"), bool):
        problems.append("stock_availability must be true or false")
    description = body.get("description")
    if not isinstance(description, str) or not 100 <= len(description) <= 100_000:
        problems.append("description must have 100 to 100000 characters")
    if not _is_int(body.get("cat_4_id")):
        problems.append("cat_4_id must be an integer")
    for dimension in ("height", "length", "width"):
        if not _is_number(body.get(dimension)) or body[dimension] <= 0:
            problems.append(f"{dimension} must be above 0")
    avatar = body.get("avatar")
    if not isinstance(avatar, dict) or not isinstance(avatar.get("picture_url"), str) or not avatar["picture_url"]:
        problems.append("avatar.picture_url is required")
    pictures = body.get("pictures")
    if not isinstance(pictures, list) or not all(isinstance(p, dict) and p.get("picture_url") for p in pictures):
        problems.append("pictures must be a list of {picture_url}")
    special = body.get("special_price")
    if special not in (None, 0) and (not _is_int(special) or (price is not None and special > price)):
        problems.append("special_price cannot be above price")
    if "unit_id" in body and body["unit_id"] not in range(1, 9):
        problems.append("unit_id must be 1 to 8")
    return problems


class StandIn:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.received = []
            self.failures = []  # [remaining, status, retry_after, path prefix]
            self.tokens = {}  # token -> (marketplace, expires at, time.time())
            self.token_lifetime = {"tiki": 3600, "sendo": 8 * 3600}
            self.outcomes = {}  # sku -> (states, reason)
            self.refusals = {}  # sku -> the message a create request of that sku is refused with
            self.tiki_requests = {}  # track_id -> {"payload", "polls"}
            self.sendo_products = {}
            self.sendo_errors_as_200 = False
            self.logins = deque()
            self._ids = count(1001)

    # -- scripting ---------------------------------------------------------------------------------------------

    def fail_next(self, n, status, *, retry_after=None, path=None):
        """The next `n` requests (under `path`, e.g. "/tiki/integration") answer `status`."""
        with self.lock:
            self.failures.append([n, status, retry_after, path])

    def expire_tokens(self):
        with self.lock:
            self.tokens = {t: (m, 0.0) for t, (m, _) in self.tokens.items()}

    def outcome(self, sku, *states, reason=""):
        """What successive tracking polls of `sku`'s request say (the last state repeats)."""
        self.outcomes[sku] = (states, reason)

    def refuse(self, sku, message):
        """Refuse creating `sku` with `message` (a rule the marketplace checks that we cannot, e.g. image text)."""
        self.refusals[sku] = message

    def requests_to(self, suffix, method=None):
        return [r for r in self.received if r.path.endswith(suffix) and (method is None or r.method == method)]

    # -- WSGI --------------------------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = Request(environ)
        body = request.get_data(as_text=True)
        try:
            parsed = json.loads(body) if request.mimetype == "application/json" else request.form.to_dict()
        except ValueError:
            parsed = None
        with self.lock:
            self.received.append(Received(request.method, request.path, dict(request.headers), parsed))
            response = self._scripted(request.path) or self._route(request, parsed)
        return response(environ, start_response)

    def _scripted(self, path):
        for failure in self.failures:
            remaining, status, retry_after, prefix = failure
            if remaining > 0 and (prefix is None or path.startswith(prefix)):
                failure[0] -= 1
                headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
                body = {"message": "token expired"} if status == 401 else {"message": f"scripted {status}"}
                return _json(body, status, headers)
        return None

    def _route(self, request, body):
        path, method = request.path, request.method
        if method == "POST" and path == "/tiki/sc/oauth2/token":
            return self._tiki_token(request)
        if method == "POST" and path == "/tiki/integration/v2.1/requests":
            return self._authorized("tiki", request) or self._tiki_create(body)
        if method == "GET" and path.startswith("/tiki/integration/v2/tracking/"):
            return self._authorized("tiki", request) or self._tiki_tracking(path.rsplit("/", 1)[1])
        if method == "POST" and path == "/sendo/login":
            return self._sendo_login(body)
        if method == "POST" and path == "/sendo/api/partner/product":
            return self._authorized("sendo", request) or self._sendo_create(body)
        return _json({"message": "not found"}, 404)

    def _issue(self, marketplace):
        token = f"{marketplace}-token-{uuid.uuid4().hex}"
        lifetime = self.token_lifetime[marketplace]
        self.tokens[token] = (marketplace, time.time() + lifetime)
        return token, lifetime

    def _authorized(self, marketplace, request):
        header = request.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        owner, expires = self.tokens.get(token, (None, 0.0))
        if owner != marketplace or expires <= time.time():
            return _json({"message": "invalid or expired token"}, 401)
        return None

    def _tiki_token(self, request):
        header = request.headers.get("Authorization", "")
        try:
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            client_id = secret = ""
        if not header.startswith("Basic ") or TIKI_CLIENTS.get(client_id) != secret:
            return _json({"error": "invalid_client"}, 401)
        if request.form.get("grant_type") != "client_credentials":
            return _json({"error": "unsupported_grant_type"}, 400)
        token, lifetime = self._issue("tiki")
        return _json({"access_token": token, "token_type": "bearer", "expires_in": lifetime})

    def _tiki_create(self, body):
        problems = tiki_problems(body) if isinstance(body, dict) else ["the body must be a JSON object"]
        if not problems and body["variants"][0]["sku"] in self.refusals:
            problems = [self.refusals[body["variants"][0]["sku"]]]
        if problems:
            return _json({"message": "; ".join(problems), "errors": problems}, 400)
        track_id = uuid.uuid4().hex
        self.tiki_requests[track_id] = {"payload": body, "polls": 0}
        return _json({"track_id": track_id, "state": "queuing"})

    def _tiki_tracking(self, track_id):
        request = self.tiki_requests.get(track_id)
        if request is None:
            return _json({"message": "track_id not found"}, 404)
        sku = request["payload"]["variants"][0]["sku"]
        states, reason = self.outcomes.get(sku, (("processing", "approved"), ""))
        state = states[min(request["polls"], len(states) - 1)]
        request["polls"] += 1
        answer = {"track_id": track_id, "state": state, "reason": reason if state == "rejected" else None}
        if state == "approved":
            product_id = request.setdefault("product_id", next(self._ids))
            answer.update(product_id=product_id, url=f"https://tiki.vn/p{product_id}.html")
        return _json(answer)

    def _sendo_login(self, body):
        now = time.monotonic()
        while self.logins and now - self.logins[0] > 1.0:
            self.logins.popleft()
        if len(self.logins) >= SENDO_LOGINS_PER_SECOND:
            return _json({"success": False, "error": {"message": "Too many requests"}}, 429, {"Retry-After": "1"})
        self.logins.append(now)
        body = body if isinstance(body, dict) else {}
        if SENDO_SHOPS.get(body.get("shop_key")) != body.get("secret_key") or not body.get("secret_key"):
            return _json({"success": False, "error": {"message": "Shop key or secret key is wrong"}}, 401)
        token, lifetime = self._issue("sendo")
        expires = datetime.now(timezone(timedelta(hours=7))) + timedelta(seconds=lifetime)
        return _json({"success": True, "result": {"token": token, "expires": expires.isoformat()},
                      "status_code": 200})

    def _sendo_create(self, body):
        problems = sendo_problems(body) if isinstance(body, dict) else ["the body must be a JSON object"]
        if not problems and body["sku"] in self.refusals:
            problems = [self.refusals[body["sku"]]]
        if problems:
            error = {"success": False, "error": {"message": "; ".join(problems)}, "status_code": 400}
            return _json(error, 200 if self.sendo_errors_as_200 else 400)
        product_id = next(self._ids)
        self.sendo_products[product_id] = {**body, "status": 1}  # 1: awaiting approval
        return _json({"success": True, "result": product_id, "status_code": 200})


def _json(body, status=200, headers=None):
    return Response(json.dumps(body), status=status, headers=headers or {}, mimetype="application/json")


class _QuietHandler(WSGIRequestHandler):
    def log(self, type, message, *args):  # noqa: A002  (werkzeug's signature)
        pass


class StandInServer:
    """The stand-in on a free 127.0.0.1 port, in a thread; `close()` stops it and closes its socket."""

    def __init__(self):
        self.app = StandIn()
        self.server = make_server("127.0.0.1", 0, self.app, request_handler=_QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
