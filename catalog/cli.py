"""Catalogue commands, added to the `flask --app wsgi ocop` group by the factory:
`ocop demo` (the demo market), `ocop import-catalog FILE` (the provincial OCOP register),
`ocop reindex` (rebuild the search index) and `ocop export MARKETPLACE --out PATH` (a marketplace file)."""
import os
import sys
import tempfile
import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from tqdm import tqdm

from storefront.extensions import db

from catalog import search
from catalog.demo import load_demo
from catalog.exporters.items import count_items
from catalog.exporters.messages import label
from catalog.exporters.service import ExportError, export_listings, exporter_for
from catalog.search import documents
from catalog.register import RegisterFileError, import_catalog
from vendors.models import Vendor

BAR_FROM = 1000  # rows (or products) before a progress bar is worth showing
FILE_MODE = 0o644  # exported files (the temporary file they are written to is private)


def _progress(total, desc):
    """A tqdm bar on stderr for long jobs, shown only on a terminal."""
    return tqdm(total=total, desc=str(desc), file=sys.stderr, unit="", leave=False,
                disable=None if total >= BAR_FROM else True)


@click.command("import-catalog")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change, without writing.")
@click.option("--lang", type=click.Choice(["vi", "en"]), help="Language of the report (default: Vietnamese).")
@with_appcontext
def import_catalog_command(file, dry_run, lang):
    """Import the provincial OCOP register from a CSV (UTF-8) or XLSX file."""
    with force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]):
        try:
            report = import_catalog(file, dry_run=dry_run, progress=_progress)
        except RegisterFileError as exc:
            raise click.ClickException(str(exc)) from None
        for problem in report.problems:
            click.echo(str(problem), err=True)
        for line in report.summary_lines():
            click.echo(line)
        if not report.ok:
            click.echo(_("Nothing was written: correct the rows listed above and import the file again."),
                       err=True)
            click.get_current_context().exit(1)


@click.command("demo")
@click.option("--scale", type=click.IntRange(min=0), default=0,
              help="Also make sure N synthetic products exist (about one booth per 50), for benchmarks.")
@click.option("--if-empty", is_flag=True, help="Load only when the market has no products yet.")
@with_appcontext
def demo_command(scale, if_empty):
    """Load the demo market of Trà Vinh (now part of Vĩnh Long). Running it again changes nothing."""
    started = time.perf_counter()
    summary = load_demo(scale=scale, if_empty=if_empty, progress=_progress)
    if summary is None:
        click.echo("The market already has products: demo not loaded.")
        return
    for line in summary.lines():
        click.echo(line)
    if scale or not search.backend().is_ready():  # bulk-inserted synthetic products bypass the outbox
        _reindex()
    click.echo(f"Done in {time.perf_counter() - started:.1f} s.")


def _reindex():
    started = time.perf_counter()
    with _progress(documents.count_all(db.session), "Search index") as bar:
        count = search.reindex(progress=bar.update)
    click.echo(f"Search index: {count} products in {time.perf_counter() - started:.1f} s "
               f"({search.backend().name}).")


@click.command("reindex")
@with_appcontext
def reindex_command():
    """Rebuild the search index from the database (the database is the source of truth)."""
    _reindex()


def _format_for(marketplace, fmt, out):
    """(exporter, format): the format asked for, else the one the file's extension names when the exporter
    writes it, else the exporter's default."""
    exporter, default = exporter_for(marketplace, fmt)
    extension = Path(out).suffix.lstrip(".").lower()
    if fmt is None and extension in exporter.formats:
        return exporter, extension
    return exporter, default


@click.command("export")
@click.argument("marketplace")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The file to write.")
@click.option("--booth", help="Only this booth's products (its slug), published or not.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "xlsx", "csv"]),
              help="File format (default: from the file's extension, else the marketplace's first format).")
@click.option("--lang", type=click.Choice(["vi", "en"]), help="Language of the summary (default: Vietnamese).")
@with_appcontext
def export_command(marketplace, out, booth, fmt, lang):
    """Write the products ready for MARKETPLACE (tiki, sendo, voso, postmart) to a file and record them as
    exported. Blocked products are skipped and counted by reason."""
    with force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]):
        try:
            exporter, fmt = _format_for(marketplace, fmt, out)
        except ExportError as exc:
            raise click.ClickException(str(exc)) from None
        vendor = None
        if booth is not None:
            vendor = db.session.scalar(sa.select(Vendor).where(Vendor.slug == booth))
            if vendor is None:
                raise click.ClickException(_("No booth has the slug “%(slug)s”.", slug=booth))
        target = Path(out).resolve()
        try:
            handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".part",
                                                 delete=False)
        except OSError as exc:
            raise click.ClickException(_("Cannot write %(path)s: %(error)s", path=out,
                                         error=exc.strerror or exc)) from None
        started = time.perf_counter()
        try:
            with handle, _progress(count_items(booth_id=vendor.id if vendor else None), exporter.label) as bar:
                os.fchmod(handle.fileno(), FILE_MODE)  # before the export commits: after it only the rename remains
                summary = export_listings(exporter.key, handle, fmt=fmt, booth=vendor, progress=bar.update)
            os.replace(handle.name, target)
        except OSError as exc:
            Path(handle.name).unlink(missing_ok=True)
            raise click.ClickException(_("Cannot write %(path)s: %(error)s", path=out,
                                         error=exc.strerror or exc)) from None
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
        click.echo(ngettext("%(label)s: %(num)d product exported to %(path)s in %(seconds).1f s.",
                            "%(label)s: %(num)d products exported to %(path)s in %(seconds).1f s.",
                            summary.exported, label=exporter.label, path=out, seconds=time.perf_counter() - started))
        if summary.blocked:
            reasons = ", ".join(f"{label(code)} ({count})" for code, count in summary.top_reasons())
            click.echo(ngettext("%(num)d product blocked; most common reasons: %(reasons)s.",
                                "%(num)d products blocked; most common reasons: %(reasons)s.",
                                len(summary.blocked), reasons=reasons))


def register(group):
    group.add_command(demo_command)
    group.add_command(export_command)
    group.add_command(import_catalog_command)
    group.add_command(reindex_command)
