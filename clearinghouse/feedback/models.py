"""Feedback tables: one-time codes, answers and failed code attempts.

Nothing here names a family or the worker who issued a code: a code keeps its authority and
team; an answer keeps its authority, team and quarter, and no link to the code it came with.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import utcnow


class FeedbackCode(db.Model):
    """A one-time code a practitioner gave a family; only its keyed hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    # When it was used is not kept: a time could be matched with an answer's.
    used: Mapped[bool] = mapped_column(default=False)


class FeedbackResponse(db.Model):
    """A family's answers, online or from a paper form: anonymous, counted by team and quarter."""

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(7), index=True)  # "2026-Q4", calendar quarters
    explained: Mapped[int]  # "Did we explain clearly why we were worried?" 0 to 10
    listened: Mapped[str] = mapped_column(String(5))  # yes, a_bit or no
    helped: Mapped[str] = mapped_column(Text, default="")
    better: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10))  # online or paper


class FeedbackAttempt(db.Model):
    """A wrong, used or expired code entered from one address, for the per-address limit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
