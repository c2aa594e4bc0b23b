"""Account forms. They check shape (present, long enough, an e-mail); services check the rest."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, TelField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from storefront.accounts.passwords import MAX_LENGTH
from storefront.accounts.phone import is_phone
from storefront.accounts.services import EMAIL

REQUIRED = _l("Please fill this in.")


def _required():
    return DataRequired(message=REQUIRED)


def _at_most(n):
    return Length(max=n, message=_l("Use at most %(max)d characters."))


def new_password_length(form, field):
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    if not min_length <= len(field.data or "") <= MAX_LENGTH:
        raise ValidationError(_l("Use at least %(min)d characters for your password.", min=min_length))


def email_shape(form, field):
    if field.data and not EMAIL.match(field.data.strip().lower()):
        raise ValidationError(_l("Enter an e-mail address such as name@example.com."))


def phone_shape(form, field):
    if field.data and field.data.strip() and not is_phone(field.data):
        raise ValidationError(_l("Enter a Vietnamese mobile number, such as 0912 345 678."))


def _new_password_fields():
    password = PasswordField(_l("New password"), [_required(), new_password_length])
    confirm = PasswordField(_l("New password again"), [
        _required(), EqualTo("password", message=_l("The two passwords are not the same."))])
    return password, confirm


class SignUpForm(FlaskForm):
    name = StringField(_l("Your name"), [_required(), _at_most(120)])
    email = EmailField(_l("E-mail"), [_required(), _at_most(254), email_shape])
    phone = TelField(_l("Mobile number (optional)"), [Optional(), _at_most(20), phone_shape])
    password = PasswordField(_l("Password"), [_required(), new_password_length])
    confirm = PasswordField(_l("Password again"), [
        _required(), EqualTo("password", message=_l("The two passwords are not the same."))])


class SignInForm(FlaskForm):
    identifier = StringField(_l("E-mail or mobile number"), [_required(), _at_most(254)])
    password = PasswordField(_l("Password"), [_required(), _at_most(MAX_LENGTH)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class SignOutForm(FlaskForm):
    pass


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), [_required(), _at_most(254), email_shape])


class ResetPasswordForm(FlaskForm):
    password, confirm = _new_password_fields()


class ChangeEmailForm(FlaskForm):
    email = EmailField(_l("New e-mail"), [_required(), _at_most(254), email_shape])
    current_password = PasswordField(_l("Current password"), [_required(), _at_most(MAX_LENGTH)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), [_required(), _at_most(MAX_LENGTH)])
    password, confirm = _new_password_fields()
