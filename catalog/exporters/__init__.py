"""Marketplace exporters as plugins: one module per marketplace, registered here by name, the enabled set
from the EXPORTERS setting. The interface is in catalog.exporters.base; adding a marketplace is one
module, one line below and its tests."""
from flask import current_app

EXPORTERS = {}  # key -> Exporter subclass


def register(cls):
    if cls.key in EXPORTERS:
        raise ValueError(f"exporter {cls.key!r} is already registered")
    EXPORTERS[cls.key] = cls
    return cls


def enabled():
    """{key: exporter} for the marketplaces the EXPORTERS setting turns on, in that order."""
    return {key: EXPORTERS[key]() for key in current_app.config["EXPORTERS"] if key in EXPORTERS}


def get(key):
    """The enabled exporter `key`, or None (unknown or turned off)."""
    return enabled().get(key)


from catalog.exporters import postmart, sendo, tiki, voso  # noqa: E402

for _module in (tiki, sendo, voso, postmart):
    register(_module.EXPORTER)
