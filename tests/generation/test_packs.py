"""Packs: one letter per person with parental responsibility, as one zip, on every layer.

Rendered from the real library and the shared sample case, and read back with python-docx: a
letter never holds another recipient's address, a child they do not hold parental
responsibility for, or words the child did not agree they may read.
"""

import io
import json
import zipfile
from pathlib import Path

import pytest
from database_text import database_in_instance_folder, database_text
from docx import Document

from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent

LIBRARY = Path(__file__).resolve().parents[2] / "templates_library"
ADDRESSES = {
    "P1": "14 Willow Close",
    "P3": "7 Station Road",
}
MIAS_WORDS_FOR_HER_MOTHER_ONLY = "nobody shouts"


def _case(**document) -> dict:
    case = json.loads((LIBRARY / "schemas" / "sample_case.json").read_text(encoding="utf-8"))
    case["document"] = {"date": "2026-10-21", "meeting_id": "M-PPM", **document}
    return case


def _text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)


def _files(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: _text(archive.read(name)) for name in archive.namelist()}


@pytest.fixture
def headers(users, api_headers):
    return api_headers(users["practitioner"])


def _render(client, headers, case):
    return client.post("/api/v1/packs/plo-letters/render", json=case, headers=headers)


def test_the_pack_has_one_letter_per_person_with_parental_responsibility(client, headers):
    response = _render(client, headers, _case())
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/zip"
    files = _files(response.data)
    assert sorted(files) == [
        "guidance-to-help-families-understand-plo-MC-LC-2026-10-21.docx",
        "plo-letter-before-proceedings-DC-2026-10-21.docx",
        "plo-letter-before-proceedings-JP-2026-10-21.docx",
        "plo-letter-before-proceedings-RH-2026-10-21.docx",
    ]
    to_ryan = files["plo-letter-before-proceedings-RH-2026-10-21.docx"]
    to_jason = files["plo-letter-before-proceedings-JP-2026-10-21.docx"]
    to_danielle = files["plo-letter-before-proceedings-DC-2026-10-21.docx"]
    assert "Dear Ryan Hughes" in to_ryan and "Dear Jason Price" in to_jason
    # Ryan holds parental responsibility for Leo only; Jason for Mia only.
    assert "Leo" in to_ryan and "Mia Carter" not in to_ryan
    assert "Mia" in to_jason and "Leo Carter" not in to_jason
    assert ADDRESSES["P3"] not in to_ryan and ADDRESSES["P3"] in to_jason
    assert ADDRESSES["P1"] not in to_jason
    # Mia agreed her mother may read these words, and nobody else in the family.
    assert MIAS_WORDS_FOR_HER_MOTHER_ONLY in to_danielle
    assert MIAS_WORDS_FOR_HER_MOTHER_ONLY not in to_ryan + to_jason


def test_a_withheld_address_is_in_no_letter(client, headers):
    case = _case()
    case["family_members"][0]["address"] = "Flat 9, Refuge House, Safetown"  # she has moved
    case["family_members"][0]["address_withheld"] = True
    files = _files(_render(client, headers, case).data)
    assert len(files) == 4
    assert all("Refuge House" not in text for text in files.values())


def test_two_recipients_with_the_same_initials_get_numbered_files(client, headers):
    case = _case()
    case["family_members"][1]["name"] = "Dean Cole"  # Ryan renamed: DC like Danielle
    names = sorted(_files(_render(client, headers, case).data))
    assert "plo-letter-before-proceedings-DC-2026-10-21.docx" in names
    assert "plo-letter-before-proceedings-DC-2026-10-21-2.docx" in names


def test_nobody_with_parental_responsibility_is_a_clear_422(client, headers):
    case = _case()
    for member in case["family_members"]:
        member["parental_responsibility_for"] = []
    response = _render(client, headers, case)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "recipient_required"
    assert "parental responsibility" in error["message"]


def test_a_version_1_case_is_converted_and_chooses_nobody(client, headers):
    v1 = json.loads((Path(__file__).parent / "data" / "sample_case_v1.json").read_text())
    response = _render(client, headers, v1)
    assert response.status_code == 422  # parental responsibility for no child until chosen
    assert response.get_json()["error"]["code"] == "recipient_required"


