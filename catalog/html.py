"""Product descriptions are HTML from producers: keep a small safe subset, drop everything else."""
from html import unescape

import nh3

from storefront.text import nfc

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def clean_html(value):
    """Sanitised HTML: no script, style, event handlers or javascript: links; links get rel=nofollow."""
    if not value:
        return ""
    return nh3.clean(
        nfc(value), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener",
    )


def plain_text(value, limit=None):
    """Text without tags, for meta descriptions and search snippets."""
    text = " ".join(unescape(nh3.clean(value or "", tags=set())).split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
