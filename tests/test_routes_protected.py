"""Walk every route of the app and prove each answers as clearinghouse/access_table.py says.

Generic on purpose: a route added later by any area fails here until it has a row in the table.
Anonymous web requests redirect to the sign-in page; anonymous /api/ requests answer 401 with the
JSON error shape. Each role then requests every route, the web ones signed in and the API ones
with its own bearer token, with URL values naming north's internal document and template and
the north editor's token; see tests/test_permissions_matrix.py for documents in more detail.
"""

import io
import uuid

import pytest
from authority_templates.test_templates_service import good_template, upload
from generation.conftest import gen_app, library_root, sample_case  # noqa: F401 - shared fixtures
from werkzeug.routing.converters import (
    AnyConverter,
    IntegerConverter,
    NumberConverter,
    UUIDConverter,
)

from clearinghouse import permissions
from clearinghouse.access_table import ACCESS, EVERYONE
from clearinghouse.audits.service import audit_start
from clearinghouse.authority_templates import service as template_service
from clearinghouse.compare import saved
from clearinghouse.extensions import db
from clearinghouse.models import ApiToken
from clearinghouse.web import PUBLIC_ENDPOINTS

SKIPPED_METHODS = {"HEAD", "OPTIONS"}
PEOPLE = ("practitioner", "editor", "manager", "south_editor", "south_practitioner", "admin")
# Who passes each object check for the objects the URLs name, written out rather than derived:
# north's internal document, north's internal template (version 1 published), a token of
# the north editor and a comparison north's manager saved.
NORTH = {"practitioner", "editor", "manager"}
PASSES = {
    "can_view_document": NORTH,
    "can_edit_document": {"editor"},
    "can_see_template": NORTH,
    "can_edit_template": {"editor"},
    "can_use_template_version": NORTH,
    "can_manage_token": {"editor"},
    "can_restore_document": {"editor"},
    "can_view_saved_comparison": NORTH,
    "can_delete_saved_comparison": {"manager"},
    # A mapping audit led by north's manager with north's practitioner as the worker.
    "can_view_mapping_audit": {"practitioner", "manager"},
    "can_edit_mapping_audit": {"practitioner", "manager"},
}
# Who may know the object exists, so is refused with 403 rather than told 404.
SEES = dict.fromkeys(PASSES, NORTH) | {
    "can_manage_token": {"editor"},
    "can_view_mapping_audit": {"practitioner", "manager"},
    "can_edit_mapping_audit": {"practitioner", "manager"},
}


def _multipart(**fields) -> dict:
    return {"data": fields, "content_type": "multipart/form-data"}


# Valid bodies for the API endpoints that check their input before the user's access, so a
# refusal is not hidden behind a 400 about the body.
BODIES = {
    "api.api_document_create": lambda: _multipart(
        title="New", doc_type="policy", visibility="internal", file=(io.BytesIO(b"# New"), "n.md")
    ),
    "api.api_document_update": lambda: {"json": {"visibility": "internal"}},
    "api.templates_upload": lambda: _multipart(
        doc_type="test-letter", title="New", file=(io.BytesIO(good_template()), "t.docx")
    ),
    "api.templates_version_add": lambda: _multipart(
        change_note="Two", file=(io.BytesIO(good_template()), "t.docx")
    ),
    "api.template_render": lambda: {"json": sample_case()},
    "api.pack_render": lambda: {"json": sample_case()},
    "api.profile_put": lambda: {"json": {"profile": {"name": "North"}}},
}


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


def _requests(app, values=None, public=False):
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if (rule.endpoint in PUBLIC_ENDPOINTS) != public:
            continue
        given = values or {}
        filled = {name: given.get(name, _dummy(rule._converters[name])) for name in rule.arguments}
        url = adapter.build(rule.endpoint, filled, force_external=False)
        for method in sorted(rule.methods - SKIPPED_METHODS):
            yield rule, method, url


def test_every_endpoint_has_exactly_one_row_in_the_access_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - ACCESS.keys()) == [], "endpoints with no access rule"
    assert sorted(ACCESS.keys() - endpoints) == [], "access rules for endpoints that are gone"
    for endpoint, access in ACCESS.items():
        assert access.public or access.roles <= EVERYONE, endpoint
        assert access.check is None or hasattr(permissions, access.check), endpoint


