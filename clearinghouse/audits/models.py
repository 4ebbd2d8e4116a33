"""The mapping audit's tables: ratings, reasons, a scale, who took part; never the case.

The case is known only by ``case_key``: the HMAC of the authority's own case reference under
a key that is not in the database (reference.py), so typing the reference finds the case's
audits again but the database alone cannot tell which case an audit was about.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import Authority, User, utcnow


class MappingAudit(db.Model):
    """One audit of one case's mapping, editable until its lead and worker both sign it off."""

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True)
    case_key: Mapped[str] = mapped_column(String(64), index=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Each participant's team when the audit started (teams/models.py): a later move of team
    # does not move the audit's figures with them.
    lead_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    worker_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    audit_date: Mapped[date] = mapped_column(Date)
    scale: Mapped[int | None]
    lead_signed_at: Mapped[datetime | None]
    worker_signed_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("mapping_audit.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    authority: Mapped[Authority] = relationship()
    lead: Mapped[User] = relationship(foreign_keys=[lead_id])
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    lead_team: Mapped["Team | None"] = relationship("Team", foreign_keys=[lead_team_id])  # noqa: F821
    worker_team: Mapped["Team | None"] = relationship("Team", foreign_keys=[worker_team_id])  # noqa: F821
    ratings: Mapped[list["MappingAuditRating"]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", order_by="MappingAuditRating.id"
    )


class MappingAuditRating(db.Model):
    """The rating the two agreed for one element of the mapping, with its reason's code."""

    __table_args__ = (UniqueConstraint("audit_id", "element"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("mapping_audit.id"), index=True)
    element: Mapped[str] = mapped_column(String(40))
    rating: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(40))

    audit: Mapped[MappingAudit] = relationship(back_populates="ratings")
