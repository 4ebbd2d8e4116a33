"""GET /api/v1/feedback/summary: by team and quarter, nothing for fewer than 5 responses,
never single responses, and only the manager's own authority."""

import pytest
from factories import make_user
from feedback_helpers import in_team, respond

from clearinghouse.feedback import service
from clearinghouse.models import utcnow


def _in_last_quarter_over():
    """Return a moment in the last quarter that is over, by the real clock the API reads."""
    year, number = service.completed_quarters(utcnow().date(), 1)[0].split("-Q")
    return utcnow().replace(year=int(year), month=3 * int(number) - 1, day=15)


LAST = _in_last_quarter_over()


def _groups(client_headers, client):
    response = client.get("/api/v1/feedback/summary", headers=client_headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_groups_of_five_or_more_are_summed_and_smaller_ones_withheld(app, users, api_headers):
    manager = users["manager"]
    support = in_team(manager, users["practitioner"], "Family support")
    in_team(manager, users["editor"], "Assessment")
    respond(users["practitioner"], 3, explained=8, listened="yes", now=LAST)
    respond(users["practitioner"], 2, explained=3, listened="no", now=LAST)
    respond(users["editor"], 4, explained=9, listened="a_bit", now=LAST)  # fewer than 5
    body = _groups(api_headers(manager), app.test_client())
    quarter = service.quarter_of(LAST.date())
    assert body["authority"] == {"slug": "north", "name": "Northshire County Council"}
    assert body["min_group"] == 5
    by_team = {g["team"]: g for g in body["groups"]}
    assert by_team["Family support"] == {
        "team": "Family support", "team_id": support.id, "quarter": quarter,
        "quarter_label": service.quarter_label(quarter), "suppressed": False, "responses": 5,
        "explained_mean": 6.0, "listened": {"yes": 3, "a_bit": 0, "no": 2},
    }  # fmt: skip
    small = by_team["Assessment"]
    assert small["suppressed"] is True
    assert small["responses"] is small["explained_mean"] is small["listened"] is None
    assert "Fewer than 5" in small["note"]
    text = str(body)
    assert "9" not in str(small) and "a_bit': 4" not in text
    for private in ("helped", "better", "The plan", "Sooner", "source"):
        assert private not in text  # no single response, no family's words


def test_another_authoritys_managers_never_see_it(app, users, api_headers):
    in_team(users["manager"], users["practitioner"])
    respond(users["practitioner"], 6, now=LAST)
    south_manager = make_user("manager", "south", name="South manager")
    body = _groups(api_headers(south_manager), app.test_client())
    assert body["authority"]["slug"] == "south" and body["groups"] == []


@pytest.mark.parametrize("person", ["practitioner", "editor", "south_editor", "admin"])
def test_only_managers_get_the_summary(app, users, api_headers, person):
    response = app.test_client().get("/api/v1/feedback/summary", headers=api_headers(users[person]))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_no_token_no_summary(client):
    response = client.get("/api/v1/feedback/summary")
    assert response.status_code == 401


def test_people_without_a_team_are_a_group_of_their_own(app, users, api_headers):
    respond(users["practitioner"], 5, explained=4, now=LAST)
    [group] = _groups(api_headers(users["manager"]), app.test_client())["groups"]
    assert group["team"] is None and group["responses"] == 5 and group["explained_mean"] == 4.0


def test_the_summary_is_in_the_openapi_description(app, users, api_headers):
    spec = app.test_client().get("/api/v1/openapi.json", headers=api_headers(users["manager"]))
    assert "/feedback/summary" in spec.get_json()["paths"]


def test_the_quarter_in_progress_is_not_summed(app, users, api_headers):
    """A figure that moved as each answer came in would give that family's answer away."""
    respond(users["practitioner"], 6, explained=9)  # now: this quarter
    respond(users["practitioner"], 5, explained=4, now=LAST)
    [group] = _groups(api_headers(users["manager"]), app.test_client())["groups"]
    assert group["quarter"] == service.quarter_of(LAST.date()) and group["explained_mean"] == 4.0
