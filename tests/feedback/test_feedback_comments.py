"""What families told us: their words, for quarters that are over, for groups of at least 5
responses, in alphabetical order with nothing beside them, to their authority's managers only."""

from datetime import date

import pytest
from factories import make_user
from feedback_helpers import answers, in_team
from sqlalchemy import select

from clearinghouse.errors import NotAuthorized
from clearinghouse.extensions import db
from clearinghouse.feedback import comments, service
from clearinghouse.models import AuditEvent, utcnow

TODAY = date(2026, 11, 30)  # in 2026-Q4: the last quarter over is 2026-Q3
LAST = date(2026, 8, 14)  # in 2026-Q3


def _paper(authority_id, team_id, received: date, *texts):
    """Store paper forms, one per (helped, better), imported on a day."""
    rows = [
        (n, team_id, received, answers(helped=helped, better=better))
        for n, (helped, better) in enumerate(texts, start=1)
    ]
    service.paper_import(authority_id, rows, today=received)


FIVE = [
    ("The plan was clear", "Sooner visits"),
    ("anna listened", ""),
    ("", "Fewer meetings"),
    ("Being asked what we thought", "Letters in plain words"),
    ("Meeting at home", "Not changing worker"),
]


def test_a_team_quarter_of_five_shows_its_words_in_alphabetical_order(users):
    manager = users["manager"]
    team = in_team(manager, users["practitioner"], "Family support")
    _paper(manager.authority_id, team.id, LAST, *FIVE)
    found = comments.feedback_comments(manager, TODAY)
    [group] = found["groups"]
    assert group["team"] == "Family support" and group["quarter"] == "2026-Q3"
    assert group["suppressed"] is False and group["responses"] == 5
    # Sorted without regard to case, blanks left out: nothing follows the order they came in.
    assert group["helped"] == [
        "anna listened",
        "Being asked what we thought",
        "Meeting at home",
        "The plan was clear",
    ]
    assert group["better"] == [
        "Fewer meetings",
        "Letters in plain words",
        "Not changing worker",
        "Sooner visits",
    ]
    assert set(group) == {
        "quarter", "quarter_label", "team", "suppressed", "responses", "helped", "better"
    }  # fmt: skip


def test_a_group_of_four_shows_no_words(users):
    manager = users["manager"]
    team = in_team(manager, users["practitioner"], "Family support")
    _paper(manager.authority_id, team.id, LAST, *FIVE[:4])
    [group] = comments.feedback_comments(manager, TODAY)["groups"]
    assert group["suppressed"] is True
    assert group["responses"] is group["helped"] is group["better"] is None
    assert "Fewer than 5" in group["note"]


def test_the_quarter_in_progress_is_never_shown(users):
    manager = users["manager"]
    team = in_team(manager, users["practitioner"], "Family support")
    _paper(manager.authority_id, team.id, date(2026, 10, 2), *FIVE)  # 2026-Q4, not over
    found = comments.feedback_comments(manager, TODAY)
    assert found["groups"] == []
    assert found["in_progress"] == "October to December 2026"
    assert [q["quarter"] for q in found["quarters"]] == ["2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4"]
    # Once the quarter is over, its words are read.
    [group] = comments.feedback_comments(manager, date(2027, 1, 1))["groups"]
    assert group["quarter"] == "2026-Q4" and group["responses"] == 5


def test_quarters_older_than_four_are_not_shown(users):
    manager = users["manager"]
    _paper(manager.authority_id, None, date(2025, 9, 30), *FIVE)  # 2025-Q3: five quarters ago
    assert comments.feedback_comments(manager, TODAY)["groups"] == []


