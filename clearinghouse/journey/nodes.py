"""One page of the case journey: a part of the case, or one item of a list, and its answers.

A page is named by where it is: ``part:<slug>`` for a task, or a JSON pointer for an object in
the case (``/danger_statements/0``, ``/plo``). It asks the short questions itself; each list of
things (children, danger statements, a meeting's decisions) shows as a summary with Change and
Remove, and "Add another" opens a page for one new item. A large group of questions gets its
own page. So no page grows with the case. A new item is written ``/<list>/-`` until it is saved.
"""

import copy
from dataclasses import dataclass, field

from jsonschema import Draft202012Validator, FormatChecker

from ..generation import case_ids, library
from ..generation.case_validation import case_data_errors
from ..generation.schema_choices import item_label
from ..generation.schema_fields import Field, enum_options, field_title, kind_of, singular
from ..generation.schema_form import SchemaForm
from ..text import json_problems, replace_bad
from .parts import PARTS, Part, part_get

INLINE_MOST_LEAVES = 8  # a group with more answers than this is edited on its own page
PAGE_MOST_LEAVES = 16  # a page asking more than this puts each of its groups on its own page
NEW = "-"
# The lists other parts of a case point to (x-choose-from in the case model).
LISTS_WITH_IDS = (
    "children", "family_members", "safety_network", "danger_statements", "safety_goals",
    "meetings",
)  # fmt: skip


class NodeNotFound(LookupError):
    """The page named does not exist in this case (an item removed since, or a made-up name)."""


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


def meeting_types() -> dict:
    """Return the meeting types' names, as the case model labels them."""
    meeting = library.case_form_schema()["properties"]["meetings"]["items"]
    return dict(enum_options(meeting["properties"]["type"]))


def _is_object(schema: dict) -> bool:
    return kind_of(schema) == "object" and "properties" in schema


def _is_list_of_objects(schema: dict) -> bool:
    return (
        kind_of(schema) == "array"
        and not schema.get("x-choose-from")
        and _is_object(schema.get("items") or {})
    )


def _leaves(schema: dict, depth: int = 0) -> float:
    if depth > 6:
        return 0
    if _is_list_of_objects(schema):
        return float("inf")  # a list inside a group: the group needs its own page
    if _is_object(schema):
        return sum(_leaves(sub, depth + 1) for sub in schema["properties"].values())
    return 1


def _own_page(schema: dict) -> bool:
    return _is_object(schema) and _leaves(schema) > INLINE_MOST_LEAVES


def _pointer_parts(at: str) -> list[str]:
    if not at.startswith("/"):
        raise NodeNotFound(at)
    return [p.replace("~1", "/").replace("~0", "~") for p in at.split("/")[1:]]


def _walk(case: dict, at: str) -> tuple[dict, object, list]:
    """Return the schema and value at the pointer, and its parts (NodeNotFound if not there)."""
    schema, value = library.case_form_schema(), case
    parts = _pointer_parts(at)
    for index, part in enumerate(parts):
        if _is_list_of_objects(schema):
            items = value if isinstance(value, list) else []
            schema = schema["items"]
            if part == NEW and index == len(parts) - 1:
                value = {}
            elif part.isdigit() and int(part) < len(items):
                value = items[int(part)]
            else:
                raise NodeNotFound(at)
        elif _is_object(schema) and part in schema["properties"]:
            schema = schema["properties"][part]
            value = value.get(part) if isinstance(value, dict) else None
        else:
            raise NodeNotFound(at)
    if _is_list_of_objects(schema):  # a list inside an item: its own page
        return schema, (value if isinstance(value, list) else []), parts
    if not _is_object(schema):
        raise NodeNotFound(at)
    return schema, (value if isinstance(value, dict) else {}), parts


def _part_schema(part: Part) -> dict:
    props = library.case_form_schema()["properties"]
    return {"type": "object", "properties": {key: props[key] for key in part.keys}}


