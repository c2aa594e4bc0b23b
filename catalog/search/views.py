"""The shopper's search page, /search?q=…: the catalogue's filters and sorts over search results, with
facet counts, "did you mean" and a notice while the index is rebuilt.

An empty query (or one with nothing searchable, such as `*`) shows the whole catalogue newest first on
this page rather than redirecting, so the search box, the filters and their counts stay where they are."""
from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l

from catalog import search
from catalog.filters import SORTS, PageOutOfRange, parse_filter
from catalog.pages import active_chips, filter_choices
from catalog.search.query import parse_query
from storefront.pagecache import cached_page

bp = Blueprint("search", __name__)

SEARCH_SORTS = {"relevance": _l("Best match"), **SORTS}


@bp.get("/search")
@cached_page
def search_list():
    has_words = bool(parse_query(request.args.get("q")))
    sorts = SEARCH_SORTS if has_words else SORTS
    try:
        f = parse_filter(request.args, sorts=sorts, default_sort="relevance" if has_words else "newest")
    except PageOutOfRange:
        abort(404)
    today = date.today()
    result = search.search_products(request.args.get("q"), f, facets=True, today=today)
    if f.page > result.page.pages:
        abort(404)
    return render_template(
        "catalog/search_list.html", f=f, result=result, page=result.page, q=result.query.text,
        chips=active_chips(f), today=today, **{**filter_choices(), "sorts": sorts},
    )
