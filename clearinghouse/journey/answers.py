"""The answers a page of the case journey sends: read, checked, and stored in the case.

Nothing is kept on the server: storing returns a new case, which the page seals for the
browser to carry to the next page.
"""

import copy
from dataclasses import dataclass

from jsonschema import Draft202012Validator, FormatChecker

from ..generation import case_ids, library
from ..generation.case_validation import case_data_errors
from ..generation.schema_form import SchemaForm
from ..text import json_problems, replace_bad
from .places import (
    NEW,
    NodeNotFound,
    inline_keys,
    inline_schema,
    is_list_of_objects,
    part_of,
    pointer_parts,
    schema_and_value,
    walk,
)


@dataclass
class Answers:
    """What a page's form sent: the answers, their problems, and whether they can be kept."""

    values: dict
    problems: list[dict]
    unusable: bool = False  # a character that can never be stored: nothing is kept


def answers_read(case: dict, at: str, form, *, max_items: int) -> Answers:
    """Return the page's answers from the posted form, and the problems in them."""
    schema, _value = schema_and_value(case, at)
    if is_list_of_objects(schema):
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
    schema, value = schema_and_value(case, at)
    if is_list_of_objects(schema):
        return case, at
    kept = {k: v for k, v in value.items() if k not in inline_keys(schema)}
    merged = kept | answers
    if at.startswith("part:"):
        for key in part_of(at).keys:
            if key in merged and merged[key] not in (None, [], {}):
                case[key] = merged[key]
            else:
                case.pop(key, None)
        return case, at
    parts = pointer_parts(at)
    holder = _container(case, parts[:-1])
    last = parts[-1]
    if isinstance(holder, list):
        if last == NEW:
            item_schema = walk(case, at)[0]
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
            index = int(part)
            if not isinstance(holder[index], dict):  # an odd value from a file: now answered
                holder[index] = {}
            holder, schema = holder[index], schema["items"]
            continue
        sub = schema["properties"][part]
        default: object = [] if is_list_of_objects(sub) else {}
        if not isinstance(holder.get(part), type(default)):
            holder[part] = default
        holder, schema = holder[part], sub
    return holder


def item_remove(case: dict, pointer: str) -> dict:
    """Return a copy of the case without the list item at the pointer."""
    case = copy.deepcopy(case)
    parts = pointer_parts(pointer)
    walk(case, pointer)
    holder = _container(case, parts[:-1])
    if not isinstance(holder, list) or not parts[-1].isdigit():
        raise NodeNotFound(pointer)
    del holder[int(parts[-1])]
    if not holder and len(parts) == 2:
        case.pop(parts[0], None)
    return case
