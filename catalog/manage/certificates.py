"""A product's OCOP certificate records in the dashboard: add one (with its scanned decision), download its
scanned decision, or delete one."""
from flask import abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog.manage import bp, queries, services
from catalog.manage.errors import CatalogueError
from catalog.manage.forms import ActionForm, CertificateForm
from catalog.manage.helpers import form_page, load_product, show_error
from storefront.accounts.permissions import BOOTH_MANAGE, permission_required
from storefront.media import storage
from storefront.uploads import DOCUMENT_TYPES, UploadError



@bp.route("/products/<int:product_id>/certificates/new", methods=["GET", "POST"])
@permission_required(BOOTH_MANAGE, load=load_product)
def certificate_create(product, booth, product_id):
    form = CertificateForm()
    if form.validate_on_submit():
        try:
            services.add_certificate(
                product, current_user, star=form.star.data, status=form.status.data,
                decision_no=form.decision_no.data, decided_on=form.decided_on.data,
                issuing_level=form.issuing_level.data, issuing_body=form.issuing_body.data, score=form.score.data,
                document=form.document.data or None)
        except UploadError as exc:
            form.document.errors.append(str(exc))
        except CatalogueError as exc:
            show_error(form, exc)
        else:
            flash(_("The certificate is recorded."), "success")
            return redirect(url_for("manage.product_edit", booth=booth, product_id=product_id))
    return form_page("manage/certificate_form.html", vendor=product.vendor, product=product, form=form)


@bp.post("/products/<int:product_id>/certificates/<int:certificate_id>/delete")
@permission_required(BOOTH_MANAGE, load=load_product)
def certificate_delete(product, booth, product_id, certificate_id):
    certificate = queries.certificate_of(product, certificate_id)
    if certificate is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.remove_certificate(product, current_user, certificate)
    flash(_("The certificate is deleted."), "success")
    return redirect(url_for("manage.product_edit", booth=booth, product_id=product_id))


@bp.get("/products/<int:product_id>/certificates/<int:certificate_id>/document")
@permission_required(BOOTH_MANAGE, load=load_product)
def certificate_document(product, booth, product_id, certificate_id):
    """The certificate's scanned decision as a download; 404 for another product's certificate, a certificate
    without a document, or a document missing from storage."""
    certificate = queries.certificate_of(product, certificate_id)
    if certificate is None or not certificate.document_key:
        abort(404)
    path = storage().document_path(certificate.document_key)
    if path is None or not path.exists():
        abort(404)
    extension = path.suffix.lstrip(".").lower()
    return send_file(path, mimetype=DOCUMENT_TYPES.get(extension, "application/octet-stream"), as_attachment=True,
                     download_name=f"ocop-certificate-{certificate.id}.{extension}")
