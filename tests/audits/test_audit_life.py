"""A mapping audit's life on the pages: start from a case file, agree, both sign, fixed, review."""

import io
from html import unescape

from audit_cases import REFERENCE, form_ratings, start_audit, thin_case
from docx import Document

from clearinghouse.audits.models import MappingAudit
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent


def _start(client, people, case=None, **extra):
    return start_audit(client, people, case, **extra)


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _only_audit() -> MappingAudit:
    return db.session.scalars(db.select(MappingAudit)).one()


def test_an_audit_starts_from_a_case_file_with_the_checks_shown(people, login):
    client = login(people["lead"])
    page = _text(_start(client, people, thin_case()))
    assert "Mapping audit 1" in page
    assert "The service's check suggests: Not met" in page
    assert "Danger statement 1 has no examples" in page
    audit = _only_audit()
    assert (audit.lead_id, audit.worker_id, audit.scale) == (
        people["lead"].id,
        people["worker"].id,
        None,
    )
    # Saving carries the checks on (signed, in the page) without storing them.
    data = {**form_ratings(), "scale": "6"}
    data["findings"] = page.split('name="findings" value="')[1].split('"')[0]
    saved = _text(client.post(f"/audits/{audit.id}", data=data))
    assert "Danger statement 1 has no examples" in saved
    assert "Ratings saved." in saved
    # Opening the audit again shows no checks: they were never kept.
    assert "Danger statement 1 has no examples" not in _text(client.get(f"/audits/{audit.id}"))


def test_agree_sign_off_by_both_then_it_cannot_change(people, login):
    lead, worker = login(people["lead"]), login(people["worker"])
    _start(lead, people)
    audit_id = _only_audit().id
    early = worker.post(f"/audits/{audit_id}/sign-off")
    assert early.status_code == 409
    assert "Rate every element and the scale before signing off" in _text(early)
    assert (
        worker.post(
            f"/audits/{audit_id}", data={**form_ratings("partly"), "scale": "5"}
        ).status_code
        == 302
    )
    assert lead.post(f"/audits/{audit_id}/sign-off").status_code == 302
    # A change after one sign-off withdraws it: the lead must sign what was changed.
    worker.post(f"/audits/{audit_id}", data={**form_ratings("partly"), "scale": "6"})
    assert _only_audit().lead_signed_at is None
    assert lead.post(f"/audits/{audit_id}/sign-off").status_code == 302
    assert worker.post(f"/audits/{audit_id}/sign-off").status_code == 302
    audit = _only_audit()
    assert audit.completed_at is not None and audit.scale == 6
    page = _text(worker.get(f"/audits/{audit_id}"))
    assert "Signed off" in page and "Start a new audit for a later review" in page
    refused = lead.post(f"/audits/{audit_id}", data={**form_ratings("met"), "scale": "9"})
    assert refused.status_code == 409
    assert "can no longer change. Start a new audit for a later review" in _text(refused)
    assert lead.post(f"/audits/{audit_id}/sign-off").status_code == 409
    assert {r.rating for r in _only_audit().ratings} == {"partly"}
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("mapping_audit_signed_off") == 3
    assert "mapping_audit_started" in actions


def test_a_later_review_is_a_new_audit_linked_to_the_earlier(people, login):
    lead, worker = login(people["lead"]), login(people["worker"])
    _start(lead, people)
    first = _only_audit().id
    not_yet = _start(lead, people, after=str(first))
    assert not_yet.status_code == 409
    worker.post(f"/audits/{first}", data={**form_ratings(), "scale": "7"})
    lead.post(f"/audits/{first}/sign-off")
    worker.post(f"/audits/{first}/sign-off")
    assert "Start a later review" in _text(worker.get(f"/audits/new?after={first}"))
    response = _start(worker, people, after=str(first), reference="")
    assert response.status_code == 200, _text(response)
    later = db.session.scalars(db.select(MappingAudit).where(MappingAudit.id != first)).one()
    earlier = db.session.get(MappingAudit, first)
    assert later.previous_id == first and later.case_key == earlier.case_key
    assert f"/audits/{later.id}" in _text(lead.get(f"/audits/{first}"))
    found = _text(lead.post("/audits", data={"reference": "ncc/cs/48213"}))
    assert f"Audit {first}" in found and f"Audit {later.id}" in found


def test_the_next_steps_are_a_word_document_not_kept(people, login):
    client = login(people["worker"])
    _start(login(people["lead"]), people)
    audit_id = _only_audit().id
    client.post(f"/audits/{audit_id}", data={**form_ratings(), "scale": "4"})
    steps = "Ask Mia about school with her teacher\nVisit the family with the network"
    response = client.post(
        f"/audits/{audit_id}/next-steps", data={"next_steps": steps, "reference": REFERENCE}
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert "Ask Mia about school with her teacher" in text and REFERENCE in text
    assert "Agreed score: 4" in text
    wrong = client.post(
        f"/audits/{audit_id}/next-steps", data={"next_steps": steps, "reference": "OTHER/1"}
    )
    assert wrong.status_code == 422
    assert "not the reference of the case this audit is about" in _text(wrong)
    empty = client.post(f"/audits/{audit_id}/next-steps", data={"next_steps": "  "})
    assert empty.status_code == 422 and "Enter the worker's next steps" in _text(empty)


def test_each_participant_s_team_is_kept_as_it_was_then(people, login, client, api_headers):
    from clearinghouse.teams.service import team_create, user_set_team

    lead, worker = people["lead"], people["worker"]
    family = team_create(lead, lead.authority_id, "Family support")
    court = team_create(lead, lead.authority_id, "Court team")
    user_set_team(lead, worker.id, family.id)
    user_set_team(lead, lead.id, court.id)
    _start(login(lead), people)
    audit = _only_audit()
    assert (audit.lead_team_id, audit.worker_team_id) == (court.id, family.id)
    user_set_team(lead, worker.id, court.id)  # moving team later leaves the audit as it was
    body = client.get(f"/api/v1/audits/{audit.id}", headers=api_headers(lead)).get_json()
    assert body["worker"]["team"] == "Family support" and body["lead"]["team"] == "Court team"
    assert "(Family support)" in _text(login(worker).get(f"/audits/{audit.id}"))
