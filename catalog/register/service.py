"""import_catalog: the register import as one unit of work. Every row is checked before anything is
written; with any error nothing is written. A dry run does the same work and rolls it back."""
from contextlib import nullcontext

from flask_babel import lazy_gettext as _l

from catalog import services
from catalog.models import Product
from catalog.ocop import SET_GROUP
from catalog.register import plan as planning
from catalog.register.columns import BOOTH_IMPORT_REQUIRED, REQUIRED, VIETNAMESE
from catalog.register.reading import read_sheet
from catalog.register.report import WARNING, ImportReport
from catalog.register.rows import RowChecker
from storefront.extensions import db
from storefront.text import fold, slugify

SLUG_LENGTH = 120


class _NoProgress:
    def update(self, _n=1):
        pass


def _bar(progress, total, desc):
    return progress(total=total, desc=desc) if progress else nullcontext(_NoProgress())


def _check_header(sheet, report, required):
    header = sheet.header
    for name in header.missing(required):
        report.add(sheet.header_row, name, "missing_column", _l(
            "Required column “%(column)s” is missing (Vietnamese header: “%(vietnamese)s”).",
            column=name, vietnamese=VIETNAMESE[name]))
    for name, text in header.repeated:
        report.add(sheet.header_row, text, "repeated_column", _l(
            "Column “%(column)s” appears twice (also as “%(first)s”).", column=name, first=header.labels[name]))
    for _i, text in header.unknown:
        report.add(sheet.header_row, text, "unknown_column", _l("Unknown column: it is ignored."), WARNING)


def _check_scope(rows, vendor, report, header):
    """A booth's own import may only name that booth."""
    for r in rows:
        name = r.booth["name"]
        if name and slugify(name) != vendor.slug and fold(name) != fold(vendor.name):
            report.add(r.row, header.label("booth_name"), "other_booth", _l(
                "This row belongs to booth “%(name)s”, not to “%(mine)s”.", name=name, mine=vendor.name))
        r.booth["slug"], r.booth["name"] = vendor.slug, vendor.name


def _new_slugs(items):
    """Free product slugs for new products: the name's slug, else with the booth's slug, else numbered."""
    candidates = []
    for base, booth_slug in items:
        candidates += [base, f"{base}-{booth_slug}"[:SLUG_LENGTH].rstrip("-")]
    free, used, slugs = set(services.free_slugs(Product, candidates)), set(), []
    for base, booth_slug in items:
        longer = f"{base}-{booth_slug}"[:SLUG_LENGTH].rstrip("-")
        slug = next((c for c in (base, longer) if c in free and c not in used), None)
        slug = slug or services.unique_slug(Product, longer, reserved=used, max_length=SLUG_LENGTH)
        used.add(slug)
        slugs.append(slug)
    return slugs


def _apply_booth(plan, vendor):
    """The booth of a plan, created or updated from its rows (left alone in a booth's own import)."""
    if vendor is not None:
        return vendor, services.UNCHANGED
    fields = {k: v for k, v in plan.values.items() if k not in ("name", "slug")}
    if plan.vendor is None:
        fields["address_text"] = fields["address_text"] or ", ".join(
            x for x in (fields["commune"], plan.rows[0].booth_text.get("province")) if x)
        return services.create_vendor(plan.values["name"], slug=plan.slug, **fields), services.CREATED
    fields = {k: v for k, v in fields.items() if v}  # cells left blank keep what the booth already has
    return plan.vendor, services.UPDATED if services.assign(plan.vendor, fields) else services.UNCHANGED


def _apply_row(r, booth, product, slugs):
    """Create or update the row's product and record its decision; returns (product, change, added)."""
    fields = {k: v for k, v in r.product.items() if k != "name"}
    if product is None:
        product, change = services.create_product(booth, r.product["name"], slug=next(slugs), **fields), \
            services.CREATED
    else:
        if product.product_set and SET_GROUP.get(product.product_set) != r.product["group"]:
            fields.setdefault("product_set", None)  # a set of the product's former group
        change = services.UPDATED if services.assign(product, {**r.product, **fields}) else services.UNCHANGED
    added = r.star is not None and r.certified_on is not None and services.record_certificate(
        product, star=r.star, status=r.status, decided_on=r.certified_on, decision_no=r.certificate_no,
        province_name=r.province_name, district_name=booth.legacy_district) is not None
    if added and change == services.UNCHANGED:
        change = services.UPDATED
    return product, change, added


def _apply(booths, report, vendor, bar):
    with db.session.no_autoflush:
        new = [(plan, r) for plan in booths.values() for r in plan.rows if r.row not in plan.matches]
        slugs = iter(_new_slugs([(slugify(r.product["name"]), plan.slug) for plan, r in new]))
    for plan in booths.values():
        booth, change = _apply_booth(plan, vendor)
        report.booths[change] += 1
        for r in plan.rows:
            _product, change, added = _apply_row(r, booth, plan.matches.get(r.row), slugs)
            report.products[change] += 1
            report.certificates_added += added
            bar.update(1)


def import_catalog(source, dry_run=False, vendor=None, progress=None, today=None, before_commit=None):
    """Import the OCOP register in `source` (a path, or a binary file such as an upload).

    `vendor` limits the import to that booth (its own product list; booth columns optional, and stars too:
    a row without them records no certificate). `progress`
    is a tqdm-like factory `progress(total=, desc=)` for long files. `before_commit(report)` runs inside
    the import's transaction just before it commits (to add an audit entry in the same unit of work).
    Returns an ImportReport; raises RegisterFileError when the file cannot be read at all."""
    report, order = _import(source, dry_run, vendor, progress, today, before_commit)
    report.problems.sort(key=lambda p: (p.row, order.get(p.column, len(order))))
    return report


def _import(source, dry_run, vendor, progress, today, before_commit=None):
    report = ImportReport(dry_run=dry_run)
    sheet = read_sheet(source)
    report.rows = len(sheet.rows)
    order = sheet.header.order()
    required = REQUIRED if vendor is None else BOOTH_IMPORT_REQUIRED
    _check_header(sheet, report, required)
    if not report.ok:
        return report, order
    checker = RowChecker(sheet.header, report, required, today=today)
    with _bar(progress, 2 * len(sheet.rows), _l("Importing")) as bar:
        rows = []
        for number, cells in sheet.rows:
            rows.append(checker.check(number, cells))
            bar.update(1)
        if vendor is not None:
            _check_scope(rows, vendor, report, sheet.header)
        booths = planning.group_booths(rows, report, sheet.header)
        for plan in booths.values():
            planning.check_duplicates(plan, report, sheet.header)
        if not report.ok:  # nothing is written unless every row is valid
            return report, order
        planning.fetch_existing(booths, vendor)
        for plan in booths.values():
            planning.check_stars_recorded(plan, report, sheet.header)
        try:
            _apply(booths, report, vendor, bar)
            if dry_run:
                db.session.rollback()
            else:
                if before_commit is not None:
                    before_commit(report)
                db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return report, order