def part_page(slug: str) -> str:
    """Return the page that edits a part: its own group when it is one group of questions."""
    part = part_get(slug)
    if part is None:
        raise NodeNotFound(slug)
    props = library.case_form_schema()["properties"]
    if len(part.keys) == 1 and _is_object(props[part.keys[0]]):
        return "/" + part.keys[0]
    return "part:" + slug


def _part_of(at: str) -> Part:
    if at.startswith("part:"):
        part = part_get(at[5:])
        if part is None:
            raise NodeNotFound(at)
        return part
    top = _pointer_parts(at)[0]
    for part in PARTS:
        if top in part.keys:
            return part
    raise NodeNotFound(at)


def _parent(at: str) -> str:
    if at.startswith("part:"):
        return "tasks"
    parts = _pointer_parts(at)
    part = _part_of(at)
    if len(parts) == 1:
        return "tasks" if part_page(part.slug) == at else "part:" + part.slug
    if parts[-1].isdigit() or parts[-1] == NEW:
        if len(parts) == 2:  # an item of one of the part's lists
            return part_page(part.slug) if part_page(part.slug) != "/" + parts[0] else "tasks"
        return "/" + "/".join(parts[:-1])  # an item of a list inside an item: the list's page
    return "/" + "/".join(parts[:-1])


def _schema_and_value(case: dict, at: str) -> tuple[dict, dict]:
    if at.startswith("part:"):
        part = _part_of(at)
        return _part_schema(part), {k: case[k] for k in part.keys if k in case}
    schema, value, _parts = _walk(case, at)
    return schema, value


def _inline_keys(schema: dict) -> list[str]:
    """Return the questions asked on the object's own page; groups go to theirs when many."""
    keys = [
        key
        for key, sub in schema["properties"].items()
        if "const" not in sub and not _is_list_of_objects(sub) and not _own_page(sub)
    ]
    if sum(_leaves(schema["properties"][k]) for k in keys) > PAGE_MOST_LEAVES:
        keys = [k for k in keys if not _is_object(schema["properties"][k])]
    return keys


def inline_schema(schema: dict) -> dict:
    """Return the object schema narrowed to the questions asked on its own page."""
    keys = _inline_keys(schema)
    return {
        "type": "object",
        "properties": {k: schema["properties"][k] for k in keys},
        # The id is made by the service when the item is saved, never asked for.
        "required": [k for k in schema.get("required", []) if k in keys and k != "id"],
    }


def _title(at: str, schema: dict, value: dict) -> tuple[str, str]:
    """Return the page's heading and caption."""
    part = _part_of(at)
    if at.startswith("part:"):
        return part.title, "Your case"
    parts = _pointer_parts(at)
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
    schema, value = _schema_and_value(case, at)
    if _is_list_of_objects(schema):
        return _list_page(case, at, schema, value, max_items)
    shown = dict(value)
    if answers is not None:
        shown = {k: v for k, v in value.items() if k not in _inline_keys(schema)} | answers
    form = SchemaForm(inline_schema(schema), None, max_items, meeting_types())
    fields = {f.name: f for f in form.fields(shown, errors or {}, root=case)}
    blocks: list[Block] = []
    for key, sub in schema["properties"].items():
        if key in fields:
            if not blocks or blocks[-1].kind != "fields":
                blocks.append(Block("fields"))
            blocks[-1].fields.append(fields[key])
        elif _is_list_of_objects(sub) and at.startswith("part:"):
            blocks.append(_list_block(_child(at, key), key, sub, value.get(key), max_items))
        elif _is_list_of_objects(sub):  # a list inside an item: one row, the list on its page
            items = value.get(key) if isinstance(value.get(key), list) else []
            names = [item_label(key, item, i + 1, meeting_types()) for i, item in enumerate(items)]
            shown_names = "; ".join(names[:3]) + (
                f" and {len(names) - 3} more" if len(names) > 3 else ""
            )
            _link(blocks, {"title": field_title(sub, key), "pointer": _child(at, key),
                           "summary": f"{len(items)} added: {shown_names}" if items else "None yet",
                           "answered": len(items), "verb": "Add"})  # fmt: skip
        elif _is_object(sub):  # a group not asked here: edited on its own page
            answered = _count(value.get(key))
            _link(blocks, {"title": field_title(sub, key), "pointer": _child(at, key),
                           "summary": f"{answered} answer{'s' if answered != 1 else ''}"
                           if answered else "Not answered yet", "answered": answered,
                           "verb": "Answer"})  # fmt: skip
    title, caption = _title(at, schema, value)
    return Node(at, title, caption, _parent(at), blocks, _part_of(at))


