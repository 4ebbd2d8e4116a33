"""Each authority's choice to share its practice figures (aggregates only) with the others."""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import utcnow


class PracticeFiguresSharing(db.Model):
    """Whether an authority shares its practice figures with the other authorities' managers.

    No row: not shared (nothing is shared until one of its managers chooses to).
    """

    __tablename__ = "practice_figures_sharing"

    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), primary_key=True)
    shared: Mapped[bool] = mapped_column(default=False)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
