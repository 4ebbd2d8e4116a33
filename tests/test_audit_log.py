"""The audit log: who may read it, filters, pages and a CSV no spreadsheet runs as formulas."""

import csv
import io
from datetime import date, datetime

import pytest

from clearinghouse.audit_log import service
from clearinghouse.audit_log.service import AuditFilters
from clearinghouse.errors import NotAuthorized
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent, record_audit


def _event(user, action, object_type="document", object_id=1, at=None, **detail):
    event = record_audit(user, action, object_type, object_id, **detail)
    if at:
        event.at = at
    db.session.commit()
    return event


@pytest.fixture
def events(users):
    """Events of north's editor and south's editor on known days (plus the users' creation)."""
    _event(users["editor"], "document_created", at=datetime(2026, 3, 1, 9), version=1)
    _event(users["editor"], "version_added", at=datetime(2026, 3, 5, 9), version=2)
    _event(users["south_editor"], "document_created", object_id=2, at=datetime(2026, 3, 2, 9))
    _event(users["editor"], "template_published", "template", "north-letter", version=1)


def _actions(page):
    return [row.action for row in page.rows]


def test_managers_see_their_authority_and_admins_see_all(users, events):
    north = service.audit_search(users["manager"], AuditFilters())
    everything = service.audit_search(users["admin"], AuditFilters())
    assert {r.authority for r in north.rows} == {"north"}
    assert "south" in {r.authority for r in everything.rows}
    assert everything.total > north.total
    for person in ("practitioner", "editor", "south_editor"):
        with pytest.raises(NotAuthorized):
            service.audit_search(users[person], AuditFilters())


def test_filters(users, events):
    manager = users["manager"]

    def search(**filters):
        return service.audit_search(manager, AuditFilters(**filters))

    assert _actions(search(action="version_added")) == ["version_added"]
    assert search(user_id=users["editor"].id).total == 3
    assert search(user_id=users["south_editor"].id).total == 0  # not north's event
    days = search(date_from=date(2026, 3, 1), date_to=date(2026, 3, 4))
    assert _actions(days) == ["document_created"]
    template = search(object_type="template", object_id="north-letter")
    assert _actions(template) == ["template_published"]
    assert template.rows[0].details == "version: 1"


def test_pages_newest_first(users):
    for number in range(service.PER_PAGE + 5):
        record_audit(users["editor"], "version_added", "document", 1, version=number)
    db.session.commit()
    first = service.audit_search(users["manager"], AuditFilters(action="version_added"))
    last = service.audit_search(users["manager"], AuditFilters(action="version_added"), page=9)
    assert (first.pages, last.page, len(last.rows)) == (2, 2, 5)
    assert len(first.rows) == service.PER_PAGE
    assert first.rows[0].details == f"version: {service.PER_PAGE + 4}"


def test_details_leave_out_hashes_and_count_lists(users):
    _event(users["editor"], "pack_generated", "pack", "plo", output_sha256="ab" * 32, documents=[1])
    (row,) = service.audit_search(users["manager"], AuditFilters(action="pack_generated")).rows
    assert row.details == "documents: 1 item" and "abab" not in row.details


def test_csv_cells_never_start_a_formula():
    for value in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx"):
        assert service.csv_cell(value) == "'" + value
    assert service.csv_cell("plain") == "plain" and service.csv_cell(None) == ""


def test_audit_page_and_csv(users, events, login):
    _event(users["editor"], "token_created", "user", users["editor"].id, name="=HYPERLINK(1)")
    client = login(users["manager"])
    page = client.get("/audit").get_data(as_text=True)
    assert "Audit log" in page and "version added" in page and "app-scroll-region" in page
    assert "south" not in page.lower().split("<main", 1)[1]
    filtered = client.get(
        "/audit?action=version_added&date_from=1&date_from=3&date_from=2026"
        "&date_to=31&date_to=3&date_to=2026"
    ).get_data(as_text=True)
    assert "1 event<" in filtered
    assert "/audit.csv?action=version_added&amp;date_from=1" in filtered
    response = client.get("/audit.csv?action=token_created")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == service.CSV_HEADER and len(rows) == 2
    assert rows[1][4] == "token_created" and rows[1][6] == "name: =HYPERLINK(1)"
    everything = list(csv.reader(io.StringIO(client.get("/audit.csv").get_data(as_text=True))))
    assert {row[3] for row in everything[1:]} == {"north"}


def test_audit_page_refuses_bad_filters_in_words(users, login):
    client = login(users["admin"])
    response = client.get("/audit?date_from=31&date_from=2&date_from=2026")
    assert response.status_code == 400
    assert "From must be a real date" in response.get_data(as_text=True)
    response = client.get("/audit?date_to=1")
    assert response.status_code == 400
    assert client.get("/audit?action=no_such_action").status_code == 400
    assert client.get("/audit?page=99999999999").status_code == 200
    other = users["south_editor"].id
    assert login(users["manager"]).get(f"/audit?user={other}").status_code == 400


def test_audit_pages_refuse_other_roles(users, login):
    for person in ("practitioner", "editor", "south_practitioner"):
        client = login(users[person])
        assert client.get("/audit").status_code == 403
        assert client.get("/audit.csv").status_code == 403


def test_event_authority_follows_the_actor_unless_given(users, authorities):
    mine = record_audit(users["editor"], "x", "document", 1)
    about = record_audit(users["admin"], "y", "user", 1, about_authority_id=authorities["south"].id)
    admin_own = record_audit(users["admin"], "z", "authority", 1)
    db.session.commit()
    assert mine.authority_id == authorities["north"].id
    assert about.authority_id == authorities["south"].id and about.detail == {}
    assert db.session.get(AuditEvent, admin_own.id).authority_id is None
