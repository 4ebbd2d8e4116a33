"""Authorities' templates through the service: each check, versions, publication, choice."""

from pathlib import Path

import pytest
from docx_builder import make_docx
from factories import make_template

from clearinghouse.authority_templates import service
from clearinghouse.errors import InvalidInput, NotAuthorized, NotFound
from clearinghouse.extensions import db
from clearinghouse.generation import sources
from clearinghouse.models import Template, TemplateVersion
from clearinghouse.permissions import SYSTEM

GOOD = [
    "Dear family of {% for c in children %}{{ c.name }}{% if not loop.last %}, "
    "{% endif %}{% endfor %}",
    "{%p for d in danger_statements %}",
    "We are worried that {{ d.worried_about }}",
    "{%p endfor %}",
]


def good_template(**parts) -> bytes:
    return make_docx(GOOD, header="Northshire letterhead", **parts)


def upload(user, data=None, **fields):
    """Upload a new template (by default the good one) through the factory."""
    return make_template(user, data or good_template(), **fields)


def check(user, data):
    return service.template_check(user, data=data, filename="t.docx", doc_type="test-letter")


def codes(report) -> list[str]:
    return [e["code"] for e in report["errors"]]


def test_good_template_passes_with_information_and_a_preview(gen_app, users):
    report = check(users["editor"], good_template())
    assert report["errors"] == []
    assert not report["has_errors"]
    unused = {i["message"].split("'")[1] for i in report["info"]}
    assert unused == {
        "document", "meetings", "safety_goals", "scales", "next_steps", "child_voice"
    }  # fmt: skip
    assert set(report["variables"]) == {"children", "danger_statements"}
    assert "Dear family of Amara Okafor" in report["preview_html"]
    assert "Adults shouting" in report["preview_html"]
    assert "Northshire letterhead" in report["preview_html"]


def test_syntax_error_is_reported_with_the_paragraph(gen_app, users):
    data = make_docx(["Fine", "Dear {% if children %}someone", "More"])
    report = check(users["editor"], data)
    assert codes(report) == ["syntax_error"]
    assert report["errors"][0]["context"] == "Dear {% if children %}someone"
    assert report["errors"][0]["part"] == "word/document.xml"
    assert report["preview_html"] is None
    assert report["fields_checked"] is False


def test_syntax_error_in_a_footer_names_the_part(gen_app, users):
    report = check(users["editor"], make_docx(["Fine"], footer="Page {{ x"))
    assert codes(report) == ["syntax_error"]
    assert report["errors"][0]["part"] == "word/footer1.xml"
    assert "a footer" in report["errors"][0]["message"]


def test_variables_the_schema_does_not_define_are_errors(gen_app, users):
    data = make_docx(
        [
            "{{ parent_name }}",
            "{% for c in children %}{{ c.name }} {{ c.nickname }}{% endfor %}",
            "{{ meeting.date }} {{ meeting.room_number }}",
            "{% for d in danger_statements %}{% for e in d.examples %}{{ e }}{% endfor %}"
            "{% endfor %}",
        ]
    )
    report = check(users["editor"], data)
    assert codes(report) == ["unknown_field"] * 3
    fields = sorted(e["message"].split("'")[1] for e in report["errors"])
    assert fields == ["children.nickname", "meeting.room_number", "parent_name"]
    contexts = {e["message"].split("'")[1]: e["context"] for e in report["errors"]}
    assert contexts["meeting.room_number"] == "{{ meeting.date }} {{ meeting.room_number }}"


def test_variables_in_headers_and_properties_are_checked_too(gen_app, users):
    report = check(users["editor"], make_docx(GOOD, header="{{ letterhead }}", title="{{ t }}"))
    fields = sorted(e["message"].split("'")[1] for e in report["errors"])
    assert fields == ["letterhead", "t"]


@pytest.mark.parametrize(
    "text",
    [
        "{{ children.__class__ }}",
        "{% include 'x' %}",
        "{{ config }}",
        "{{ cycler }}",
        "{{ x|safe }}",
    ],
)
def test_forbidden_constructs_are_errors(gen_app, users, text):
    report = check(users["editor"], make_docx(["Hello", f"Bad {text}"]))
    assert report["errors"]
    assert report["errors"][0]["code"] in ("forbidden", "syntax_error")
    assert report["errors"][0]["context"] == f"Bad {text}" or "safe" in text


