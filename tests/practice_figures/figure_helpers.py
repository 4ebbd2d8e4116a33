"""Helpers for the practice figures tests: completed audits and families' answers in a quarter."""

from datetime import date, datetime

from clearinghouse.audits.elements import elements
from clearinghouse.audits.models import MappingAudit, MappingAuditRating
from clearinghouse.extensions import db
from clearinghouse.feedback import service as feedback
from clearinghouse.models import utcnow
from clearinghouse.teams import service as teams

TODAY = date(2026, 12, 1)  # in 2026-Q4: the last completed quarter is 2026-Q3
LAST = date(2026, 8, 15)  # a day in 2026-Q3
EARLIER = date(2026, 5, 10)  # a day in 2026-Q2


def last_completed_day(day_of_month: int = 10) -> date:
    """Return a day in the last quarter ended before the real today (the pages' clock)."""
    quarter = feedback.recent_quarters(utcnow().date(), 2)[1]
    return date(int(quarter[:4]), (int(quarter[-1]) - 1) * 3 + 2, day_of_month)


def audits(manager, worker, count: int, day: date = LAST, *, scale: int = 6, rating="met",
           completed: bool = True) -> list[int]:  # fmt: skip
    """Add audits of the manager's authority on ``day``, each element rated alike; return ids."""
    ids = []
    for n in range(count):
        signed = datetime(day.year, day.month, day.day, 12) if completed else None
        row = MappingAudit(
            authority_id=manager.authority_id, case_key=f"{day.isoformat()}-{n}-{rating}",
            lead_id=manager.id, worker_id=worker.id, audit_date=day, scale=scale,
            lead_signed_at=signed, worker_signed_at=signed, completed_at=signed,
        )  # fmt: skip
        row.ratings = [
            MappingAuditRating(element=e.code, rating=rating, reason="x") for e in elements()
        ]
        db.session.add(row)
        db.session.flush()
        ids.append(row.id)
    db.session.commit()
    return ids


def team(manager, name: str):
    """Return the manager's authority's team of that name, made if need be."""
    return teams.team_find(manager.authority_id, name) or teams.team_create(
        manager, manager.authority_id, name
    )


def answers(authority_id: int, team_id, count: int, day: date = LAST, *, explained: int = 8,
            listened: str = "yes") -> None:  # fmt: skip
    """Store ``count`` paper forms received on ``day`` for the team (None: no team recorded)."""
    raw = {"explained": str(explained), "listened": listened, "helped": "Kind words", "better": ""}
    feedback.paper_import(authority_id, [(n, team_id, day, raw) for n in range(count)], today=day)