def test_warnings_name_their_file_and_the_json_answer_lists_documents(client, headers):
    response = client.post(
        "/api/v1/packs/plo-letters/render?warnings=1", json=_case(), headers=headers
    )
    body = response.get_json()
    assert [d["filename"] for d in body["documents"]][0].startswith("plo-letter")
    interpreter = [w for w in body["warnings"] if w["code"] == "interpreter_needed"]
    assert [w["document"] for w in interpreter] == [
        "plo-letter-before-proceedings-JP-2026-10-21.docx"
    ]
    assert zipfile.ZipFile(io.BytesIO(__import__("base64").b64decode(body["document"])))


def test_packs_are_listed_and_an_unknown_pack_is_404(client, headers):
    listed = client.get("/api/v1/packs", headers=headers).get_json()["packs"]
    assert [p["slug"] for p in listed] == ["plo-letters"]
    response = client.post("/api/v1/packs/nope/render", json=_case(), headers=headers)
    assert response.status_code == 404


def test_the_web_page_renders_the_pack_from_an_uploaded_case_file(users, login):
    client = login(users["practitioner"])
    page = client.get("/generate/packs/plo-letters")
    assert page.status_code == 200 and "Generate the pack" in page.get_data(as_text=True)
    upload = {"case_file": (io.BytesIO(json.dumps(_case()).encode()), "case.json")}
    response = client.post("/generate/packs/plo-letters", data=upload)
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("no-store")
    assert len(_files(response.data)) == 4
    bad = {"case_file": (io.BytesIO(b"{not json"), "case.json")}
    response = client.post("/generate/packs/plo-letters", data=bad)
    assert response.status_code == 400
    assert "not valid JSON" in response.get_data(as_text=True)


def test_one_commit_audits_every_document_and_the_pack(client, headers):
    _render(client, headers, _case())
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent))]
    assert actions.count("document_generated") == 4
    assert actions.count("pack_generated") == 1


def test_the_cli_writes_the_zip(app, tmp_path):
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(_case()))
    out = tmp_path / "letters.zip"
    result = app.test_cli_runner().invoke(
        args=["render-pack", "plo-letters", str(case_file), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(_files(out.read_bytes())) == 4
    assert "with 4 documents" in result.output


def test_a_pack_stores_and_logs_no_case_data(app, client, users, headers, caplog, tmp_path):
    sentinel = "Qv8PackSentinel2Lm"
    email = users["practitioner"].email  # read back from the database at the end
    case = _case()
    case["danger_statements"][0]["worried_about"] = f"Worry {sentinel} about shouting at home."
    caplog.set_level("DEBUG")
    response = _render(client, headers, case)
    assert any(sentinel in text for text in _files(response.data).values())
    bad = _case()
    bad["children"][0]["date_of_birth"] = sentinel
    refused = _render(client, headers, bad)
    assert refused.status_code == 422 and sentinel not in refused.get_data(as_text=True)
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(case))
    result = app.test_cli_runner().invoke(
        args=["render-pack", "plo-letters", str(case_file), "-o", str(tmp_path / "out.zip")]
    )
    assert result.exit_code == 0 and sentinel not in result.output
    db.session.commit()
    db.session.remove()
    db.engine.dispose()
    stored = [p for p in Path(app.instance_path).rglob("*") if p.is_file()]
    # On SQLite the database is one of the files scanned; on PostgreSQL its rows are read back.
    assert stored or not database_in_instance_folder(db.engine)
    assert [p for p in stored if sentinel.encode() in p.read_bytes()] == []
    rows = database_text(db.engine)
    assert email in rows and sentinel not in rows
    assert sentinel not in caplog.text


def test_one_letter_without_a_recipient_asks_who_it_is_to(users, login):
    client = login(users["practitioner"])
    case = _case()
    case["document"].pop("recipient_id", None)
    upload = {"action": "upload", "case_file": (io.BytesIO(json.dumps(case).encode()), "c.json")}
    page = client.post("/generate/plo-letter-before-proceedings", data=upload)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "Choose who this letter is to" in html
    assert 'href="#document-recipient_id"' in html
