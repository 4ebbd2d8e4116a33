"""Nothing of the case is kept: no case words, no family's names, no readable case reference.

The reference is kept only as an HMAC under a key outside the database, so typing it finds the
audits again while a copy of the database cannot tell which case they were about.
"""

import io
import logging
from pathlib import Path

from audit_cases import (
    REFERENCE,
    SENTINEL,
    case_bytes,
    every_rating,
    form_ratings,
    sample_case,
    start_audit,
)
from sqlalchemy import select

from clearinghouse.audits import reference
from clearinghouse.audits.models import MappingAudit
from clearinghouse.extensions import db

SECRETS = (SENTINEL, REFERENCE, REFERENCE.replace("/", ""), "Danielle", "Carter")


def _database_text() -> str:
    """Return every row of every table as text (on SQLite and PostgreSQL alike)."""
    parts = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(select(table)):
                parts.append(repr(tuple(row)))
    return "\n".join(parts)


def _files_text(folder: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def _whole_life(app, login, client, api_headers, people) -> int:
    lead, worker = login(people["lead"]), login(people["worker"])
    start_audit(lead, people)
    audit_id = db.session.scalars(select(MappingAudit.id)).one()
    worker.post(
        f"/audits/{audit_id}/check",
        data={"case_file": (io.BytesIO(case_bytes()), "case.json")},
        content_type="multipart/form-data",
    )
    worker.post(f"/audits/{audit_id}", data={**form_ratings("partly"), "scale": "3"})
    lead.post(f"/audits/{audit_id}/sign-off")
    worker.post(f"/audits/{audit_id}/sign-off")
    worker.post(
        f"/audits/{audit_id}/next-steps",
        data={"next_steps": f"Talk with {SENTINEL}", "reference": REFERENCE},
    )
    client.post(
        "/api/v1/audits",
        json={
            "case": sample_case(),
            "previous_id": audit_id,
            "lead_id": people["lead"].id,
            "worker_id": people["worker"].id,
        },
        headers=api_headers(people["lead"]),
    )
    client.patch(
        f"/api/v1/audits/{audit_id + 1}",
        json={"ratings": every_rating()},
        headers=api_headers(people["worker"]),
    )
    return audit_id


def test_nothing_of_the_case_reaches_the_database_the_folder_or_the_logs(
    app, login, client, api_headers, people, caplog
):
    caplog.set_level(logging.DEBUG)
    audit_id = _whole_life(app, login, client, api_headers, people)
    assert db.session.get(MappingAudit, audit_id).completed_at is not None
    stored = _database_text()
    assert "mapping_audit_started" in stored  # the dump does read the tables
    for secret in SECRETS:
        assert secret not in stored, secret
        assert secret.encode() not in _files_text(Path(app.instance_path)), secret
        assert secret not in caplog.text, secret
    key = db.session.get(MappingAudit, audit_id).case_key
    assert len(key) == 64 and key == reference.case_key(people["lead"].authority_id, REFERENCE)


def test_a_typed_reference_finds_the_case_in_any_spacing_or_case(app, login, people):
    lead = login(people["lead"])
    start_audit(lead, people)
    found = lead.post("/audits", data={"reference": " ncc/cs/ 48213"})
    assert "Audit 1" in found.get_data(as_text=True)
    missing = lead.post("/audits", data={"reference": "NCC/CS/48214"}).get_data(as_text=True)
    assert "No audit you can see is about a case with that reference" in missing
    blank = lead.post("/audits", data={"reference": ""})
    assert blank.status_code == 400
    assert "Enter the case reference" in blank.get_data(as_text=True)


def test_each_authority_and_each_key_hashes_differently(app, people):
    north, south = people["lead"].authority_id, people["south_manager"].authority_id
    assert reference.case_key(north, REFERENCE) != reference.case_key(south, REFERENCE)
    before = reference.case_key(north, REFERENCE)
    app.config["CLEARINGHOUSE"]["AUDIT_REFERENCE_KEY"] = "another key"
    try:
        assert reference.case_key(north, REFERENCE) != before
        # A separate key survives a change of SECRET_KEY.
        kept = reference.case_key(north, REFERENCE)
        app.config["SECRET_KEY"] = "rotated"
        assert reference.case_key(north, REFERENCE) == kept
    finally:
        app.config["CLEARINGHOUSE"]["AUDIT_REFERENCE_KEY"] = None
        app.config["SECRET_KEY"] = "test-secret"


def test_another_authority_with_the_same_reference_finds_nothing(app, api_headers, client, people):
    body = {
        "case": sample_case(),
        "reference": REFERENCE,
        "lead_id": people["lead"].id,
        "worker_id": people["worker"].id,
    }
    assert (
        client.post("/api/v1/audits", json=body, headers=api_headers(people["lead"])).status_code
        == 201
    )
    south = client.post(
        "/api/v1/audits/find",
        json={"reference": REFERENCE},
        headers=api_headers(people["south_manager"]),
    )
    assert south.get_json() == {"audits": []}
