"""Where a page of the case journey is in the case, and what it asks there.

A page is named by where it is: ``part:<slug>`` for a task, or a JSON pointer for an object in
the case (``/danger_statements/0``, ``/plo``), or for a list inside an item
(``/meetings/0/attendees``). A new item is written ``/<list>/-`` until it is saved.
"""

from ..generation import library
from ..generation.schema_fields import enum_options, kind_of
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


def meeting_types() -> dict:
    """Return the meeting types' names, as the case model labels them."""
    meeting = library.case_form_schema()["properties"]["meetings"]["items"]
    return dict(enum_options(meeting["properties"]["type"]))


def is_object(schema: dict) -> bool:
    """Return whether the schema is a group of questions (an object with properties)."""
    return kind_of(schema) == "object" and "properties" in schema


def is_list_of_objects(schema: dict) -> bool:
    """Return whether the schema is a list of items each with questions of their own."""
    return (
        kind_of(schema) == "array"
        and not schema.get("x-choose-from")
        and is_object(schema.get("items") or {})
    )


def _leaves(schema: dict, depth: int = 0) -> float:
    if depth > 6:
        return 0
    if is_list_of_objects(schema):
        return float("inf")  # a list inside a group: the group needs its own page
    if is_object(schema):
        return sum(_leaves(sub, depth + 1) for sub in schema["properties"].values())
    return 1


def _own_page(schema: dict) -> bool:
    return is_object(schema) and _leaves(schema) > INLINE_MOST_LEAVES


def pointer_parts(at: str) -> list[str]:
    """Return a page name's JSON pointer as its parts (NodeNotFound if it is not one)."""
    if not at.startswith("/"):
        raise NodeNotFound(at)
    return [p.replace("~1", "/").replace("~0", "~") for p in at.split("/")[1:]]


def walk(case: dict, at: str) -> tuple[dict, object, list]:
    """Return the schema and value at the pointer, and its parts (NodeNotFound if not there)."""
    schema, value = library.case_form_schema(), case
    parts = pointer_parts(at)
    for index, part in enumerate(parts):
        if is_list_of_objects(schema):
            items = value if isinstance(value, list) else []
            schema = schema["items"]
            if part == NEW and index == len(parts) - 1:
                value = {}
            elif part.isdigit() and int(part) < len(items):
                value = items[int(part)]
            else:
                raise NodeNotFound(at)
        elif is_object(schema) and part in schema["properties"]:
            schema = schema["properties"][part]
            value = value.get(part) if isinstance(value, dict) else None
        else:
            raise NodeNotFound(at)
    if is_list_of_objects(schema):  # a list inside an item: its own page
        return schema, (value if isinstance(value, list) else []), parts
    if not is_object(schema):
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
    if len(part.keys) == 1 and is_object(props[part.keys[0]]):
        return "/" + part.keys[0]
    return "part:" + slug


def part_pages() -> dict[str, str]:
    """Return the page that edits each part, by the part's slug."""
    return {part.slug: part_page(part.slug) for part in PARTS}


def part_of(at: str) -> Part:
    """Return the part of the case a page belongs to."""
    if at.startswith("part:"):
        part = part_get(at[5:])
        if part is None:
            raise NodeNotFound(at)
        return part
    top = pointer_parts(at)[0]
    for part in PARTS:
        if top in part.keys:
            return part
    raise NodeNotFound(at)


def parent_of(at: str) -> str:
    """Return the page a page goes back to when it is saved ("tasks" for the task list)."""
    if at.startswith("part:"):
        return "tasks"
    parts = pointer_parts(at)
    part = part_of(at)
    if len(parts) == 1:
        return "tasks" if part_page(part.slug) == at else "part:" + part.slug
    if parts[-1].isdigit() or parts[-1] == NEW:
        if len(parts) == 2:  # an item of one of the part's lists
            return part_page(part.slug) if part_page(part.slug) != "/" + parts[0] else "tasks"
        return "/" + "/".join(parts[:-1])  # an item of a list inside an item: the list's page
    return "/" + "/".join(parts[:-1])


def schema_and_value(case: dict, at: str) -> tuple[dict, dict]:
    """Return the schema of the page and what the case holds there."""
    if at.startswith("part:"):
        part = part_of(at)
        return _part_schema(part), {k: case[k] for k in part.keys if k in case}
    schema, value, _parts = walk(case, at)
    return schema, value


def inline_keys(schema: dict) -> list[str]:
    """Return the questions asked on the object's own page; groups go to theirs when many."""
    keys = [
        key
        for key, sub in schema["properties"].items()
        if "const" not in sub and not is_list_of_objects(sub) and not _own_page(sub)
    ]
    if sum(_leaves(schema["properties"][k]) for k in keys) > PAGE_MOST_LEAVES:
        keys = [k for k in keys if not is_object(schema["properties"][k])]
    return keys


def inline_schema(schema: dict) -> dict:
    """Return the object schema narrowed to the questions asked on its own page."""
    keys = inline_keys(schema)
    return {
        "type": "object",
        "properties": {k: schema["properties"][k] for k in keys},
        # The id is made by the service when the item is saved, never asked for.
        "required": [k for k in schema.get("required", []) if k in keys and k != "id"],
    }
