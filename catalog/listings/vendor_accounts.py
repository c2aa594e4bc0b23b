"""A booth's marketplace API credentials (saved encrypted, never shown back: only the date they were saved)
and a booth member's "this product is on Tiki at this URL" / "no longer there" (routes on listings_manage)."""
from flask import abort, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from catalog.listings import services
from catalog.listings.forms import CREDENTIAL_LABELS, ActionForm, ListingForm, credentials_form
from catalog.listings.models import MARKETPLACES
from catalog.listings.services import ListingError, label
from catalog.listings.vendor_views import back_to_grid, bp, exporter_or_404
from catalog.manage.helpers import load_booth, load_product
from catalog.marketplaces import accounts
from catalog.marketplaces.errors import MarketplaceError
from storefront.accounts.permissions import BOOTH_MANAGE, permission_required


def _show_error(form, exc):
    """Put a domain error under its field (or above the form)."""
    field = getattr(form, exc.field, None) if exc.field else None
    (field.errors if field is not None else form.form_errors).append(str(exc))


def _resent(form):
    """A submitted form whose CSRF token was missing or stale gets a message above it; returns the form."""
    if "csrf_token" in form.errors and not form.form_errors:
        form.form_errors.append(_("The form was not sent correctly. Please try again."))
    return form


def _page(template, **context):
    """200 for a GET, 400 when a submitted form was not right."""
    return render_template(template, **context), 400 if request.method == "POST" else 200


def _credentials_marketplace(marketplace):
    if marketplace not in CREDENTIAL_LABELS:
        abort(404)
    return exporter_or_404(marketplace, api=True)


@bp.route("/<marketplace>/account", methods=["GET", "POST"])
@permission_required(BOOTH_MANAGE, load=load_booth)
def account(vendor, booth, marketplace):
    exporter = _credentials_marketplace(marketplace)
    form = credentials_form(marketplace)
    if form.validate_on_submit():
        try:
            accounts.save_credentials(vendor, marketplace, form.key.data, form.secret.data, current_user)
        except MarketplaceError as exc:
            _show_error(form, exc)
        else:
            flash(_("The %(marketplace)s credentials are saved.", marketplace=exporter.label), "success")
            return back_to_grid(booth)
    elif request.method == "POST":
        _resent(form)
    return _page("listings/vendor_account.html", vendor=vendor, marketplace=marketplace, exporter=exporter,
                 form=form, saved_at=accounts.saved_on(vendor.id).get(marketplace),
                 delete_form=ActionForm(formdata=None))


@bp.post("/<marketplace>/account/delete")
@permission_required(BOOTH_MANAGE, load=load_booth)
def account_delete(vendor, booth, marketplace):
    exporter = _credentials_marketplace(marketplace)
    if not ActionForm().validate_on_submit():
        flash(_("The form was not sent correctly. Please try again."), "error")
        return back_to_grid(booth)
    try:
        accounts.delete_credentials(vendor, marketplace, current_user)
    except MarketplaceError as exc:
        flash(str(exc), "error")
    else:
        flash(_("The %(marketplace)s credentials are deleted.", marketplace=exporter.label), "success")
    return back_to_grid(booth)


@bp.route("/<marketplace>/<int:product_id>/listing", methods=["GET", "POST"])
@permission_required(BOOTH_MANAGE, load=load_product)
def listing(product, booth, marketplace, product_id):
    if marketplace not in MARKETPLACES:
        abort(404)
    current = services.get_listing(product.id, marketplace)
    form, delist_form = ListingForm(formdata=None, obj=current), ActionForm(formdata=None)
    if request.method == "POST" and request.form.get("action") == "delist":
        delist_form = ActionForm()
        if delist_form.validate_on_submit():
            try:
                services.mark_delisted(product, marketplace, current_user)
            except ListingError as exc:
                delist_form.form_errors.append(str(exc))
            else:
                flash(_("“%(name)s” is marked as no longer on %(marketplace)s.", name=product.name,
                        marketplace=label(marketplace)), "success")
                return back_to_grid(booth)
        _resent(delist_form)
    elif request.method == "POST":
        form = ListingForm()
        if form.validate_on_submit():
            try:
                services.mark_listed(product, marketplace, form.url.data, current_user, form.external_id.data)
            except ListingError as exc:
                _show_error(form, exc)
            else:
                flash(_("“%(name)s” is marked as listed on %(marketplace)s.", name=product.name,
                        marketplace=label(marketplace)), "success")
                return back_to_grid(booth)
        _resent(form)
    return _page("listings/vendor_listing.html", vendor=product.vendor, product=product, marketplace=marketplace,
                 listing=current, form=form, delist_form=delist_form)
