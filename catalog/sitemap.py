"""sitemap.xml built from plain (slug, updated_at) rows, fast enough for 100,000 products.

A sitemap holds at most 50,000 URLs: past that, /sitemap.xml becomes a sitemap index of
/sitemap.xml?part=1, ?part=2, … each listing one slice of the same ordered sequence
(the shop's main pages, then booths, then products)."""
from urllib.parse import quote
from xml.sax.saxutils import escape

from catalog.queries import count_visible_products, sitemap_products, sitemap_vendors
from storefront.urls import canonical_url

MAX_URLS = 50_000
MAIN_PAGES = ("catalog.home", "catalog.product_list", "catalog.booth_list", "catalog.showroom_list")
XMLNS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


class NoSuchPart(Exception):
    pass


def _url_maker(endpoint):
    """A fast slug -> absolute URL function, equal to canonical_url(endpoint, slug=slug)."""
    marker = "SLUG0MARKER"
    before, after = canonical_url(endpoint, slug=marker).split(marker)
    return lambda slug: before + quote(slug, safe="") + after


def _entry(loc, updated_at=None):
    lastmod = f"<lastmod>{updated_at.date().isoformat()}</lastmod>" if updated_at else ""
    return f"<url><loc>{escape(loc)}</loc>{lastmod}</url>"


def build_sitemap(part=None, max_urls=MAX_URLS):
    """The XML text of the sitemap (or of the index, or of one part). Raises NoSuchPart."""
    main = [canonical_url(endpoint) for endpoint in MAIN_PAGES]
    vendors = sitemap_vendors()
    head = len(main) + len(vendors)
    total = head + count_visible_products()
    parts = max(1, -(-total // max_urls))
    if part is None and parts > 1:
        index = canonical_url("catalog.sitemap")
        items = "".join(f"<sitemap><loc>{escape(index)}?part={n}</loc></sitemap>" for n in range(1, parts + 1))
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex {XMLNS}>{items}</sitemapindex>\n'
    part = part or 1
    if not 1 <= part <= parts:
        raise NoSuchPart(part)
    start, stop = (part - 1) * max_urls, part * max_urls

    booth_url = _url_maker("catalog.booth_detail")
    product_url = _url_maker("catalog.product_detail")
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {XMLNS}>']
    out += [_entry(loc) for loc in main[start:stop]]
    out += [_entry(booth_url(slug), at) for slug, at in vendors[max(0, start - len(main)):max(0, stop - len(main))]]
    if stop > head:
        rows = sitemap_products(offset=max(0, start - head), limit=stop - max(start, head))
        out += [_entry(product_url(slug), at) for slug, at in rows]
    out.append("</urlset>\n")
    return "\n".join(out)
