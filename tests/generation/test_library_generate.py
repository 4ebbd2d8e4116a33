"""Every template in the real library renders from its sample through the web form, the API
and the CLI, and the .docx opens with the sample's names, worries and goals in it."""

import json

import pytest
from werkzeug.datastructures import MultiDict

from clearinghouse.generation import library, service
from clearinghouse.generation.schema_form import SchemaForm
from clearinghouse.paths import PROJECT_ROOT

from .helpers import docx_text, form_fields

SLUGS = sorted(
    p.name
    for p in (PROJECT_ROOT / "templates_library").iterdir()
    if p.is_dir() and (p / "meta.json").exists()
)


def _expected(sample: dict, meta: dict | None = None) -> list[str]:
    """Return the sample's names, worries and goals: every one the template's data includes.

    A letter to one person names that person and only their children; Words and Pictures
    names the adults as the children call them."""
    meta = meta or {}
    members = sample.get("family_members", [])
    recipient_id = (sample.get("document") or {}).get("recipient_id")
    if meta.get("recipient") and recipient_id:
        recipient = next(m for m in members if m["id"] == recipient_id)
        kept = set(recipient.get("parental_responsibility_for") or [])
        wanted = [c["name"] for c in sample.get("children", []) if c.get("id") in kept]
        wanted.append(recipient["name"])
    else:
        story = bool(sample.get("words_and_pictures"))
        wanted = [
            (c.get("known_as") or c["name"].split()[0]) if story else c["name"]
            for c in sample.get("children", [])
        ]
        key = "known_to_children_as" if story else "name"
        wanted += [m.get(key) or m["name"] for m in members[:2]]
    if sample.get("authority"):
        wanted.append(sample["authority"]["name"])
    if sample.get("worker"):
        wanted.append(sample["worker"]["name"])
    wanted += [d["worried_about"] for d in sample.get("danger_statements", [])]
    wanted += [g["parents_will"] for g in sample.get("safety_goals", [])]
    return wanted


@pytest.fixture
def real_library(app):
    app.config["CLEARINGHOUSE"]["TEMPLATES_LIBRARY_PATH"] = None
    return app


def test_the_library_has_the_ten_documents():
    assert len(SLUGS) >= 10


@pytest.mark.parametrize("slug", SLUGS)
def test_sample_through_web_api_and_cli(real_library, users, login, api_headers, tmp_path, slug):
    entry = library.entry_get(slug)
    sample = entry.sample
    texts = {}

    client = login(users["practitioner"])
    page = client.get(f"/generate/{slug}?sample=1")
    assert page.status_code == 200
    assert sample.get("authority", {}).get("name", "").replace("'", "&#39;") in page.get_data(
        as_text=True
    )
    form = SchemaForm(library.form_schema(slug), None)
    posted = MultiDict(form_fields(form.fields(sample)))
    assert form.data(posted) == sample  # the form carries the whole sample
    posted["action"] = "preview"
    preview = client.post(f"/generate/{slug}", data=posted)
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    download = client.post(f"/generate/{slug}/download", data={"case_json": json.dumps(sample)})
    assert download.status_code == 200
    texts["web"] = docx_text(download.data)
    # Named by what it is (Words and Pictures is not a safety plan), with no names in it.
    stem = service.DOC_TYPE_LABELS[entry.meta["doc_type"]].lower().replace(" ", "-")
    assert stem.split("-")[0] in download.headers["Content-Disposition"].lower()

    response = client.post(
        f"/api/v1/templates/{slug}/render", json=sample, headers=api_headers(users["practitioner"])
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    texts["api"] = docx_text(response.data)

    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(sample))
    out = tmp_path / "out.docx"
    result = real_library.test_cli_runner().invoke(
        args=["render", slug, str(case_file), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    texts["cli"] = docx_text(out.read_bytes())

    assert texts["web"] == texts["api"] == texts["cli"]
    wanted = _expected(sample, library.library_get().entries[slug].meta)
    assert wanted, "the sample should name someone"
    missing = [w for w in wanted if w not in texts["web"]]
    assert not missing
    assert "None" not in texts["web"].split()
