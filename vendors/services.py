"""Booth onboarding and the booth profile. Each public service takes models and plain values, raises a
BoothError, and commits once; applicants are mailed when staff approve or reject. Changes staff make on a
booth they do not belong to (an assisted booth) go to its audit log (vendors.audit)."""
import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from storefront.accounts.errors import InvalidEmail
from storefront.accounts.phone import InvalidPhone, normalise_phone
from storefront.accounts.services import normalise_email
from storefront.domain import DomainError
from storefront.extensions import db
from storefront.mail import send_mail
from storefront.media import storage
from storefront.models import utcnow
from storefront.places import province_by_slug
from storefront.text import slugify
from storefront.uploads import UploadError, check_document, load_image
from vendors.audit import record_change, snapshot
from vendors.entities import DOCUMENT_KINDS, ENTITY_TYPES
from vendors.models import AuditEntry, Vendor, VendorDocument, VendorMember

APPLICATION_FIELDS = ("entity_type", "name", "tax_code", "province", "commune", "address_text", "phone", "email",
                      "story")
PROFILE_FIELDS = ("story", "phone", "email", "province", "commune", "address_text", "logo_key", "banner_key")
RESERVED_SLUGS = {"apply"}  # /vendor/apply
REVIEW_ORDER = {"pending": 0, "rejected": 1, "approved": 2, "suspended": 3}


class BoothError(DomainError):
    """Something a person asked for that the booth's state or their input does not allow."""
    message = _l("This cannot be done with this booth.")


class NotPending(BoothError):
    message = _l("Only an application waiting for review can be approved or rejected.")


class NotRejected(BoothError):
    message = _l("Only an application that was sent back can be changed and sent again.")


class NotApproved(BoothError):
    message = _l("Only an open booth can be suspended.")


class NotSuspended(BoothError):
    message = _l("Only a suspended booth can be reopened.")


class ReasonRequired(BoothError):
    message = _l("Say what the applicant needs to fix.")
    field = "reason"


class MissingDocument(BoothError):
    message = _l("Attach the OCOP certificate (PDF or a photo).")
    field = "ocop_certificate"


# Reads -----------------------------------------------------------------------------------------------------

def booth_by_slug(slug):
    return db.session.scalar(sa.select(Vendor).where(Vendor.slug == slug))


def document_of_booth(booth, document_id):
    """The document `document_id` if it belongs to the booth with slug `booth`, else None."""
    return db.session.scalar(sa.select(VendorDocument).join(VendorDocument.vendor)
                             .where(VendorDocument.id == document_id, Vendor.slug == booth))


def booths_of(user):
    """The booths `user` is a member of and, for staff, the assisted booths, by name."""
    member = sa.select(VendorMember.vendor_id).where(VendorMember.user_id == user.id)
    where = Vendor.id.in_(member)
    if user.is_staff:
        where = sa.or_(where, Vendor.is_assisted.is_(True))
    return db.session.scalars(sa.select(Vendor).where(where).order_by(Vendor.name)).all()


def review_queue(status=None):
    """Booths for the staff queue: pending first, then sent back, open, suspended; oldest application first."""
    order = sa.case(REVIEW_ORDER, value=Vendor.status, else_=9)
    query = sa.select(Vendor).order_by(order, Vendor.submitted_at.is_(None), Vendor.submitted_at, Vendor.id)
    if status:
        query = query.where(Vendor.status == status)
    return db.session.scalars(query.limit(500)).all()


def audit_entries(vendor):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.vendor_id == vendor.id)
                              .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(500)).all()


# Onboarding ------------------------------------------------------------------------------------------------

def apply_for_booth(user, documents=(), **fields):
    """A new booth in review, owned by `user`. `fields` are APPLICATION_FIELDS; `documents` are
    (kind, filename, file) with at least the OCOP certificate."""
    values = _application_values(fields)
    if not any(kind == "ocop_certificate" for kind, _name, _file in documents):
        raise MissingDocument()
    vendor = Vendor(slug=_free_slug(values["name"]), status="pending", submitted_at=utcnow(),
                    legacy_district="", **values)
    vendor.members.append(VendorMember(user_id=user.id, role="owner"))
    _attach_documents(vendor, documents)
    db.session.add(vendor)
    db.session.commit()
    return vendor


def resubmit_application(user, vendor, documents=(), **fields):
    """Fix a rejected application and send it back to the queue."""
    if vendor.status != "rejected":
        raise NotRejected()
    values = _application_values(fields)
    has_certificate = any(d.kind == "ocop_certificate" for d in vendor.documents) or any(
        kind == "ocop_certificate" for kind, _name, _file in documents)
    if not has_certificate:
        raise MissingDocument()
    before = snapshot(vendor, APPLICATION_FIELDS + ("status",))
    for name, value in values.items():
        setattr(vendor, name, value)
    _attach_documents(vendor, documents)
    vendor.status, vendor.submitted_at = "pending", utcnow()
    record_change(user, vendor.id, "booth.resubmit", vendor, before, snapshot(vendor, APPLICATION_FIELDS + ("status",)))
    db.session.commit()
    return vendor


def approve_booth(staff, vendor):
    """Open the booth to the public and tell its owners."""
    if vendor.status != "pending":
        raise NotPending()
    now = utcnow()
    vendor.status, vendor.approved_at, vendor.rejection_reason = "approved", now, ""
    vendor.reviewed_at, vendor.reviewed_by_id = now, staff.id
    db.session.commit()
    _mail_owners(vendor, _("Your booth on Chợ OCOP is open"), "email/booth_approved.txt")
    return vendor


