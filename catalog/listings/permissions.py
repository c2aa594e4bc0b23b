"""Permissions of the listing tracker. A booth's own grid, downloads, pushes and credentials are under
BOOTH_MANAGE; the programme-wide grid, figures, category mapping and listing uploads are STAFF_MARKETPLACES."""
from storefront.accounts.permissions import Permission, define

STAFF_MARKETPLACES = "staff.marketplaces"

define(Permission(STAFF_MARKETPLACES, lambda user: user.is_staff))
