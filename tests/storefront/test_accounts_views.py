"""The account pages: sign up, sign in (e-mail or phone, remember me, next), sign out, reset, settings."""
import re
import time

import pytest
from itsdangerous import TimestampSigner

from storefront.extensions import db
from storefront.models import User
from tests.storefront.conftest import PASSWORD, sign_in

NEW_PASSWORD = "một mật khẩu mới"


def signed_in(client):
    return client.get("/account/").status_code == 200


def cookie_names(response):
    return [h.split("=", 1)[0] for h in response.headers.getlist("Set-Cookie")]


def test_a_shopper_signs_up_and_is_signed_in(app, client):
    response = client.post("/account/signup", data={
        "name": "Nguyễn Thị Lan", "email": "Lan@Example.vn", "phone": "0912 345 678",
        "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "session" in cookie_names(response)
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert (user.email, user.phone, user.role) == ("lan@example.vn", "+84912345678", "shopper")
    assert signed_in(client)


def test_a_signup_with_mistakes_comes_back_with_messages_and_the_input_but_never_the_password(client, make_user):
    make_user("lan@example.vn")
    response = client.post("/account/signup", data={
        "name": "Lan <b>", "email": "LAN@example.vn", "phone": "0212 345 678", "password": "qwerty", "confirm": "asdfgh"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Số di động Việt Nam" in page or "số di động Việt Nam" in page
    assert "ít nhất 10 ký tự" in page and "Hai mật khẩu không giống nhau." in page
    assert 'value="Lan &lt;b&gt;"' in page and 'value="LAN@example.vn"' in page and 'value="0212 345 678"' in page
    assert "qwerty" not in page and "asdfgh" not in page


def test_signing_up_with_a_taken_email_says_so_under_the_email(client, make_user):
    make_user("lan@example.vn")
    response = client.post("/account/signup", data={
        "name": "Lan", "email": "lan@example.vn", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 400 and "Đã có tài khoản dùng địa chỉ e-mail này" in response.get_data(as_text=True)


def test_signing_in_gives_a_session_cookie_and_goes_home(client, make_user):
    make_user()
    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "session" in cookie_names(response) and signed_in(client)


@pytest.mark.parametrize("spelling", ["0912 345 678", "+84912345678", "84 912 345 678", "0912.345.678"])
def test_signing_in_with_the_phone_in_another_spelling(client, make_user, spelling):
    make_user(phone="+84 912 345 678")
    assert sign_in(client, spelling).status_code == 302 and signed_in(client)


@pytest.mark.parametrize("identifier, password", [("lan@example.vn", "sai mật khẩu rồi"), ("mai@example.vn", PASSWORD)])
def test_a_wrong_password_or_unknown_account_shows_one_message_and_keeps_the_identifier(client, make_user,
                                                                                       identifier, password):
    make_user()
    response = sign_in(client, identifier, password)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "E-mail, số di động hoặc mật khẩu không đúng" in page
    assert f'value="{identifier}"' in page and password not in page
    assert not signed_in(client)


def test_the_remember_me_cookie_is_set_only_when_asked(app, make_user):
    make_user()
    plain = sign_in(app.test_client())
    assert "remember_token" not in cookie_names(plain)
    remembered = sign_in(app.test_client(), remember="y")
    (cookie,) = [h for h in remembered.headers.getlist("Set-Cookie") if h.startswith("remember_token=")]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    expires = re.search(r"Expires=([^;]+)", cookie).group(1)
    assert time.strptime(expires, "%a, %d %b %Y %H:%M:%S GMT").tm_year >= time.gmtime().tm_year


def test_a_remembered_visitor_stays_signed_in_after_the_browser_drops_the_session(app, client, make_user):
    make_user()
    sign_in(client, remember="y")
    client.delete_cookie("session")
    assert signed_in(client)


def test_next_brings_the_visitor_back_to_the_page_they_wanted(client, make_user):
    make_user()
    response = client.post("/account/signin?next=/ignored", data={
        "identifier": "lan@example.vn", "password": PASSWORD, "next": "/products/?star=4"})
    assert response.headers["Location"] == "/products/?star=4"


@pytest.mark.parametrize("target", ["//evil.com", "https://evil.com", "/\\evil.com", "http:/evil.com",
                                    "javascript:alert(1)", "\\\\evil.com"])
def test_an_off_site_next_is_ignored(client, make_user, target):
    make_user()
    form = client.get(f"/account/signin?next={target}").get_data(as_text=True)
    assert '<input id="next" name="next" type="hidden" value="">' in form
    response = sign_in(client, next=target)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_signing_out_takes_a_post_and_forgets_the_remember_cookie(client, make_user):
    make_user()
    sign_in(client, remember="y")
    page = client.get("/account/signout")
    assert page.status_code == 200 and 'method="post"' in page.get_data(as_text=True) and signed_in(client)
    response = client.post("/account/signout")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert any(h.startswith("remember_token=;") for h in response.headers.getlist("Set-Cookie"))
    assert not signed_in(client)
    assert "Bạn đã đăng xuất." in client.get("/account/signin").get_data(as_text=True)


def test_the_settings_page_sends_strangers_to_sign_in_and_back(client):
    response = client.get("/account/")
    assert response.status_code == 302 and response.headers["Location"] == "/account/signin?next=/account/"


def test_account_pages_are_never_stored_by_browsers_or_proxies(client):
    assert client.get("/account/signin").headers["Cache-Control"] == "no-store"


def _reset_link(outbox):
    (message,) = outbox()
    return re.search(r"https://cho-ocop\.test(/account/reset/\S+)", message.get_content()).group(1)


def test_a_forgotten_password_is_reset_by_the_link_in_the_email(client, make_user, outbox):
    make_user(name="Lan")
    response = client.post("/account/reset", data={"email": " LAN@example.vn "})
    assert response.status_code == 200 and "Kiểm tra hộp thư" in response.get_data(as_text=True)
    (message,) = outbox()
    assert message["To"] == "lan@example.vn" and message["Subject"] == "Đặt lại mật khẩu Chợ OCOP"
    assert "Xin chào Lan," in message.get_content()
    link = _reset_link(outbox)
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/account/signin"
    assert sign_in(client, password=PASSWORD).status_code == 400
    assert sign_in(client, password=NEW_PASSWORD).status_code == 302


def test_a_reset_link_cannot_be_used_twice(client, make_user, outbox):
    make_user()
    client.post("/account/reset", data={"email": "lan@example.vn"})
    link = _reset_link(outbox)
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = client.post(link, data={"password": "mật khẩu của kẻ gian", "confirm": "mật khẩu của kẻ gian"})
    assert again.status_code == 400 and "đã được dùng" in again.get_data(as_text=True)
    assert client.get(link).status_code == 400
    assert sign_in(client, password=NEW_PASSWORD).status_code == 302


def test_an_expired_reset_link_is_refused(client, make_user, outbox, monkeypatch):
    make_user()
    client.post("/account/reset", data={"email": "lan@example.vn"})
    link = _reset_link(outbox)
    an_hour_later = int(time.time()) + 3601
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: an_hour_later)
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 400 and "đã hết hạn" in response.get_data(as_text=True)
    monkeypatch.undo()
    assert sign_in(client).status_code == 302


def test_a_reset_request_answers_the_same_whether_or_not_the_account_exists(client, make_user, outbox):
    make_user()
    known = client.post("/account/reset", data={"email": "lan@example.vn"})
    unknown = client.post("/account/reset", data={"email": "mai@example.vn"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True).replace("lan@", "mai@") == unknown.get_data(as_text=True)
    assert [m["To"] for m in outbox()] == ["lan@example.vn"]


def test_a_reset_form_with_mismatched_passwords_comes_back(client, make_user, outbox):
    make_user()
    client.post("/account/reset", data={"email": "lan@example.vn"})
    response = client.post(_reset_link(outbox), data={"password": NEW_PASSWORD, "confirm": "khác hẳn"})
    assert response.status_code == 400 and "Hai mật khẩu không giống nhau." in response.get_data(as_text=True)


def test_changing_the_password_keeps_this_device_and_signs_out_the_others(app, make_user, outbox):
    make_user()
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, remember="y")
    sign_in(elsewhere, remember="y")
    response = here.post("/account/password", data={
        "password-current_password": PASSWORD, "password-password": NEW_PASSWORD, "password-confirm": NEW_PASSWORD})
    assert response.status_code == 302 and signed_in(here)
    here.delete_cookie("session")
    assert signed_in(here)  # its remember-me cookie was renewed
    assert not signed_in(elsewhere)
    elsewhere.delete_cookie("session")
    assert not signed_in(elsewhere)  # and the old remember-me cookie is dead
    assert "Mật khẩu tài khoản Chợ OCOP của bạn đã được đổi" in [m["Subject"] for m in outbox()]


def test_changing_the_password_needs_the_current_one(client, make_user):
    make_user()
    sign_in(client)
    response = client.post("/account/password", data={
        "password-current_password": "không phải mật khẩu", "password-password": NEW_PASSWORD,
        "password-confirm": NEW_PASSWORD})
    assert response.status_code == 400 and "Mật khẩu hiện tại không đúng." in response.get_data(as_text=True)


def test_changing_the_email_needs_the_password_and_keeps_what_was_typed(client, make_user):
    make_user()
    sign_in(client)
    response = client.post("/account/email", data={
        "email-email": "lan.moi@example.vn", "email-current_password": "không phải mật khẩu"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Mật khẩu hiện tại không đúng." in page
    assert 'value="lan.moi@example.vn"' in page
    response = client.post("/account/email", data={
        "email-email": "lan.moi@example.vn", "email-current_password": PASSWORD})
    assert response.status_code == 302
    assert "lan.moi@example.vn" in client.get("/account/").get_data(as_text=True)


def test_a_closed_account_is_signed_out_on_its_next_request(app, client, make_user):
    user_id = make_user()
    sign_in(client)
    with app.app_context():
        db.session.get(User, user_id).is_active = False
        db.session.commit()
    assert not signed_in(client)
    assert sign_in(client).status_code == 400


def test_a_name_with_markup_is_shown_as_text(client, make_user):
    make_user(name='<script>alert("x")</script>')
    sign_in(client)
    page = client.get("/account/").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
