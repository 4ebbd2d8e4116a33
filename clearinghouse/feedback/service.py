"""Families' answers: checked once for every way in (online, a paper form keyed in, a CSV of
paper forms), stored by authority, team and quarter, and summed for managers with no figure
for a group of fewer than MIN_GROUP answers."""

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select

from .. import permissions
from ..errors import InvalidInput, NotAuthorized
from ..extensions import db
from ..models import Authority, record_audit, utcnow
from ..teams.models import Team
from ..text import text_problem, whole_number
from . import codes
from .models import FeedbackResponse

log = logging.getLogger(__name__)

MIN_GROUP = 5  # no figure for fewer answers than this: no one can be recognised
# Every answer, online or paper, is stored in the quarter it reaches the service, never an
# earlier one: a quarter that is over never changes, so its figures and words, shown only once
# it is over, cannot be read before and after one family's answer was added to them.
MAX_TEXT = 1000
LISTENED = {"yes": "Yes", "a_bit": "A bit", "no": "No"}
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass
class Answers:
    """A family's answers to the four questions."""

    explained: int
    listened: str
    helped: str = ""
    better: str = ""


def quarter_of(day: date) -> str:
    """Return the calendar quarter a day is in, as "2026-Q4"."""
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def quarter_label(quarter: str) -> str:
    """Return a quarter in words: "2026-Q4" -> "October to December 2026"."""
    year, number = QUARTER.match(quarter).groups()
    months = ("January to March", "April to June", "July to September", "October to December")
    return f"{months[int(number) - 1]} {year}"


def answers_check(raw: dict) -> Answers:
    """Return the answers from plain values, or refuse them naming each field's problem."""
    problems = []
    explained = raw.get("explained")
    score = whole_number(explained, digits=2)
    if score is None or not 0 <= score <= 10:
        problems.append(("explained", "Choose a number from 0 to 10"))
    listened = str(raw.get("listened") or "").strip().lower().replace(" ", "_")
    if listened not in LISTENED:
        problems.append(("listened", "Choose yes, a bit or no"))
    texts = {}
    for name in ("helped", "better"):
        value = str(raw.get(name) or "").strip()
        if len(value) > MAX_TEXT:
            problems.append((name, f"Write {MAX_TEXT} characters or fewer"))
        elif text_problem(value):
            problems.append((name, "This answer contains a character that cannot be used"))
        texts[name] = value
    if problems:
        details = [{"path": path, "message": message} for path, message in problems]
        raise InvalidInput("invalid_answers", problems[0][1], details)
    return Answers(score, listened, texts["helped"], texts["better"])


def _store(authority_id: int, team_id, quarter: str, answers: Answers, source: str) -> None:
    db.session.add(
        FeedbackResponse(
            authority_id=authority_id,
            team_id=team_id,
            quarter=quarter,
            explained=answers.explained,
            listened=answers.listened,
            helped=answers.helped,
            better=answers.better,
            source=source,
        )
    )


def code_check(typed: str, address: str | None, now: datetime | None = None) -> str:
    """Check a code a family typed; return the authority's name for the answers page."""
    row = codes.code_find(typed, address, now)
    return db.session.get(Authority, row.authority_id).name


def feedback_submit(typed: str, raw: dict, address: str | None, now: datetime | None = None):
    """Store a family's answers given with their code, and use the code up."""
    now = now or utcnow()
    answers = answers_check(raw)  # a mistake in the answers must not use the code up
    row = codes.code_find(typed, address, now)
    if not codes.code_use(row):
        db.session.rollback()
        raise InvalidInput("code_used", codes.USED)
    _store(row.authority_id, row.team_id, quarter_of(now.date()), answers, "online")
    db.session.commit()


def recent_quarters(today: date, count: int = 4) -> list[str]:
    """Return this quarter and the ones before it, newest first."""
    year, index = today.year, (today.month - 1) // 3
    quarters = []
    for _ in range(count):
        quarters.append(f"{year}-Q{index + 1}")
        year, index = (year - 1, 3) if index == 0 else (year, index - 1)
    return quarters


