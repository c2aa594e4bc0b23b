"""Catalogue commands, added to the `flask --app wsgi ocop` group by the factory:
`ocop demo` (the demo market), `ocop import-catalog FILE` (the provincial OCOP register) and
`ocop reindex` (rebuild the search index)."""
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from tqdm import tqdm

from storefront.extensions import db

from catalog import search
from catalog.demo import load_demo
from catalog.search import documents
from catalog.register import RegisterFileError, import_catalog

BAR_FROM = 1000  # rows (or products) before a progress bar is worth showing


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


def register(group):
    group.add_command(demo_command)
    group.add_command(import_catalog_command)
    group.add_command(reindex_command)
