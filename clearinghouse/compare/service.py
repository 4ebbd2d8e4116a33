"""Compare documents: two versions of one, two authorities' documents, or several at once.

Every function takes the acting user and reads documents only through
documents.service.visible_document / visible_version, so nobody compares what they may not
see (NotFound, as everywhere else). Results are plain dicts; ``api_sections`` trims the
section rows to the API's published shape.

Two versions of one document pair their sections by heading and content (align.py), exactly
as before. Two different documents pair them by meaning (align_meaning.py): purpose, words
and position as one assignment, around any pairs a person fixed (``pairs``, "3:5,4:-").
"""

import logging
import re

from sqlalchemy import select

from .. import permissions
from ..documents.service import doc_type_labels, visible_document, visible_version
from ..errors import InvalidInput, NotAuthorized
from ..extensions import db
from ..models import Authority, Document, DocumentVersion
from .align import align_sections
from .align_meaning import align_by_meaning
from .pairs import check_pairs, pairs_text
from .pairs import parse_pairs as parse_pairs
from .purpose_table import purpose_rows
from .sections import api_sections as api_sections
from .sections import heading, section_row, sections_compare

log = logging.getLogger(__name__)

MAX_ID = 2**31 - 1
MAX_DOCUMENTS = 6
_REF = re.compile(r"^\s*(\d{1,10})\s*(?:@\s*(\d{1,10})\s*)?$")


def _check(user) -> None:
    if not permissions.can_compare(user):
        raise NotAuthorized("You do not have permission to compare documents.")


def _problem(code: str, name: str, message: str, status: int = 422) -> InvalidInput:
    return InvalidInput(code, message, [{"path": name, "message": message}], status=status)


def parse_number(value, name: str, label: str) -> int | None:
    """Return a version or document number from a parameter; blank means None."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if not text.isdigit() or not 0 < int(text) <= MAX_ID:
        raise _problem("invalid_parameter", name, f"{label} must be a whole number, like 2.")
    return int(text)


def parse_ref(value, name: str) -> tuple[int, int | None]:
    """Return (document id, version or None) from "<id>" or "<id>@<version>"."""
    if value is None or str(value).strip() == "":
        raise _problem("missing_parameter", name, f"Choose a document for “{name}”.", status=400)
    match = _REF.match(str(value))
    if not match or not all(0 < int(g) <= MAX_ID for g in match.groups() if g):
        raise _problem(
            "invalid_parameter",
            name,
            f"“{name}” must be a document number, optionally with a version, like 12 or 12@3.",
        )
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def _version(user, document_id: int, number: int | None) -> DocumentVersion:
    if not 0 < document_id <= MAX_ID:
        document_id = 0  # never ask SQLite for an id it cannot hold
    document = visible_document(user, document_id)
    if number is None:
        if document.latest is None:
            raise _problem("no_versions", "version", "That document has no versions yet.")
        return document.latest
    return visible_version(user, document.id, number)


def _doc_info(version: DocumentVersion, labels: dict) -> dict:
    document = version.document
    return {
        "id": document.id,
        "title": document.title,
        "authority": document.authority.slug,
        "authority_name": document.authority.name,
        "doc_type": document.doc_type,
        "doc_type_label": labels.get(document.doc_type, document.doc_type),
        "visibility": document.visibility,
        "version": version.number,
        "latest_version": document.latest.number if document.latest else version.number,
        "version_date": version.uploaded_at.isoformat() + "Z",
        "filename": version.filename,
    }


def _version_numbers(document_id: int) -> list[int]:
    """Return a document's version numbers in order, without loading the versions."""
    return list(
        db.session.scalars(
            select(DocumentVersion.number)
            .where(DocumentVersion.document_id == document_id)
            .order_by(DocumentVersion.number)
        )
    )


def version_diff(user, document_id: int, from_number=None, to_number=None) -> dict:
    """Diff two versions of a document (defaults: the latest against the one before)."""
    _check(user)
    from_n = parse_number(from_number, "from", "The earlier version")
    to_n = parse_number(to_number, "to", "The later version")
    document = visible_document(user, document_id if 0 < document_id <= MAX_ID else 0)
    numbers = _version_numbers(document.id)
    to_n = to_n or (numbers[-1] if numbers else None)
    if from_n is None:
        earlier = [n for n in numbers if to_n is not None and n < to_n]
        if not earlier:
            message = (
                "This document has only one version, so there is nothing to compare it with."
                if len(numbers) <= 1
                else f"There is no version before version {to_n}. Choose an earlier version."
            )
            raise _problem("no_earlier_version", "from", message)
        from_n = earlier[-1]
    old = visible_version(user, document.id, from_n)
    new = visible_version(user, document.id, to_n)
    labels = doc_type_labels()
    result = sections_compare(old.sections or [], new.sections or [])
    result.update(
        document=_doc_info(new, labels),
        versions=numbers,
        **{"from": _version_summary(old), "to": _version_summary(new)},
    )
    return result


def visible_document_info(user, document_id: int) -> dict:
    """Return a document's title, authority and version numbers, if the user may see it."""
    _check(user)
    document = visible_document(user, document_id if 0 < document_id <= MAX_ID else 0)
    return {
        "id": document.id,
        "title": document.title,
        "authority_name": document.authority.name,
        "versions": _version_numbers(document.id),
    }


