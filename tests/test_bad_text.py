"""NUL and lone surrogates are refused everywhere text comes in: a 4xx naming the field, never 5xx.

Every route that takes a body is in one of the tables below (a test walks the URL map to keep
it so); each sends "\\x00" in form fields and "\\ud800" / "\\u0000" as JSON escapes.
"""

import io
import json
import re
from html import unescape

import pytest
from docx_builder import make_docx
from factories import PASSWORD, make_template
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import Form

from clearinghouse import forms, jsonio
from clearinghouse.audits.service import audit_start
from clearinghouse.compare.saved import comparison_save
from clearinghouse.generation.views import bp as generate_bp  # noqa: F401 (forms imported)
from clearinghouse.text import InvalidText, json_problems, printable

NUL = "\x00"
SLUG = "safety-plan"  # a template of the real library
BAD_PASSWORD = f"a long new{NUL}password"


@pytest.fixture
def world(app, users, make_document):
    """A document and an authority template to aim at, by the north editor."""
    document = make_document(users["editor"], title="Target", visibility="internal")
    template, _ = make_template(
        users["editor"],
        make_docx(["Hello {{ worker.name }}"]),
        filename="t.docx",
        doc_type=SLUG,
        title="North plan",
        visibility="internal",
    )
    from clearinghouse.auth.resets import reset_issue

    reset = reset_issue(users["admin"], users["practitioner"])
    ref = str(document.document_id)
    comparison = comparison_save(users["manager"], "Ours", ref, ref)
    audit = audit_start(
        users["manager"],
        reference_text="NCC/1",
        lead_id=users["manager"].id,
        worker_id=users["practitioner"].id,
    )
    return {
        "audit": audit.id,
        "document": document.document_id,
        "template": template.slug,
        "reset": reset,
        "saved": comparison.id,
    }


def _file(name="policy.docx"):
    return (io.BytesIO(make_docx(["Some words"])), name)


