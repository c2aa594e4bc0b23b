"""The one permission check every view uses.

A permission has two questions: may this kind of user ever hold it (`who`; no → 403), and, for a given
object, may this user act on that one (`on`; no → 404, so nobody learns that someone else's booth or
product exists). Anonymous visitors are sent to the sign-in page and come back afterwards.

    @bp.get("/vendor/<slug>/products")
    @permission_required(BOOTH_MANAGE, load=lambda slug: db.session.scalar(select(Vendor).filter_by(slug=slug)))
    def product_list(booth, slug): ...           # the loaded object comes first; missing → 404

    @bp.get("/staff/applications")
    @permission_required(STAFF_REVIEW)
    def review_queue(): ...

    require(BOOTH_MANAGE, product.vendor)        # inside a view or service, when the object comes later
    {% if can("booth.manage", booth) %}          # in templates, to show or hide a link

Booth permissions take the booth (a vendors.models.Vendor) or anything with a `vendor_id`.
"""
from dataclasses import dataclass
from functools import wraps
from typing import Callable

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from storefront.urls import safe_next

ACCOUNT_EDIT = "account.edit"    # one's own account settings: anyone signed in
BOOTH_APPLY = "booth.apply"      # apply to open a booth: anyone signed in
BOOTH_MANAGE = "booth.manage"    # profile, products, stock, images, spreadsheets of one booth (staff: if assisted)
BOOTH_MEMBERS = "booth.members"  # add or remove the booth's helpers: its owner
STAFF_REVIEW = "staff.review"    # the onboarding queue: approve, reject, suspend booths
STAFF_ASSIST = "staff.assist"    # operate a booth on behalf of its household (audited)
ADMIN_USERS = "admin.users"      # staff accounts and roles


@dataclass(frozen=True)
class Permission:
    name: str
    who: Callable  # (user) -> bool
    on: Callable | None = None  # (user, obj) -> bool


def _signed_in(user):
    return True


def _staff(user):
    return user.is_staff


def _admin(user):
    return user.role == "admin"


def _booth_id(obj):
    return obj.vendor_id if hasattr(obj, "vendor_id") else obj.id


def _member_or_staff(user):
    return user.is_staff or user.is_booth_member


def _runs_booth(user, obj):
    """Members of the booth; programme staff only when the booth is assisted (their changes are audited)."""
    booth_id = _booth_id(obj)
    if any(m.vendor_id == booth_id for m in user.memberships):
        return True
    booth = obj.vendor if hasattr(obj, "vendor_id") else obj
    return user.is_staff and booth is not None and booth.is_assisted


def _owns_booth(user, obj):
    booth_id = _booth_id(obj)
    return any(m.vendor_id == booth_id and m.role == "owner" for m in user.memberships)


PERMISSIONS = {}


def define(permission):
    """Add a permission; later domains call this for theirs. Names are unique."""
    if permission.name in PERMISSIONS:
        raise ValueError(f"permission {permission.name!r} is already defined")
    PERMISSIONS[permission.name] = permission
    return permission


define(Permission(ACCOUNT_EDIT, _signed_in))
define(Permission(BOOTH_APPLY, _signed_in))
define(Permission(BOOTH_MANAGE, _member_or_staff, _runs_booth))
define(Permission(BOOTH_MEMBERS, lambda user: user.is_booth_member, _owns_booth))
define(Permission(STAFF_REVIEW, _staff))
define(Permission(STAFF_ASSIST, _staff))
define(Permission(ADMIN_USERS, _admin))

_NO_OBJECT = object()


def can(name, obj=_NO_OBJECT, user=None):
    """True if `user` (default: whoever is signed in) holds permission `name` (on `obj`, if given)."""
    user = current_user if user is None else user
    permission = PERMISSIONS[name]
    if not user.is_authenticated or not user.is_active or not permission.who(user):
        return False
    if obj is _NO_OBJECT:
        return True
    return obj is not None and (permission.on is None or permission.on(user, obj))


def require(name, obj=_NO_OBJECT):
    """Return `obj` if the signed-in user holds `name` on it; otherwise end the request the right way."""
    permission = PERMISSIONS[name]
    if not current_user.is_authenticated:
        back = safe_next(request.full_path.rstrip("?"), None) if request.method == "GET" else None
        abort(redirect(url_for("accounts.signin", next=back)))
    if not permission.who(current_user):
        abort(403, description=_("Your account does not give you access to this page."))
    if obj is _NO_OBJECT:
        return None
    if obj is None or (permission.on is not None and not permission.on(current_user, obj)):
        abort(404)
    return obj


def permission_required(name, load=None):
    """Decorate a view with `require(name)`; with `load`, also load its object from the URL values and
    pass it to the view first (None from `load` is a 404)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            require(name)  # a shopper gets 403 before anything is looked up
            if load is None:
                return view(*args, **kwargs)
            return view(require(name, load(**kwargs)), *args, **kwargs)

        return wrapper

    return decorate
