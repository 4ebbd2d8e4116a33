"""Practice figures as the service works them out: completed quarters only, completed audits
only, nothing for a group of fewer than 5, no figure that gives a withheld one away, and only
aggregates for anyone, another authority's managers included."""

import pytest
from factories import make_user
from figure_helpers import EARLIER, LAST, TODAY, answers, audits, team

from clearinghouse.errors import NotAuthorized, NotFound
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent
from clearinghouse.practice_figures import figures, service


def _figures(user, slug=None, today=TODAY):
    return service.practice_figures(user, slug, today)


def _quarter(rows, quarter="2026-Q3", team=None):
    return next(r for r in rows if r["quarter"] == quarter and r.get("team", team) == team)


def test_the_last_eight_completed_quarters_never_the_one_in_progress(users):
    manager = users["manager"]
    audits(manager, users["practitioner"], 5, day=TODAY)  # 2026-Q4, in progress
    data = _figures(manager)
    assert data["quarters"] == ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1",
                                "2026-Q2", "2026-Q3"]  # fmt: skip
    assert [q["quarter"] for q in data["audit_ratings"]] == data["quarters"]
    assert all(q["audits"] == 0 for q in data["audit_ratings"] + data["scales"])
    # The first day of the next quarter: 2026-Q4 has ended and is shown.
    after = _figures(manager, today=figures.date(2027, 1, 1))
    assert after["quarters"][-1] == "2026-Q4"
    assert _quarter(after["scales"], "2026-Q4")["audits"] == 5


def test_four_audits_are_withheld_and_five_are_counted(users):
    manager, worker = users["manager"], users["practitioner"]
    audits(manager, worker, 4, day=EARLIER, scale=2, rating="not_met")
    audits(manager, worker, 5, day=LAST, scale=8)
    data = _figures(manager)
    for rows in (data["audit_ratings"], data["scales"]):
        small = _quarter(rows, "2026-Q2")
        assert small == {"quarter": "2026-Q2", "quarter_label": "April to June 2026",
                         "suppressed": True, "reason": "fewer_than_min"}  # fmt: skip
    ratings = _quarter(data["audit_ratings"])
    assert ratings["audits"] == 5 and ratings["suppressed"] is False
    assert len(ratings["elements"]) == 12
    assert all((e["met"], e["partly"], e["not_met"]) == (5, 0, 0) for e in ratings["elements"])
    scales = _quarter(data["scales"])
    assert scales["bands"] == {"0-3": 0, "4-6": 0, "7-10": 5} and scales["median"] == 8


def test_only_completed_audits_count(users):
    manager, worker = users["manager"], users["practitioner"]
    audits(manager, worker, 4)
    audits(manager, worker, 3, rating="not_met", completed=False)  # still open: not counted
    data = _figures(manager)
    assert _quarter(data["audit_ratings"])["suppressed"] is True
    audits(manager, worker, 1, scale=3, rating="partly")
    ratings = _quarter(_figures(manager)["audit_ratings"])
    assert ratings["audits"] == 5
    assert {(e["met"], e["partly"], e["not_met"]) for e in ratings["elements"]} == {(4, 1, 0)}


def test_feedback_by_team_four_withheld_five_shown_and_no_team_is_its_own_group(users):
    manager = users["manager"]
    north = manager.authority_id
    support, assess = team(manager, "Family support"), team(manager, "Assessment")
    answers(north, support.id, 5, explained=8, listened="yes")
    answers(north, assess.id, 4, explained=2, listened="no")
    answers(north, None, 5, explained=6, listened="a_bit")
    answers(north, None, 1, explained=9, day=TODAY)  # the quarter in progress
    fb = _figures(manager)["feedback"]
    assert _quarter(fb["by_team"], team="Family support") == {
        "quarter": "2026-Q3", "quarter_label": "July to September 2026", "team": "Family support",
        "suppressed": False, "responses": 5, "explained_median": 8, "explained_mean": 8,
        "explained_7_or_more_percent": 100, "listened_percent": {"yes": 100, "a_bit": 0, "no": 0},
    }  # fmt: skip
    assert _quarter(fb["by_team"], team="Assessment")["suppressed"] is True
    assert set(_quarter(fb["by_team"], team="Assessment")) == {
        "quarter", "quarter_label", "team", "suppressed", "reason"}  # fmt: skip
    no_team = _quarter(fb["by_team"], team="No team recorded")
    assert no_team["responses"] == 5 and no_team["explained_7_or_more_percent"] == 0
    # Assessment's 4 alone are withheld: the all-teams figure would give them away (14 - 10).
    everyone = _quarter(fb["all_teams"], team="All teams")
    assert everyone["suppressed"] is True and everyone["reason"] == "would_reveal_a_small_team"