def _version_summary(version: DocumentVersion) -> dict:
    return {
        "number": version.number,
        "uploaded_at": version.uploaded_at.isoformat() + "Z",
        "change_note": version.change_note,
        "filename": version.filename,
    }


def documents_compare(user, left: str, right: str, pairs=None) -> dict:
    """Compare two documents ("<id>" or "<id>@<version>") section by section, with pairs fixed."""
    _check(user)
    left_ref, right_ref = parse_ref(left, "left"), parse_ref(right, "right")
    wanted = parse_pairs(pairs if pairs is None or isinstance(pairs, str) else pairs_text(pairs))
    lv, rv = _version(user, *left_ref), _version(user, *right_ref)
    ls, rs = lv.sections or [], rv.sections or []
    fixed = _fixed(lv, rv, wanted)
    if lv.document_id == rv.document_id:
        result = sections_compare(ls, rs)
    else:
        result = sections_compare(ls, rs, align_by_meaning(ls, rs, fixed))
    labels = doc_type_labels()
    result.update(
        left=_doc_info(lv, labels),
        right=_doc_info(rv, labels),
        aligned_by="versions" if lv.document_id == rv.document_id else "meaning",
        pairs=[list(pair) for pair in wanted],
    )
    return result


def _fixed(lv, rv, wanted: list[tuple[int, int | None]]) -> dict[int, int | None]:
    """Return the pairs a person fixed, checked against two versions' sections."""
    if lv.document_id == rv.document_id:
        if wanted:
            raise _pairs_refused()
        return {}
    return check_pairs(wanted, len(lv.sections or []), len(rv.sections or []))


def pairs_check(user, left: str, right: str, pairs: str) -> None:
    """Refuse pairs that cannot be used with these two documents (as compare would)."""
    _check(user)
    wanted = parse_pairs(pairs)
    lv = _version(user, *parse_ref(left, "left"))
    rv = _version(user, *parse_ref(right, "right"))
    _fixed(lv, rv, wanted)


def _pairs_refused() -> InvalidInput:
    message = (
        "Two versions of one document are paired by heading. "
        "Choose pairs only when comparing two different documents."
    )
    return _problem("invalid_pairs", "pairs", message)


def documents_table(user, refs: list[str]) -> dict:
    """Show which sections each of several documents covers: a table of sections by document."""
    _check(user)
    refs = [r for r in refs if r is not None and str(r).strip()]
    if len(refs) < 2 or len(refs) > MAX_DOCUMENTS:
        raise _problem(
            "invalid_document_count",
            "documents",
            f"Choose between 2 and {MAX_DOCUMENTS} documents to compare.",
        )
    versions = [_version(user, *parse_ref(ref, "documents")) for ref in refs]
    labels = doc_type_labels()
    rows: list[dict] = []  # {"reference": (doc index, section), "cells": {doc index: section}}
    for index, version in enumerate(versions):
        sections = version.sections or []
        reference = [row["reference"][1] for row in rows]
        new_rows = []
        for pair in align_sections(reference, sections):
            if pair.left is not None:
                row = rows[pair.left]
                if pair.right is not None:
                    row["cells"][index] = sections[pair.right]
            else:
                row = {"reference": (index, sections[pair.right]), "cells": {}}
                row["cells"][index] = sections[pair.right]
            new_rows.append(row)
        rows = new_rows
    return {
        "documents": [_doc_info(v, labels) for v in versions],
        "rows": [_table_row(row, len(versions)) for row in rows],
        "purposes": purpose_rows([v.sections or [] for v in versions]),
    }


def _table_row(row: dict, count: int) -> dict:
    ref_index, reference = row["reference"]
    cells = []
    for index in range(count):
        section = row["cells"].get(index)
        if section is None:
            cells.append({"heading": None, "status": "missing", "similarity": None})
            continue
        compared = section_row(reference, section, False)
        cells.append(
            {
                "heading": heading(section),
                "status": "same" if compared["status"] == "same" else "changed",
                "similarity": compared["similarity"],
            }
        )
    return {
        "heading": heading(reference),
        "reference": ref_index,
        "covered_by": sum(1 for c in cells if c["status"] != "missing"),
        "cells": cells,
    }


def compare_choices(user) -> list[dict]:
    """Return the documents the user may compare, each with its version numbers."""
    _check(user)
    query = (
        select(Document.id, Document.title, Authority.name, DocumentVersion.number)
        .join(Authority, Authority.id == Document.authority_id)
        .join(DocumentVersion, DocumentVersion.document_id == Document.id)
        .where(permissions.visible_documents_clause(user))
        .order_by(Document.title, Authority.name, Document.id, DocumentVersion.number)
    )
    choices: dict[int, dict] = {}
    for doc_id, title, authority_name, number in db.session.execute(query):
        entry = choices.setdefault(
            doc_id, {"id": doc_id, "title": title, "authority_name": authority_name, "versions": []}
        )
        entry["versions"].append(number)
    return list(choices.values())
