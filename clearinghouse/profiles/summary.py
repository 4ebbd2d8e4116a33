"""What the profile pages show: summary cards per section, form values, and changes named.

Plain functions of the profile's data and the form values, with no HTTP.
"""

import copy

from .fields import CONTACT_KEYS, SECTIONS, SOLICITOR_FIELDS, Section, called, field_for

NOT_GIVEN = "Not given"


def _at(data: dict, path) -> object:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _lines(value) -> list[str]:
    if isinstance(value, dict):
        return [str(value[key]) for key in CONTACT_KEYS if value.get(key)]
    return [str(value)] if value else []


def summary_cards(data: dict) -> list[dict]:
    """Return a card per section: {"slug", "title", "rows": [{"key", "lines"}]}."""
    cards = []
    for section in SECTIONS.values():
        rows = []
        for group in section.groups:
            if group.heading:  # a contact: one row, its parts on their own lines
                path = group.fields[0].path[:-1]
                rows.append({"key": group.heading, "lines": _lines(_at(data, path))})
                continue
            for field in group.fields:
                rows.append({"key": field.label, "lines": _lines(_at(data, field.path))})
        cards.append({"slug": section.slug, "title": section.title, "rows": rows})
    return cards


def solicitor_rows(data: dict) -> list[dict]:
    """Return a row per solicitor: {"number", "firm", "key" (the firm), "lines"}."""
    rows = []
    for number, item in enumerate(data.get("solicitors") or [], start=1):
        lines = [str(item[f.name]) for f in SOLICITOR_FIELDS[1:] if item.get(f.name)]
        firm = item.get("firm", "")
        rows.append({"number": number, "firm": firm, "key": firm, "lines": lines})
    return rows


def section_values(data: dict, section: Section) -> dict:
    """Return the form's values for a section, from the profile."""
    return {f.name: _at(data, f.path) or "" for f in section.fields}


def _clean(value) -> str:
    return str(value or "").replace("\r\n", "\n").strip()


def _put(data: dict, path, value) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


def section_apply(data: dict, section: Section, values: dict) -> dict:
    """Return a copy of the profile with the section's fields replaced by the form's values.

    An empty field is left out; a contact with every field empty is left out.
    """
    new = copy.deepcopy(data)
    for key in section.keys:
        new.pop(key, None)
    for field in section.fields:
        value = _clean(values.get(field.name))
        if value:
            _put(new, field.path, value)
    return new


def solicitor_from(values: dict) -> dict:
    """Return a solicitor from the form's values, leaving out empty fields."""
    cleaned = {f.name: _clean(values.get(f.name)) for f in SOLICITOR_FIELDS}
    return {name: value for name, value in cleaned.items() if value}


def change_label(path: str) -> str:
    """Return a changed field's path ("complaints/phone") in words."""
    parts = tuple(int(p) - 1 if p.isdigit() else p for p in path.split("/"))
    field = field_for(parts)
    words = field.called if field else called(parts)
    return words[:1].upper() + words[1:]


def form_field_for(path: str, section: Section | None) -> str | None:
    """Return the name of the form field a problem's JSON pointer names, if the form has it."""
    parts = tuple(int(p) if p.isdigit() else p for p in path.strip("/").split("/") if p)
    if section is None:  # the solicitor form: /solicitors/<n>/<field>
        return parts[2] if len(parts) == 3 and parts[0] == "solicitors" else None
    field = field_for(parts)
    return field.name if field and field in section.fields else None
