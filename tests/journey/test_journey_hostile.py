"""Odd and hostile posts to the journey answer 4xx with a plain message, never 5xx, and keep
the case as it was: made-up page names and actions, bad characters, odd case files."""

import io
import json

import pytest

from .test_journey import _start
from .walker import Walker


def _state(walker) -> str:
    return walker.html.split('name="case_state" value="')[1].split('"')[0]


@pytest.fixture
def started(login, users):
    walker = Walker(login(users["practitioner"]))
    _start(walker)
    walker.press("Children")
    walker.press("Add a child")
    walker.press("Save and continue", {"name": "Amy Stone"})
    return walker


@pytest.mark.parametrize(
    "at, action",
    [
        ("part:nope", "show"),
        ("/nope", "show"),
        ("/children/9", "show"),
        ("/children/0/name", "show"),
        ("../../etc/passwd", "show"),
        ("/children/0", "change:/children/7"),
        ("/children/0", "add:/children/0/name"),
        ("/children/0", "add:/document"),
        ("/children/0", "remove:/authority"),
        ("/children/0", "remove:/children/-"),
        ("/children/0", "remove:/children/5"),
        ("/children/-/name", "save"),
        ("part:children", "dance"),
    ],
)
def test_made_up_pages_and_actions_answer_plainly(started, at, action):
    state = _state(started)
    response = started.client.post(
        "/case/edit", data={"case_state": state, "at": at, "action": action, "back": "x"}
    )
    assert response.status_code in (200, 400), response.status_code
    text = response.get_data(as_text=True)
    assert "Amy Stone" in text or "Your case" in text  # the case is still there


def test_a_character_that_cannot_be_stored_is_refused_and_nothing_kept(started):
    started.press("Change", nth=0)
    started.press("Save and continue", {"name": "Amy\x00Stone"})
    assert started.response.status_code == 400
    assert "cannot be used" in started.text
    started.press("Add times the child was seen", {"name": "Amy\x00"})  # nor kept on the way
    assert started.response.status_code == 400
    assert "Add a time the child was seen" not in started.text  # still on the child's page


@pytest.mark.parametrize(
    "case",
    [
        {"children": "not a list"},
        {"children": ["a string", 3, None]},
        {
            "children": [{"name": "No id"}],
            "family_members": [{"name": "X", "parental_responsibility_for": "C1"}],
        },
        {"meetings": [{"type": "nonsense", "date": "31/02/2026"}]},
        {"authority": [], "document": "x", "case_version": 7},
        {
            "document": "x",
            "children": [{"id": "C1", "name": "A"}],
            "family_members": [
                {
                    "id": "P1",
                    "name": "B",
                    "relationship": "Mother",
                    "parental_responsibility_for": ["C1"],
                },
                {
                    "id": "P2",
                    "name": "C",
                    "relationship": "Father",
                    "parental_responsibility_for": ["C1"],
                },
            ],
        },
        {"case_version": 1, "children": [{"name": "Old"}]},
    ],
)
def test_odd_case_files_open_and_every_page_answers(login, users, case):
    walker = Walker(login(users["practitioner"]))
    walker.get("/case")
    walker.press(
        "Upload the case file",
        files={"case_file": (io.BytesIO(json.dumps(case).encode()), "case.json")},
    )
    assert walker.response.status_code in (200, 400), walker.text[:500]
    if walker.response.status_code == 400:
        return
    tasks = walker.response
    for name in ("Children", "Family and parental responsibility", "Meetings",
                 "Your authority's details", "About the document"):  # fmt: skip
        walker.response = tasks
        walker.press(name)
        assert walker.response.status_code in (200, 400), (name, walker.text[:500])
    for target in ("pack:plo-letters", "template:plo-letter-before-proceedings"):
        walker.response = tasks
        walker.press("Check your answers", {"target": target})
        assert walker.response.status_code in (200, 400), target


@pytest.mark.parametrize("odd", [5, "x", None, True, [1]])
@pytest.mark.parametrize(
    "at, action",
    [
        ("/children/0/gp", "save"),
        ("/children/0", "save"),
        ("/children/0", "add:/children/0/seen"),
        ("/children/0/seen/-", "save"),
        ("/meetings/0/attendees/-", "add:/meetings/0/attendees"),
        ("/meetings/0", "remove:/meetings/0/attendees/0"),
        ("part:children", "remove:/children/0"),
    ],
)
def test_a_list_item_that_is_not_a_group_never_breaks_a_page(login, users, odd, at, action):
    walker = Walker(login(users["practitioner"]))
    walker.get("/case")
    case = {"children": [odd], "meetings": [odd]}
    walker.press(
        "Upload the case file",
        files={"case_file": (io.BytesIO(json.dumps(case).encode()), "case.json")},
    )
    assert walker.response.status_code == 200
    response = walker.client.post(
        "/case/edit",
        data={
            "case_state": _state(walker),
            "at": at,
            "action": action,
            "back": "tasks",
            "name": "Amy",
            "type": "strategy",
            "date-day": "1",
            "date-month": "2",
            "date-year": "2026",
        },  # fmt: skip
    )
    assert response.status_code in (200, 400), response.status_code


@pytest.mark.parametrize("ident", [[1], {}, 5, None])
def test_an_id_of_the_wrong_kind_is_a_problem_not_a_failure(login, users, ident):
    walker = Walker(login(users["practitioner"]))
    walker.get("/case")
    case = {"children": [{"id": ident, "name": "A"}], "danger_statements": [{"id": ident}]}
    walker.press(
        "Upload the case file",
        files={"case_file": (io.BytesIO(json.dumps(case).encode()), "case.json")},
    )
    assert walker.response.status_code == 200
    assert "Incomplete" in walker.text


def test_a_case_grown_past_the_limit_is_refused_and_kept_as_it_was(app, started):
    app.config["CLEARINGHOUSE"]["RENDER_MAX_INPUT_KB"] = 2
    started.press("Change", nth=0)
    started.press("Save and continue", {"needs": "x" * 4000})
    assert started.response.status_code == 413
    assert "The case data is too large" in started.text
    started.press("Save and continue", {"needs": "Glasses."})
    assert started.response.status_code == 200 and "Amy Stone" in started.text
