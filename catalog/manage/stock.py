"""A product's stock in the dashboard: its history, newest first, and a form to set or adjust it."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog.manage import bp, queries, services
from catalog.manage.errors import CatalogueError
from catalog.manage.forms import StockForm
from catalog.manage.helpers import form_page, load_product, show_error
from storefront.accounts.permissions import BOOTH_MANAGE, permission_required


@bp.route("/products/<int:product_id>/stock", methods=["GET", "POST"])
@permission_required(BOOTH_MANAGE, load=load_product)
def stock_show(product, booth, product_id):
    form = StockForm()
    if form.validate_on_submit():
        amount = {"set_to": form.amount.data} if form.mode.data == "set" else {"delta": form.amount.data}
        try:
            services.adjust_stock(product, current_user, reason=form.reason.data, **amount)
        except CatalogueError as exc:
            show_error(form, exc)
        else:
            flash(_("The stock is updated."), "success")
            return redirect(url_for("manage.stock_show", booth=booth, product_id=product_id))
    return form_page("manage/stock_show.html", vendor=product.vendor, product=product, form=form,
                     movements=queries.stock_history(product.id))
