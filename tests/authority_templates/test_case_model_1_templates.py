"""An authority template published before case model 2 keeps working, and its editors are told
which fields to change."""

import io
import json
from pathlib import Path

from docx import Document
from docx_builder import make_docx

from clearinghouse import storage
from clearinghouse.authority_templates import service
from clearinghouse.extensions import db
from clearinghouse.models import Template, TemplateVersion

LIBRARY = Path(__file__).resolve().parents[2] / "templates_library"
LETTER = "plo-letter-before-proceedings"
V2 = ["Dear {{ recipient.name }}", "About {{ children|map(attribute='name')|join(', ') }}"]
V1 = [
    "{%p for m in family_members %}",
    "{%p if m.has_parental_responsibility %}",
    "Has parental responsibility: {{ m.name }}",
    "{%p endif %}",
    "{%p endfor %}",
    "Legal team: {{ legal.team }}",
]


def _published_v1_template(editor):
    """A template checked and published under case model 1: stored as it was then."""
    template, _ = service.template_upload(
        editor, data=make_docx(V2), filename="l.docx", doc_type=LETTER, title="Old letter",
        visibility="internal", slug=None, change_note=None,
    )  # fmt: skip
    service.template_publish(editor, template.slug, 1)
    stored = db.session.scalar(db.select(Template).where(Template.slug == template.slug))
    data = make_docx(V1)
    version = TemplateVersion(
        template_id=stored.id, number=2, sha256=storage.put_blob(data), filename="old.docx",
        size=len(data), status="published", report={}, uploaded_by_id=editor.id,
    )  # fmt: skip
    db.session.add(version)
    db.session.commit()
    return template


def _case() -> dict:
    case = json.loads((LIBRARY / "schemas" / "sample_case.json").read_text())
    case["document"] = {"date": "2026-10-21", "meeting_id": "M-PPM", "recipient_id": "P3"}
    return case


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_it_renders_with_version_1_data(users, client, api_headers):
    template = _published_v1_template(users["editor"])
    response = client.post(
        f"/api/v1/templates/{template.slug}/render",
        json=_case(),
        headers=api_headers(users["practitioner"]),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    text = _text(response.data)
    assert "Has parental responsibility: Jason Price" in text
    assert "Legal team: Northshire Legal Services" in text


def test_its_editors_see_the_fields_to_change(users, login, api_headers, client):
    template = _published_v1_template(users["editor"])
    page = login(users["editor"]).get(f"/templates/{template.slug}").get_data(as_text=True)
    assert "written for case model 1" in page and "Fields to change" in page
    assert "family_members[].parental_responsibility_for" in page
    listed = client.get(
        f"/api/v1/templates/{template.slug}/versions", headers=api_headers(users["editor"])
    ).get_json()
    fields = {f["field"] for f in listed["case_model_1_fields"]}
    assert fields == {"family_members[].has_parental_responsibility", "legal.team"}


def test_a_new_upload_is_told_the_replacement(users):
    report = service.template_check(
        users["editor"], data=make_docx(V1), filename="t.docx", doc_type=LETTER
    )
    codes = {e["code"] for e in report["errors"]}
    assert codes == {"case_model_1_field"}
    assert any("parental_responsibility_for" in e["message"] for e in report["errors"])
