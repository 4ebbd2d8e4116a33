"""Helpers for generation tests: read a generated .docx, turn case data into form fields."""

import io

from docx import Document as DocxDocument


def docx_text(data: bytes) -> str:
    """Return every paragraph and table cell of a .docx, one per line."""
    document = DocxDocument(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    for section in document.sections:
        lines.extend(p.text for p in section.header.paragraphs)
        lines.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(lines)


def form_fields(fields, out=None) -> dict:
    """Return the form data a browser would post for the built fields (a MultiDict-ready list)."""
    out = [] if out is None else out
    for field in fields:
        if field.kind == "repeat":
            out.append((f"{field.name}-count", str(len(field.children))))
            for item in field.children:
                form_fields(item.children, out)
        elif field.kind == "group":
            form_fields(field.children, out)
        elif field.kind == "checkboxes":
            out.extend((field.name, value) for value in field.value)
        elif field.kind == "date":  # a GOV.UK date input: day, month and year boxes
            out.extend((f"{field.name}-{part}", text) for part, text in field.value.items())
        else:
            out.append((field.name, field.value))
    return out
