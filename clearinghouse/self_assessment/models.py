"""The self-assessment tables: each record kept for good, and each authority's sharing choice."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import Authority, User, utcnow


class SelfAssessment(db.Model):
    """One record of where an authority sees itself on the implementation scale (0 to 10).

    Immutable once made: a correction is a new record. ``note`` is the authority's own words
    about its practice, never case data.
    """

    __tablename__ = "self_assessment"
    __table_args__ = (
        CheckConstraint("scale >= 0 AND scale <= 10", name="ck_self_assessment_scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True)
    scale: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    authority: Mapped[Authority] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class SelfAssessmentSharing(db.Model):
    """Whether an authority shares its latest self-assessment with the other authorities.

    No row: not shared (nothing is shared until a manager chooses to).
    """

    __tablename__ = "self_assessment_sharing"

    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), primary_key=True)
    shared: Mapped[bool] = mapped_column(default=False)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
