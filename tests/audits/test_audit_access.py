"""Who may see, change, sign and start audits: the two who take part and their authority's
managers; anyone else is told the audit does not exist."""

import pytest
from audit_cases import REFERENCE, every_rating, form_ratings

from clearinghouse.audits import service
from clearinghouse.errors import InvalidInput, NotAuthorized, NotFound


@pytest.fixture
def audit(people):
    return service.audit_start(
        people["lead"],
        reference_text=REFERENCE,
        lead_id=people["lead"].id,
        worker_id=people["worker"].id,
    )


@pytest.mark.parametrize(
    "person, see, change",
    [
        ("lead", 200, 302),
        ("worker", 200, 302),
        ("other_manager", 200, 403),
        ("other_worker", 404, 404),
        ("editor", 404, 404),
        ("south_manager", 404, 404),
        ("south_worker", 404, 404),
        ("admin", 404, 404),
    ],
)
def test_each_person_sees_and_changes_as_they_should(login, people, audit, person, see, change):
    client = login(people[person])
    assert client.get(f"/audits/{audit.id}").status_code == see
    saved = client.post(f"/audits/{audit.id}", data={**form_ratings(), "scale": "5"})
    assert saved.status_code == change
    signed = client.post(f"/audits/{audit.id}/sign-off")
    assert signed.status_code == (302 if change == 302 else change)
    steps = client.post(f"/audits/{audit.id}/next-steps", data={"next_steps": "Visit"})
    assert steps.status_code == (200 if see == 200 else 404)


def test_the_api_answers_the_same(client, api_headers, people, audit):
    for person, status in (("other_manager", 200), ("other_worker", 404), ("south_manager", 404)):
        headers = api_headers(people[person])
        assert client.get(f"/api/v1/audits/{audit.id}", headers=headers).status_code == status
    headers = api_headers(people["other_manager"])
    response = client.patch(
        f"/api/v1/audits/{audit.id}", json={"ratings": every_rating()}, headers=headers
    )
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    editor = client.post("/api/v1/audits", json={}, headers=api_headers(people["editor"]))
    assert editor.status_code == 403


def test_lists_hold_only_what_each_may_see(people, audit):
    assert [a.id for a in service.audit_list(people["worker"])] == [audit.id]
    assert [a.id for a in service.audit_list(people["other_manager"])] == [audit.id]
    assert service.audit_list(people["other_worker"]) == []
    assert service.audit_list(people["south_manager"]) == []
    assert service.audit_list(people["admin"]) == []


def test_who_may_lead_work_and_start(people):
    start = {"reference_text": REFERENCE}
    with pytest.raises(InvalidInput, match="practice lead"):
        service.audit_start(
            people["worker"],
            lead_id=people["other_worker"].id,
            worker_id=people["worker"].id,
            **start,
        )
    with pytest.raises(InvalidInput, match="worker"):
        service.audit_start(
            people["lead"], lead_id=people["lead"].id, worker_id=people["south_worker"].id, **start
        )
    with pytest.raises(InvalidInput, match="different people"):
        service.audit_start(
            people["lead"], lead_id=people["lead"].id, worker_id=people["lead"].id, **start
        )
    with pytest.raises(InvalidInput, match="You must be the worker or the practice lead"):
        service.audit_start(
            people["other_worker"],
            lead_id=people["lead"].id,
            worker_id=people["worker"].id,
            **start,
        )
    with pytest.raises(NotAuthorized):
        service.audit_start(
            people["editor"], lead_id=people["lead"].id, worker_id=people["worker"].id, **start
        )
    # A manager may set up an audit for two others of the authority.
    made = service.audit_start(
        people["other_manager"], lead_id=people["lead"].id, worker_id=people["worker"].id, **start
    )
    with pytest.raises(NotFound):
        service.audit_get(people["other_worker"], made.id)


def test_the_start_page_for_each_role(login, people):
    assert login(people["worker"]).get("/audits/new").status_code == 200
    assert login(people["lead"]).get("/audits/new").status_code == 200
    assert login(people["editor"]).get("/audits/new").status_code == 403
    assert login(people["admin"]).get("/audits/new").status_code == 403
    assert login(people["editor"]).get("/audits").status_code == 200
