"""A mapping audit started from the case entered in the journey, carried sealed, never kept."""

import io
import logging
import re
from html import unescape
from pathlib import Path

from audit_cases import REFERENCE, SENTINEL, case_bytes, form_ratings, sample_case, thin_case
from sqlalchemy import select

from clearinghouse.audits.models import MappingAudit
from clearinghouse.extensions import db

STATE = re.compile(r'name="case_state" value="([^"]+)"')


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _entered(client, case=None) -> str:
    """Enter a case in the journey (by its saved file) and return its task list page."""
    page = client.post(
        "/case/upload",
        data={"case_file": (io.BytesIO(case_bytes(case)), "case.json")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 200
    return _text(page)


def _state(page: str) -> str:
    return STATE.search(page).group(1)


def _start_page(client, case=None):
    return client.post("/audits/new/from-case", data={"case_state": _state(_entered(client, case))})


def _start(client, people, state: str, **fields):
    data = {
        "case_state": state,
        "reference": REFERENCE,
        "lead": str(people["lead"].id),
        "worker": str(people["worker"].id),
        **fields,
    }
    return client.post("/audits/new", data={k: v for k, v in data.items() if v is not None})


def test_the_task_list_offers_an_audit_to_those_who_may_start_one(people, login):
    for who in ("lead", "worker"):
        page = _entered(login(people[who]))
        assert page.count("Audit this mapping") == 1
        assert "<title>Your case – " in page
    # An editor enters cases to generate documents but does not audit mappings.
    assert "Audit this mapping" not in _entered(login(people["editor"]))


def test_an_audit_starts_from_the_entered_case_with_its_checks(people, login):
    lead = login(people["lead"])
    offer = _start_page(lead, thin_case())
    page = _text(offer)
    assert offer.status_code == 200
    assert offer.headers["Cache-Control"].startswith("no-store")
    assert "The service checks the case you entered" in page
    assert 'name="case_file"' not in page  # nothing to upload: the case is carried
    assert f'value="{REFERENCE}"' in page  # the case's own reference, for them to confirm
    started = _start(lead, people, _state(page))
    shown = _text(started)
    assert started.status_code == 200
    assert "Mapping audit 1" in shown
    assert "Danger statement 1 has no examples" in shown
    audit = db.session.scalars(select(MappingAudit)).one()
    assert (audit.lead_id, audit.worker_id) == (people["lead"].id, people["worker"].id)
    # The case goes back to the journey as it was, for the worker to carry on.
    back = lead.post("/case/tasks", data={"case_state": _state(shown)})
    assert back.status_code == 200
    assert "Your case" in _text(back)


def test_a_problem_keeps_the_case_carried_and_asks_only_for_what_is_missing(people, login):
    lead = login(people["lead"])
    state = _state(_text(_start_page(lead)))
    missing = _start(lead, people, state, worker="")
    page = _text(missing)
    assert missing.status_code == 422
    assert "There is a problem" in page
    assert 'name="case_file"' not in page
    assert db.session.scalars(select(MappingAudit)).first() is None
    assert _start(lead, people, _state(page)).status_code == 200


def test_an_altered_expired_or_other_persons_case_is_refused_and_upload_offered(people, login):
    lead, other = login(people["lead"]), login(people["other_manager"])
    theirs = _state(_entered(other))
    for sealed in (theirs, theirs[:-4] + "AAAA", "c1" + "A" * 80):
        refused = _start(lead, people, sealed)
        page = _text(refused)
        assert refused.status_code == 400, sealed
        assert "could not be read" in page or "earlier sign-in" in page
        assert 'name="case_file"' in page  # the upload is offered instead
        assert 'name="case_state"' not in page
        assert lead.post("/audits/new/from-case", data={"case_state": sealed}).status_code == 400
    assert db.session.scalars(select(MappingAudit)).first() is None


def test_those_who_may_not_start_audits_cannot_open_the_offer(people, login):
    editor = login(people["editor"])
    state = _state(_entered(editor))
    assert editor.post("/audits/new/from-case", data={"case_state": state}).status_code == 403
    admin = login(people["admin"])
    assert admin.post("/audits/new/from-case", data={"case_state": state}).status_code == 403


def test_checking_the_entered_case_again_on_an_audit(people, login):
    lead = login(people["lead"])
    state = _state(_text(_start_page(lead)))
    _start(lead, people, state)
    audit_id = db.session.scalars(select(MappingAudit.id)).one()
    worker = login(people["worker"])
    mine = _state(_entered(worker, thin_case()))
    checked = worker.post(f"/audits/{audit_id}/check", data={"case_state": mine})
    assert checked.status_code == 200
    assert "Danger statement 1 has no examples" in _text(checked)


def test_nothing_of_the_entered_case_is_kept(app, people, login, caplog):
    caplog.set_level(logging.DEBUG)
    lead = login(people["lead"])
    state = _state(_text(_start_page(lead, sample_case())))
    _start(lead, people, state)
    _start(lead, people, state, worker="")  # a refused start logs nothing of it either
    stored = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            stored += [repr(tuple(row)) for row in connection.execute(select(table))]
    text = "\n".join(stored)
    assert "mapping_audit_started" in text
    files = b"\n".join(p.read_bytes() for p in Path(app.instance_path).rglob("*") if p.is_file())
    for secret in (SENTINEL, REFERENCE, "Danielle"):
        assert secret not in text, secret
        assert secret.encode() not in files, secret
        assert secret not in caplog.text, secret


def test_a_refused_character_beside_the_case_names_a_field_on_the_page(people, login):
    lead = login(people["lead"])
    state = _state(_text(_start_page(lead)))
    refused = _start(lead, people, state + "\x00")
    page = _text(refused)
    assert 400 <= refused.status_code < 500
    assert "The case you entered contains a character that cannot be used" in page
    assert 'href="#case_file"' in page and 'id="case_file"' in page
    # A refused reference beside a case that can no longer be opened: the form, not an error page.
    both = _start(lead, people, "c1" + "A" * 80, reference="NCC\x00")
    assert 400 <= both.status_code < 500
    assert 'id="case_file"' in _text(both) and "govuk-error-summary" in _text(both)
    assert db.session.scalars(select(MappingAudit)).first() is None


def test_the_entered_case_goes_on_through_saving_and_signing_off(people, login):
    lead = login(people["lead"])
    shown = _text(_start(lead, people, _state(_text(_start_page(lead)))))
    audit_id = db.session.scalars(select(MappingAudit.id)).one()
    findings = shown.split('name="findings" value="')[1].split('"')[0]
    data = {**form_ratings(), "scale": "6", "findings": findings, "case_state": _state(shown)}
    saved = lead.post(f"/audits/{audit_id}", data=data)
    assert saved.status_code == 200 and "Ratings saved." in _text(saved)
    assert "Back to your case" in _text(saved)
    problem = lead.post(f"/audits/{audit_id}", data={**data, "scale": "eleven"})
    assert 400 <= problem.status_code < 500
    assert "Back to your case" in _text(problem)
    signed = lead.post(f"/audits/{audit_id}/sign-off", data={"case_state": _state(_text(saved))})
    assert signed.status_code == 200 and "Signed off." in _text(signed)
    back = lead.post("/case/tasks", data={"case_state": _state(_text(signed))})
    assert back.status_code == 200 and "Your case" in _text(back)