# (name, who, url, fields, text the answer must hold); {document} and {template} are filled in.
WEB_FORMS = [
    ("sign-in", None, "/sign-in", {"email": f"a{NUL}@north.example", "password": "x"},
     "Email address contains a character that cannot be used"),
    ("token", "practitioner", "/account/tokens", {"name": f"my{NUL}token"},
     "Token name contains a character that cannot be used"),
    ("password", "practitioner", "/account/password",
     {"current": PASSWORD, "new": BAD_PASSWORD, "new_again": BAD_PASSWORD},
     "New password contains a character that cannot be used"),
    ("authority", "admin", "/admin/authorities", {"name": f"East{NUL}shire", "slug": "east"},
     "Name contains a character that cannot be used"),
    ("user", "admin", "/admin/users/new",
     {"name": "Sam", "email": f"sam{NUL}@north.example", "role": "practitioner",
      "authority": "north", "password": PASSWORD, "password_again": PASSWORD},
     "Email address contains a character that cannot be used"),
    ("role", "admin", "/admin/users/1/role", {"role": f"editor{NUL}", "authority": "north"},
     "Role contains a character that cannot be used"),
    ("reset", None, "/account/reset/{reset}", {"new": BAD_PASSWORD, "new_again": BAD_PASSWORD},
     "New password contains a character that cannot be used"),
    ("doc type", "admin", "/admin/doc-types",
     {"label": f"Plan{NUL}", "slug": "plan-x", "stage": "assessment"},
     "Name contains a character that cannot be used"),
    ("rename authority", "admin", "/admin/authorities/rename",
     {"target": "north", "name": f"North{NUL}shire"},
     "New name contains a character that cannot be used"),
    ("rename doc type", "admin", "/admin/doc-types/rename",
     {"target": "policy", "name": f"Policy{NUL}"},
     "New name contains a character that cannot be used"),
    ("upload", "editor", "/documents/new",
     {"title": f"Policy{NUL}", "doc_type": "policy", "visibility": "internal", "file": _file},
     "Title contains a character that cannot be used"),
    ("upload file name", "editor", "/documents/new",
     {"title": "Policy", "doc_type": "policy", "visibility": "internal",
      "file": lambda: _file(f"po{NUL}licy.docx")},
     "The name of the file chosen for File contains a character that cannot be used"),
    ("new version", "editor", "/documents/{document}/versions/new",
     {"change_note": f"Fixed{NUL}", "file": _file},
     "What changed in this version? contains a character that cannot be used"),
    ("visibility", "editor", "/documents/{document}/visibility", {"visibility": f"shared{NUL}"},
     "Who can see this document? contains a character that cannot be used"),
    ("template upload", "editor", "/templates/new",
     {"doc_type": SLUG, "title": f"Plan{NUL}", "visibility": "internal", "file": _file},
     "Title contains a character that cannot be used"),
    ("template version", "editor", "/templates/{template}/versions/new",
     {"change_note": f"Fixed{NUL}", "file": _file},
     "What changed in this version? contains a character that cannot be used"),
    ("template choice", "practitioner", f"/templates/choose/{SLUG}", {"choice": f"library{NUL}"},
     "Which template do you want to use? contains a character that cannot be used"),
    ("case form", "practitioner", f"/generate/{SLUG}",
     {"action": "preview", "children-count": "1", "children-0-name": f"Mia{NUL}"},
     "This answer contains a character that cannot be used (a NUL character, U+0000"),
    ("case file", "practitioner", f"/generate/{SLUG}",
     {"action": "upload",
      "case_file": lambda: (io.BytesIO(b'{"children": [{"name": "Mia \\ud800"}]}'), "c.json")},
     "The case file cannot be used: children[0].name contains a character"),
    ("case file NUL", "practitioner", f"/generate/{SLUG}",
     {"action": "upload",
      "case_file": lambda: (io.BytesIO(b'{"children": [{"name": "\\u0000"}]}'), "c.json")},
     "children[0].name contains a character that cannot be used (a NUL character"),
    ("change answers", "practitioner", f"/generate/{SLUG}",
     {"action": "edit", "case_json": '{"worker": {"name": "\\ud800"}}'},
     "worker.name contains a character that cannot be used (an unpaired surrogate, U+D800"),
    ("journey case file", "practitioner", "/case/upload",
     {"case_file": lambda: (io.BytesIO(b'{"children": [{"name": "Mia \\ud800"}]}'), "c.json")},
     "The case file cannot be used: children[0].name contains a character"),
    ("pack case file", "practitioner", "/generate/packs/plo-letters",
     {"case_file": lambda: (io.BytesIO(b'{"children": [{"name": "\\u0000"}]}'), "c.json")},
     "children[0].name contains a character that cannot be used (a NUL character"),
    ("download", "practitioner", f"/generate/{SLUG}/download",
     {"case_json": '{"children": [{"name": "Mia"}], "worker": {"\\u0000": 1}}'},
     'The key worker["\\u0000"] contains a character that cannot be used'),
    ("profile section", "editor", "/authority/profile/complaints",
     {"complaints_name": f"Team{NUL}", "base_number": "0"},
     "Name of the team or service contains a character that cannot be used"),
    ("profile solicitor", "editor", "/authority/profile/solicitors/new",
     {"firm": f"Firm{NUL}", "base_number": "0"}, "Firm contains a character that cannot be used"),
    ("profile logo", "editor", "/authority/profile/logo",
     {"logo": lambda: (io.BytesIO(b"x"), f"lo{NUL}go.png"), "base_number": "0"},
     "The name of the file chosen for Upload a logo contains a character that cannot be used"),
    # The world's document is the first of a fresh database: number 1.
    ("save comparison", "manager", "/compare/saved",
     {"name": f"Ours{NUL}", "first": "1", "second": "1", "pairs": ""},
     "Name this comparison contains a character that cannot be used"),
    ("save comparison pairs", "manager", "/compare/saved",
     {"name": "Ours", "first": "1", "second": "1", "pairs": f"1:1{NUL}"},
     "Pairs of sections contains a character that cannot be used"),
    ("self-assessment", "manager", "/self-assessment/new", {"scale": "5", "note": f"Why{NUL}"},
     "Why this number? contains a character that cannot be used"),
    ("self-assessment sharing", "manager", "/self-assessment/sharing", {"sharing": f"shared{NUL}"},
     "Who can see your authority's self-assessment? contains a character that cannot be used"),
    ("practice figures sharing", "manager", "/practice-figures/sharing",
     {"sharing": f"shared{NUL}"},
     "Who can see your authority's practice figures? contains a character that cannot be used"),
    ("audit find", "manager", "/audits", {"reference": f"NCC{NUL}"},
     "Case reference contains a character that cannot be used"),
    ("audit start", "manager", "/audits/new",
     {"reference": f"NCC{NUL}", "lead": "1", "worker": "1",
      "case_file": lambda: (io.BytesIO(b'{"children": []}'), "c.json")},
     "Case reference contains a character that cannot be used"),
    ("audit the journey's case", "manager", "/audits/new/from-case", {"case_state": f"c1{NUL}"},
     "The case could not be read"),
    ("audit case file", "manager", "/audits/new",
     {"reference": "NCC/1",
      "case_file": lambda: (io.BytesIO(b'{"children": [{"name": "\\ud800"}]}'), "c.json")},
     "The case file cannot be used: children[0].name contains a character"),
    ("audit ratings", "manager", "/audits/{audit}",
     {"rating-examples": f"met{NUL}", "reason-examples": "dated_examples"},
     "Agreed rating contains a character that cannot be used"),
    ("audit next steps", "practitioner", "/audits/{audit}/next-steps",
     {"next_steps": f"Visit{NUL}"},
     "Next steps for the worker contains a character that cannot be used"),
    ("audit case check", "practitioner", "/audits/{audit}/check",
     {"case_file": lambda: (io.BytesIO(b'{"children": [{"name": "\\u0000"}]}'), "c.json")},
     "children[0].name contains a character that cannot be used (a NUL character"),
    ("team", "manager", "/teams", {"name": f"Family{NUL}"},
     "Team name contains a character that cannot be used"),
    ("rename team", "manager", "/teams/rename", {"target": "1", "name": f"Family{NUL}"},
     "New name contains a character that cannot be used"),
    ("member team", "manager", "/teams/people", {"person": "1", "team": f"1{NUL}"},
     "Team contains a character that cannot be used"),
    ("feedback code", None, "/feedback", {"code": f"AB{NUL}"},
     "Your code contains a character that cannot be used"),
    ("feedback answers", None, "/feedback/answers",
     {"code": "x", "explained": "5", "listened": "yes", "helped": f"a{NUL}"},
     "What helped? contains a character that cannot be used"),
    ("paper feedback", "practitioner", "/feedback/paper",
     {"quarter": "2026-Q4", "explained": "5", "listened": "yes", "better": f"b{NUL}"},
     "What could be better? contains a character that cannot be used"),
]  # fmt: skip

