"""The audit log of assisted booths: every change programme staff make on a household's behalf.

Services call `record_change` with the acting user; it writes an entry only when that user is staff
acting on a booth they are not a member of (an assisted booth), so members' own edits stay unlogged."""
from datetime import date, datetime
from decimal import Decimal

from storefront.extensions import db
from vendors.models import AuditEntry


def is_assisting(user, vendor_id):
    """True when `user` acts on booth `vendor_id` as programme staff rather than as one of its members."""
    if user is None or not getattr(user, "is_staff", False):
        return False
    return not any(m.vendor_id == vendor_id for m in user.memberships)


def snapshot(obj, fields):
    """A JSON-safe dict of `fields` of `obj` (dates as ISO text), for the before/after of an entry."""
    out = {}
    for name in fields:
        value = getattr(obj, name, None)
        if isinstance(value, (date, datetime)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        out[name] = value
    return out


def record_change(user, vendor_id, action, obj=None, before=None, after=None):
    """Add an AuditEntry to the session if `user` is assisting; flushes nothing, the service commits."""
    if not is_assisting(user, vendor_id):
        return None
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    entry = AuditEntry(vendor_id=vendor_id, user_id=user.id, action=action,
                       object_type=type(obj).__name__.lower() if obj is not None else "",
                       object_id=getattr(obj, "id", None), before=before, after=after)
    db.session.add(entry)
    return entry
