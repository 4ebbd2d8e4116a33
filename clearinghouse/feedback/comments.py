"""What families wrote ("what helped", "what could be better"), read by their authority's
managers without anyone being recognised.

A family's own words can say more than a score, so they are shown only:
- for quarters that are over: words that appeared as they came would let a reader tie a new
  comment to the family a worker had just seen, or to the paper form just keyed in;
- for a team's quarter of at least MIN_GROUP responses (service.MIN_GROUP), as the figures;
- in alphabetical order, with no date, no source (online or paper) and no score beside them,
  so nothing links a comment to when, how or with what answer it came.
Each reading is recorded in the audit log (who read which authority's words), never the words.
"""

import logging
from datetime import date

from sqlalchemy import func, select

from .. import permissions
from ..errors import NotAuthorized
from ..extensions import db
from ..models import Authority, record_audit, utcnow
from ..teams.models import Team
from .models import FeedbackResponse
from .service import MIN_GROUP, completed_quarters, quarter_label, quarter_of

log = logging.getLogger(__name__)

QUARTERS = 4  # the last four quarters that are over


def feedback_comments(actor, today: date | None = None) -> dict:
    """Return the words families wrote to the actor's authority, by quarter and team, for
    groups large enough that no one is recognised (the authority's managers only)."""
    authority_id = getattr(actor, "authority_id", None)
    if not permissions.can_view_feedback_summary(actor, authority_id):
        raise NotAuthorized("Only managers can read what families told their authority.")
    today = today or utcnow().date()
    quarters = completed_quarters(today, QUARTERS)
    r = FeedbackResponse
    sizes = db.session.execute(
        select(r.quarter, r.team_id, Team.name, func.count())
        .outerjoin(Team, Team.id == r.team_id)
        .where(r.authority_id == authority_id, r.quarter.in_(quarters))
        .group_by(r.quarter, r.team_id, Team.name)
    ).all()
    shown = {(quarter, team_id) for quarter, team_id, _, count in sizes if count >= MIN_GROUP}
    words = _words(authority_id, shown)
    groups = []
    for quarter, team_id, team, count in sorted(sizes, key=_newest_quarter_then_team):
        group = {"quarter": quarter, "quarter_label": quarter_label(quarter), "team": team}
        if (quarter, team_id) in shown:
            helped, better = words.get((quarter, team_id), ([], []))
            group.update(suppressed=False, responses=count, helped=helped, better=better)
        else:
            group.update(suppressed=True, responses=None, helped=None, better=None)
            group["note"] = f"Fewer than {MIN_GROUP} responses: their words are not shown."
        groups.append(group)
    authority = db.session.get(Authority, authority_id)
    record_audit(actor, "feedback_comments_read", "authority", authority.slug)
    db.session.commit()
    return {
        "authority": {"slug": authority.slug, "name": authority.name},
        "min_group": MIN_GROUP,
        "quarters": [{"quarter": q, "quarter_label": quarter_label(q)} for q in quarters],
        "in_progress": quarter_label(quarter_of(today)),
        "groups": groups,
    }


def _words(authority_id: int, shown: set) -> dict:
    """Return {(quarter, team id): (helped, better)}, each list in alphabetical order."""
    if not shown:
        return {}
    r = FeedbackResponse
    found: dict = {}
    rows = db.session.execute(
        select(r.quarter, r.team_id, r.helped, r.better).where(
            r.authority_id == authority_id, r.quarter.in_({q for q, _ in shown})
        )
    )
    for quarter, team_id, helped, better in rows:
        if (quarter, team_id) not in shown:
            continue
        lists = found.setdefault((quarter, team_id), ([], []))
        for text, into in ((helped, lists[0]), (better, lists[1])):
            if text and text.strip():
                into.append(text.strip())
    return {
        key: (sorted(h, key=str.casefold), sorted(b, key=str.casefold))
        for key, (h, b) in found.items()
    }


def _newest_quarter_then_team(row) -> tuple:
    quarter, _team_id, team, _count = row
    year, number = quarter.split("-Q")
    return (-int(year), -int(number), team is None, (team or "").casefold())
