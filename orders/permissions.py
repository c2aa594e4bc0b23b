"""Permissions of the orders domain. Booth orders, shipping terms and the ledger of one booth are under
BOOTH_MANAGE (its members; staff on assisted booths); the programme-wide views are STAFF_ORDERS."""
from storefront.accounts.permissions import Permission, define

STAFF_ORDERS = "staff.orders"  # every order, transfers received, refunds, payouts, every booth's ledger

define(Permission(STAFF_ORDERS, lambda user: user.is_staff))
