"""Packs: every document a case needs at one step, rendered in one go and sent as one zip.

A pack is a JSON file in templates_library/packs/: a title, a description and its items, each a
library template rendered once, or once per person with parental responsibility (``per``:
``pr_holder``). Each letter goes to one person only (case_view). The authority's chosen
template for a document type is used where it has one.
"""

import hashlib
import io
import json
import logging
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app

from .. import permissions
from ..errors import InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..models import record_audit
from . import case_pipeline, library, service, sources

log = logging.getLogger(__name__)

PACK_FOLDER = "packs"
ZIP_TYPE = "application/zip"


@dataclass
class Pack:
    """A pack definition: what it is for and the templates it renders."""

    slug: str
    title: str
    description: str
    items: list[dict]

    def as_dict(self) -> dict:
        """Return the pack as the API lists it."""
        return {
            "slug": self.slug,
            "title": self.title,
            "description": self.description,
            "items": self.items,
        }


@dataclass
class GeneratedPack:
    """A rendered pack: the zip, its name, and each document's name, hash and warnings."""

    content: bytes
    filename: str
    sha256: str
    documents: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    media_type: str = ZIP_TYPE


def _folder() -> Path:
    return library.library_root() / PACK_FOLDER


def packs_list(user) -> list[Pack]:
    """Return every pack, by title (anyone who may read templates may see them)."""
    if not permissions.can_read_templates(user):
        return []
    folder = _folder()
    found = [pack_get(user, p.stem) for p in sorted(folder.glob("*.json"))]
    return sorted(found, key=lambda p: p.title)


def pack_get(user, slug: str) -> Pack:
    """Return one pack, or NotFound."""
    path = _folder() / f"{slug}.json"
    if not permissions.can_read_templates(user) or not slug.replace("-", "").isalnum():
        raise NotFound("That pack does not exist.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotFound("That pack does not exist.") from None
    return Pack(slug, data["title"], data.get("description", ""), list(data["items"]))


def _numbered(name: str, taken: set[str]) -> str:
    """Return name, or name with -2, -3... before the extension when it is already taken."""
    stem, dot, extension = name.rpartition(".")
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}{dot}{extension}"
    taken.add(candidate)
    return candidate


def _recipients(case_data) -> list[str]:
    case, _warnings = case_pipeline.upgraded(case_data)
    ids = [m.get("id") for m in case_pipeline.pr_holders(case)]
    if not ids:
        raise InvalidInput(
            "recipient_required",
            "Nobody in the case has parental responsibility for the children yet. Choose, for "
            "each parent or carer, the children they hold parental responsibility for.",
            details=[
                {
                    "path": "/family_members",
                    "message": "Choose the children each person holds parental responsibility for",
                }
            ],
        )
    return ids


def _generate(user, slug: str, case_data, recipient_id: str | None, fmt: str, pdfa: bool):
    try:
        return service.document_generate(
            user, slug, case_data, fmt=fmt, pdfa=pdfa, recipient_id=recipient_id, commit=False
        )
    except service.PDF_PROBLEMS:
        raise  # said as it is: the pages and the API answer these with their own status
    except InvalidInput as exc:
        title = sources.source_get(user, slug).title
        raise InvalidInput(
            exc.code, f"{title}: {exc.message}", details=exc.details, status=exc.status
        ) from None


def pack_plan(user, pack: Pack, case_data: dict) -> list[tuple[str, str | None]]:
    """Return each document the pack makes from the case: (template slug, recipient id)."""
    planned = []
    for item in pack.items:
        template = sources.chosen_slug(user, item["template"])
        per_person = item.get("per") == case_pipeline.PR_HOLDER
        planned += [(template, r) for r in (_recipients(case_data) if per_person else [None])]
    return planned


def pack_for_rendering(user, slug: str) -> Pack:
    """Return the pack if the user may render it (NotAuthorized, or NotFound, if not)."""
    if not permissions.can_generate(user):
        raise NotAuthorized(
            "Only practitioners, editors and managers of an authority can generate documents."
        )
    return pack_get(user, slug)


def pack_render(
    user, slug: str, case_data, *, fmt: str = "docx", pdfa: bool = False
) -> GeneratedPack:
    """Render every document of a pack from one case; return them as one zip (nothing kept).

    ``fmt`` is docx or pdf (``pdfa`` for PDF/A-2b): the zip holds a file of that kind each.
    """
    fmt, pdfa = service.output_format(fmt, pdfa)
    if fmt == "html":
        raise InvalidInput("invalid_format", "A pack is made as docx or pdf.", status=400)
    pack = pack_for_rendering(user, slug)
    if not isinstance(case_data, dict):
        raise InvalidInput(
            "invalid_case_data",
            'The case data must be a JSON object, like {"children": [...]}.',
            details=[{"path": "", "message": "Send an object, not a list, text or number"}],
        )
    planned = pack_plan(user, pack, case_data)
    most = current_app.config["CLEARINGHOUSE"]["PACK_MAX_DOCUMENTS"]
    if len(planned) > most:
        raise InvalidInput(
            "render_limit",
            f"This pack would make {len(planned)} documents; the most in one go is {most}. "
            "Generate the letters one at a time instead.",
            status=413,
        )
    generated = [_generate(user, t, case_data, r, fmt, pdfa) for t, r in planned]
    buffer, taken, documents, warnings = io.BytesIO(), set(), [], []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in generated:
            name = _numbered(document.filename, taken)
            archive.writestr(name, document.content)
            documents.append(
                {
                    "filename": name,
                    "template": document.template_slug,
                    "template_version": document.template_version,
                    "sha256": document.sha256,
                    "warnings": len(document.warnings),
                }
            )
            warnings += [{**w, "document": name} for w in document.warnings]
    content = buffer.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    record_audit(
        user,
        "pack_generated",
        "pack",
        pack.slug,
        pack=pack.slug,
        format=fmt,
        **({"pdfa": pdfa} if fmt == "pdf" else {}),
        output_sha256=digest,
        documents=[
            {k: d[k] for k in ("template", "template_version", "sha256")} for d in documents
        ],
        actor="system" if permissions.is_system(user) else "user",
    )
    db.session.commit()
    log.info("pack %s generated (%d documents)", pack.slug, len(documents))
    filename = f"{pack.slug}-{date.today().isoformat()}.zip"
    return GeneratedPack(content, filename, digest, documents, warnings)