def completed_quarters(today: date, count: int) -> list[str]:
    """Return the ``count`` quarters that are over before the one ``today`` is in, newest first."""
    return recent_quarters(today, count + 1)[1:]


def paper_enter(actor, raw: dict, today: date | None = None, code: str = "") -> None:
    """Store a paper form a practitioner keys in, for their authority, in the quarter it is
    keyed in (see MIN_GROUP); a code printed on the form is used up with it (so a family who
    also answered online is not counted twice), and the answers count for the team that gave
    the code, else the practitioner's team."""
    if not permissions.can_issue_feedback_code(actor):
        raise NotAuthorized("Only people who work for an authority can key in feedback forms.")
    answers = answers_check(raw)
    team_id = actor.team_id
    if (code or "").strip():
        row = codes.paper_code(actor.authority_id, code)
        _use(row)
        team_id = row.team_id
    _store(actor.authority_id, team_id, quarter_of(today or utcnow().date()), answers, "paper")
    record_audit(actor, "feedback_paper_entered", "feedback", "-")
    db.session.commit()


def _use(row) -> None:
    """Use a paper form's code up in this transaction, or refuse if another request just did."""
    if not codes.code_use(row):
        db.session.rollback()
        raise InvalidInput("code_used", codes.PAPER_USED)


def paper_import(
    authority_id: int, rows: list[tuple[int, int | None, date, dict]], today: date | None = None
) -> int:
    """Store checked paper forms (row number, team id, date received, answers), all or none,
    in the quarter they are imported (see MIN_GROUP); a row's code (its "code" answer, checked
    unused) is used up with it, and the row counts for the team that gave the code."""
    quarter = quarter_of(today or utcnow().date())
    for _number, team_id, _received, raw in rows:
        if (raw.get("code") or "").strip():
            row = codes.paper_code(authority_id, raw["code"])
            _use(row)
            team_id = row.team_id
        _store(authority_id, team_id, quarter, answers_check(raw), "paper")
    record_audit(None, "feedback_imported", "feedback", "-", about_authority_id=authority_id)
    db.session.commit()
    return len(rows)


def feedback_summary(actor, today: date | None = None) -> dict:
    """Return the actor's authority's answers summed by team and quarter (managers only), for
    quarters that are over: a figure that changed as each answer came in would let a manager
    who looked before and after read that one family's answer."""
    authority_id = getattr(actor, "authority_id", None)
    if not permissions.can_view_feedback_summary(actor, authority_id):
        raise NotAuthorized("Only managers can see their authority's feedback figures.")
    r = FeedbackResponse
    rows = db.session.execute(
        select(
            r.team_id,
            Team.name,
            r.quarter,
            func.count(),
            func.avg(r.explained),
            *(func.sum(case((r.listened == key, 1), else_=0)) for key in LISTENED),
        )
        .outerjoin(Team, Team.id == r.team_id)
        .where(r.authority_id == authority_id, r.quarter < quarter_of(today or utcnow().date()))
        .group_by(r.team_id, Team.name, r.quarter)
        .order_by(r.quarter, Team.name)
    ).all()
    groups = []
    for team_id, team, quarter, count, mean, *listened in rows:
        group = {"team": team, "team_id": team_id, "quarter": quarter}
        group["quarter_label"] = quarter_label(quarter)
        if count < MIN_GROUP:
            group.update(suppressed=True, responses=None, explained_mean=None, listened=None)
            group["note"] = f"Fewer than {MIN_GROUP} responses: not shown, so no one is recognised."
        else:
            group.update(suppressed=False, responses=count, explained_mean=round(float(mean), 1))
            group["listened"] = dict(zip(LISTENED, (int(n) for n in listened), strict=True))
        groups.append(group)
    authority = db.session.get(Authority, authority_id)
    return {
        "authority": {"slug": authority.slug, "name": authority.name},
        "min_group": MIN_GROUP,
        "groups": groups,
    }