def test_the_walk_covers_the_app(app):
    # auth.reset_password: the one-time link an admin gives is its own key (tests/test_resets.py).
    # feedback.*: families answer with a one-time code (tests/feedback/test_feedback_public.py).
    assert PUBLIC_ENDPOINTS == {
        "auth.sign_in",
        "auth.reset_password",
        "auth.reset_password_form",
        "static",
        "feedback.public_form",
        "feedback.public_answers",
    }
    assert len(list(_requests(app))) > 60


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
    assert problems == [], "\n".join(problems)


def test_public_endpoints_answer_anonymously(client):
    assert client.get("/sign-in").status_code == 200
    assert client.get("/static/favicon.svg").status_code == 200
    assert client.get("/account/reset/not-a-real-link").status_code == 404
    assert client.get("/feedback").status_code == 200
    assert client.post("/feedback/answers", data={}).status_code == 400


@pytest.fixture
def north_objects(gen_app, users, make_document):  # noqa: F811 - gen_app is the shared fixture
    """Make north's internal document and template and a token; return the URL values."""
    editor = users["editor"]
    document = make_document(editor, title="North internal", visibility="internal")
    template, _ = upload(editor, title="North internal letter", visibility="internal")
    template_service.template_publish(editor, template.slug, 1)
    from clearinghouse.auth.service import token_create

    _profiles_for_the_walk(users)
    token_create(editor, "north editor's script")
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == editor.id))
    ref = str(document.document_id)
    comparison = saved.comparison_save(users["manager"], "North's own", ref, ref)
    audit = audit_start(
        users["manager"],
        reference_text="NCC/1",
        lead_id=users["manager"].id,
        worker_id=users["practitioner"].id,
    )
    return {
        "audit_id": audit.id,
        "document_id": document.document_id,
        "number": 1,
        "slug": template.slug,
        "token_id": token.id,
        "user_id": users["practitioner"].id,
        "doc_type": "test-letter",
        "action": "deactivate",
        "pack": "test-pack",
        "saved_id": comparison.id,
    }


def _profiles_for_the_walk(users) -> None:
    """Give north and south a profile with two solicitors and a logo, so each of their people
    finds solicitor 1 and the logo image. Made as rows: the walk's library has no authority."""
    from profiles.images import png

    from clearinghouse import storage
    from clearinghouse.models import ProfileVersion

    logo = storage.put_blob(png())
    for person in ("editor", "south_editor"):
        solicitors = [{"firm": "One"}, {"firm": "Two"}]
        data = {"name": users[person].authority.name, "solicitors": solicitors}
        row = ProfileVersion(authority_id=users[person].authority_id, number=1, data=data)
        row.logo_sha256 = logo
        db.session.add(row)
    db.session.commit()


def _expected(endpoint: str, person: str, role: str) -> set[int]:
    """Return the refusals the table allows for the person, or an empty set if they may pass."""
    access = ACCESS[endpoint]
    hidden = access.check is not None and person not in SEES[access.check]
    if role not in access.roles:
        # A role refusal (403) may come before or after the object is found hidden (404).
        return {403, 404} if hidden else {403}
    if access.check is None or person in PASSES[access.check]:
        return set()
    return {404} if hidden else {403}


@pytest.mark.parametrize("person", PEOPLE)
def test_every_route_answers_each_role_as_the_table_says(
    app, users, login, api_headers, north_objects, person
):
    client = login(users[person])
    headers = api_headers(users[person])
    problems = []
    for rule, method, url in _requests(app, north_objects):
        if rule.endpoint not in ACCESS:
            problems.append(f"{rule.endpoint} has no row in the access table")
            continue
        refusal = _expected(rule.endpoint, person, users[person].role)
        if not refusal and method != "GET":
            continue  # allowed changes are tested by each area; here they would change the data
        api = url.startswith("/api/")
        body = BODIES.get(rule.endpoint, dict)()
        response = client.open(url, method=method, headers=headers if api else None, **body)
        status = response.status_code
        if not refusal:
            wrong = status in (401, 403, 404) or status >= 500
        else:
            wrong = status not in refusal
            if api and not wrong:
                code = (response.get_json(silent=True) or {}).get("error", {}).get("code")
                wrong = code != ("forbidden" if status == 403 else "not_found")
        if wrong:
            wanted = sorted(refusal) or "a pass"
            problems.append(f"{method} {url} ({rule.endpoint}): {status}, expected {wanted}")
    assert problems == [], "\n".join(problems)
