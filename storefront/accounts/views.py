"""Account pages under /account/: sign up, sign in and out, password reset, and the settings page.

Each view validates its form, calls one service and redirects, or re-renders the form with the messages
and what the person typed (never a password): 400 for a form that was not right, 429 when rate-limited.
"""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from storefront.accounts import services
from storefront.accounts.errors import AccountError, ResetLinkInvalid
from storefront.accounts.forms import (ChangeEmailForm, ChangePasswordForm, ResetPasswordForm, ResetRequestForm,
                                       SignInForm, SignOutForm, SignUpForm)
from storefront.accounts.limits import retry_after
from storefront.accounts.permissions import ACCOUNT_EDIT, permission_required
from storefront.urls import safe_next

bp = Blueprint("accounts", __name__, url_prefix="/account")


@bp.after_request
def _not_stored(response):
    """Account pages are personal: no browser or proxy keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _home():
    return url_for("catalog.home")


def _show_error(form, exc):
    field = getattr(form, exc.field, None) if exc.field else None
    (field.errors if field is not None else form.form_errors).append(str(exc))


def _form_page(template, form):
    return render_template(template, form=form), 400 if request.method == "POST" else 200


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.settings"))
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            user = services.sign_up(form.email.data, form.password.data, name=form.name.data, phone=form.phone.data)
        except AccountError as exc:
            _show_error(form, exc)
        else:
            login_user(user)
            flash(_("Welcome to Chợ OCOP! Your account is ready."), "success")
            return redirect(safe_next(request.args.get("next"), _home()))
    return _form_page("accounts/account_create.html", form)


@bp.route("/signin", methods=["GET", "POST"])
def signin():
    form = SignInForm(next=safe_next(request.args.get("next"), ""))
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(safe_next(form.next.data, _home()))
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.identifier.data, form.password.data)
        except AccountError as exc:
            _show_error(form, exc)
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(form.next.data, _home()))
    return _form_page("accounts/session_create.html", form)


@bp.route("/signout", methods=["GET", "POST"])
def signout():
    """GET asks (a link can't sign anyone out); POST, with its CSRF token, signs out and forgets the session."""
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(_home())
        return render_template("accounts/session_delete.html", form=SignOutForm())
    logout_user()
    for key in [k for k in session if k != "_remember"]:  # keep Flask-Login's note to drop the remember cookie
        session.pop(key)
    flash(_("You have signed out."), "success")
    return redirect(_home())


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("accounts/reset_sent.html", email=form.email.data.strip())
    return _form_page("accounts/reset_request.html", form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    form = ResetPasswordForm()
    try:
        services.user_for_reset_token(token)
        if form.validate_on_submit():
            services.reset_password(token, form.password.data)
            flash(_("Your password has been changed. Sign in with the new one."), "success")
            return redirect(url_for("accounts.signin"))
    except ResetLinkInvalid as exc:
        return render_template("accounts/reset_invalid.html", message=str(exc)), 400
    except AccountError as exc:
        _show_error(form, exc)
    return _form_page("accounts/reset_password.html", form)


def _settings_page(email_form=None, password_form=None):
    """The settings page; the form that was just sent (if any) comes back with its messages."""
    email_form = email_form or ChangeEmailForm(prefix="email", formdata=None)
    password_form = password_form or ChangePasswordForm(prefix="password", formdata=None)
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/account_edit.html", email_form=email_form, password_form=password_form,
                           signout_form=SignOutForm(formdata=None)), status


@bp.get("/")
@permission_required(ACCOUNT_EDIT)
def settings():
    return _settings_page()


@bp.post("/email")
@permission_required(ACCOUNT_EDIT)
def change_email():
    form = ChangeEmailForm(prefix="email")
    if form.validate_on_submit():
        try:
            services.change_email(current_user, form.current_password.data, form.email.data)
        except AccountError as exc:
            _show_error(form, exc)
        else:
            flash(_("Your e-mail address is now %(email)s.", email=current_user.email), "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(email_form=form)


@bp.post("/password")
@permission_required(ACCOUNT_EDIT)
def change_password():
    form = ChangePasswordForm(prefix="password")
    if form.validate_on_submit():
        try:
            user = services.change_password(current_user, form.current_password.data, form.password.data)
        except AccountError as exc:
            _show_error(form, exc)
        else:
            # The new password ended every session; keep this one (and its remember-me cookie, if it had one).
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(user, remember=remembered)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(password_form=form)


LIMITED_FORMS = {
    "accounts.signin": (SignInForm, "accounts/session_create.html"),
    "accounts.signup": (SignUpForm, "accounts/account_create.html"),
    "accounts.reset_request": (ResetRequestForm, "accounts/reset_request.html"),
}


def limited_page(request_limit):
    """The form again, as it was sent, with a message saying to wait (HTTP 429 and Retry-After)."""
    form_class, template = LIMITED_FORMS[request.endpoint]
    form = form_class()
    form.form_errors.append(_("Too many attempts. Please wait a few minutes and try again."))
    response = current_app.make_response((render_template(template, form=form), 429))
    response.headers["Retry-After"] = str(retry_after(request_limit))
    return response
