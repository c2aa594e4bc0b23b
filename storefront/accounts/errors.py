"""What can go wrong with an account, each with the message a person sees and the form field it belongs to."""
from flask_babel import lazy_gettext as _l

from storefront.domain import DomainError


class AccountError(DomainError):
    message = _l("Something is wrong with this account.")


class InvalidEmail(AccountError):
    message = _l("Enter an e-mail address such as name@example.com.")
    field = "email"


class EmailTaken(AccountError):
    message = _l("An account with this e-mail address already exists. Sign in or reset your password.")
    field = "email"


class InvalidPhoneNumber(AccountError):
    message = _l("Enter a Vietnamese mobile number, such as 0912 345 678.")
    field = "phone"


class PhoneTaken(AccountError):
    message = _l("An account with this mobile number already exists.")
    field = "phone"


class WeakPassword(AccountError):
    message = _l("Use at least %(min)d characters for your password.")
    field = "password"


class InvalidCredentials(AccountError):
    message = _l("The e-mail, mobile number or password is not right. Please try again.")


class AccountDisabled(AccountError):
    message = _l("This account has been closed. Please contact the programme staff.")


class WrongPassword(AccountError):
    message = _l("Your current password is not right.")
    field = "current_password"


class ResetLinkInvalid(AccountError):
    message = _l("This password reset link is not valid or has already been used. Ask for a new one.")


class ResetLinkExpired(ResetLinkInvalid):
    message = _l("This password reset link has expired. Ask for a new one.")