def reject_booth(staff, vendor, reason):
    """Send the application back with what to fix; the owners are mailed the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    if vendor.status != "pending":
        raise NotPending()
    vendor.status, vendor.rejection_reason = "rejected", reason
    vendor.reviewed_at, vendor.reviewed_by_id = utcnow(), staff.id
    db.session.commit()
    _mail_owners(vendor, _("Your booth application needs changes"), "email/booth_rejected.txt")
    return vendor


def suspend_booth(staff, vendor):
    """Hide an open booth and its products from the shop and the API (the page cache empties on commit)."""
    if vendor.status != "approved":
        raise NotApproved()
    vendor.status, vendor.reviewed_at, vendor.reviewed_by_id = "suspended", utcnow(), staff.id
    db.session.commit()
    return vendor


def reinstate_booth(staff, vendor):
    if vendor.status != "suspended":
        raise NotSuspended()
    vendor.status, vendor.reviewed_at, vendor.reviewed_by_id = "approved", utcnow(), staff.id
    db.session.commit()
    return vendor


def set_assisted(staff, vendor, is_assisted):
    """Let programme staff operate the booth for its household (or stop); recorded in its audit log."""
    before = snapshot(vendor, ("is_assisted",))
    vendor.is_assisted = bool(is_assisted)
    record_change(staff, vendor.id, "booth.assist", vendor, before, snapshot(vendor, ("is_assisted",)))
    db.session.commit()
    return vendor


# Profile ---------------------------------------------------------------------------------------------------

def update_booth_profile(user, vendor, *, story, phone, email, province, commune, address_text, logo=None,
                         banner=None):
    """Change the booth's public profile; `logo` and `banner` are uploaded files (None keeps the current one)."""
    before = snapshot(vendor, PROFILE_FIELDS)
    vendor.story = (story or "").strip()
    vendor.phone = _phone(phone)
    vendor.email = _email(email)
    vendor.province = _province(province)
    vendor.commune = _required_text(commune, 120, "commune")
    vendor.address_text = _required_text(address_text, 400, "address_text")
    for field, upload in (("logo", logo), ("banner", banner)):
        if upload is not None:
            setattr(vendor, f"{field}_key", _store_image(upload, field))
    record_change(user, vendor.id, "booth.update", vendor, before, snapshot(vendor, PROFILE_FIELDS))
    db.session.commit()
    return vendor


# Helpers ---------------------------------------------------------------------------------------------------

def _application_values(fields):
    if fields.get("entity_type") not in ENTITY_TYPES:
        raise BoothError(_l("Choose the kind of producer."), "entity_type")
    return {
        "entity_type": fields["entity_type"],
        "name": _required_text(fields.get("name"), 200, "name"),
        "tax_code": _required_text(fields.get("tax_code"), 32, "tax_code"),
        "province": _province(fields.get("province")),
        "commune": _required_text(fields.get("commune"), 120, "commune"),
        "address_text": _required_text(fields.get("address_text"), 400, "address_text"),
        "phone": _phone(fields.get("phone")),
        "email": _email(fields.get("email")),
        "story": _required_text(fields.get("story"), 20_000, "story"),
    }


def _required_text(value, max_length, field):
    value = (value or "").strip()
    if not value:
        raise BoothError(_l("Please fill this in."), field)
    if len(value) > max_length:
        raise BoothError(_l("Use at most %(max)d characters.", max=max_length), field)
    return value


def _phone(value):
    try:
        return normalise_phone(value)
    except InvalidPhone:
        raise BoothError(_l("Enter a Vietnamese mobile number, such as 0912 345 678."), "phone") from None


def _email(value):
    try:
        return normalise_email(value)
    except InvalidEmail as exc:
        raise BoothError(str(exc), "email") from None


def _province(slug):
    if not province_by_slug(slug or ""):
        raise BoothError(_l("Choose one of the 34 provinces."), "province")
    return slug


def _free_slug(name):
    base = slugify(name, max_length=90)
    taken = RESERVED_SLUGS | set(db.session.scalars(sa.select(Vendor.slug).where(
        sa.or_(Vendor.slug == base, Vendor.slug.like(base + "-%")))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _attach_documents(vendor, documents):
    for kind, filename, file in documents:
        if kind not in DOCUMENT_KINDS:
            raise ValueError(f"unknown document kind {kind!r}")
        try:
            data, content_type, extension = check_document(file)
        except UploadError as exc:
            raise BoothError(str(exc), kind) from None
        key = storage().save_document(data, extension)
        stem = (filename or kind).rsplit(".", 1)[0].strip()[:180] or kind
        vendor.documents.append(VendorDocument(kind=kind, key=key, filename=f"{stem}.{extension}",
                                               content_type=content_type, size=len(data)))


def _store_image(upload, field):
    try:
        image = load_image(upload)
    except UploadError as exc:
        raise BoothError(str(exc), field) from None
    key, _width, _height = storage().save_image(image)
    return key


def _mail_owners(vendor, subject, template):
    owners = [m.user for m in vendor.members if m.role == "owner" and m.user.email]
    addresses = list(dict.fromkeys(u.email for u in owners)) or [vendor.email]
    body = render_template(template, vendor=vendor)
    for address in filter(None, addresses):
        send_mail(address, subject, body)
