"""What every dashboard view shares: loading the booth or one of its products for the permission check,
showing a service's refusal on its form, and keeping personal pages out of every cache."""
from flask import render_template, request

from catalog.manage import bp, queries
from catalog.manage.forms import ActionForm, DeleteProductForm, ImageForm, ProductForm
from catalog.ocop import CERT_STATUSES


@bp.after_request
def _not_stored(response):
    """Dashboard pages are for one signed-in person: no browser or proxy keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


def load_booth(booth, **_ids):
    return queries.get_booth(booth)


def load_product(booth, product_id, **_ids):
    """The product only when it belongs to the booth in the URL: anything else is a 404."""
    return queries.get_product(booth, product_id)


def show_error(form, exc):
    """Put a CatalogueError under its field (or above the form)."""
    field = getattr(form, exc.field, None) if exc.field else None
    (field.errors if field is not None else form.form_errors).append(str(exc))


def form_page(template, **context):
    """Render a form page: 200 for a GET, 400 when a submitted form was not right."""
    return render_template(template, **context), 400 if request.method == "POST" else 200


def edit_page(product, form=None, image_form=None, delete_form=None):
    """The product's page in the dashboard: its fields, pictures, certificates and actions."""
    return form_page("manage/product_form.html", vendor=product.vendor, product=product,
                     form=form or ProductForm(obj=product), image_form=image_form or ImageForm(),
                     delete_form=delete_form or DeleteProductForm(), action_form=ActionForm(),
                     cert_statuses=CERT_STATUSES)
