"""Export a marketplace's file, and tell which products are ready for which marketplace.

export_listings is one unit of work: it streams the ready products of the market (or of one booth) into
the exporter's file, skips the blocked ones and says why, records the exported products on their listings
(catalog.listings.services.record_exported) and commits once."""
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _

from catalog import exporters
from catalog.exporters.items import iter_items, load_mappings, with_category
from catalog.exporters.sheet import UnsupportedFormat, check_format
from catalog.listings.services import record_exported
from storefront.extensions import db


class ExportError(ValueError):
    """An export that cannot start: unknown or disabled marketplace, or a format it does not write."""


@dataclass
class ExportSummary:
    exported: int = 0
    blocked: list = field(default_factory=list)  # [(product_id, name, [Blocker])]

    def top_reasons(self, n=5):
        """[(blocker code, products it blocks)], most frequent first."""
        counts = Counter(b.code for _pid, _name, blockers in self.blocked for b in blockers)
        return counts.most_common(n)


def exporter_for(marketplace, fmt=None):
    """(enabled exporter, format), or ExportError saying what is wrong."""
    exporter = exporters.get(marketplace)
    if exporter is None:
        raise ExportError(_("Unknown marketplace “%(name)s”: choose one of %(choices)s.", name=marketplace,
                            choices=", ".join(exporters.enabled())))
    try:
        return exporter, check_format(exporter, fmt)
    except UnsupportedFormat:
        raise ExportError(_("%(label)s files are %(formats)s, not “%(format)s”.", label=exporter.label,
                            formats=", ".join(exporter.formats), format=fmt)) from None


def export_listings(marketplace, out, *, fmt=None, booth=None, progress=None):
    """Write the ready products (of `booth`, a Vendor, or of the whole market) to the binary stream `out` in
    the marketplace's format, record them as exported and commit. Returns an ExportSummary.
    `progress(n)` is called as products are read."""
    exporter, fmt = exporter_for(marketplace, fmt)
    summary = ExportSummary()
    exported_ids = []

    def ready_items():
        for item in iter_items(exporter.key, booth_id=booth.id if booth is not None else None):
            blockers = exporter.blockers(item)
            if blockers:
                summary.blocked.append((item.product_id, item.name, blockers))
            else:
                exported_ids.append(item.product_id)
                yield item
            if progress is not None:
                progress(1)

    try:
        summary.exported = exporter.render(ready_items(), out, fmt)
        record_exported(exported_ids, exporter.key)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return summary


def readiness(items, exporters_by_key, mappings=None):
    """{product_id: {key: [Blocker]}} for `items` (ListingItems, any category) against each exporter of
    `exporters_by_key` ({key: exporter}); an empty list means ready. `mappings` ({marketplace: mapping}) is
    loaded in one query when not given."""
    if mappings is None:
        mappings = load_mappings()
    result = {}
    for item in items:
        result[item.product_id] = {
            key: exporter.blockers(with_category(item, mappings.get(key, {})))
            for key, exporter in exporters_by_key.items()
        }
    return result


def readiness_for(*, booth_id=None, product_ids=None, keys=None, mappings=None):
    """readiness() of a booth's products, of some products, or of the market, against the enabled exporters
    (or those of `keys`). A bounded number of queries: one for the mappings (none when `mappings` is given),
    three per 500 products."""
    enabled = exporters.enabled()
    chosen = {k: e for k, e in enabled.items() if keys is None or k in keys}
    return readiness(iter_items(None, booth_id=booth_id, product_ids=product_ids), chosen, mappings)
