"""One page of the case journey: a part of the case, an item of a list, or a list.

A page asks the short questions itself; each list of things (children, danger statements, a
meeting's decisions) shows as a summary with Change and Remove, and "Add another" opens a page
for one new item. A large group of questions, or a list inside an item, gets its own page and
one row on this one. So no page grows with the case.
"""

from dataclasses import dataclass, field

from ..generation.schema_choices import item_label
from ..generation.schema_fields import Field, field_title, singular
from ..generation.schema_form import SchemaForm
from .parts import Part
from .places import (
    NEW,
    inline_keys,
    inline_schema,
    is_list_of_objects,
    is_object,
    meeting_types,
    parent_of,
    part_of,
    pointer_parts,
    schema_and_value,
)


@dataclass
class Block:
    """A run of questions, a list shown as a summary, or a group edited on its own page."""

    kind: str  # fields, list, links (groups and lists edited on their own pages)
    key: str = ""
    title: str = ""
    hint: str = ""
    fields: list[Field] = field(default_factory=list)
    pointer: str = ""
    items: list[dict] = field(default_factory=list)  # list: pointer, label
    item_label: str = ""
    can_add: bool = False
    answered: int = 0


@dataclass
class Node:
    """What one page of the journey shows."""

    at: str
    title: str
    caption: str
    parent: str  # a page name, or "tasks"
    blocks: list[Block]
    part: Part


def _title(at: str, schema: dict, value: dict) -> tuple[str, str]:
    """Return the page's heading and caption."""
    part = part_of(at)
    if at.startswith("part:"):
        return part.title, "Your case"
    parts = pointer_parts(at)
    last, before = parts[-1], parts[-2] if len(parts) > 1 else ""
    if last == NEW:
        return f"Add {_a(singular(before))}", part.title
    if last.isdigit():
        label = item_label(before, value, int(last) + 1, meeting_types())
        return label, f"{singular(before).capitalize()} {int(last) + 1}"
    return field_title(schema, last), part.title


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def node_view(case: dict, at: str, *, max_items: int, answers: dict | None = None, errors=None):
    """Return the page at ``at``: its questions (filled from answers when given) and lists."""
    schema, value = schema_and_value(case, at)
    if is_list_of_objects(schema):
        return _list_page(case, at, schema, value, max_items)
    shown = dict(value)
    if answers is not None:
        shown = {k: v for k, v in value.items() if k not in inline_keys(schema)} | answers
    form = SchemaForm(inline_schema(schema), None, max_items, meeting_types())
    fields = {f.name: f for f in form.fields(shown, errors or {}, root=case)}
    blocks: list[Block] = []
    for key, sub in schema["properties"].items():
        if key in fields:
            if not blocks or blocks[-1].kind != "fields":
                blocks.append(Block("fields"))
            blocks[-1].fields.append(fields[key])
        elif is_list_of_objects(sub) and at.startswith("part:"):
            blocks.append(_list_block(_child(at, key), key, sub, value.get(key), max_items))
        elif is_list_of_objects(sub):  # a list inside an item: one row, the list on its page
            items = value.get(key) if isinstance(value.get(key), list) else []
            names = [item_label(key, item, i + 1, meeting_types()) for i, item in enumerate(items)]
            shown_names = "; ".join(names[:3]) + (
                f" and {len(names) - 3} more" if len(names) > 3 else ""
            )
            _link(blocks, {"title": field_title(sub, key), "pointer": _child(at, key),
                           "summary": f"{len(items)} added: {shown_names}" if items else "None yet",
                           "answered": len(items), "verb": "Add"})  # fmt: skip
        elif is_object(sub):  # a group not asked here: edited on its own page
            answered = _count(value.get(key))
            _link(blocks, {"title": field_title(sub, key), "pointer": _child(at, key),
                           "summary": f"{answered} answer{'s' if answered != 1 else ''}"
                           if answered else "Not answered yet", "answered": answered,
                           "verb": "Answer"})  # fmt: skip
    title, caption = _title(at, schema, value)
    return Node(at, title, caption, parent_of(at), blocks, part_of(at))


def _list_page(case: dict, at: str, schema: dict, items: list, max_items: int) -> Node:
    key = pointer_parts(at)[-1]
    block = _list_block(at, key, schema, items, max_items)
    block.title = ""  # the page's heading says it
    return Node(at, field_title(schema, key), part_of(at).title, parent_of(at), [block],
                part_of(at))  # fmt: skip


def _link(blocks: list[Block], link: dict) -> None:
    """Add a row to the summary of groups and lists edited on their own pages."""
    if not blocks or blocks[-1].kind != "links":
        blocks.append(Block("links"))
    blocks[-1].items.append(link)


def _child(at: str, key: str) -> str:
    return ("/" + key) if at.startswith("part:") else f"{at}/{key}"


def _count(value) -> int:
    if isinstance(value, dict):
        return sum(_count(v) for v in value.values())
    if isinstance(value, list):
        return len(value)
    return 0 if value in (None, "") else 1


def _list_block(base: str, key: str, schema: dict, items, max_items: int) -> Block:
    items = items if isinstance(items, list) else []
    most = min(schema.get("maxItems", max_items), max_items)
    shown = [
        {"pointer": f"{base}/{i}", "label": item_label(key, item, i + 1, meeting_types())}
        for i, item in enumerate(items)
    ]
    return Block(
        "list",
        key,
        field_title(schema, key),
        schema.get("description", ""),
        pointer=base,
        items=shown,
        item_label=singular(key),
        can_add=len(items) < most,
    )
