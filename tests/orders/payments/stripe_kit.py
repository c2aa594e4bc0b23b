"""The card-payment test kit: localstripe on 127.0.0.1 in a subprocess, an app with Stripe keys pointing at it,
that app on a live port with localstripe's signed webhooks delivered to it, and helpers to pay, sign and wait.

Import the fixtures into a test module or conftest (`from tests.orders.payments.stripe_kit import *`)."""
import contextvars
import logging
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import stripe
from werkzeug.serving import make_server

from flask.testing import FlaskClient

from catalog import search
from orders import cart as carts
from orders.access import order_token
from orders.checkout import Delivery, place_order
from storefront import create_app
from storefront.config import TestConfig
from storefront.extensions import db

__all__ = ["stand_in_server", "card_app", "card_server", "stand_in", "card_ctx", "webhooks_delivered",
           "card_outbox"]

SECRET_KEY = "sk_test_ocop_card_tests"
PUBLISHABLE_KEY = "pk_test_ocop_card_tests"
WEBHOOK_SECRET = "whsec_ocop_card_tests"
WEBHOOK_ID = "ocop-card-tests"
CARDS = {"visa": "4242424242424242", "declined": "4000000000000341", "3ds": "4000002500003155"}


class StandIn:
    """localstripe at `base`: its own API (secret key), its /_config/ endpoints, and what tests ask of it."""

    def __init__(self, base):
        self.base = base
        self.http = requests.Session()
        self.api = stripe.StripeClient(SECRET_KEY, base_addresses={"api": base}, max_network_retries=0)

    def close(self):
        self.http.close()

    def reset(self):
        self.http.delete(f"{self.base}/_config/data", timeout=5).raise_for_status()

    def deliver_webhooks(self, url, events=None):
        """Have localstripe send its signed events to `url` (events=[]: send none)."""
        body = {"url": url, "secret": WEBHOOK_SECRET}
        if events is not None:
            body["events"] = events
        self.http.post(f"{self.base}/_config/webhooks/{WEBHOOK_ID}", json=body, timeout=5).raise_for_status()

    def intent(self, intent_id):
        return self.http.get(f"{self.base}/v1/payment_intents/{intent_id}", auth=(SECRET_KEY, ""), timeout=5).json()

    def intents(self):
        return self.http.get(f"{self.base}/v1/payment_intents", auth=(SECRET_KEY, ""), timeout=5).json()["data"]

    def refunds(self, intent_id):
        found = self.http.get(f"{self.base}/v1/refunds", params={"payment_intent": intent_id},
                              auth=(SECRET_KEY, ""), timeout=5).json()["data"]
        return sorted(r["amount"] for r in found)

    def pay(self, intent_id, card="visa", authenticate=True):
        """Confirm the intent server-side as Stripe's API does: a card PaymentMethod, set on the intent, then
        confirm; a 3-D Secure card is then authenticated (unless `authenticate` is false). Returns the intent's
        status (a decline raises stripe.CardError, as Stripe answers 402)."""
        method = self.api.v1.payment_methods.create({"type": "card", "card": {
            "number": CARDS.get(card, card), "exp_month": 12, "exp_year": 2030, "cvc": "123"}})
        self.api.v1.payment_intents.update(intent_id, {"payment_method": method.id})
        intent = self.api.v1.payment_intents.confirm(intent_id)
        if intent.status == "requires_action" and authenticate:
            return self.authenticate(intent_id)
        return intent.status

    def authenticate(self, intent_id, success=True):
        """The shopper's answer to the 3-D Secure check (what localstripe's Stripe.js dialog sends)."""
        secret = self.intent(intent_id)["client_secret"]
        answer = self.http.post(f"{self.base}/v1/payment_intents/{intent_id}/_authenticate", timeout=5,
                                params={"success": "true" if success else "false"},
                                json={"key": PUBLISHABLE_KEY, "client_secret": secret})
        answer.raise_for_status()
        return answer.json()["status"]


class SeparateRequestsClient(FlaskClient):
    """A test client whose every request runs in an empty context, as a real request does: its own app
    context, `g` (Flask-Login's user) and database session. Without this, a request made while a test holds
    a context of the same app reuses that app context (Flask 3) and shares the test's session and `g`."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def sign(payload, timestamp=None, secret=WEBHOOK_SECRET):
    """The Stripe-Signature header Stripe would send for `payload` (str): t=…,v1=HMAC-SHA256(secret, "t.payload")."""
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)


def wait_for(check, timeout=8.0, every=0.05):
    """Poll `check()` (after ending the session's transaction, to see other threads' commits) until truthy."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


