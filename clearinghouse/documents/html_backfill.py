"""Store the HTML of versions uploaded before HTML was made at upload, so views never render.

Each version's HTML is what its page shows today (made under the same limits), stored in
batches of one commit each; the file and its metadata are not touched.
"""

import logging
from dataclasses import dataclass

from sqlalchemy import func, select

from .. import storage
from ..extensions import db
from ..models import DocumentVersion
from .reading import html_made_now

log = logging.getLogger(__name__)


@dataclass
class BackfillResult:
    """How many versions got their HTML, and how many could not be read."""

    filled: int = 0
    unreadable: int = 0


def versions_without_html() -> int:
    """Return how many versions have no stored HTML."""
    return db.session.scalar(
        select(func.count()).select_from(DocumentVersion).where(DocumentVersion.html.is_(None))
    )


def versions_html_backfill(batch: int = 100, progress=None) -> BackfillResult:
    """Make and store the HTML of every version without it, a batch per commit."""
    result = BackfillResult()
    after = 0
    while True:
        versions = db.session.scalars(
            select(DocumentVersion)
            .where(DocumentVersion.html.is_(None), DocumentVersion.id > after)
            .order_by(DocumentVersion.id)
            .limit(batch)
        ).all()
        if not versions:
            return result
        for version in versions:
            after = version.id
            try:
                version.html = html_made_now(version)
            except storage.BlobCorrupted as exc:  # a missing or damaged file: leave it
                log.warning("version %s has no readable file (%s)", version.id, type(exc).__name__)
                result.unreadable += 1
                continue
            result.filled += 1
        db.session.commit()
        if progress is not None:
            progress(len(versions))
