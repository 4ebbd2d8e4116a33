"""The figures, worked out from completed audits and families' answers, small groups withheld.

A group is the set of audits or answers behind one figure (one quarter's audits; one team's
answers in one quarter). A group of 1 to MIN_GROUP - 1 gives no number at all, only
``suppressed``; an empty group gives its count, 0, which names no one. The authority-wide
feedback figure of a quarter is withheld too when the teams withheld that quarter hold
together 1 to MIN_GROUP - 1 answers: it minus the teams shown would give them away.
Individual rows are read here only to be counted; nothing returned names one.
"""

import logging
from datetime import date, datetime
from statistics import median

from sqlalchemy import select

from ..audits.elements import RATINGS, elements
from ..audits.models import MappingAudit, MappingAuditRating
from ..extensions import db
from ..feedback.models import FeedbackResponse
from ..feedback.service import (
    LISTENED,
    MIN_GROUP,
    quarter_label,
    quarter_of,
)
from ..feedback.service import completed_quarters as quarters_over
from ..teams.models import Team

log = logging.getLogger(__name__)

QUARTERS_SHOWN = 8
# Scales are banded: with a handful of audits a quarter, eleven columns would be mostly 0s and
# 1s; three bands say the same thing and are harder to match with one audit.
BANDS = (("0-3", 0, 3), ("4-6", 4, 6), ("7-10", 7, 10))
GOOD_SCORE = 7  # "share scoring 7 or more"
NO_TEAM = "No team recorded"
ALL_TEAMS = "All teams"
FEWER = "fewer_than_min"
REVEALS = "would_reveal_a_small_team"


def completed_quarters(today: date, count: int = QUARTERS_SHOWN) -> list[str]:
    """Return the last ``count`` calendar quarters ended before today, oldest first."""
    return list(reversed(quarters_over(today, count)))


def _quarter_start(quarter: str) -> date:
    return date(int(quarter[:4]), (int(quarter[-1]) - 1) * 3 + 1, 1)


def _rounded(value: float) -> float | int:
    value = round(value, 1)
    return int(value) if value == int(value) else value


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole)


def _withheld(quarter: str, reason: str = FEWER, **names) -> dict:
    return {"quarter": quarter, "quarter_label": quarter_label(quarter), **names,
            "suppressed": True, "reason": reason}  # fmt: skip


def _completed_audits(authority_id: int, quarters: list[str]) -> dict[str, list[MappingAudit]]:
    """Return the authority's audits signed off in the quarters, by the quarter of the second
    sign-off: an audit started in one quarter and signed off in the next must not change a
    quarter already shown (before and after would give that one audit away)."""
    year, number = int(quarters[-1][:4]), int(quarters[-1][-1])
    end = date(year + 1, 1, 1) if number == 4 else date(year, number * 3 + 1, 1)
    start = _quarter_start(quarters[0])
    rows = db.session.scalars(
        select(MappingAudit).where(
            MappingAudit.authority_id == authority_id,
            MappingAudit.completed_at >= datetime(start.year, start.month, start.day),
            MappingAudit.completed_at < datetime(end.year, end.month, end.day),
        )
    )
    by_quarter: dict[str, list[MappingAudit]] = {q: [] for q in quarters}
    for row in rows:
        by_quarter[quarter_of(row.completed_at.date())].append(row)
    return by_quarter


