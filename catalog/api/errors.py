"""API responses: JSON encoded as UTF-8 (Vietnamese stays readable), and errors in the site-wide shape
`{"error": {"status", "title", "message"}}`, plus `parameter` when one query parameter is to blame."""
from flask import current_app
from flask_babel import lazy_gettext as _l

TITLES = {400: _l("Invalid parameter"), 404: _l("Not found")}


class ApiError(Exception):
    def __init__(self, status, message, parameter=None):
        super().__init__(str(message))
        self.status = status
        self.message = message
        self.parameter = parameter


def json_response(payload, status=200):
    body = current_app.json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return current_app.response_class(body, status=status, mimetype="application/json")


def render_error(exc):
    error = {"status": exc.status, "title": str(TITLES[exc.status]), "message": str(exc.message)}
    if exc.parameter:
        error["parameter"] = exc.parameter
    return json_response({"error": error}, exc.status)