def test_a_failing_test_render_is_an_error(gen_app, users):
    report = check(users["editor"], make_docx(["{{ children.pop() }}"]))
    assert codes(report) == ["render_failed"]
    assert "{{ children.pop() }}" in report["errors"][0]["context"]


def test_only_docx_files_are_templates(gen_app, users):
    with pytest.raises(InvalidInput) as caught:
        service.template_check(
            users["editor"], data=b"# Hi\n", filename="t.md", doc_type="test-letter"
        )
    assert caught.value.code == "unsupported_type"
    with pytest.raises(InvalidInput) as caught:
        service.template_check(
            users["editor"], data=b"not a zip", filename="t.docx", doc_type="test-letter"
        )
    assert caught.value.code == "not_docx"
    with pytest.raises(InvalidInput) as caught:
        check(users["editor"], b"x") if False else service.template_check(
            users["editor"], data=good_template(), filename="t.docx", doc_type="nope"
        )
    assert caught.value.code == "invalid_doc_type"


def test_upload_versions_are_immutable_and_numbered(gen_app, users):
    editor = users["editor"]
    template, first = upload(editor)
    assert (first.number, first.status, first.change_note) == (1, "draft", "First version")
    with pytest.raises(InvalidInput) as caught:
        service.template_upload(editor, slug=template.slug, data=good_template(), filename="a.docx")
    assert caught.value.code == "change_note_required"
    _, second = service.template_upload(
        editor,
        slug=template.slug,
        data=make_docx(["{{ bad"]),
        filename="b.docx",
        change_note="Broke it",
    )
    assert second.number == 2 and second.report["errors"]
    stored = db.session.scalars(select_versions(template.slug)).all()
    assert [(v.number, v.filename) for v in stored] == [(1, "letter.docx"), (2, "b.docx")]


def select_versions(slug):
    from sqlalchemy import select

    return (
        select(TemplateVersion)
        .join(Template)
        .where(Template.slug == slug)
        .order_by(TemplateVersion.number)
    )


def test_publication_rules(gen_app, users):
    editor = users["editor"]
    template, bad = upload(editor, data=make_docx(["{{ parent_name }}"]))
    with pytest.raises(InvalidInput) as caught:
        service.template_publish(editor, template.slug, 1)
    assert caught.value.code == "template_has_errors"
    assert "parent_name" in caught.value.details[0]["message"]
    _, good = service.template_upload(
        editor, slug=template.slug, data=good_template(), filename="g.docx", change_note="Fixed"
    )
    # nothing published yet: practitioners and other authorities do not know it exists
    for user in ("practitioner", "south_editor"):
        with pytest.raises(NotFound):
            service.template_publish(users[user], template.slug, 2)
    assert service.template_publish(editor, template.slug, 2).status == "published"
    with pytest.raises(NotAuthorized):
        service.template_publish(users["practitioner"], template.slug, 1)
    info = service.template_get(users["practitioner"], template.slug)
    assert [v.number for v in info.versions] == [2]  # practitioners see published ones only
    assert [v.number for v in service.template_get(editor, template.slug).versions] == [1, 2]


def test_practitioners_see_only_published_and_others_only_shared(gen_app, users):
    editor = users["editor"]
    shared, _ = upload(editor, title="Shared letter", visibility="shared")
    internal, _ = upload(editor, title="Internal letter", visibility="internal")
    # drafts: only the owning editors
    for user in ("practitioner", "south_editor", "south_practitioner"):
        with pytest.raises(NotFound):
            service.template_get(users[user], shared.slug)
    assert {s.slug for s in sources.sources_list(editor)} >= {shared.slug, internal.slug}
    assert shared.slug not in {s.slug for s in sources.sources_list(users["practitioner"])}
    service.template_publish(editor, shared.slug, 1)
    service.template_publish(editor, internal.slug, 1)
    own = {s.slug for s in sources.sources_list(users["practitioner"])}
    other = {s.slug for s in sources.sources_list(users["south_practitioner"])}
    assert {shared.slug, internal.slug} <= own
    assert shared.slug in other and internal.slug not in other
    with pytest.raises(NotFound):
        service.template_get(users["south_practitioner"], internal.slug)
    with pytest.raises(NotFound):
        sources.source_get(users["south_practitioner"], internal.slug)
    source = sources.source_get(users["south_practitioner"], shared.slug)
    assert (source.source, source.authority, source.library_slug) == (
        "authority",
        "north",
        "test-letter",
    )


