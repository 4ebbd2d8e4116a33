"""A web form built from a template's JSON Schema, and the case data read back from it.

Fields are named by their place in the data: ``children-0-name`` is ``/children/0/name``.
Repeating groups (arrays of objects) carry their length in ``<name>-count`` so "Add another"
and "Remove" work as plain submit buttons (``action=add:<name>`` / ``remove:<name>-<i>``).
Nothing is kept on the server between requests: the form itself holds the case.
"""

import json
import math
import re
from datetime import date

from .. import jsonio
from . import case_ids, schema_choices
from .case_validation import resolve
from .schema_fields import (
    Field,
    enum_options,
    field_title,
    kind_of,
    singular,
    string_kind,
)

MAX_DEPTH = 8
DATE_PARTS = ("day", "month", "year")


class SchemaForm:
    """Builds fields from a schema and reads case data back from submitted form data."""

    def __init__(self, schema: dict, registry, max_items: int = 500, type_names=None):
        self.schema = schema
        self.registry = registry
        self.max_items = max_items
        self.type_names = type_names  # the meeting types' names, when the schema has none

    def _resolve(self, schema) -> dict:
        return resolve(schema, self.registry)

    def _properties(self, schema: dict):
        schema = self._resolve(schema)
        required = set(schema.get("required", []))
        for key, sub in (schema.get("properties") or {}).items():
            yield key, self._resolve(sub), key in required

    # Building fields ---------------------------------------------------------------------

    def fields(self, data: dict, errors: dict | None = None, root: dict | None = None):
        """Return the form's fields filled from case data, with errors keyed by field name.

        Choices (a goal's danger statement) come from ``root``, the whole case, when the form
        asks about one part of it.
        """
        errors = errors or {}
        data = data if isinstance(data, dict) else {}
        self._root = data if root is None else root
        return [
            self._field(key, sub, data.get(key), key, req, errors, 0)
            for key, sub, req in self._properties(self.schema)
            if "const" not in sub  # fixed (the case model's version): nothing to ask
        ]

    def _field(self, key, schema, value, name, required, errors, depth) -> Field:
        kind = kind_of(schema)
        label, hint = field_title(schema, key), schema.get("description", "")
        made = Field("text", name, label, hint, required=required, error=errors.get(name, ""))
        if depth > MAX_DEPTH:
            kind = "any"
        if key == "id" and kind == "string" and schema.get("pattern"):
            made.kind, made.value = "hidden", "" if value is None else str(value)  # made for them
        elif schema.get("x-choose-from"):
            self._choice_field(made, schema, kind, value)
        elif kind == "object" and "properties" in schema:
            made.kind = "group"
            value = value if isinstance(value, dict) else {}
            made.children = [
                self._field(k, s, value.get(k), f"{name}-{k}", r, errors, depth + 1)
                for k, s, r in self._properties(schema)
            ]
        elif kind == "array":
            self._array_field(made, key, schema, value, errors, depth)
        elif kind == "boolean":
            made.kind = "radios"
            made.options = [("yes", "Yes"), ("no", "No")]
            if not required:
                made.options.append(("", "Not recorded"))
            made.value = (
                {True: "yes", False: "no"}.get(value, "") if isinstance(value, bool) else ""
            )
        elif kind in ("integer", "number"):
            made.kind, made.value = "number", "" if value is None else str(value)
        elif kind == "string":
            made.kind = string_kind(schema, key)
            made.options = enum_options(schema)
            if made.kind == "radios" and not required:
                made.kind = "select"  # a radio answer cannot be taken back; a select can
            made.value = "" if value is None else str(value)
            if made.kind == "date":
                made.value = date_parts(value)
                if not made.hint or made.hint.startswith("A date as YYYY-MM-DD"):
                    made.hint = "For example, 27 3 2026"
        else:
            made.kind = "json"
            made.value = "" if value is None else json.dumps(value, ensure_ascii=False, indent=2)
            made.hint = made.hint or "Enter this as JSON."
        return made

    def _choice_field(self, made: Field, schema: dict, kind: str, value) -> None:
        """One answer (a select) or several (checkboxes) chosen from items of the case."""
        options = schema_choices.choices(
            schema["x-choose-from"], getattr(self, "_root", {}), self._type_names()
        )
        if kind == "array":
            items = self._resolve(schema.get("items") or {})
            codes = [o for branch in items.get("anyOf", []) for o in enum_options(branch)]
            values = value if isinstance(value, list) else []
            made.kind = "checkboxes"
            made.options = schema_choices.with_current(codes + options, values)
            made.value = [str(v) for v in values]
            return
        made.kind = "select"
        made.options = schema_choices.with_current(options, value)
        made.value = "" if value is None else str(value)
        if not made.options:
            made.hint = (made.hint + " " if made.hint else "") + "Add them first: none yet."

    def _type_names(self) -> dict:
        """Return the meeting types' names as the schema's own enum labels give them."""
        if self.type_names is not None:
            return self.type_names
        for key, sub, _req in self._properties(self.schema):
            if key == "meetings":
                item = self._resolve(sub.get("items") or {})
                kind = self._resolve((item.get("properties") or {}).get("type") or {})
                return dict(enum_options(kind))
        return {}

    def _array_field(self, made: Field, key, schema, value, errors, depth) -> None:
        items = self._resolve(schema.get("items") or {})
        value = value if isinstance(value, list) else []
        item_kind = kind_of(items)
        if item_kind == "object" and "properties" in items:
            made.kind = "repeat"
            made.item_label = items.get("title") or singular(key).capitalize()
            minimum = schema.get("minItems", 0)
            maximum = min(schema.get("maxItems", self.max_items), self.max_items)
            value = value + [{}] * max(0, min(minimum, maximum) - len(value))
            made.can_add = len(value) < maximum
            made.value = len(value)
            for index, item in enumerate(value):
                item = item if isinstance(item, dict) else {}
                prefix = f"{made.name}-{index}"
                group = Field(
                    "group",
                    prefix,
                    f"{made.item_label} {index + 1}",
                    index=index,
                    can_remove=len(value) > minimum,
                    error=errors.get(prefix, ""),
                )
                group.children = [
                    self._field(k, s, item.get(k), f"{prefix}-{k}", r, errors, depth + 1)
                    for k, s, r in self._properties(items)
                ]
                made.children.append(group)
        elif item_kind == "string" and items.get("enum"):
            made.kind, made.options = "checkboxes", enum_options(items)
            made.value = [str(v) for v in value]
        elif item_kind in ("string", "integer", "number"):
            made.kind = "lines"
            made.value = "\n".join(str(v) for v in value)
            made.hint = made.hint or "Put each one on a new line."
        else:
            made.kind = "json"
            made.value = json.dumps(value, ensure_ascii=False, indent=2) if value else ""
            made.hint = made.hint or "Enter this as JSON."

    # Reading data back -------------------------------------------------------------------

    def data(self, form) -> dict:
        """Return case data from submitted form fields; blank answers are left out."""
        return self._object(self.schema, form, "", 0) or {}

    def _object(self, schema, form, prefix, depth):
        out = {}
        for key, sub, _req in self._properties(schema):
            if "const" in sub:
                out[key] = sub["const"]
                continue
            name = f"{prefix}-{key}" if prefix else key
            value = self._value(sub, form, name, depth)
            if value is not None:
                out[key] = value
        return out

    def _value(self, schema, form, name, depth):
        kind = kind_of(schema)
        if depth > MAX_DEPTH:
            kind = "any"
        if kind == "object" and "properties" in schema:
            value = self._object(schema, form, name, depth + 1)
            return value or None
        if kind == "array":
            return self._array(schema, form, name, depth)
        if kind == "boolean":
            return {"yes": True, "no": False}.get(form.get(name, ""))
        if kind == "string" and schema.get("format") == "date" and name not in form:
            return date_read(form, name)
        raw = form.get(name, "")
        raw = raw.strip() if isinstance(raw, str) else ""
        if kind == "any" or not raw:
            return _json_value(raw) if raw else None
        if kind == "integer":
            return _number(raw, int)
        if kind == "number":
            return _number(raw, float)
        return raw

    def _array(self, schema, form, name, depth):
        if schema.get("x-choose-from"):
            return [v for v in form.getlist(name) if v] or None
        items = self._resolve(schema.get("items") or {})
        item_kind = kind_of(items)
        if item_kind == "object" and "properties" in items:
            count = _count(form.get(f"{name}-count"), self.max_items)
            values = [self._object(items, form, f"{name}-{i}", depth + 1) for i in range(count)]
            if "id" in (items.get("required") or []):
                case_ids.ids_fill(values, name.rpartition("-")[2])
            return values or None
        if item_kind == "string" and items.get("enum"):
            return list(form.getlist(name)) or None
        if item_kind in ("string", "integer", "number"):
            lines = [line.strip() for line in str(form.get(name, "")).splitlines()]
            lines = [line for line in lines if line]
            if item_kind != "string":
                lines = [_number(line, int if item_kind == "integer" else float) for line in lines]
            return lines or None
        raw = str(form.get(name, "")).strip()
        return _json_value(raw) if raw else None

    # Add and remove ----------------------------------------------------------------------

    def apply_action(self, data: dict, action: str) -> bool:
        """Add or remove one repeating-group item named by the action; return whether done."""
        verb, _, target = action.partition(":")
        if verb not in ("add", "remove") or not target:
            return False
        return self._walk(self.schema, data, "", verb, target, 0)

    def _walk(self, schema, data, prefix, verb, target, depth) -> bool:
        if not isinstance(data, dict) or depth > MAX_DEPTH:
            return False
        for key, sub, _req in self._properties(schema):
            name = f"{prefix}-{key}" if prefix else key
            kind = kind_of(sub)
            if kind == "object" and "properties" in sub:
                data.setdefault(key, {})
                if self._walk(sub, data[key], name, verb, target, depth + 1):
                    return True
                if not data[key]:
                    del data[key]
            elif kind == "array":
                items = self._resolve(sub.get("items") or {})
                if not ("properties" in items and kind_of(items) == "object"):
                    continue
                values = data.get(key) if isinstance(data.get(key), list) else []
                if verb == "add" and target == name and len(values) < self.max_items:
                    data[key] = [*values, {}]
                    return True
                for index, item in enumerate(values):
                    if verb == "remove" and target == f"{name}-{index}":
                        data[key] = values[:index] + values[index + 1 :]
                        return True
                    if self._walk(items, item, f"{name}-{index}", verb, target, depth + 1):
                        return True
        return False


