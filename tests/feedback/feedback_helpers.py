"""Helpers for the feedback tests: teams with people in them, codes, answers, responses."""

from clearinghouse.feedback import codes, service
from clearinghouse.teams import service as teams

ANSWERS = {"explained": "7", "listened": "a_bit", "helped": "The plan", "better": "Sooner"}


def in_team(manager, person, name: str = "Family support"):
    """Put the person in the manager's authority's team of that name (made if need be)."""
    team = teams.team_find(manager.authority_id, name) or teams.team_create(
        manager, manager.authority_id, name
    )
    teams.user_set_team(manager, person.id, team.id)
    return team


def answers(**changes) -> dict:
    """Return good answers with some changed."""
    return {**ANSWERS, **changes}


def respond(
    worker, count: int, explained: int = 5, listened: str = "yes", address="10.0.0.1", now=None
):
    """Have families answer online with codes the worker issued (at ``now``, if given);
    return the codes."""
    issued = []
    for _ in range(count):
        code = codes.code_issue(worker, now=now).code
        raw = answers(explained=str(explained), listened=listened)
        service.feedback_submit(code, raw, address, now=now)
        issued.append(code)
    return issued
