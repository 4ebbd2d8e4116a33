"""The worker's next steps from an audit, as a .docx given to the worker and never stored."""

import io
import re

from docx import Document
from docx.shared import Pt

from ..errors import InvalidInput
from ..models import record_audit
from ..unit_of_work import unit_of_work
from . import service
from .elements import element, rating_labels, scale_meaning
from .service import AuditInfo

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_TEXT = 4000
MAX_STEPS = 30
# Characters XML 1.0 cannot hold: python-docx would refuse them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def steps_from_text(text) -> list[str]:
    """Return the next steps typed one a line (InvalidInput when none or too many)."""
    text = NOT_XML.sub("", str(text or ""))
    problem = None
    steps = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if not steps:
        problem = "Enter the worker's next steps, one a line"
    elif len(text) > MAX_TEXT:
        problem = f"The next steps must be {MAX_TEXT} characters or fewer"
    elif len(steps) > MAX_STEPS:
        problem = f"Give no more than {MAX_STEPS} next steps"
    if problem:
        raise InvalidInput(
            "invalid_next_steps", problem, [{"path": "next_steps", "message": problem}]
        )
    return steps


def next_steps_docx(info: AuditInfo, steps: list[str], case_reference: str | None) -> bytes:
    """Return the worker's next-steps document: the agreed ratings, the scale and the steps."""
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(12)
    doc.add_heading("Mapping audit: the worker's next steps", level=1)
    facts = [
        ("Authority", info.authority_name),
        ("Audit date", info.audit_date.strftime("%-d %B %Y")),
        ("Practice lead", info.lead),
        ("Worker", info.worker),
    ]
    if case_reference:
        facts.append(("Case reference", NOT_XML.sub("", case_reference)))
    for label, value in facts:
        doc.add_paragraph(f"{label}: {value}")
    doc.add_heading("Next steps", level=2)
    for step in steps:
        doc.add_paragraph(step, style="List Number")
    doc.add_heading("What we agreed", level=2)
    labels = rating_labels()
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Element", "Rating", "Reason"), strict=True):
        cell.text = text
    for code, (rating, reason_code) in info.ratings.items():
        found = element(code)
        reason = found.reason(reason_code) if found else None
        cells = table.add_row().cells
        cells[0].text = found.label if found else code
        cells[1].text = labels.get(rating, rating)
        cells[2].text = reason.text if reason else reason_code
    meaning = scale_meaning()
    doc.add_heading("Scale for the whole mapping", level=2)
    doc.add_paragraph(meaning["question"])
    doc.add_paragraph(f"0 means: {meaning['zero_means']}")
    doc.add_paragraph(f"10 means: {meaning['ten_means']}")
    score = "not agreed yet" if info.scale is None else str(info.scale)
    doc.add_paragraph(f"Agreed score: {score}")
    doc.add_paragraph("This document is not kept by the service: save it with the case records.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def next_steps_document(user, audit_id, text, case_reference=None) -> tuple[bytes, str]:
    """Return the next-steps .docx and its file name for someone who may see the audit.

    A typed case reference is printed only when it is the audited case's (its hash matches).
    """
    info = service.audit_get(user, audit_id)
    steps = steps_from_text(text)
    typed = (case_reference or "").strip() or None
    if typed and not service.reference_matches(user, audit_id, typed):
        message = "That is not the reference of the case this audit is about"
        raise InvalidInput(
            "reference_mismatch", message, [{"path": "reference", "message": message}]
        )
    data = next_steps_docx(info, steps, typed)
    with unit_of_work():
        record_audit(user, "mapping_audit_next_steps", "mapping_audit", info.id)
    return data, f"next-steps-audit-{info.id}.docx"