class DictSession(dict):
    pass


def delivery(**kw):
    return Delivery(**{"recipient_name": "Trần Thị Bích", "phone": "0912 345 678", "province": "vinh-long",
                       "commune": "Xã Đại Phước", "street": "12 Ấp Rạch Dừa", "email": "bich@example.vn", **kw})


def card_order(*lines, user=None, **kw):
    """Place a card order for [(product, quantity), …] through a session cart, as checkout does."""
    store = carts.SessionCart(DictSession())
    for product, quantity in lines:
        carts.add_to_cart(store, product.id, quantity)
    return place_order(store, delivery(**kw), "card", user)


def pay_path(order):
    return f"/orders/{order.code}/pay?t={order_token(order)}"


@pytest.fixture(scope="session")
def stand_in_server(tmp_path_factory):
    """localstripe on a loopback socket opened here (no port race), in its own temp folder; stopped at the end."""
    folder = tmp_path_factory.mktemp("localstripe")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    log = open(folder / "localstripe.log", "wb")
    process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("stand_in.py")), str(sock.fileno())],
                               pass_fds=(sock.fileno(),), stdout=log, stderr=subprocess.STDOUT, cwd=folder,
                               env={"PATH": "/usr/bin:/bin", "TMPDIR": str(folder), "PYTHONDONTWRITEBYTECODE": "1"})
    sock.close()
    base = f"http://127.0.0.1:{port}"
    server = StandIn(base)
    try:
        for _ in range(100):  # the socket already listens: a request waits until localstripe has started
            if process.poll() is not None:
                raise RuntimeError(f"localstripe exited: {(folder / 'localstripe.log').read_text()}")
            try:
                server.http.get(f"{base}/js.stripe.com/v3/", timeout=2).raise_for_status()
                break
            except requests.RequestException:
                time.sleep(0.05)
        yield server
    finally:
        server.close()
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def card_app(app, stand_in_server, tmp_path_factory):
    """The app with the three Stripe keys, its API and Stripe.js on localstripe, CSRF on as in production."""
    folder = tmp_path_factory.mktemp("card-app")

    class Config(TestConfig):
        INSTANCE_PATH = str(folder / "instance")
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        MAIL_OUTBOX = str(folder / "outbox")
        STRIPE_SECRET_KEY = SECRET_KEY
        STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
        STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        STRIPE_API_BASE = stand_in_server.base
        STRIPE_JS_URL = f"{stand_in_server.base}/js.stripe.com/v3/"
        STRIPE_TIMEOUT = 5

    card = create_app(Config)
    card.test_client_class = SeparateRequestsClient
    with card.app_context():
        search.reindex()  # an empty, ready index: no background rebuild on the first request
    yield card
    with card.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def card_server(card_app):
    """`card_app` on a free loopback port for the whole session (the URL); closed at the end."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, card_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def stand_in(stand_in_server):
    """localstripe emptied for this test."""
    stand_in_server.reset()
    return stand_in_server


@pytest.fixture
def card_outbox(card_app):
    """`card_outbox()` → the e-mails the card app sent during this test, oldest first."""
    from email import policy
    from email.parser import BytesParser

    folder = Path(card_app.config["MAIL_OUTBOX"])
    for old in folder.glob("*.eml"):
        old.unlink()

    def read():
        return [BytesParser(policy=policy.default).parsebytes(f.read_bytes()) for f in sorted(folder.glob("*.eml"))]

    return read


@pytest.fixture
def card_ctx(card_app, stand_in, card_outbox):
    """A request context of the card app, for calling services directly."""
    with card_app.test_request_context():
        yield
        db.session.remove()


@pytest.fixture
def webhooks_delivered(stand_in, card_server):
    """localstripe delivers its signed events to the live card app during this test (and to nothing after).

    localstripe sends each event a second after it happens, to the webhooks registered by then: an event of
    an earlier test that ended less than a second ago may arrive too. Its intent is unknown here, so the app
    acknowledges it and changes nothing but a stripe_events row (order_id NULL): count only your order's."""
    stand_in.deliver_webhooks(f"{card_server}/payments/stripe/webhook")
    yield card_server
    stand_in.deliver_webhooks(f"{card_server}/payments/stripe/webhook", events=[])