def _list_page(case: dict, at: str, schema: dict, items: list, max_items: int) -> Node:
    key = _pointer_parts(at)[-1]
    block = _list_block(at, key, schema, items, max_items)
    block.title = ""  # the page's heading says it
    return Node(at, field_title(schema, key), _part_of(at).title, _parent(at), [block],
                _part_of(at))  # fmt: skip


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


@dataclass
class Answers:
    """What a page's form sent: the answers, their problems, and whether they can be kept."""

    values: dict
    problems: list[dict]
    unusable: bool = False  # a character that can never be stored: nothing is kept


def answers_read(case: dict, at: str, form, *, max_items: int) -> Answers:
    """Return the page's answers from the posted form, and the problems in them."""
    schema, _value = _schema_and_value(case, at)
    if _is_list_of_objects(schema):
        return Answers({}, [])  # a list's page asks nothing itself
    asked = inline_schema(schema)
    answers = SchemaForm(asked, None, max_items).data(form)
    bad_text = json_problems(answers, lambda parts: "This answer")
    if bad_text:  # a NUL or a lone surrogate: shown back replaced, never stored
        return Answers(replace_bad(answers), bad_text, unusable=True)
    validator = Draft202012Validator(asked, format_checker=FormatChecker())
    return Answers(answers, case_data_errors(validator, answers, asked))


def answers_store(case: dict, at: str, answers: dict) -> tuple[dict, str]:
    """Return a copy of the case with the page's answers stored, and the page's name now.

    A new item (``/<list>/-``) is added to its list and named by its place from then on.
    """
    case = copy.deepcopy(case)
    schema, value = _schema_and_value(case, at)
    if _is_list_of_objects(schema):
        return case, at
    kept = {k: v for k, v in value.items() if k not in _inline_keys(schema)}
    merged = kept | answers
    if at.startswith("part:"):
        for key in _part_of(at).keys:
            if key in merged and merged[key] not in (None, [], {}):
                case[key] = merged[key]
            else:
                case.pop(key, None)
        return case, at
    parts = _pointer_parts(at)
    holder = _container(case, parts[:-1])
    last = parts[-1]
    if isinstance(holder, list):
        if last == NEW:
            item_schema = _walk(case, at)[0]
            if "id" in item_schema.get("required", []) and not merged.get("id"):
                merged["id"] = case_ids.id_new(parts[-2], holder)
            holder.append(merged)
            return case, "/" + "/".join([*parts[:-1], str(len(holder) - 1)])
        holder[int(last)] = merged
    elif merged:
        holder[last] = merged
    else:
        holder.pop(last, None)
    return case, at


def _container(case: dict, parts: list[str]):
    """Return the dict or list that holds the last part, made on the way where missing."""
    holder: object = case
    schema = library.case_form_schema()
    for part in parts:
        if isinstance(holder, list):
            holder, schema = holder[int(part)], schema["items"]
            continue
        sub = schema["properties"][part]
        default: object = [] if _is_list_of_objects(sub) else {}
        if not isinstance(holder.get(part), type(default)):
            holder[part] = default
        holder, schema = holder[part], sub
    return holder


def item_remove(case: dict, pointer: str) -> dict:
    """Return a copy of the case without the list item at the pointer."""
    case = copy.deepcopy(case)
    parts = _pointer_parts(pointer)
    _walk(case, pointer)
    holder = _container(case, parts[:-1])
    if not isinstance(holder, list) or not parts[-1].isdigit():
        raise NodeNotFound(pointer)
    del holder[int(parts[-1])]
    if not holder and len(parts) == 2:
        case.pop(parts[0], None)
    return case
