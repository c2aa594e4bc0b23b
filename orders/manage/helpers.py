"""What the booth's and staff's order pages share: loading the booth or booth order for the permission
check, labels for templates, showing a service's refusal on its form, and keeping pages out of caches."""
from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import to_user_timezone

from orders.fulfilment import BOOTH_STATUSES, PAYMENT_METHODS, PAYMENT_STATUSES
from orders.ledger import KINDS
from orders.manage import queries
from orders.manage.forms import percent_text
from storefront.places import province_by_slug


def not_stored(response):
    """Order pages are for one signed-in person: no browser or proxy keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


def template_helpers():
    return {"booth_status": BOOTH_STATUSES.label, "payment_status": PAYMENT_STATUSES.label,
            "payment_method": PAYMENT_METHODS.label, "ledger_kind": KINDS.label, "local_time": local_time,
            "province_name": province_name, "percent": percent}


def percent(bp):
    """Basis points as a Vietnamese percentage: 550 → '5,5 %'."""
    return percent_text(bp) + "\u00a0%"


def local_time(when, pattern="%d/%m/%Y %H:%M"):
    return to_user_timezone(when).strftime(pattern) if when else ""


def province_name(slug):
    province = province_by_slug(slug or "")
    return province.name if province else slug


def load_booth(booth, **_ids):
    return queries.get_booth(booth)


MAX_ID = 2**31 - 1  # ids are 32-bit integers: a larger one in a URL would be a database error on PostgreSQL


def is_id(number):
    return 0 < number <= MAX_ID


def load_booth_order(booth, booth_order_id, **_ids):
    """The booth order only when it belongs to the booth in the URL: anything else is a 404."""
    return queries.get_booth_order(booth, booth_order_id) if is_id(booth_order_id) else None


def show_error(form, exc):
    """Put a domain error under its field (or above the form)."""
    field = getattr(form, exc.field, None) if exc.field else None
    (field.errors if field is not None else form.form_errors).append(str(exc))


def all_errors(form):
    """Every message of a form, the form's own first (CSRF problems are reported by `resent`)."""
    messages = list(form.form_errors)
    for name, errors in form.errors.items():
        if name is not None and name != "csrf_token":
            messages += [m for m in errors if m not in messages]
    return messages


def resent(form):
    """A submitted form whose CSRF token was missing or stale gets a message above it; returns the form."""
    if request.method == "POST" and "csrf_token" in form.errors and not form.form_errors:
        form.form_errors.append(_("The form was not sent correctly. Please try again."))
    return form


def form_page(template, **context):
    """Render a page with forms: 200 for a GET, 400 when a submitted form was not right."""
    return render_template(template, **context), 400 if request.method == "POST" else 200


def page_number():
    page = request.args.get("page", "1")
    if not (page.isascii() and page.isdigit()) or not 0 < int(page) <= 10_000:
        abort(404)
    return int(page)


def pages_for(total, per_page, page):
    """The number of pages; a page past the last is a 404."""
    pages = max(1, -(-total // per_page))
    if page > pages:
        abort(404)
    return pages
