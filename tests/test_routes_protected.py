"""Walk every route of the app and prove an anonymous request is refused.

Generic on purpose: routes added later by any area are covered without editing this file.
Web routes redirect to the sign-in page; /api/ routes answer 401 with the JSON error shape.
Only the sign-in page and static assets are public.
"""

import uuid

from werkzeug.routing.converters import (
    AnyConverter,
    IntegerConverter,
    NumberConverter,
    UUIDConverter,
)

from clearinghouse.web import PUBLIC_ENDPOINTS

SKIPPED_METHODS = {"HEAD", "OPTIONS"}


def _dummy(converter) -> object:
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, NumberConverter):
        return 1.0
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "x"


def _requests(app):
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        values = {name: _dummy(rule._converters[name]) for name in rule.arguments}
        url = adapter.build(rule.endpoint, values, force_external=False)
        for method in sorted(rule.methods - SKIPPED_METHODS):
            yield rule, method, url


def test_the_walk_covers_the_app(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert PUBLIC_ENDPOINTS == {"auth.sign_in", "static"}
    expected = {
        "documents.list_documents",
        "documents.upload_document",
        "documents.download_version",
        "admin.index",
        "admin.set_user_active",
        "api.api_documents",
        "api.api_version_file",
        "auth.tokens",
        "main.home",
    }
    assert expected <= endpoints
    assert len(list(_requests(app))) > 30


def test_every_route_refuses_an_anonymous_request(app, client, users, make_document):
    make_document(users["editor"])  # so id 1 exists: refusal must not depend on a 404
    problems = []
    for rule, method, url in _requests(app):
        response = client.open(url, method=method)
        if url.startswith("/api/"):
            body = response.get_json(silent=True) or {}
            if response.status_code != 401 or body.get("error", {}).get("code") != "unauthorized":
                problems.append(f"{method} {url} ({rule.endpoint}): {response.status_code}")
        else:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/sign-in" not in location:
                problems.append(f"{method} {url} ({rule.endpoint}): {response.status_code}")
    assert problems == []


def test_public_endpoints_answer_anonymously(client):
    assert client.get("/sign-in").status_code == 200
    assert client.get("/static/favicon.svg").status_code == 200