def audit_ratings(authority_id: int, quarters: list[str]) -> list[dict]:
    """Return, for each quarter, how many completed audits rated each element met, partly
    met or not met (figure 1)."""
    audits = _completed_audits(authority_id, quarters)
    ids = [a.id for rows in audits.values() for a in rows]
    ratings: dict[int, dict[str, str]] = {}
    if ids:
        for audit_id, code, rating in db.session.execute(
            select(MappingAuditRating.audit_id, MappingAuditRating.element,
                   MappingAuditRating.rating).where(MappingAuditRating.audit_id.in_(ids))
        ):  # fmt: skip
            ratings.setdefault(audit_id, {})[code] = rating
    result = []
    for quarter, rows in audits.items():
        if 0 < len(rows) < MIN_GROUP:
            result.append(_withheld(quarter))
            continue
        counted = []
        for e in elements():
            given = [ratings.get(a.id, {}).get(e.code) for a in rows]
            counted.append({"element": e.code, "label": e.label}
                           | {r: given.count(r) for r in RATINGS})  # fmt: skip
        result.append({"quarter": quarter, "quarter_label": quarter_label(quarter),
                       "suppressed": False, "audits": len(rows), "elements": counted})  # fmt: skip
    return result


def scales(authority_id: int, quarters: list[str]) -> list[dict]:
    """Return, for each quarter, completed audits' mapping scales in bands, with the median
    (figure 2)."""
    result = []
    for quarter, rows in _completed_audits(authority_id, quarters).items():
        given = [a.scale for a in rows if a.scale is not None]
        if 0 < len(given) < MIN_GROUP:
            result.append(_withheld(quarter))
            continue
        bands = {name: sum(low <= s <= high for s in given) for name, low, high in BANDS}
        result.append({"quarter": quarter, "quarter_label": quarter_label(quarter),
                       "suppressed": False, "audits": len(given), "bands": bands,
                       "median": _rounded(median(given)) if given else None})  # fmt: skip
    return result


def _answers_summed(quarter: str, team: str, answers: list[tuple[int, str]]) -> dict:
    scores = [score for score, _ in answers]
    count = len(scores)
    figure = {"quarter": quarter, "quarter_label": quarter_label(quarter), "team": team,
              "suppressed": False, "responses": count}  # fmt: skip
    if count:
        heard = [listened for _, listened in answers]
        figure |= {
            "explained_median": _rounded(median(scores)),
            "explained_mean": _rounded(sum(scores) / count),
            "explained_7_or_more_percent": _percent(sum(s >= GOOD_SCORE for s in scores), count),
            "listened_percent": {key: _percent(heard.count(key), count) for key in LISTENED},
        }
    return figure


def feedback(authority_id: int, quarters: list[str]) -> dict[str, list[dict]]:
    """Return families' answers to "did we explain clearly why we were worried?" and "did you
    feel listened to?", by quarter for all teams and by team and quarter (figure 3)."""
    r = FeedbackResponse
    rows = db.session.execute(
        select(r.quarter, r.team_id, Team.name, r.explained, r.listened)
        .outerjoin(Team, Team.id == r.team_id)
        .where(r.authority_id == authority_id, r.quarter.in_(quarters))
    )
    # Grouped by the team's id, never its name: a team renamed "No team recorded" must not
    # join the answers that have no team (its figures less theirs would give one away).
    grouped: dict[str, dict[tuple, list]] = {q: {} for q in quarters}
    for quarter, team_id, name, explained, listened in rows:
        key = (team_id is None, (name or NO_TEAM).lower(), team_id or 0, name or NO_TEAM)
        grouped[quarter].setdefault(key, []).append((explained, listened))
    all_teams, by_team = [], []
    for quarter, teams in grouped.items():
        withheld = 0
        for key in sorted(teams):
            team, answers = key[-1], teams[key]
            if len(answers) < MIN_GROUP:
                withheld += len(answers)
                by_team.append(_withheld(quarter, team=team))
            else:
                by_team.append(_answers_summed(quarter, team, answers))
        everyone = [a for answers in teams.values() for a in answers]
        if 0 < len(everyone) < MIN_GROUP:
            all_teams.append(_withheld(quarter, team=ALL_TEAMS))
        elif 0 < withheld < MIN_GROUP:
            all_teams.append(_withheld(quarter, REVEALS, team=ALL_TEAMS))
        else:
            all_teams.append(_answers_summed(quarter, ALL_TEAMS, everyone))
    return {"all_teams": all_teams, "by_team": by_team}
