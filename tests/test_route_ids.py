"""Ids in URLs: every `<int:…>` argument stops at 2³¹−1, so an id no INTEGER column can hold is a 404
before any query runs (on PostgreSQL such an id used to end in a database error and a 500)."""
import re

import pytest
from werkzeug.routing import IntegerConverter


def _int_routes(app):
    for rule in app.url_map.iter_rules():
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            yield rule


def _fill(rule, number):
    def value(match):
        return str(number) if match.group(1) == "int" else "x"
    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", value, rule.rule)


def test_routes_take_ids_as_bounded_integers(app):
    rules = list(_int_routes(app))
    assert len(rules) > 10
    assert all(c.max == 2**31 - 1 for r in rules for c in r._converters.values() if isinstance(c, IntegerConverter))


@pytest.mark.parametrize("number", [2**31, 10**30])
def test_an_id_too_large_for_the_database_is_a_404_on_every_route(app, client, number):
    failures = []
    for rule in _int_routes(app):
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS", "HEAD"})[0]
        response = client.open(_fill(rule, number), method=method)
        if response.status_code != 404:
            failures.append(f"{method} {rule.rule} → {response.status_code}")
    assert not failures, "\n".join(failures)


def test_the_largest_id_still_reaches_the_view(app, client):
    rule = next(r for r in _int_routes(app) if r.endpoint == "manage.product_edit")
    response = client.get(_fill(rule, 2**31 - 1))
    assert response.status_code == 302 and "/account/signin" in response.headers["Location"]
