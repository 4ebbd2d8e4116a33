"""Odd case data answers 4xx, never 5xx, through the API, the pack and the form.

The shapes come from a review of case model 2: version 1 cases with parts in no v1 shape,
parts a template's schema does not name, references that are not text, dates at the end of
the calendar, and a pack asked for more documents than one request may make.
"""

import io
import json
from pathlib import Path

import pytest

LIBRARY = Path(__file__).resolve().parents[2] / "templates_library"


def _sample(slug: str) -> dict:
    return json.loads((LIBRARY / slug / "sample.json").read_text(encoding="utf-8"))


ODD = [
    ("cp-conference-report", {"conference": {}, "key_dates": [1]}),
    ("cp-conference-report", {"meeting": {"date": "2026-01-01"}, "plo": [1]}),
    ("cp-conference-report", {"conference": {"category": 5}}),
    ("cp-conference-report", {"key_dates": {"report_shared": 5}, "conference": {}}),
    ("safety-plan", {"safety_plan": {"rules": [{"rule": "x", "who_makes_sure": ["a"]}]}}),
    ("words-and-pictures", {"words_and_pictures": [1], "meeting": {}}),
    ("plo-letter-before-proceedings", {"authority": "x", "legal": {"team": "y"}}),
    ("plo-guide-for-families", {"children": 5}),
    ("plo-guide-for-families", {"danger_statements": 5}),
    ("letter-of-issue", {"safety_network": 7}),
    ("plo-guide-for-families", {"family_members": [{"id": ["x"], "name": "A"}]}),
    ("plo-guide-for-families", {"scales": [{"about": ["x"], "rater": "A", "score": 1}]}),
    ("plo-guide-for-families", {"key_dates": {"Jason lives at 7 Station Road": "2030-01-01"}}),
    ("letter-of-issue", {"plo": {"timetable_weeks": 10**7}}),
]


@pytest.mark.parametrize(("slug", "extra"), ODD)
def test_odd_parts_are_a_4xx_never_a_5xx(client, users, api_headers, slug, extra):
    case = {**_sample(slug), **extra}
    response = client.post(
        f"/api/v1/templates/{slug}/render?warnings=1",
        json=case,
        headers=api_headers(users["practitioner"]),
    )
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    assert (
        "Station Road"
        not in response.get_data(as_text=True)[:5000].replace("Flat 2, 7 Station Road", "")
        or response.status_code == 200
    )


def test_a_conference_at_the_end_of_the_calendar_is_no_5xx(client, users, api_headers):
    case = _sample("cp-conference-report")
    for meeting in case["meetings"]:
        if meeting["id"] == case["document"]["meeting_id"]:
            meeting["date"] = "9999-12-30"
    response = client.post(
        "/api/v1/templates/cp-conference-report/render",
        json=case,
        headers=api_headers(users["practitioner"]),
    )
    assert response.status_code < 500


@pytest.mark.parametrize(
    "family",
    [
        [{"id": "P1", "name": "A", "relationship": "x", "parental_responsibility_for": 5}],
        [{}],
        5,
        [{"id": "P1", "name": "A", "relationship": "x", "parental_responsibility_for": [[1]]}],
    ],
)
def test_a_pack_with_odd_people_is_a_4xx(client, users, api_headers, family):
    case = {**_sample("plo-letter-before-proceedings"), "family_members": family}
    response = client.post(
        "/api/v1/packs/plo-letters/render", json=case, headers=api_headers(users["practitioner"])
    )
    assert 400 <= response.status_code < 500


def test_a_pack_of_too_many_letters_is_refused(client, users, api_headers):
    case = _sample("plo-letter-before-proceedings")
    base = case["family_members"][0]
    case["family_members"] = [
        {**base, "id": f"P{i}", "name": f"Parent {i}", "address": f"{i} Road"} for i in range(15)
    ]
    case["document"].pop("recipient_id", None)
    response = client.post(
        "/api/v1/packs/plo-letters/render", json=case, headers=api_headers(users["practitioner"])
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "render_limit"


@pytest.mark.parametrize("odd", [{"danger_statement_id": 5}, {"danger_statement_id": ["D1"]}])
def test_the_form_shows_an_odd_reference_beside_its_error(users, login, odd):
    case = _sample("plo-letter-before-proceedings")
    case["safety_goals"][0].update(odd)
    case["document"]["meeting_id"] = 7
    upload = {"action": "upload", "case_file": (io.BytesIO(json.dumps(case).encode()), "c.json")}
    page = login(users["practitioner"]).post("/generate/plo-letter-before-proceedings", data=upload)
    assert page.status_code == 400
