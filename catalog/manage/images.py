"""A product's pictures in the dashboard: upload (checked by decoding, stored as WebP), reorder, remove."""
from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog.manage import bp, queries, services
from catalog.manage.errors import CatalogueError
from catalog.manage.forms import ActionForm, ImageForm, MoveImageForm
from catalog.manage.helpers import edit_page, load_product, show_error
from storefront.accounts.permissions import BOOTH_MANAGE, permission_required


def _back(booth, product_id):
    return redirect(url_for("manage.product_edit", booth=booth, product_id=product_id) + "#images")


def _image_or_404(product, image_id):
    picture = queries.image_of(product, image_id)
    if picture is None:
        abort(404)
    return picture


@bp.post("/products/<int:product_id>/images")
@permission_required(BOOTH_MANAGE, load=load_product)
def image_create(product, booth, product_id):
    form = ImageForm()
    if form.validate_on_submit():
        files = [f for f in form.images.data or [] if f and f.filename]
        try:
            added = services.add_images(product, current_user, files)
        except CatalogueError as exc:
            show_error(form, exc)
        else:
            flash(_("%(n)d picture(s) added.", n=len(added)), "success")
            return _back(booth, product_id)
    return edit_page(product, image_form=form)


@bp.post("/products/<int:product_id>/images/<int:image_id>/move")
@permission_required(BOOTH_MANAGE, load=load_product)
def image_move(product, booth, product_id, image_id):
    form = MoveImageForm()
    if not form.validate_on_submit():  # checked first: an empty or forged request changes nothing
        abort(400)
    services.move_image(product, current_user, _image_or_404(product, image_id), form.direction.data)
    return _back(booth, product_id)


@bp.post("/products/<int:product_id>/images/<int:image_id>/delete")
@permission_required(BOOTH_MANAGE, load=load_product)
def image_delete(product, booth, product_id, image_id):
    picture = _image_or_404(product, image_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.remove_image(product, current_user, picture)
    flash(_("The picture is removed."), "success")
    return _back(booth, product_id)