def test_only_editors_upload_for_their_own_authority(gen_app, users):
    for user in ("practitioner", "manager", "admin"):
        with pytest.raises(NotAuthorized):
            upload(users[user])
    template, _ = upload(users["editor"])
    with pytest.raises(NotFound):
        service.template_upload(
            users["south_editor"],
            slug=template.slug,
            data=good_template(),
            filename="x.docx",
            change_note="Mine now",
        )


def test_choice_is_remembered_per_user(gen_app, users):
    editor, practitioner = users["editor"], users["practitioner"]
    own, _ = upload(editor, title="North letter", visibility="internal")
    south, _ = upload(users["south_editor"], title="South letter", visibility="shared")
    hidden, _ = upload(users["south_editor"], title="South internal", visibility="internal")
    for slug, user in ((own.slug, editor), (south.slug, users["south_editor"])):
        service.template_publish(user, slug, 1)
    service.template_publish(users["south_editor"], hidden.slug, 1)
    options = service.template_options(practitioner, "test-letter")
    assert [(o["choice"], o["source"]) for o in options] == [
        ("library", "library"),
        (own.slug, "own"),
        (south.slug, "shared"),
    ]
    assert service.template_choice_get(practitioner, "test-letter") == "library"
    service.template_choice_set(practitioner, "test-letter", south.slug)
    assert service.template_choice_get(practitioner, "test-letter") == south.slug
    assert service.template_chosen_slug(practitioner, "test-letter") == south.slug
    assert service.template_choice_get(users["manager"], "test-letter") == "library"
    with pytest.raises(InvalidInput):
        service.template_choice_set(practitioner, "test-letter", hidden.slug)
    service.template_choice_set(practitioner, "test-letter", "library")
    assert service.template_chosen_slug(practitioner, "test-letter") == "test-letter"


def test_recheck_updates_the_report(gen_app, users):
    template, first = upload(users["editor"])
    version = service.template_recheck(users["editor"], template.slug, 1)
    assert version.report["errors"] == []
    assert version.report["checked_at"] >= first.report["checked_at"]


def test_field_checks_follow_loop_and_set_scopes(gen_app, users):
    data = make_docx(
        [
            "{% for x in children %}{{ x.name }}{% endfor %}",
            "{% for x in danger_statements %}{{ x.worried_about }} {{ x.name }}{% endfor %}",
            "{% set m = meeting or dict() %}{{ m.date }} {{ m.nope }}",
            "{% for x in [1, 2] %}{{ x.anything }}{% endfor %}",
            "{% macro show(x) %}{{ x.whatever }}{% endmacro %}{{ show(children) }}",
        ]
    )
    report = check(users["editor"], data)
    fields = sorted(e["message"].split("'")[1] for e in report["errors"])
    assert fields == ["danger_statements.name", "meeting.nope"]


LIBRARY = Path(__file__).resolve().parents[2] / "templates_library"
LIBRARY_SLUGS = (
    sorted(p.name for p in LIBRARY.iterdir() if (p / "template.docx").exists())
    if LIBRARY.exists()
    else []
)


@pytest.mark.parametrize("slug", LIBRARY_SLUGS)
def test_every_library_template_passes_the_check_for_its_own_type(app, slug):
    data = (LIBRARY / slug / "template.docx").read_bytes()
    report = service.template_check(SYSTEM, data=data, filename="template.docx", doc_type=slug)
    assert report["errors"] == []
    assert report["preview_html"]


def test_generate_page_links_to_the_remembered_choice(gen_app, users, login):
    practitioner = users["practitioner"]
    south, _ = upload(users["south_editor"], title="South letter", visibility="shared")
    service.template_publish(users["south_editor"], south.slug, 1)
    client = login(practitioner)
    page = client.get("/generate").get_data(as_text=True)
    assert 'href="/case?for=template:test-letter"' in page  # the case journey, for it
    assert "Uses your chosen template" not in page
    service.template_choice_set(practitioner, "test-letter", south.slug)
    page = client.get("/generate").get_data(as_text=True)
    assert f'href="/case?for=template:{south.slug}"' in page
    assert f'href="/generate/{south.slug}?sample=1"' in page  # tried with sample data
    assert "Uses your chosen template: South letter" in page
