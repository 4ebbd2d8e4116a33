"""The database tables: authorities, people, documents and their versions, templates, audit,
saved comparisons, and stored files when they are kept in the database."""

from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from .extensions import db

ROLES = ("practitioner", "editor", "manager", "admin")
VISIBILITIES = ("shared", "internal")


def utcnow() -> datetime:
    """Return the current time in UTC, without tzinfo (as SQLite stores it)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Authority(db.Model):
    """A local authority's children's services."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(UserMixin, db.Model):
    """A person who signs in, with one role in one authority (admins may have none)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id"))
    role: Mapped[str] = mapped_column(String(20))
    # The user's team in their authority (clearinghouse/teams/models.py), if they have one.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    authority: Mapped[Authority | None] = relationship()

    @property
    def is_active(self) -> bool:
        """Return whether the account may sign in (flask-login asks this)."""
        return bool(self.active)


class ApiToken(db.Model):
    """A named bearer token for the API; only its sha256 is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class DocType(db.Model):
    """A document type in the controlled vocabulary (admins may add more)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)


class Document(db.Model):
    """A form, policy, procedure or guidance of one authority; its content lives in versions."""

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    doc_type: Mapped[str] = mapped_column(ForeignKey("doc_type.slug"), index=True)
    stage: Mapped[str] = mapped_column(String(40))
    tags: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(10), default="internal")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]

    authority: Mapped[Authority] = relationship()
    versions: Mapped[list["DocumentVersion"]] = relationship(
        back_populates="document", order_by="DocumentVersion.number"
    )

    @property
    def tag_list(self) -> list[str]:
        """Return the tags as a list."""
        return [t for t in (self.tags or "").split(",") if t]

    @property
    def latest(self) -> "DocumentVersion | None":
        """Return the newest version, reading only that one unless all are loaded already."""
        if "versions" not in inspect(self).unloaded:
            return self.versions[-1] if self.versions else None
        session = object_session(self)
        if session is None:
            return self.versions[-1] if self.versions else None
        return session.scalar(
            select(DocumentVersion)
            .where(DocumentVersion.document_id == self.id)
            .order_by(DocumentVersion.number.desc())
            .limit(1)
        )


class DocumentVersion(db.Model):
    """One immutable upload of a document.

    ``sections`` is a list of ``{"heading": str | None, "level": int, "text": str}`` in
    document order; ``extracted_text`` is the whole text, headings included; ``html`` is the
    sanitised HTML made once at upload (None for versions uploaded before it existed).
    """

    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    number: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    change_note: Mapped[str] = mapped_column(Text, default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    extracted_text: Mapped[str] = mapped_column(Text, default="")
    sections: Mapped[list] = mapped_column(JSON, default=list)
    html: Mapped[str | None] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship()


class SignInFailure(db.Model):
    """A failed sign-in from one address, counted by every worker for the per-address limit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class IndexTask(db.Model):
    """A search index update recorded with the change and applied after commit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class Template(db.Model):
    """An authority's own docxtpl template for a library document type."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True)
    library_slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    visibility: Mapped[str] = mapped_column(String(10), default="internal")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    authority: Mapped[Authority] = relationship()
    versions: Mapped[list["TemplateVersion"]] = relationship(
        back_populates="template", order_by="TemplateVersion.number"
    )


class TemplateVersion(db.Model):
    """One immutable upload of a template, with its check report and status."""

    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("template.id"), index=True)
    number: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    change_note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="draft")
    report: Mapped[dict] = mapped_column(JSON, default=dict)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    template: Mapped[Template] = relationship(back_populates="versions")


class TemplateChoice(db.Model):
    """Which template a user last chose for a library document type."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    library_slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    choice: Mapped[str] = mapped_column(String(120))


class AuditEvent(db.Model):
    """Who did what to which object, and when; never file contents or case data."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(80))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    # The authority whose managers see the event: the actor's, or the changed user's.
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id"), index=True)


class PasswordReset(db.Model):
    """A one-time link an admin gave someone to set a new password; only its sha256 is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])


def record_audit(
    user, action: str, object_type: str, object_id, *, about_authority_id=None, **detail
) -> AuditEvent:
    """Add an audit event to the session (committed with the operation).

    The event belongs to the actor's authority, or to ``about_authority_id`` when given (an
    admin changing a user of an authority), so that authority's managers see it.
    """
    event = AuditEvent(
        user_id=getattr(user, "id", None),
        authority_id=about_authority_id or getattr(user, "authority_id", None),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )
    db.session.add(event)
    return event


class SavedComparison(db.Model):
    """A named comparison of two document versions, shared within the authority it was saved in.

    Holds the documents' ids and version numbers and the explicit pairs a manager chose
    (``pairs``, as "3:5,4:-"), never the documents' words: opening it compares them again.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    name: Mapped[str] = mapped_column(String(120))
    left_document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    left_version: Mapped[int]
    right_document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    right_version: Mapped[int]
    pairs: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    authority: Mapped[Authority] = relationship()
    created_by: Mapped[User | None] = relationship()


class ProfileVersion(db.Model):
    """One immutable version of an authority's profile: the case model's ``authority`` object.

    ``data`` validates against ``$defs/authority`` of the case schema; ``logo_sha256`` names a
    PNG or JPEG in the blob store (or None); ``changes`` lists the field paths that changed
    from the version before (never their values).
    """

    __table_args__ = (UniqueConstraint("authority_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True)
    number: Mapped[int]
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    logo_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    changes: Mapped[list] = mapped_column(JSON, default=list)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    authority: Mapped[Authority] = relationship()
    changed_by: Mapped[User | None] = relationship()


class Blob(db.Model):
    """A stored file, by its sha256, when CLEARINGHOUSE_BLOB_STORE=database; bytes in chunks."""

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)  # renewed by a re-upload


class BlobChunk(db.Model):
    """One piece (1 MiB, the last shorter) of a stored file, so none needs one huge value."""

    sha256: Mapped[str] = mapped_column(
        String(64), ForeignKey("blob.sha256", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
