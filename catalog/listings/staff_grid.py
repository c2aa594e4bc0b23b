"""The product × marketplace grid across every booth, for staff (routes on listings_staff)."""
from catalog.listings.staff_views import bp  # noqa: F401
