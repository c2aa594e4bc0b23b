"""The product × marketplace grid across every booth, for programme staff (routes on listings_staff): the
filters of the catalogue plus booth and listing status, a readiness summary per cell, and the filtered grid
as CSV."""
import tempfile
from datetime import date

from flask import render_template, request, send_file
from flask_babel import gettext as _

from catalog import exporters
from catalog.exporters.items import load_mappings
from catalog.exporters.messages import label as blocker_label
from catalog.exporters.service import readiness_for
from catalog.listings import grid as grid_queries
from catalog.listings.models import MARKETPLACES
from catalog.listings.permissions import STAFF_MARKETPLACES
from catalog.listings.screens import PER_PAGE, check_page, page_number, template_helpers
from catalog.listings.services import label
from catalog.listings.staff_views import bp
from catalog.ocop import GROUPS
from catalog.pages import STAR_LABELS
from storefront.accounts.permissions import permission_required
from storefront.places import province_by_slug, provinces
from storefront.tabular import write_csv
from vendors.entities import ENTITY_TYPES


@bp.get("/products")
@permission_required(STAFF_MARKETPLACES)
def grid():
    filters = grid_queries.clean_filters(request.args)
    page = check_page(grid_queries.grid(filters=filters, page=page_number(), per_page=PER_PAGE))
    ids = [row.product.id for row in page.rows]
    return render_template("listings/staff_grid.html", page=page, filters=filters, exporters=exporters.enabled(),
                           readiness=readiness_for(product_ids=ids) if ids else {},
                           booths=grid_queries.booth_choices(), provinces=provinces(), groups=GROUPS,
                           star_labels=STAR_LABELS, entity_types=ENTITY_TYPES, **template_helpers())


def _header(keys):
    columns = [_("Booth"), _("Province"), _("Producer type"), _("Product"), _("SKU"), _("OCOP group"),
               _("OCOP stars"), _("Our market")]
    for m in MARKETPLACES:
        columns += [_("%(marketplace)s: status", marketplace=label(m)), _("%(marketplace)s: address",
                                                                            marketplace=label(m))]
        if m in keys:
            columns.append(_("%(marketplace)s: what blocks listing", marketplace=label(m)))
    return columns


def _readiness_text(blockers):
    return _("Ready") if not blockers else "; ".join(blocker_label(b.code) for b in blockers)


def _csv_rows(filters, keys):
    mappings = load_mappings()
    on_sale, not_on_sale = _("On sale"), _("Not on sale")
    for batch in grid_queries.grid_batches(filters=filters):
        readiness = readiness_for(product_ids=[row.product.id for row in batch], mappings=mappings)
        for p, cells in batch:
            province = province_by_slug(p.province)
            star = "p5" if p.is_potential_5 else str(p.star) if p.star else ""
            out = [p.booth_name, province.name if province else p.province, ENTITY_TYPES.label(p.entity_type),
                   p.name, p.sku or "", GROUPS.label(p.group), str(STAR_LABELS[star]) if star else "",
                   on_sale if p.on_own_market else not_on_sale]
            for m in MARKETPLACES:
                cell = cells[m]
                out += [grid_queries.STATUSES.label(cell.status if cell else "not_listed"), (cell.url if cell else None) or ""]
                if m in keys:
                    blockers = readiness.get(p.id, {}).get(m)
                    out.append("" if blockers is None else _readiness_text(blockers))
            yield out


@bp.get("/products.csv")
@permission_required(STAFF_MARKETPLACES)
def grid_csv():
    filters = grid_queries.clean_filters(request.args)
    keys = set(exporters.enabled())
    out = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)
    write_csv(_header(keys), _csv_rows(filters, keys), out)
    out.seek(0)
    return send_file(out, mimetype="text/csv", as_attachment=True, max_age=0,
                     download_name=f"san-pham-tren-san-{date.today():%Y-%m-%d}.csv")
