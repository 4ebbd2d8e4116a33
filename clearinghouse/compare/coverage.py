"""Coverage: which authorities have a current document of each resource type.

A column is a practice stage and a document type. A document is counted under its own
practice stage, which its editor chose, not only the type's usual one: a "Procedure" for child
protection conferences belongs with child protection, not with organisational documents. The
usual stage's column of every type is always shown; other stages' columns of a type only when a
document the user may see is filed there.

A cell counts the current (not withdrawn) documents of one authority and one column that the
user may see: every authority's shared documents, and, for the user's own authority only,
its internal ones too, marked "internal" so a manager sees what is not yet shared. Another
authority's internal documents are never counted, listed or linked.

Beside each authority's row stands its latest implementation self-assessment (scale and date):
the user's own authority's always, another's only while that authority shares it.
"""

import csv
import io
import logging

from sqlalchemy import func, select

from .. import permissions
from ..errors import InvalidInput, NotAuthorized
from ..extensions import db
from ..models import Authority, DocType, Document, DocumentVersion
from ..self_assessment.service import self_assessments_beside
from ..vocabulary import STAGE_LABELS, STAGES

log = logging.getLogger(__name__)

CSV_COLUMNS = [
    "authority",
    "authority_name",
    "stage",
    "doc_type",
    "doc_type_label",
    "status",
    "documents",
    "document_id",
    "title",
    "latest_version",
    "latest_version_date",
    "version_count",
    "url",
    "self_assessment_scale",
    "self_assessment_date",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _problem(code: str, path: str, message: str) -> InvalidInput:
    return InvalidInput(code, message, [{"path": path, "message": message}])


def _doc_types(stage: str | None) -> list[DocType]:
    query = select(DocType).order_by(DocType.position, DocType.label)
    if stage:
        if stage not in STAGE_LABELS:
            raise _problem("unknown_stage", "stage", "Choose a practice stage from the list.")
        query = query.where(DocType.stage == stage)
    return list(db.session.scalars(query))


def _authorities(slug: str | None) -> list[Authority]:
    query = select(Authority).order_by(Authority.name)
    if slug:
        query = query.where(Authority.slug == slug)
    found = list(db.session.scalars(query))
    if slug and not found:
        raise _problem("unknown_authority", "authority", "Choose an authority from the list.")
    return found


def _documents(user, authority_ids: list[int]) -> list:
    counts = (
        select(
            DocumentVersion.document_id.label("document_id"),
            func.count().label("version_count"),
            func.max(DocumentVersion.number).label("latest_version"),
            func.max(DocumentVersion.uploaded_at).label("latest_date"),
        )
        .group_by(DocumentVersion.document_id)
        .subquery()
    )
    query = (
        select(
            Document.id,
            Document.title,
            Document.authority_id,
            Document.doc_type,
            Document.stage,
            Document.visibility,
            counts.c.version_count,
            counts.c.latest_version,
            counts.c.latest_date,
        )
        .join(counts, counts.c.document_id == Document.id)
        .where(permissions.visible_documents_clause(user))
        .where(Document.authority_id.in_(authority_ids))
        .order_by(counts.c.latest_date.desc(), Document.id.desc())
    )
    return list(db.session.execute(query))


def _columns(doc_types: list[DocType], stage: str | None, rows: list) -> list[tuple[str, str]]:
    """Return the (stage, type) columns: each type at its usual stage, then where documents
    were filed under another stage; in the vocabulary's stage order, then the types' order."""
    known = {t.slug for t in doc_types} if stage is None else None
    wanted = {(t.stage, t.slug) for t in doc_types}
    for row in rows:
        if (stage is None and row.doc_type in known) or row.stage == stage:
            wanted.add((row.stage, row.doc_type))
    stage_order = {slug: n for n, (slug, _label) in enumerate(STAGES)}
    type_order = {slug: n for n, slug in enumerate(_all_type_slugs())}
    return sorted(
        (c for c in wanted if c[0] in stage_order and c[1] in type_order),
        key=lambda c: (stage_order[c[0]], type_order[c[1]]),
    )


def _all_type_slugs() -> list[str]:
    return list(db.session.scalars(select(DocType.slug).order_by(DocType.position, DocType.label)))


def coverage_matrix(user, stage: str | None = None, authority: str | None = None) -> dict:
    """Return the matrix of authorities by practice stage and document type."""
    if not permissions.can_read(user):
        raise NotAuthorized("Sign in to see coverage.")
    stage = (stage or "").strip() or None
    authority = (authority or "").strip() or None
    doc_types = _doc_types(stage)
    authorities = _authorities(authority)
    rows_found = _documents(user, [a.id for a in authorities])
    columns = _columns(doc_types, stage, rows_found)
    found: dict[tuple[int, str, str], list[dict]] = {}
    for row in rows_found:
        found.setdefault((row.authority_id, row.stage, row.doc_type), []).append(
            {
                "id": row.id,
                "title": row.title,
                "visibility": row.visibility,
                "latest_version": row.latest_version,
                "latest_version_date": row.latest_date.date().isoformat(),
                "version_count": row.version_count,
            }
        )
    scales = self_assessments_beside(user, [a.id for a in authorities])
    rows = []
    for auth in authorities:
        cells = []
        for column_stage, slug in columns:
            documents = found.get((auth.id, column_stage, slug), [])
            # Shared documents first: they are what the partnership can use.
            documents.sort(key=lambda d: d["visibility"] != "shared")
            cells.append(_cell(column_stage, slug, documents))
        rows.append(
            {
                "authority": auth.slug,
                "authority_name": auth.name,
                "own": auth.id == user.authority_id,
                "shared_count": sum(1 for c in cells if c["status"] == "shared"),
                "self_assessment": scales.get(auth.id),
                "cells": cells,
            }
        )
    totals: dict[str, int] = {}
    for row in rows:
        for cell in row["cells"]:
            totals.setdefault(cell["doc_type"], 0)
            totals[cell["doc_type"]] += cell["status"] == "shared"
    return {
        "filters": {"stage": stage, "authority": authority},
        "stages": _stage_groups(columns, rows),
        "rows": rows,
        "totals": totals,
    }


def _cell(stage: str, doc_type: str, documents: list[dict]) -> dict:
    first = documents[0] if documents else None
    if first is None:
        status = "missing"
    else:
        status = "shared" if first["visibility"] == "shared" else "internal"
    return {
        "stage": stage,
        "doc_type": doc_type,
        "status": status,
        "document_id": first["id"] if first else None,
        "title": first["title"] if first else None,
        "latest_version": first["latest_version"] if first else None,
        "latest_version_date": first["latest_version_date"] if first else None,
        "version_count": first["version_count"] if first else 0,
        "documents": documents,
    }


def _stage_groups(columns: list[tuple[str, str]], rows: list[dict]) -> list[dict]:
    labels = dict(db.session.execute(select(DocType.slug, DocType.label)).all())
    groups = []
    for slug, label in STAGES:
        members = [
            {
                "slug": doc_type,
                "label": labels.get(doc_type, doc_type),
                "shared": sum(
                    1
                    for r in rows
                    for c in r["cells"]
                    if (c["stage"], c["doc_type"]) == (slug, doc_type) and c["status"] == "shared"
                ),
            }
            for stage, doc_type in columns
            if stage == slug
        ]
        if members:
            groups.append({"stage": slug, "label": label, "doc_types": members})
    return groups


def csv_safe(value) -> str:
    """Return a cell value that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def coverage_csv(matrix: dict, document_url) -> str:
    """Return the matrix as CSV, one line per authority and document type."""
    labels = {t["slug"]: t["label"] for g in matrix["stages"] for t in g["doc_types"]}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in matrix["rows"]:
        scale = row.get("self_assessment") or {}
        for cell in row["cells"]:
            values = [
                row["authority"],
                row["authority_name"],
                cell["stage"],
                cell["doc_type"],
                labels[cell["doc_type"]],
                cell["status"],
                len(cell["documents"]),
                cell["document_id"],
                cell["title"],
                cell["latest_version"],
                cell["latest_version_date"],
                cell["version_count"],
                document_url(cell["document_id"]) if cell["document_id"] else "",
                scale.get("scale"),
                scale.get("date"),
            ]
            writer.writerow([csv_safe(v) for v in values])
    return out.getvalue()
