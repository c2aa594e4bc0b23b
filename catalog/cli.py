"""Catalogue commands (placeholder until they land)."""


def register(group):
    pass
