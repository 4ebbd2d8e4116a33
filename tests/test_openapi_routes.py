"""The OpenAPI description and the API's routes agree: every route described, nothing invented."""

import re

from clearinghouse.api.openapi import build_spec

API = "/api/v1"


def _routes(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API + "/"):
            continue
        path = re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule.rule[len(API) :])
        found |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


METHODS = {"get", "post", "put", "patch", "delete"}


def _described() -> set[tuple[str, str]]:
    paths = build_spec()["paths"].items()
    return {(path, method) for path, item in paths for method in item if method in METHODS}


def test_every_route_is_described_and_every_description_is_a_route(app):
    routes, described = _routes(app), _described()
    assert sorted(routes - described) == [], "routes the OpenAPI description leaves out"
    assert sorted(described - routes) == [], "described paths the API does not have"


def test_path_parameters_are_named_as_in_the_path():
    for path, item in build_spec()["paths"].items():
        in_path = set(re.findall(r"{([a-z_]+)}", path))
        shared = item.get("parameters", [])
        for method in METHODS & set(item):
            parameters = shared + item[method].get("parameters", [])
            declared = {p["name"] for p in parameters if p["in"] == "path"}
            assert declared == in_path, (path, method)


def test_every_operation_says_it_may_answer_503_busy():
    """A busy database can hold up any call; the PDF calls keep their own 503s beside it."""
    for path, item in build_spec()["paths"].items():
        for method in METHODS & set(item):
            answer = item[method]["responses"]["503"]
            assert "busy, with Retry-After" in answer["description"], (path, method)
            assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    render = build_spec()["paths"]["/templates/{slug}/render"]["post"]["responses"]["503"]
    assert "pdf_busy" in render["description"]