def _count(raw, maximum: int) -> int:
    try:
        return max(0, min(int(str(raw or "0")), maximum))
    except ValueError:
        return 0


def _number(raw: str, kind):
    try:
        value = kind(raw.replace(",", "")) if kind is int else kind(raw)
    except ValueError:
        return raw  # kept as text so the schema check names the field
    if kind is float and not math.isfinite(value):
        return raw
    return int(value) if kind is float and value.is_integer() else value


def _json_value(raw: str):
    try:
        return jsonio.loads(raw)
    except ValueError:
        return raw


def pointer_to_name(path: str) -> str:
    """Return the form field name for a JSON pointer: /children/0/name -> children-0-name."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]
    return "-".join(parts)


def date_parts(value) -> dict:
    """Return an ISO date (or what was typed) as the day, month and year boxes show it."""
    text = "" if value is None else str(value)
    found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if found:
        year, month, day = found.groups()
        return {"day": str(int(day)), "month": str(int(month)), "year": year}
    parts = text.split("/") if "/" in text else ["", "", ""]
    parts = (parts + ["", "", ""])[:3]
    return {"day": parts[0], "month": parts[1], "year": parts[2]}


def date_read(form, name: str) -> str | None:
    """Return the ISO date typed in a GOV.UK date input, or what was typed for the check."""
    day, month, year = (str(form.get(f"{name}-{part}", "")).strip() for part in DATE_PARTS)
    if not (day or month or year):
        return None
    if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
        try:
            return date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            pass
    return f"{day}/{month}/{year}"  # not a real date: the schema check names the field


def _kinds(fields) -> dict[str, str]:
    """Return every field's kind by name, in the order the fields appear on the page."""
    kinds = {}
    for item in fields:
        kinds[item.name] = item.kind
        kinds.update(_kinds(item.children))
    return kinds


def error_list(details: list[dict], fields) -> tuple[dict, list[dict]]:
    """Return field errors by name and the error summary's items linked to the fields."""
    kinds = _kinds(fields)
    order = {name: index for index, name in enumerate(kinds)}
    by_name, summary = {}, []
    for detail in details:
        name = pointer_to_name(detail.get("path", ""))
        while name and name not in kinds:
            name = name.rpartition("-")[0]
        if name and name not in by_name:
            by_name[name] = detail["message"]
        target = f"{name}-day" if kinds.get(name) == "date" else name  # the first box
        summary.append({"text": detail["message"], "href": f"#{target}" if name else None})
    # GOV.UK lists errors in the order their fields appear.
    summary.sort(
        key=lambda item: order.get((item["href"] or "#")[1:].removesuffix("-day"), len(order))
    )
    return by_name, summary
