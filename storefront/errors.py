"""Friendly error pages: HTML for people, JSON for the API. Nothing a visitor sends should end in a 500,
but if something does, they get a page they can act on and the traceback goes to the log."""
import logging

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


def wants_json():
    return request.path.startswith("/api/")


def _render(code, title, message):
    if wants_json():
        return jsonify(error={"status": code, "title": title, "message": message}), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def handle_http(exc):
    if exc.code == 404:
        return _render(404, _("Page not found"), _("The page you asked for does not exist or is no longer on sale."))
    if exc.code == 405:
        return _render(405, _("Not allowed"), _("This address does not accept that kind of request."))
    if exc.code and 400 <= exc.code < 500:
        return _render(exc.code, _("Bad request"), exc.description or _("The request could not be understood."))
    return handle_500(exc)


def handle_500(exc):
    original = getattr(exc, "original_exception", None) or exc
    if not isinstance(original, HTTPException):
        log.exception("unhandled error on %s", request.path, exc_info=original)
    return _render(500, _("Something went wrong"), _("We are sorry: please try again in a moment."))


def init_app(app):
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_500)