def test_the_all_teams_figure_is_shown_when_the_withheld_teams_hold_five_or_more(users):
    manager = users["manager"]
    north = manager.authority_id
    one, two, three = (team(manager, n) for n in ("One", "Two", "Three"))
    answers(north, one.id, 5, explained=10)
    answers(north, two.id, 3, explained=0, listened="no")
    answers(north, three.id, 2, explained=4, listened="a_bit")
    fb = _figures(manager)["feedback"]
    assert [_quarter(fb["by_team"], team=t)["suppressed"] for t in ("One", "Two", "Three")] == [
        False, True, True]  # fmt: skip
    everyone = _quarter(fb["all_teams"], team="All teams")
    assert everyone["suppressed"] is False  # the withheld teams hold 5 together
    assert everyone["responses"] == 10 and everyone["explained_median"] == 7
    assert everyone["explained_mean"] == 5.8 and everyone["explained_7_or_more_percent"] == 50
    assert everyone["listened_percent"] == {"yes": 50, "a_bit": 20, "no": 30}


def test_the_all_teams_figure_of_a_small_quarter_is_withheld(users):
    manager = users["manager"]
    answers(manager.authority_id, None, 4)
    fb = _figures(manager)["feedback"]
    assert _quarter(fb["all_teams"], team="All teams")["reason"] == "fewer_than_min"
    assert _quarter(fb["all_teams"], "2026-Q2", team="All teams") == {
        "quarter": "2026-Q2", "quarter_label": "April to June 2026", "team": "All teams",
        "suppressed": False, "responses": 0}  # fmt: skip


@pytest.mark.parametrize("person", ["practitioner", "editor", "south_editor", "south_practitioner"])
def test_practitioners_and_editors_are_refused(users, person):
    with pytest.raises(NotAuthorized):
        _figures(users[person])
    with pytest.raises(NotAuthorized):
        _figures(users[person], "north")


def test_another_authority_sees_only_what_is_shared_and_only_aggregates(users):
    manager = users["manager"]
    audit_ids = audits(manager, users["practitioner"], 6, scale=7)
    answers(manager.authority_id, team(manager, "Family support").id, 5)
    south = make_user("manager", "south", name="South manager")
    with pytest.raises(NotFound) as refused:
        _figures(south, "north")
    assert refused.value.code == "figures_not_shared" and refused.value.status == 404
    with pytest.raises(NotFound) as unknown:
        _figures(south, "nowhere")
    assert unknown.value.code == "authority_not_found"
    assert service.figures_choices(south) == []

    assert service.figures_share(manager, True) is True
    assert service.figures_share(manager, True) is False  # nothing changed, nothing recorded
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "practice_figures_sharing_changed")
    ).all()
    assert [(e.authority_id, e.detail) for e in events] == [
        (manager.authority_id, {"shared": True})]  # fmt: skip
    seen = _figures(south, "north")
    own = _figures(manager)
    for key in ("quarters", "audit_ratings", "scales", "feedback"):
        assert seen[key] == own[key]
    assert seen["can_share"] is False and own["can_share"] is True
    assert service.figures_choices(south) == [("north", "Northshire County Council")]
    text = str(seen)
    for private in ("case_key", "Kind words", "helped", "lead", "worker", "reason': 'x"):
        assert private not in text
    assert not any(f"'id': {i}" in text for i in audit_ids)
    with pytest.raises(NotAuthorized):
        service.figures_share(users["admin"], True)

    service.figures_share(manager, False)
    with pytest.raises(NotFound):
        _figures(south, "north")


def test_a_site_admin_sees_every_authority_and_names_one(users):
    admin = users["admin"]
    assert service.figures_authority(admin, None) is None
    assert _figures(admin, "south")["authority"]["slug"] == "south"
    assert [slug for slug, _ in service.figures_choices(admin)] == ["north", "south"]


def test_an_audit_counts_in_the_quarter_it_was_signed_off(users):
    """Started in a quarter that then ended, signed off in the next: it must not change the
    finished quarter's figures (before and after would give that one audit away)."""
    manager, worker = users["manager"], users["practitioner"]
    audits(manager, worker, 5, day=LAST, scale=8)
    before = _figures(manager)
    [late] = audits(manager, worker, 1, day=figures.date(2026, 9, 30), scale=1, rating="not_met")
    row = db.session.get(figures.MappingAudit, late)
    row.completed_at = figures.datetime(2026, 10, 2, 9)  # both signed in 2026-Q4
    db.session.commit()
    after = _figures(manager)
    assert after["audit_ratings"] == before["audit_ratings"]
    assert after["scales"] == before["scales"]
    later = _figures(manager, today=figures.date(2027, 1, 1))
    assert _quarter(later["scales"], "2026-Q4")["suppressed"] is True  # one audit: withheld


def test_a_team_named_like_the_no_team_group_is_kept_apart(users):
    """Grouped by team, not by name: a team renamed "No team recorded" must not join the
    answers with no team, whose figures less the team's would give one family away."""
    manager = users["manager"]
    alpha = team(manager, "Alpha")
    answers(manager.authority_id, alpha.id, 6, explained=8)
    answers(manager.authority_id, None, 1, explained=0, listened="no")
    alpha.name = figures.NO_TEAM
    db.session.commit()
    data = _figures(manager)
    rows = [r for r in data["feedback"]["by_team"] if r["quarter"] == "2026-Q3"]
    assert [(r["team"], r["suppressed"]) for r in rows] == [
        (figures.NO_TEAM, False), (figures.NO_TEAM, True),
    ]  # fmt: skip
    assert rows[0]["responses"] == 6
    assert _quarter(data["feedback"]["all_teams"], team=figures.ALL_TEAMS)["suppressed"] is True