# Forms with only a button: nothing to name, but never a 5xx.
BUTTONS = [
    ("editor", "/documents/{document}/withdraw"),
    ("editor", "/documents/{document}/restore"),
    ("editor", "/templates/{template}/versions/1/check"),
    ("editor", "/templates/{template}/versions/1/publish"),
    ("practitioner", "/account/tokens/1/revoke"),
    ("admin", "/admin/users/1/deactivate"),
    ("admin", "/admin/users/1/password-link"),
    ("practitioner", "/sign-out"),
    ("editor", "/authority/profile/solicitors"),
    ("editor", "/authority/profile/solicitors/1"),
    # The case journey's pages carry the case sealed; sent without it (or with NUL for it),
    # each answers 400 (tests/journey/test_journey_hostile.py posts bad text with a real case).
    ("practitioner", "/case/new"),
    ("practitioner", "/case/tasks"),
    ("practitioner", "/case/edit"),
    ("practitioner", "/case/check"),
    ("practitioner", "/case/generate"),
    ("practitioner", "/case/save"),
    ("practitioner", "/account/reset"),
    ("manager", "/compare/saved/{saved}/delete"),
    ("practitioner", "/feedback/codes"),
    ("practitioner", "/audits/{audit}/sign-off"),
]


def _client(client, login, users, who):
    return login(users[who]) if who else client


def _fields(fields):
    return {k: v() if callable(v) else v for k, v in fields.items()}


@pytest.mark.parametrize(
    "name, who, url, fields, expected", WEB_FORMS, ids=[f[0] for f in WEB_FORMS]
)
def test_web_forms_name_the_field(client, login, users, world, name, who, url, fields, expected):
    response = _client(client, login, users, who).post(
        url.format(**world), data=_fields(fields), content_type="multipart/form-data"
    )
    html = unescape(response.get_data(as_text=True))
    assert 400 <= response.status_code < 500, html[-2000:]
    assert expected in html
    assert "govuk-error-summary" in html


@pytest.mark.parametrize("who, url", BUTTONS)
def test_buttons_never_fail(client, login, users, world, who, url):
    response = login(users[who]).post(url.format(**world), data={"submit": NUL, "then": NUL})
    assert response.status_code < 500


def test_urlencoded_forms_too(client, users):
    response = client.post(
        "/sign-in",
        data=b"email=a%00b%40north.example&password=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "Email address contains a character" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/search?q=wor%00ries",
        "/documents?doc_type=%00",
        "/compare/choose?first=%00",
        "/compare/result?first=1&second=2&pairs=1:%00",
        "/sign-in?next=/%00",
        "/search?q%00=x",
    ],
)
def test_query_strings_name_the_parameter(client, login, users, url):
    response = login(users["practitioner"]).get(url)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "contains a character that cannot be used" in html
    assert '"q"' in html or "of a part of the web address" in html or "/" in url


