"""The check report for an authority's template: what is wrong with it before anyone uses it.

Errors (a template with any cannot be published): Jinja syntax errors with the paragraph
text around the bad tag; anything the sandbox forbids; data the template uses that the
library schema for its document type does not define; a failed test render with the
library's sample data. Information: schema fields the template never uses. The report also
holds an HTML preview of the test render (fictional sample data only).
"""

import logging
import re

from flask import current_app

from ..errors import InvalidInput
from ..generation import case_convert, case_pipeline, case_view_schema, library, rendering
from ..models import utcnow

log = logging.getLogger(__name__)

NOT_FIELDS = {"case_version"}  # which version of the case model the data is; nothing to show

ERROR_CODES = {
    "syntax": "syntax_error",
    "forbidden": "forbidden",
    "runtime": "render_failed",
    "file": "not_a_template",
}


def _merged(node: dict) -> dict:
    """Return the node with the properties of its allOf/anyOf/oneOf branches merged in."""
    if not isinstance(node, dict):
        return {}
    merged = dict(node)
    properties = dict(node.get("properties") or {})
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in node.get(keyword) or []:
            branch = _merged(branch)
            properties.update(branch.get("properties") or {})
            if branch.get("items") and not merged.get("items"):
                merged["items"] = branch["items"]
            if branch.get("additionalProperties") not in (None, False):
                merged["additionalProperties"] = branch["additionalProperties"]
    merged["properties"] = properties
    return merged


def _declares_fields(node: dict) -> bool:
    """Return whether the schema node lists its fields (so an unknown one is a mistake)."""
    if node.get("additionalProperties") not in (None, False):
        return False
    return bool(node["properties"])


def schema_knows(schema: dict, path: str) -> bool:
    """Return whether a data path such as "children[].name" is defined by the schema."""
    node = _merged(schema)
    for segment in path.split("."):
        name = segment.split("[")[0]
        depth = segment.count("[]")
        if not _declares_fields(node):
            return True  # free-form data, text or a number: methods and the like are fine
        if name not in node["properties"]:
            return False
        node = _merged(node["properties"][name])
        for _ in range(depth):
            node = _merged(node.get("items") or {})
    return True


def _field_title(schema: dict, name: str) -> str:
    prop = _merged(schema)["properties"].get(name) or {}
    return prop.get("title") or name.replace("_", " ").capitalize()


def _problem(code: str, message: str, part: str = "", context: str = "") -> dict:
    return {"code": code, "message": message, "part": part, "context": context}


def _unknown_paths(schema: dict, paths: list[str]) -> list[str]:
    unknown: list[str] = []
    for path in sorted(paths, key=lambda p: (p.count("."), p)):
        # report "worker.phone" once, not again for "worker.phone.number"
        if any(path.startswith(u + ".") or path.startswith(u + "[") for u in unknown):
            continue
        if not schema_knows(schema, path):
            unknown.append(path)
    return unknown


def _unknown_field(path: str, shown: str, title: str, where: dict) -> dict:
    """Return the problem for a field the schema lacks, naming its case model 2 replacement."""
    replaced = case_convert.v1_fields_used([path])
    if replaced:
        message = (
            f"The template uses '{shown}', a field of case model 1. Use "
            f"'{replaced[0]['replace_with']}' instead (see docs/case-model.md)."
        )
        return _problem("case_model_1_field", message, where["part"], where["context"])
    return _problem(
        "unknown_field",
        f"The template uses '{shown}', which the data for {title} does not have. Check the "
        "spelling against the schema, or remove it.",
        where["part"],
        where["context"],
    )


def report_build(data: bytes, library_slug: str) -> dict:
    """Check a template .docx against a library document type; return the report."""
    entry = library.entry_get(library_slug)
    form = library.form_schema(library_slug)
    schema = case_view_schema.view_schema(form)  # what a template may read
    inspected = rendering.template_inspect(data)
    errors = [
        _problem(
            ERROR_CODES.get(p.get("kind", "syntax"), "syntax_error"),
            p["message"],
            p.get("part", ""),
            p.get("context", ""),
        )
        for p in inspected["problems"]
    ]
    info: list[dict] = []
    variables = inspected["variables"]
    fields_checked = not errors  # fields can only be read from a template Jinja can parse
    if fields_checked:
        paths = inspected["paths"]
        for path in _unknown_paths(schema, list(paths)):
            shown = path.replace("[]", "")
            errors.append(_unknown_field(path, shown, entry.title, paths[path]))
        used = set(variables)
        for name in _merged(form)["properties"]:
            if name not in used and name not in NOT_FIELDS:
                info.append(
                    _problem(
                        "unused_field",
                        f"The template does not use '{name}' ({_field_title(schema, name)}).",
                    )
                )
    preview = None
    if not errors:
        try:
            context = case_pipeline.case_prepare(
                entry,
                entry.sample,
                settings=current_app.config["CLEARINGHOUSE"],
                audience=entry.meta.get("audience", "professional"),
            ).context
            preview = rendering.docx_to_html(rendering.render_docx(data, context, key=None))
        except InvalidInput as exc:
            details = exc.details or [{}]
            first = details[0] if isinstance(details[0], dict) else {}
            errors.append(
                _problem(
                    "render_failed",
                    f"A test render with the sample data failed: {exc.message}",
                    first.get("part", ""),
                    first.get("context", ""),
                )
            )
    log.info("template checked for %s: %d errors, %d info", library_slug, len(errors), len(info))
    return {
        "library_slug": library_slug,
        "library_title": entry.title,
        "has_errors": bool(errors),
        "fields_checked": fields_checked,
        "errors": errors,
        "info": info,
        "variables": variables,
        "preview_html": preview,
        "checked_at": utcnow().isoformat() + "Z",
    }


def report_summary(report: dict) -> str:
    """Return one line saying how the check went."""
    errors, info = len(report.get("errors", [])), len(report.get("info", []))
    if errors:
        return f"{errors} error{'s' if errors != 1 else ''} to fix before publishing"
    return "No errors" + (f" ({info} note{'s' if info != 1 else ''})" if info else "")


_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Return a URL slug for a title."""
    return _SLUG.sub("-", text.lower()).strip("-")[:80] or "template"
