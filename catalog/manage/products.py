"""A booth's products in the dashboard: list, create, edit, publish or hide, delete. Certificates,
pictures and stock have their own modules (imported here so their routes join the blueprint)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog.manage import bp, certificates, images, queries, services, stock  # noqa: F401  (routes)
from catalog.manage.errors import CatalogueError
from catalog.manage.forms import ActionForm, DeleteProductForm, NewProductForm, ProductForm
from catalog.manage.helpers import edit_page, form_page, load_booth, load_product, show_error
from storefront.accounts.permissions import BOOTH_MANAGE, permission_required


def _page_number():
    page = request.args.get("page", "1")
    if not (page.isascii() and page.isdigit()) or not 0 < int(page) <= 10_000:
        abort(404)
    return int(page)


@bp.get("/products")
@permission_required(BOOTH_MANAGE, load=load_booth)
def product_list(vendor, booth):
    show = request.args.get("show") if request.args.get("show") in queries.filters() else None
    q = request.args.get("q", "").strip()[:100]
    page = _page_number()
    items, total = queries.list_booth_products(vendor.id, show=show, q=q, page=page)
    pages = max(1, -(-total // queries.PER_PAGE))
    if page > pages:
        abort(404)
    return render_template("manage/product_list.html", vendor=vendor, products=items, total=total, show=show,
                           q=q, page=page, pages=pages, action_form=ActionForm())


@bp.route("/products/new", methods=["GET", "POST"])
@permission_required(BOOTH_MANAGE, load=load_booth)
def product_create(vendor, booth):
    form = NewProductForm()
    if form.validate_on_submit():
        try:
            product = services.create_product(vendor, current_user, form.values(), stock=form.stock.data or 0)
        except CatalogueError as exc:
            show_error(form, exc)
        else:
            flash(_("The product is saved. Add its pictures and OCOP certificate below."), "success")
            return redirect(url_for("manage.product_edit", booth=vendor.slug, product_id=product.id))
    return form_page("manage/product_form.html", vendor=vendor, form=form, product=None)


@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
@permission_required(BOOTH_MANAGE, load=load_product)
def product_edit(product, booth, product_id):
    form = ProductForm(obj=product)
    if form.validate_on_submit():
        try:
            services.update_product(product, current_user, form.values())
        except CatalogueError as exc:
            show_error(form, exc)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("manage.product_edit", booth=booth, product_id=product_id))
    return edit_page(product, form=form)


def _set_published(product, booth, published):
    if not ActionForm().validate_on_submit():
        abort(400)
    services.set_published(product, current_user, published)
    flash(_("The product is now in the shop.") if published else _("The product is hidden from the shop."),
          "success")
    if request.form.get("back") == "list":
        return redirect(url_for("manage.product_list", booth=booth))
    return redirect(url_for("manage.product_edit", booth=booth, product_id=product.id))


@bp.post("/products/<int:product_id>/publish")
@permission_required(BOOTH_MANAGE, load=load_product)
def product_publish(product, booth, product_id):
    return _set_published(product, booth, True)


@bp.post("/products/<int:product_id>/unpublish")
@permission_required(BOOTH_MANAGE, load=load_product)
def product_unpublish(product, booth, product_id):
    return _set_published(product, booth, False)


@bp.post("/products/<int:product_id>/delete")
@permission_required(BOOTH_MANAGE, load=load_product)
def product_delete(product, booth, product_id):
    form = DeleteProductForm()
    if not form.validate_on_submit():
        return edit_page(product, delete_form=form)
    name = product.name
    services.delete_product(product, current_user)
    flash(_("“%(name)s” is deleted.", name=name), "success")
    return redirect(url_for("manage.product_list", booth=booth))
