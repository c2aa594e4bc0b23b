"""Placeholder: routes arrive with the dashboard work."""
