"""GET /api/v1/practice-figures and flask practice-figures: the same figures as the page, the
same groups withheld, stable error codes, and clear messages with no traceback."""

import csv
import io

import pytest
from factories import make_user
from figure_helpers import answers, audits, last_completed_day, team

from clearinghouse.api.openapi import build_spec
from clearinghouse.feedback.service import recent_quarters
from clearinghouse.models import utcnow
from clearinghouse.practice_figures import service


@pytest.fixture
def north_figures(users):
    manager = users["manager"]
    audits(manager, users["practitioner"], 5, day=last_completed_day(), scale=4)
    answers(manager.authority_id, team(manager, "Family support").id, 4, day=last_completed_day())
    return last_completed_day()


def _get(client, headers, query=""):
    return client.get(f"/api/v1/practice-figures{query}", headers=headers)


def test_the_api_gives_the_figures_with_withheld_groups_marked_and_no_numbers(
    client, users, api_headers, north_figures
):
    response = _get(client, api_headers(users["manager"]))
    assert response.status_code == 200
    body = response.get_json()
    assert body["authority"] == {"slug": "north", "name": "Northshire County Council"}
    assert len(body["quarters"]) == 8 and body["min_group"] == 5
    assert body["quarters"][-1] == recent_quarters(utcnow().date(), 2)[1]
    assert body["scales"][-1]["bands"] == {"0-3": 0, "4-6": 5, "7-10": 0}
    small = [g for g in body["feedback"]["by_team"] if g["team"] == "Family support"]
    label = small[0]["quarter_label"]
    assert small == [{"quarter": body["quarters"][-1], "quarter_label": label,
                      "team": "Family support", "suppressed": True,
                      "reason": "fewer_than_min"}]  # fmt: skip
    assert body["feedback"]["all_teams"][-1]["suppressed"] is True
    assert body == service.practice_figures(users["manager"], None, utcnow().date())


def test_the_api_refuses_with_stable_codes(client, users, api_headers, north_figures):
    south = api_headers(make_user("manager", "south", name="South manager"))
    cases = [
        (api_headers(users["practitioner"]), "", 403, "forbidden"),
        (api_headers(users["editor"]), "?authority=north", 403, "forbidden"),
        (south, "?authority=north", 404, "figures_not_shared"),
        (south, "?authority=nowhere", 404, "authority_not_found"),
        (api_headers(users["admin"]), "", 400, "authority_required"),
        (south, "?authority=%00", 400, "invalid_text"),
    ]
    for headers, query, status, code in cases:
        response = _get(client, headers, query)
        assert (response.status_code, response.get_json()["error"]["code"]) == (status, code), query
    assert _get(client, api_headers(users["admin"]), "?authority=north").status_code == 200
    service.figures_share(users["manager"], True)
    shared = _get(client, south, "?authority=north").get_json()
    assert shared["scales"] == _get(client, api_headers(users["manager"])).get_json()["scales"]


def test_the_api_is_described(app):
    path = build_spec()["paths"]["/practice-figures"]["get"]
    described = str(path)
    for code in ("forbidden", "figures_not_shared", "authority_not_found", "authority_required"):
        assert code in described


def test_the_command_prints_the_figures_and_csv(runner, users, north_figures):
    result = runner.invoke(args=["practice-figures", "north"])
    assert result.exit_code == 0, result.output
    assert "Practice figures: Northshire County Council" in result.output
    assert "Family support | withheld: Fewer than 5 responses" in result.output
    result = runner.invoke(args=["practice-figures", "north", "--csv"])
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["figure", "quarter", "group", "measure", "value"]
    label = rows[-1][1]  # the last completed quarter's, as every figure ends
    assert ["Mapping scales", label, "Scale 4 to 6", "audits", "5"] in rows
    assert ["Mapping scales", label, "All completed audits", "median scale", "4"] in rows


def test_the_command_names_an_unknown_authority_without_a_traceback(runner, users):
    result = runner.invoke(args=["practice-figures", "nowhere"])
    assert result.exit_code == 1
    assert "There is no authority with that name" in result.output
    assert "Traceback" not in result.output
