"""API: documents and packs as PDF (?format=pdf) and PDF/A-2b (&pdfa=1), read back with
pdfplumber, pikepdf and pdffonts; the formats refused; what the audit log keeps; and the 503s
when LibreOffice is missing or every converter is busy.

The tests that change the converters' settings come last: a change restarts this process's
converters, and the teardown stops the changed ones.
"""

import base64
import hashlib
import json

import pytest

from clearinghouse import pdf
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent

from .pdf_tools import need_libreoffice
from .routes_support import (
    LETTER,
    PACK,
    REPORT,
    fonts,
    is_tagged,
    pdf_text,
    pdfa_identification,
    shared_case,
    words,
    zip_files,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MISSING = "/nonexistent/soffice"


@pytest.fixture
def headers(users, api_headers):
    return api_headers(users["practitioner"])


def _sample(client, headers, slug: str) -> dict:
    response = client.get(f"/api/v1/templates/{slug}/sample", headers=headers)
    assert response.status_code == 200
    return response.get_json()


def _render(client, headers, slug: str, query: str, case: dict | None = None):
    body = case if case is not None else _sample(client, headers, slug)
    return client.post(f"/api/v1/templates/{slug}/render?{query}", json=body, headers=headers)


def _pack(client, headers, query: str, case: dict | None = None):
    body = case if case is not None else shared_case()
    return client.post(f"/api/v1/packs/{PACK}/render?{query}", json=body, headers=headers)


def _facts(sample: dict) -> list[str]:
    """Return what any document made from the sample must say: a child, the authority, a worry."""
    return [
        sample["children"][0]["name"],
        sample["authority"]["name"],
        words(sample["danger_statements"][0]["worried_about"]),
    ]


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


def _error(response) -> dict:
    return response.get_json()["error"]


def _assert_a_pdf_attachment(response) -> None:
    """The answer is a PDF to save, kept by no cache, with the sha256 of what was sent."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith('.pdf"'), disposition
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(response.data).hexdigest()


@pytest.mark.parametrize("slug", [LETTER, REPORT])
def test_a_template_comes_as_a_tagged_pdf_and_on_request_as_pdfa_2b(client, headers, slug):
    need_libreoffice()
    sample = _sample(client, headers, slug)
    plain = _render(client, headers, slug, "format=pdf", sample)
    archival = _render(client, headers, slug, "format=pdf&pdfa=1", sample)
    for response in (plain, archival):
        _assert_a_pdf_attachment(response)
        text = pdf_text(response.data)
        assert [fact for fact in _facts(sample) if fact not in text] == [], text[:2000]
        assert is_tagged(response.data)  # for screen readers
    assert pdfa_identification(plain.data) == (None, None)  # PDF/A only when asked
    assert pdfa_identification(archival.data) == ("2", "B")
    listed = fonts(archival.data)
    assert listed, "pdffonts lists no font: the text would not show"
    assert [f["name"] for f in listed if f["emb"] != "yes"] == []


def test_warnings_with_a_pdf_answer_json_holding_the_pdf_in_base64(client, headers):
    need_libreoffice()
    sample = _sample(client, headers, REPORT)
    response = _render(client, headers, REPORT, "format=pdf&warnings=1", sample)
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    document = base64.b64decode(body["document"], validate=True)
    assert body["encoding"] == "base64" and body["media_type"] == "application/pdf"
    assert body["filename"].endswith(".pdf")
    assert body["sha256"] == hashlib.sha256(document).hexdigest()
    assert response.headers["X-Content-SHA256"] == body["sha256"]
    assert isinstance(body["warnings"], list)
    assert sample["children"][0]["name"] in pdf_text(document)


@pytest.mark.parametrize(
    "query",
    ["format=rtf", "format=docx&pdfa=1", "pdfa=1", "format=html&pdfa=1", "format=pdf&pdfa=maybe"],
)
def test_formats_that_do_not_go_together_are_400_invalid_format(client, headers, query):
    for response in (
        _render(client, headers, LETTER, query),
        _pack(client, headers, query),
    ):
        assert response.status_code == 400, (query, response.request.path)
        assert _error(response)["code"] == "invalid_format"
        assert isinstance(_error(response)["details"], list)  # the Error schema's shape
    assert _events("document_generated") == [] and _events("pack_generated") == []


def test_a_pack_is_never_html(client, headers):
    response = _pack(client, headers, "format=html")
    assert response.status_code == 400
    assert _error(response)["code"] == "invalid_format"
    assert "docx or pdf" in _error(response)["message"]


def test_openapi_describes_pdf_and_its_503s_on_both_render_paths(client, headers):
    paths = client.get("/api/v1/openapi.json", headers=headers).get_json()["paths"]
    for path in ("/templates/{slug}/render", "/packs/{pack}/render"):
        post = paths[path]["post"]
        parameters = {p["name"]: p for p in post["parameters"]}
        assert "pdf" in parameters["format"]["schema"]["enum"], path
        assert parameters["pdfa"]["schema"]["enum"] == ["0", "1"], path
        busy = set(post["responses"]["503"]["description"].split())
        assert {"pdf_unavailable", "pdf_busy"} <= busy, path
    answers = paths["/templates/{slug}/render"]["post"]["responses"]["200"]["content"]
    assert "application/pdf" in answers


def test_the_audit_log_keeps_the_format_and_the_pdfs_hash_but_no_case_data(client, headers):
    need_libreoffice()
    sample = _sample(client, headers, LETTER)
    made = {
        query: _render(client, headers, LETTER, query, sample)
        for query in ("format=pdf", "format=pdf&pdfa=1", "format=docx")
    }
    assert all(r.status_code == 200 for r in made.values())
    events = {e.detail["output_sha256"]: e.detail for e in _events("document_generated")}
    assert len(events) == 3
    plain = events[made["format=pdf"].headers["X-Content-SHA256"]]
    archival = events[made["format=pdf&pdfa=1"].headers["X-Content-SHA256"]]
    word = events[made["format=docx"].headers["X-Content-SHA256"]]
    assert (plain["format"], plain["pdfa"]) == ("pdf", False)
    assert (archival["format"], archival["pdfa"]) == ("pdf", True)
    assert word["format"] == "docx" and "pdfa" not in word
    assert plain["template"] == LETTER
    recorded = json.dumps([plain, archival, word], ensure_ascii=False)
    case_words = [
        *(c["name"] for c in sample["children"]),
        *(m["name"] for m in sample["family_members"]),
        *(m.get("address", "") for m in sample["family_members"] if m.get("address")),
        sample["danger_statements"][0]["worried_about"],
        sample["document"]["reference"],
    ]
    assert [w for w in case_words if w in recorded] == []


def test_a_pack_as_pdf_is_a_zip_of_pdfs_each_only_for_its_reader(client, headers):
    need_libreoffice()
    response = _pack(client, headers, "format=pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].endswith('.zip"')
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(response.data).hexdigest()
    files = zip_files(response.data)
    assert sorted(files) == [
        "guidance-to-help-families-understand-plo-MC-LC-2026-10-21.pdf",
        "plo-letter-before-proceedings-DC-2026-10-21.pdf",
        "plo-letter-before-proceedings-JP-2026-10-21.pdf",
        "plo-letter-before-proceedings-RH-2026-10-21.pdf",
    ]
    assert all(data.startswith(b"%PDF-") for data in files.values())
    texts = {name: pdf_text(data) for name, data in files.items()}
    to_ryan = texts["plo-letter-before-proceedings-RH-2026-10-21.pdf"]
    to_jason = texts["plo-letter-before-proceedings-JP-2026-10-21.pdf"]
    assert "Dear Ryan Hughes" in to_ryan and "Dear Jason Price" in to_jason
    assert "7 Station Road" in to_jason and "7 Station Road" not in to_ryan  # Jason's address
    assert "Mia Carter" not in to_ryan  # Ryan holds parental responsibility for Leo only
    (event,) = _events("pack_generated")
    assert (event.detail["format"], event.detail["pdfa"]) == ("pdf", False)
    assert event.detail["output_sha256"] == response.headers["X-Content-SHA256"]
    assert sorted(d["sha256"] for d in event.detail["documents"]) == sorted(
        hashlib.sha256(data).hexdigest() for data in files.values()
    )


@pytest.mark.app_settings(PDF_SOFFICE=MISSING)
def test_without_libreoffice_pdf_is_503_pdf_unavailable_and_docx_still_works(client, headers):
    for response in (
        _render(client, headers, LETTER, "format=pdf"),
        _render(client, headers, REPORT, "format=pdf&pdfa=1"),
        _pack(client, headers, "format=pdf"),
    ):
        assert response.status_code == 503, response.request.path
        assert _error(response)["code"] == "pdf_unavailable"
        assert "libreoffice" in _error(response)["message"].lower()
        assert int(response.headers["Retry-After"]) > 0
    assert _events("document_generated") == [] and _events("pack_generated") == []
    word = _render(client, headers, LETTER, "format=docx")
    assert word.status_code == 200 and word.mimetype == DOCX
    assert _pack(client, headers, "format=docx").status_code == 200


@pytest.fixture
def own_converters():
    """Stop, after the test, the converters its changed settings started."""
    yield
    pdf.shutdown()


@pytest.mark.app_settings(PDF_CONVERTERS=1, PDF_QUEUE=0)
def test_when_every_converter_is_taken_pdf_is_503_pdf_busy_then_works(
    app, client, headers, own_converters
):
    need_libreoffice()
    pool = pdf._pool(pdf.PdfSettings.from_settings(app.config["CLEARINGHOUSE"]))
    assert (pool.settings.converters, pool.settings.queue) == (1, 0)
    assert pool.admitted.acquire(timeout=30)  # the one place in the queue is ours
    try:
        for response in (
            _render(client, headers, LETTER, "format=pdf"),
            _pack(client, headers, "format=pdf"),
        ):
            assert response.status_code == 503, response.request.path
            assert _error(response)["code"] == "pdf_busy"
            assert int(response.headers["Retry-After"]) > 0
        assert _render(client, headers, LETTER, "format=docx").status_code == 200
    finally:
        pool.admitted.release()
    response = _render(client, headers, LETTER, "format=pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert "Mia Carter" in pdf_text(response.data)
    assert pdf._POOL is pool  # the answer came from the pool that was busy
