"""Account services: sign up, authenticate, reset and change passwords and e-mail addresses."""
import time

import pytest
from itsdangerous import TimestampSigner

from storefront.accounts import services
from storefront.accounts.errors import (AccountDisabled, EmailTaken, InvalidCredentials, InvalidEmail,
                                        InvalidPhoneNumber, PhoneTaken, ResetLinkExpired, ResetLinkInvalid,
                                        WeakPassword, WrongPassword)
from storefront.accounts.passwords import make_reset_token
from storefront.extensions import db
from storefront.models import User
from tests.storefront.conftest import PASSWORD


def test_sign_up_stores_a_scrypt_hash_a_lowercase_email_and_a_normalised_phone(ctx):
    user = services.sign_up("  Lan@Example.VN ", PASSWORD, name=" Lan ", phone="0912 345 678")
    assert (user.email, user.phone, user.name, user.role) == ("lan@example.vn", "+84912345678", "Lan", "shopper")
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash


@pytest.mark.parametrize("password", ["", "ngắn", "9 ký tự.."])
def test_a_password_shorter_than_ten_characters_is_refused(ctx, password):
    with pytest.raises(WeakPassword, match="10"):
        services.sign_up("lan@example.vn", password)
    assert db.session.scalar(db.select(User.id)) is None


def test_ten_characters_are_enough(ctx):
    assert services.sign_up("lan@example.vn", "0123456789").id


@pytest.mark.parametrize("email", ["lan", "lan@", "@example.vn", "lan@example", "l an@example.vn", "a@b@c.vn"])
def test_a_malformed_email_is_refused(ctx, email):
    with pytest.raises(InvalidEmail):
        services.sign_up(email, PASSWORD)


def test_an_email_or_phone_can_belong_to_one_account_only(ctx):
    services.sign_up("lan@example.vn", PASSWORD, phone="0912345678")
    with pytest.raises(EmailTaken):
        services.sign_up("LAN@example.vn", PASSWORD)
    with pytest.raises(PhoneTaken):
        services.sign_up("mai@example.vn", PASSWORD, phone="+84 912 345 678")
    with pytest.raises(InvalidPhoneNumber):
        services.sign_up("mai@example.vn", PASSWORD, phone="0212345678")


def test_an_account_is_found_by_email_or_by_its_phone_in_any_spelling(ctx):
    lan = services.sign_up("lan@example.vn", PASSWORD, phone="0912345678")
    for identifier in ("LAN@example.vn ", "0912 345 678", "+84912345678", "84912345678"):
        assert services.authenticate(identifier, PASSWORD) is lan
    db.session.expire_all()
    assert db.session.get(User, lan.id).last_login_at is not None


@pytest.mark.parametrize("identifier, password", [
    ("lan@example.vn", "a wrong password"), ("mai@example.vn", PASSWORD), ("0987654321", PASSWORD), ("", PASSWORD),
])
def test_a_wrong_password_or_unknown_account_gets_the_same_answer(ctx, identifier, password):
    services.sign_up("lan@example.vn", PASSWORD)
    with pytest.raises(InvalidCredentials) as caught:
        services.authenticate(identifier, password)
    assert "e-mail, mobile number or password" in str(caught.value) or "mật khẩu" in str(caught.value)


def test_a_closed_account_cannot_sign_in(ctx):
    user = services.sign_up("lan@example.vn", PASSWORD)
    user.is_active = False
    db.session.commit()
    with pytest.raises(AccountDisabled):
        services.authenticate("lan@example.vn", PASSWORD)


def test_a_reset_link_works_once(ctx, outbox):
    user = services.sign_up("lan@example.vn", PASSWORD)
    token = make_reset_token(user)
    services.reset_password(token, "một mật khẩu mới")
    assert services.authenticate("lan@example.vn", "một mật khẩu mới") is user
    with pytest.raises(ResetLinkInvalid):
        services.reset_password(token, "lại một mật khẩu khác")


def test_a_reset_link_older_than_its_max_age_is_refused(ctx, monkeypatch):
    user = services.sign_up("lan@example.vn", PASSWORD)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 3601)
    token = make_reset_token(user)
    monkeypatch.undo()
    with pytest.raises(ResetLinkExpired):
        services.reset_password(token, "một mật khẩu mới")
    assert services.authenticate("lan@example.vn", PASSWORD) is user


def test_a_reset_link_dies_when_the_password_changes_another_way(ctx):
    user = services.sign_up("lan@example.vn", PASSWORD)
    token = make_reset_token(user)
    services.change_password(user, PASSWORD, "một mật khẩu mới")
    with pytest.raises(ResetLinkInvalid):
        services.user_for_reset_token(token)


@pytest.mark.parametrize("token", ["", "rubbish", "NDI.awroxw.YB7y4bPTJKuC41ULLbopkepSWHE"])
def test_a_forged_reset_link_is_refused(ctx, token):
    services.sign_up("lan@example.vn", PASSWORD)
    with pytest.raises(ResetLinkInvalid):
        services.user_for_reset_token(token)


def test_another_users_token_does_not_open_this_account(ctx):
    lan = services.sign_up("lan@example.vn", PASSWORD)
    mai = services.sign_up("mai@example.vn", PASSWORD)
    token = make_reset_token(lan)
    assert services.user_for_reset_token(token) is lan
    assert services.user_for_reset_token(make_reset_token(mai)) is mai


def test_a_reset_request_for_an_unknown_address_sends_nothing_and_says_nothing(ctx, outbox):
    assert services.request_password_reset("nobody@example.vn") is None
    assert services.request_password_reset("not an address") is None
    assert outbox() == []


def test_changing_the_password_needs_the_current_one(ctx, outbox):
    user = services.sign_up("lan@example.vn", PASSWORD)
    with pytest.raises(WrongPassword):
        services.change_password(user, "not my password", "một mật khẩu mới")
    services.change_password(user, PASSWORD, "một mật khẩu mới")
    assert services.authenticate("lan@example.vn", "một mật khẩu mới") is user
    assert [m["Subject"] for m in outbox()] == ["Mật khẩu tài khoản Chợ OCOP của bạn đã được đổi"]


def test_changing_the_email_needs_the_password_and_tells_the_old_address(ctx, outbox):
    user = services.sign_up("lan@example.vn", PASSWORD)
    services.sign_up("mai@example.vn", PASSWORD)
    with pytest.raises(WrongPassword):
        services.change_email(user, "not my password", "lan.new@example.vn")
    with pytest.raises(EmailTaken):
        services.change_email(user, PASSWORD, "MAI@example.vn")
    services.change_email(user, PASSWORD, "Lan.New@example.vn")
    assert services.find_user("lan.new@example.vn") is user and services.find_user("lan@example.vn") is None
    (notice,) = outbox()
    assert notice["To"] == "lan@example.vn" and "lan.new@example.vn" in notice.get_content()


def test_the_session_id_changes_with_the_password(ctx):
    user = services.sign_up("lan@example.vn", PASSWORD)
    before = user.get_id()
    services.change_password(user, PASSWORD, "một mật khẩu mới")
    assert user.get_id() != before and user.get_id().startswith(f"{user.id}:")