def test_url_parts_with_nul_are_not_found(login, users):
    client = login(users["practitioner"])
    assert client.get("/generate/safety%00plan").status_code == 404
    assert client.get("/templates/choose/x%00").status_code == 404


# (method, url, body: "json" text or multipart fields, path named in the details)
API_CALLS = [
    ("patch", "/api/v1/documents/{document}", '{"visibility": "shared\\u0000"}', "/visibility"),
    ("post", f"/api/v1/templates/{SLUG}/render", '{"children": [{"name": "Mia \\ud800"}]}',
     "/children/0/name"),
    ("post", "/api/v1/packs/plo-letters/render", '{"children": [{"name": "Mia \\ud800"}]}',
     "/children/0/name"),
    ("put", f"/api/v1/template-choices/{SLUG}", '{"choice": "\\udfff"}', "/choice"),
    ("put", f"/api/v1/template-choices/{SLUG}", '{"\\ud800": "library"}', "/\\ud800"),
    ("post", "/api/v1/documents",
     {"title": f"T{NUL}", "doc_type": "policy", "visibility": "internal", "file": _file}, "title"),
    ("post", "/api/v1/documents",
     {"title": "T", "doc_type": "policy", "visibility": "internal",
      "file": lambda: _file(f"a{NUL}.docx")}, "file"),
    ("post", "/api/v1/documents/{document}/versions", {"change_note": NUL, "file": _file},
     "change_note"),
    ("post", "/api/v1/templates",
     {"doc_type": SLUG, "title": f"T{NUL}", "file": _file}, "title"),
    ("post", "/api/v1/templates/check", {"doc_type": f"{SLUG}{NUL}", "file": _file}, "doc_type"),
    ("post", "/api/v1/templates/{template}/versions", {"change_note": NUL, "file": _file},
     "change_note"),
    ("post", "/api/v1/templates/{template}/versions/1/check?why=%00", None, "why"),
    ("post", "/api/v1/templates/{template}/versions/1/publish?why=%00", None, "why"),
    ("delete", "/api/v1/documents/{document}?why=%00", None, "why"),
    ("post", "/api/v1/documents/{document}/restore?why=%00", None, "why"),
    ("get", "/api/v1/search?q=a%00", None, "q"),
    ("get", "/api/v1/documents?authority=%00", None, "authority"),
    ("put", "/api/v1/authority/profile", '{"profile": {"name": "N\\u0000"}}', "/profile/name"),
    ("post", "/api/v1/self-assessments", '{"scale": 5, "note": "N\\u0000"}', "/note"),
    ("post", "/api/v1/audits?why=%00", None, "why"),
    ("patch", "/api/v1/audits/{audit}?why=%00", None, "why"),
    ("post", "/api/v1/audits/{audit}/sign-off?why=%00", None, "why"),
    ("post", "/api/v1/audits/{audit}/next-steps?why=%00", None, "why"),
    ("post", "/api/v1/audits/find?why=%00", None, "why"),
]  # fmt: skip


@pytest.mark.parametrize("method, url, body, path", API_CALLS, ids=[c[1] for c in API_CALLS])
def test_api_names_the_field(client, users, api_headers, world, method, url, body, path):
    headers = api_headers(users["editor"])
    kwargs = {}
    if isinstance(body, str):
        kwargs = {"data": body.encode(), "content_type": "application/json"}
    elif body:
        kwargs = {"data": _fields(body), "content_type": "multipart/form-data"}
    response = getattr(client, method)(url.format(**world), headers=headers, **kwargs)
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "invalid_text"
    assert "cannot be used" in error["message"]
    assert path in [detail["path"] for detail in error["details"]]