def test_teams_are_counted_apart_and_people_without_a_team_together(users):
    manager = users["manager"]
    team = in_team(manager, users["practitioner"], "Family support")
    _paper(manager.authority_id, team.id, LAST, *FIVE[:3])
    _paper(manager.authority_id, None, LAST, *FIVE)
    groups = comments.feedback_comments(manager, TODAY)["groups"]
    by_team = {g["team"]: g for g in groups}
    assert by_team["Family support"]["suppressed"] is True  # 3, even beside a group of 5
    assert by_team[None]["suppressed"] is False and by_team[None]["responses"] == 5
    assert [g["team"] for g in groups] == ["Family support", None]


@pytest.mark.parametrize("person", ["practitioner", "editor", "admin", "south_editor"])
def test_only_managers_read_the_words(users, person):
    with pytest.raises(NotAuthorized):
        comments.feedback_comments(users[person], TODAY)


def test_another_authoritys_manager_reads_only_their_own(users):
    manager = users["manager"]
    _paper(manager.authority_id, None, LAST, *FIVE)
    south = make_user("manager", "south", name="South manager")
    found = comments.feedback_comments(south, TODAY)
    assert found["authority"]["slug"] == "south" and found["groups"] == []
    assert "Sooner visits" not in str(found)


def test_each_reading_is_in_the_audit_log_without_the_words(users):
    manager = users["manager"]
    _paper(manager.authority_id, None, LAST, *FIVE)
    comments.feedback_comments(manager, TODAY)
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "feedback_comments_read")
    )
    assert event.user_id == manager.id and event.object_id == "north"
    assert "Sooner" not in str(event.detail)


def _in_last_quarter_over() -> date:
    """Return a day in the last quarter that is over by the real clock the page reads."""
    year, number = service.completed_quarters(utcnow().date(), 1)[0].split("-Q")
    return date(int(year), 3 * int(number) - 1, 15)


def test_the_page_shows_the_words_escaped(app, users, login):
    manager = users["manager"]
    _paper(manager.authority_id, None, _in_last_quarter_over(), *FIVE[:4], ("<b>kind</b>", ""))
    page = login(manager).get("/feedback/comments")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "What families told us" in html and "is not over yet" in html
    assert "No team recorded" in html and "5 responses." in html
    assert "&lt;b&gt;kind&lt;/b&gt;" in html and "<b>kind</b>" not in html
    assert html.index("anna listened") < html.index("Being asked what we thought")


@pytest.mark.parametrize("person", ["practitioner", "editor"])
def test_the_page_refuses_people_who_are_not_managers(users, login, person):
    assert login(users[person]).get("/feedback/comments").status_code == 403


def test_the_api_answers_as_the_page(app, users, api_headers):
    client = app.test_client()
    response = client.get("/api/v1/feedback/comments", headers=api_headers(users["manager"]))
    assert response.status_code == 200
    body = response.get_json()
    assert body["min_group"] == 5 and body["authority"]["slug"] == "north"
    refused = client.get("/api/v1/feedback/comments", headers=api_headers(users["practitioner"]))
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    spec = client.get("/api/v1/openapi.json", headers=api_headers(users["manager"])).get_json()
    assert "/feedback/comments" in spec["paths"]


def test_a_quarter_that_is_over_never_changes(users):
    """A form that came back in an earlier quarter is stored in the quarter it is keyed in:
    a family's words or score cannot be read from a finished quarter before and after."""
    manager = users["manager"]
    _paper(manager.authority_id, None, LAST, *FIVE)
    before = comments.feedback_comments(manager, TODAY)["groups"]
    late = [(1, None, LAST, answers(helped="", better="Zed was rude"))]
    service.paper_import(manager.authority_id, late, today=TODAY)
    service.paper_enter(users["practitioner"], answers(better="Also late"), today=TODAY)
    assert comments.feedback_comments(manager, TODAY)["groups"] == before
    [later] = [
        g for g in comments.feedback_comments(manager, date(2027, 1, 2))["groups"]
        if g["quarter"] == "2026-Q4"
    ]  # fmt: skip
    assert later["suppressed"] is True  # two late forms: too few to show, in their own quarter
