"""Render the built-in library's templates as the service does: the case through the projection
(case_view.document_view, with the template's meta shares_as and recipient), then plain docxtpl
in a sandbox with autoescape and the renderer's three filters (implemented here)."""

import copy
import io
import json
from datetime import date
from pathlib import Path

from docx import Document
from docxtpl import DocxTemplate
from jinja2.sandbox import ImmutableSandboxedEnvironment

from clearinghouse.generation.case_view import document_view

LIBRARY = Path(__file__).resolve().parents[2] / "templates_library"


def long_date(value) -> str:
    """'2026-03-05' -> '5 March 2026'; empty or undefined -> ''."""
    if not value:
        return ""
    day = date.fromisoformat(str(value))
    return f"{day.day} {day:%B %Y}"


def join_and(values) -> str:
    """['A', 'B', 'C'] -> 'A, B and C'."""
    items = [str(v) for v in (values or []) if v]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def initials(name) -> str:
    """'Jamie Smith' -> 'J.S.'."""
    return "".join(part[0].upper() + "." for part in str(name or "").split())


def load(folder: Path, name: str):
    return json.loads((folder / name).read_text(encoding="utf-8"))


def sample(slug: str) -> dict:
    """Return a template's sample.json (a fresh copy)."""
    return load(LIBRARY / slug, "sample.json")


def context_for(folder: Path, data: dict, recipient_id: str | None = None) -> dict:
    """Return what the template receives: the case through the projection for this template."""
    meta = load(folder, "meta.json")
    recipient = None
    if meta.get("recipient") == "pr_holder":
        recipient = recipient_id or (data.get("document") or {}).get("recipient_id")
    context, _ = document_view(
        copy.deepcopy(data),
        shares_as=meta.get("shares_as") or (),
        recipient_id=recipient,
        family=meta.get("audience") == "family",
    )
    return context


def render_context(folder: Path, context: dict) -> Document:
    """Render a library template from a ready context; return the opened result."""
    env = ImmutableSandboxedEnvironment(autoescape=True)
    env.filters.update(long_date=long_date, join_and=join_and, initials=initials)
    template = DocxTemplate(folder / "template.docx")
    template.render(copy.deepcopy(context), jinja_env=env, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return Document(io.BytesIO(out.getvalue()))


def render(folder: Path, data: dict, recipient_id: str | None = None) -> Document:
    """Render a library template from case data, through the projection."""
    return render_context(folder, context_for(folder, data, recipient_id))


def all_text(document: Document) -> str:
    """Every paragraph, table cell, header and footer line of a document."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs + section.footer.paragraphs)
    return "\n".join(parts)


def render_text(slug: str, data: dict | None = None, recipient_id: str | None = None) -> str:
    """Render a template (from its sample unless data is given) and return all its text."""
    folder = LIBRARY / slug
    return all_text(render(folder, sample(slug) if data is None else data, recipient_id))
