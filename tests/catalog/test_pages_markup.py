"""The shopper pages are well nested: every container element that opens also closes, in order (a missing
`</div>` in a template breaks the layout on phones without failing any other test)."""
from html.parser import HTMLParser

import pytest

from tests.factories import make_product, make_showroom, make_vendor

CHECKED = {"div", "section", "main", "nav", "form", "ul", "ol", "fieldset", "details", "summary", "header",
           "footer", "article", "aside", "table", "select", "label", "a", "span", "h1", "h2", "h3", "button"}


class Nesting(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag in CHECKED:
            self.stack.append((tag, self.getpos()))

    def handle_endtag(self, tag):
        if tag not in CHECKED:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()


@pytest.fixture
def market(app):
    with app.app_context():
        booth = make_vendor("Hợp tác xã Dừa Sáp")
        product = make_product(booth, "Kẹo dừa sáp", star=4, image=True)
        make_product(booth, "Bánh tét", star=3, stock=0)
        make_showroom(products=[product])
        return {"product": product.slug, "booth": booth.slug}


@pytest.mark.parametrize("path", ["/", "/products/", "/products/?star=4&group=thuc_pham&in_stock=1&star=9",
                                  "/products/{product}/", "/booths/", "/booths/{booth}/", "/showrooms/",
                                  "/no-such-page", "/account/signin", "/account/signup",
                                  "/search?q=kẹo+dừa&group=thuc_pham", "/search?q=keo+dux&star=4&star=9", "/search"])
def test_pages_are_well_nested(client, market, path):
    response = client.get(path.format(**market))
    parser = Nesting()
    parser.feed(response.get_data(as_text=True))
    parser.close()
    assert not parser.errors and not parser.stack, parser.errors or f"never closed: {parser.stack}"
