"""Account fixtures: users, signing in through the real form, the mail outbox, and apps built with other
settings on the same database (for routes a test adds, or a limiter backed by Redis)."""
import shutil

import pytest

from storefront.accounts.services import sign_up
from storefront.extensions import db
from storefront.mail import outbox_path

PASSWORD = "mật khẩu đủ dài"


@pytest.fixture(autouse=True)
def _fresh_limits_and_outbox(request):
    """Each test starts with no sign-in attempts counted and an empty outbox."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        shutil.rmtree(outbox_path(), ignore_errors=True)
    app.extensions["account_limiter"].reset()
    yield
    app.extensions["account_limiter"].reset()


@pytest.fixture
def make_user(app):
    """`make_user(email, role=…, phone=…, password=…)` → the new user's id (committed)."""

    def make(email="lan@example.vn", password=PASSWORD, **kw):
        with app.test_request_context():
            user_id = sign_up(email, password, **kw).id
            db.session.remove()
        return user_id

    return make


def sign_in(client, identifier="lan@example.vn", password=PASSWORD, **form):
    return client.post("/account/signin", data={"identifier": identifier, "password": password, **form})
