"""Case data validated before rendering: size and list limits, then the template's JSON Schema.

Problems are reported as ``{"path": "/children/0/name", "message": "..."}`` in plain English,
using each field's schema ``title``. Messages never repeat the values the user entered.
"""

import ast
import json
import logging

from jsonschema import Draft202012Validator
from referencing import Registry

from ..errors import InvalidInput

CASE_SCHEMA_ID = "urn:clearinghouse:case"

log = logging.getLogger(__name__)

MAX_DETAILS = 50


def dicts_in(value) -> list[dict]:
    """Return the objects in a list; nothing for anything else (case data of any shape)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def pointer(parts) -> str:
    """Return a JSON pointer for a sequence of keys and indexes."""
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "".join("/" + part for part in escaped)


def limits_check(case_data, *, max_kb: int, max_items: int) -> None:
    """Refuse case data that is too large or has a list that is too long."""
    size = len(json.dumps(case_data, ensure_ascii=False).encode("utf-8"))
    if size > max_kb * 1024:
        raise InvalidInput(
            "render_limit",
            f"The case data is too large: it is {size // 1024} KB and the most accepted is "
            f"{max_kb} KB. Remove some text or split the case.",
            status=413,
        )
    stack = [((), case_data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, list):
            if len(value) > max_items:
                raise InvalidInput(
                    "render_limit",
                    f"A list has {len(value)} items and the most allowed is {max_items}.",
                    details=[{"path": pointer(path), "message": "This list is too long."}],
                    status=413,
                )
            stack.extend(((*path, i), item) for i, item in enumerate(value))
        elif isinstance(value, dict):
            stack.extend(((*path, key), item) for key, item in value.items())


def resolve(schema, registry: Registry | None, depth: int = 0) -> dict:
    """Return the schema with its $ref followed (sibling keywords win over the target's)."""
    if not isinstance(schema, dict):
        return {}
    ref = schema.get("$ref")
    if not ref or depth > 20:
        return schema
    resolver = (registry or Registry()).resolver()
    candidates = [ref] if not ref.startswith("#") else [CASE_SCHEMA_ID + ref, ref]
    target = None
    for uri in candidates:
        try:
            target = resolver.lookup(uri).contents
            break
        except Exception:  # noqa: BLE001, S112 - try the next base; unresolved means "anything"
            continue
    merged = dict(resolve(target, registry, depth + 1)) if target is not None else {}
    merged.update({k: v for k, v in schema.items() if k != "$ref"})
    return merged


def _label(schema: dict, fallback: str) -> str:
    title = schema.get("title") if isinstance(schema, dict) else None
    return title or fallback.replace("_", " ").capitalize() or "This field"


def _missing_property(error) -> str:
    text = error.message.split(" is a required property")[0]
    try:
        return str(ast.literal_eval(text))
    except (ValueError, SyntaxError):
        return text.strip("'\"")


TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "boolean": "yes or no",
    "array": "a list",
    "object": "a group of answers",
    "null": "empty",
}


def schema_at(schema: dict | None, path) -> dict:
    """Return the (dereferenced) schema that describes the value at path, or {}."""
    for part in path:
        if not isinstance(schema, dict):
            return {}
        if isinstance(part, int):
            schema = schema.get("items")
        else:
            schema = (schema.get("properties") or {}).get(part)
    return schema if isinstance(schema, dict) else {}


def _message(error, registry, labels: dict | None = None) -> tuple[list, str]:
    """Return (path parts, plain-English message) for one validation error."""
    path = list(error.absolute_path)
    schema = resolve(error.schema, registry)
    if labels is not None and not schema.get("title"):
        schema = {**schema, "title": schema_at(labels, path).get("title")}
    name = str(path[-1]) if path and not isinstance(path[-1], int) else "item"
    label = _label(schema, name)
    kind, value = error.validator, error.validator_value
    if kind == "required":
        missing = _missing_property(error)
        sub = resolve((schema.get("properties") or {}).get(missing, {}), registry)
        if labels is not None and not sub.get("title"):
            sub = schema_at(labels, [*path, missing])
        verb = "Choose" if sub.get("x-choose-from") else "Enter"
        return [*path, missing], f"{verb} {_label(sub, missing).lower()}"
    if kind == "type":
        wanted = value if isinstance(value, list) else [value]
        words = " or ".join(TYPE_WORDS.get(w, w) for w in wanted)
        return path, f"{label} must be {words}"
    if kind == "enum":
        return path, f"Choose {label.lower()} from the list"  # noqa: S608 - not SQL
    if kind == "const":
        return path, f"{label} has a value this template does not accept"
    if kind == "format":
        if value == "date" and "/" in str(error.instance):  # typed as day, month and year
            return path, f"{label} must be a real date, for example 27 3 2026"
        if value == "date":
            return path, f"{label} must be a real date, like 2026-03-27"
        if value == "email":
            return path, f"{label} must be an email address, like name@example.org"
        return path, f"{label} is not in the right format ({value})"
    if kind in ("minimum", "exclusiveMinimum"):
        return path, f"{label} must be {value} or more"
    if kind in ("maximum", "exclusiveMaximum"):
        return path, f"{label} must be {value} or less"
    if kind == "minLength":
        return path, f"Enter {label.lower()}" if value == 1 else f"{label} is too short"
    if kind == "maxLength":
        return path, f"{label} must be {value} characters or fewer"
    if kind == "minItems":
        return path, f"Add at least {value} to {label.lower()}"
    if kind == "maxItems":
        return path, f"{label} can have at most {value} items"
    if kind == "pattern":
        return path, f"{label} is not in the right format"
    if kind == "contains":
        wanted = resolve(value, registry) if isinstance(value, dict) else {}
        props = wanted.get("properties") or {}
        marks = [_label(resolve(props.get(p, {}), registry), p) for p in wanted.get("required", [])]
        if marks:
            return path, f"{label}: at least one must have “{' and '.join(marks)}” as yes"
        return path, f"{label}: none of these is the kind this template needs"
    if kind in ("additionalProperties", "unevaluatedProperties"):
        return path, "This part of the case data is not used by this template; remove it"
    return path, f"{label} is not valid for this template"


def case_data_errors(
    validator: Draft202012Validator, case_data, labels: dict | None = None
) -> list[dict]:
    """Return every schema problem in the case data as path and plain-English message.

    ``labels`` is the dereferenced schema whose titles name the fields in messages.
    """
    registry = getattr(validator, "_registry", None)
    details = []
    errors = sorted(validator.iter_errors(case_data), key=lambda e: list(map(str, e.path)))
    for error in errors:
        if error.context and error.validator in ("anyOf", "oneOf"):
            error = min(error.context, key=lambda e: len(list(e.absolute_path)) * -1)
        path, message = _message(error, registry, labels)
        detail = {"path": pointer(path), "message": message}
        if detail not in details:
            details.append(detail)
        if len(details) >= MAX_DETAILS:
            break
    return details


def case_data_validate(
    validator: Draft202012Validator, case_data, labels: dict | None = None
) -> None:
    """Raise InvalidInput('invalid_case_data') with every problem found, or return."""
    if not isinstance(case_data, dict):
        raise InvalidInput(
            "invalid_case_data",
            'The case data must be a JSON object, like {"children": [...]}.',
            details=[{"path": "", "message": "Send an object, not a list, text or number"}],
        )
    details = case_data_errors(validator, case_data, labels)
    if details:
        raise InvalidInput(
            "invalid_case_data",
            "There is a problem with the case data. Correct the answers listed and try again.",
            details=details,
        )
