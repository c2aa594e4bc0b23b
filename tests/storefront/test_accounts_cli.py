"""`flask ocop create-user EMAIL --role staff|admin` makes the first staff accounts."""
from storefront.accounts.services import authenticate
from storefront.extensions import db
from storefront.models import User
from tests.storefront.conftest import PASSWORD


def stored(app, email):
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=email))
        return user and (user.role, user.name, user.phone)


def test_create_user_asks_for_the_password_twice_without_echoing_it(app, runner):
    result = runner.invoke(args=["ocop", "create-user", "Can.Bo@Example.vn", "--name", "Cán bộ Tâm"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Mật khẩu: \nNhập lại mật khẩu: \n") and PASSWORD not in result.output
    assert stored(app, "can.bo@example.vn") == ("staff", "Cán bộ Tâm", None)
    with app.test_request_context():
        assert authenticate("can.bo@example.vn", PASSWORD).role == "staff"


def test_create_user_takes_the_password_from_stdin_for_scripts(app, runner):
    result = runner.invoke(args=["ocop", "create-user", "admin@example.vn", "--role", "admin", "--phone",
                                 "0912 345 678", "--password-stdin"], input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert stored(app, "admin@example.vn") == ("admin", "", "+84912345678")


def test_two_different_passwords_at_the_prompt_are_asked_again(app, runner):
    result = runner.invoke(args=["ocop", "create-user", "a@example.vn"],
                           input=f"{PASSWORD}\nkhác hẳn rồi\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and "do not match" in result.output


def test_a_short_password_is_refused(app, runner):
    result = runner.invoke(args=["ocop", "create-user", "a@example.vn", "--password-stdin"], input="ngắn\n")
    assert result.exit_code == 1 and "10" in result.output and stored(app, "a@example.vn") is None


def test_a_duplicate_email_exits_non_zero_with_a_clear_message(app, runner, make_user):
    make_user("a@example.vn")
    result = runner.invoke(args=["ocop", "create-user", "A@example.vn", "--password-stdin", "--lang", "en"],
                           input=f"{PASSWORD}\n")
    assert result.exit_code == 1
    assert "Error: An account with this e-mail address already exists." in result.output


def test_only_staff_and_admin_roles_are_offered(app, runner):
    result = runner.invoke(args=["ocop", "create-user", "a@example.vn", "--role", "shopper", "--password-stdin"],
                           input=f"{PASSWORD}\n")
    assert result.exit_code == 2 and stored(app, "a@example.vn") is None