def test_every_route_taking_a_body_is_in_a_table(app):
    covered = {url.split("?")[0] for _, url, *_ in API_CALLS}
    covered |= {url for _, _, url, *_ in WEB_FORMS} | {url for _, url in BUTTONS}
    rules = set()
    for rule in app.url_map.iter_rules():
        if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            rules.add(rule.rule)
    missing = []
    for rule in rules:
        pattern = rule.replace("<int:document_id>", "{document}").replace("<slug>", "{template}")
        pattern = pattern.replace("<int:number>", "1").replace("<doc_type>", SLUG)
        pattern = pattern.replace("<int:token_id>", "1").replace("<int:user_id>", "1")
        pattern = pattern.replace("<any(deactivate, reactivate):action>", "deactivate")
        pattern = pattern.replace("<pack>", "plo-letters").replace("<token>", "{reset}")
        pattern = pattern.replace("<int:index>", "1").replace("<int:saved_id>", "{saved}")
        pattern = pattern.replace("<int:audit_id>", "{audit}")
        pattern = re.sub(r"<any\([^)]*\b(complaints)\b[^)]*\):section>", r"\1", pattern)
        alternatives = {pattern, pattern.replace("{template}", SLUG)}
        if not alternatives & covered:
            missing.append(rule)
    assert not missing, f"add these routes to a table: {missing}"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_checks_its_text(app):
    ours = [
        c
        for base in (FlaskForm, Form)
        for c in _subclasses(base)
        if c.__module__.startswith("clearinghouse.")
    ]
    assert len(ours) > 10
    unchecked = [c.__qualname__ for c in ours if not issubclass(c, forms.TextCheckMixin)]
    assert not unchecked


def test_a_lone_surrogate_in_form_data_is_named(app):
    from clearinghouse.auth.forms import TokenForm

    with app.test_request_context(method="POST"):
        form = TokenForm(formdata=MultiDict({"name": "a\ud800b"}))
        assert not form.validate()
        assert form.name.errors == [
            "Token name contains a character that cannot be used (an unpaired surrogate, U+D800, "
            "at character 2). Remove it and try again."
        ]


def test_loader_names_json_paths_and_keeps_good_text():
    with pytest.raises(InvalidText) as refused:
        jsonio.loads('{"children": [{"name": "ok"}, {"name": "a\\u0000", "x\\ud800": 1}]}')
    paths = [d["path"] for d in refused.value.details]
    assert paths == ["/children/1/name", "/children/1/x\\ud800"]
    assert refused.value.status == 400 and refused.value.code == "invalid_text"
    assert not isinstance(refused.value, ValueError)  # not to be swallowed as "not JSON"
    assert jsonio.loads('["\\ud83d\\ude00", "\\ufffd"]') == ["\U0001f600", "\ufffd"]
    assert json_problems({"a": [1, None, True, 2.5]}) == []


_BAD = st.sampled_from(["\x00", "\ud800", "\udbff", "\udc00", "\udfff"])
_GOOD_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _GOOD_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_GOOD_TEXT, inner, max_size=4),
    max_leaves=12,
)


def _strings(value, parts=()):
    """Yield the path of every string (values and keys) in a JSON value."""
    if isinstance(value, str):
        yield list(parts), False
    elif isinstance(value, dict):
        for key, child in value.items():
            yield [*parts, key], True
            yield from _strings(child, (*parts, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _strings(child, (*parts, i))


def _insert(text, bad, at):
    at %= len(text) + 1
    return text[:at] + bad + text[at:]


def _spoil(value, path, is_key, bad, at):
    """Return the value with a bad character put into the string (or key) at path."""
    if not path:
        return _insert(value, bad, at)
    head, rest = path[0], path[1:]
    if isinstance(value, list):
        return [_spoil(c, rest, is_key, bad, at) if i == head else c for i, c in enumerate(value)]
    if is_key and not rest:
        return {(_insert(k, bad, at) if k == head else k): c for k, c in value.items()}
    return {k: _spoil(c, rest, is_key, bad, at) if k == head else c for k, c in value.items()}


@settings(max_examples=200, deadline=None)
@given(value=_JSON, bad=_BAD, choice=st.integers(0, 1000), at=st.integers(0, 1000))
def test_any_bad_character_anywhere_in_json_is_named(value, bad, choice, at):
    assert jsonio.loads(json.dumps(value)) == value
    places = list(_strings(value))
    if not places:
        return
    path, is_key = places[choice % len(places)]
    spoiled = _spoil(value, path, is_key, bad, at)
    if is_key:
        path = [*path[:-1], _insert(path[-1], bad, at)]
    with pytest.raises(InvalidText) as refused:
        jsonio.loads(json.dumps(spoiled))
    pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)
    assert (
        printable(pointer) in [d["path"] for d in refused.value.details]
        or len(refused.value.details) == 20
    )  # only the first 20 are listed


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=_GOOD_TEXT, bad=_BAD, at=st.integers(0, 100))
def test_the_render_api_never_fails_on_bad_text(client, users, api_headers, name, bad, at):
    spoiled = name[:at] + bad + name[at:]
    body = json.dumps({"children": [{"name": spoiled}], "worker": {"name": "Priya"}})
    response = client.post(
        f"/api/v1/templates/{SLUG}/render",
        data=body,
        content_type="application/json",
        headers=api_headers(users["practitioner"]),
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["details"][0]["path"] == "/children/0/name"
