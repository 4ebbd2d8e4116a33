"""Text no request may carry: NUL characters and lone (unpaired) UTF-16 surrogates.

Neither can be stored in every database (PostgreSQL refuses NUL) nor encoded as UTF-8 (a
lone surrogate), so both are refused where text enters: form fields, query strings, JSON
values and keys, and uploaded file names. JSON escapes such as ``"\\ud800"`` and ``"\\u0000"``
decode to exactly these characters, so a JSON body is checked after it is parsed.
"""

import re
from collections.abc import Callable, Iterable
from typing import Any

from .errors import InvalidInput

BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
MAX_PROBLEMS = 20
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class InvalidText(InvalidInput):
    """Text holds a character that cannot be used; details name each place."""

    def __init__(self, details: list[dict], message: str | None = None):
        if message is None:
            message = details[0]["message"] if details else "A character cannot be used."
            if len(details) > 1:
                message += f" ({len(details) - 1} more listed in the details.)"
        super().__init__("invalid_text", message, details, status=400)


def whole_number(value, digits: int = 9) -> int | None:
    """Return typed text as a whole number of at most ``digits`` ASCII digits, else None.

    ``str.isdigit`` is true of "²" and of digits from other scripts, which ``int`` refuses or
    reads as a number nobody typed; a long run of digits would overflow a database integer.
    """
    text = str(value).strip() if value is not None else ""
    if not text or len(text) > digits or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def text_problem(value: str) -> str | None:
    """Return what is wrong with the text (a NUL or a lone surrogate and where), or None."""
    found = BAD_CHARACTER.search(value)
    if found is None:
        return None
    char = found.group()
    what = "a NUL character" if char == "\x00" else "an unpaired surrogate"
    return f"{what}, U+{ord(char):04X}, at character {found.start() + 1}"


def cannot_use(where: str, problem: str) -> str:
    """Return the message saying where a character that cannot be used was found."""
    return f"{where} contains a character that cannot be used ({problem}). Remove it and try again."


def printable(text: str) -> str:
    """Return the text with NULs and lone surrogates written as \\uXXXX escapes, safe to show."""
    return BAD_CHARACTER.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def field_problems(fields: Iterable[tuple[str, Any]], label: str = "") -> list[dict]:
    """Return a detail for each (name, text) pair whose text cannot be used."""
    details = []
    for name, value in fields:
        problem = text_problem(value) if isinstance(value, str) else None
        if problem:
            shown = printable(name)
            details.append(
                {
                    "path": shown,
                    "message": cannot_use(label or shown, problem),
                }
            )
        if len(details) >= MAX_PROBLEMS:
            break
    return details


def _pointer(parts: list) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def readable_path(parts: list) -> str:
    """Return a JSON path as people write it: children[0].name, or (the whole value)."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _NAME.match(part):
            out += f".{part}" if out else part
        else:
            out += '["' + printable(part.replace("\\", "\\\\").replace('"', '\\"')) + '"]'
    return out or "(the whole value)"


def json_problems(value: Any, name: Callable[[list], str] | None = None) -> list[dict]:
    """Return a detail (JSON pointer path and message) for each bad string or key in value.

    ``name`` says what to call the place in messages; the default is its path, children[0].name.
    """
    name = name or readable_path
    details: list[dict] = []
    stack: list[tuple[Any, list, bool]] = [(value, [], False)]  # (item, path, is it a key?)
    while stack and len(details) < MAX_PROBLEMS:
        item, parts, is_key = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem and is_key:
                message = cannot_use(f"The key {readable_path(parts)}", problem)
                details.append(_json_detail(parts, message))
            elif problem:
                details.append(_json_detail(parts, cannot_use(name(parts), problem)))
        elif isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                stack += [(child, [*parts, key], False), (key, [*parts, key], True)]
        elif isinstance(item, list):
            stack.extend(
                (child, [*parts, i], False) for i, child in reversed(list(enumerate(item)))
            )
    return details


def _json_detail(parts: list, message: str) -> dict:
    return {"path": printable(_pointer(parts)), "message": message}


def replace_bad(value: Any) -> Any:
    """Return a copy of a JSON value with each NUL and lone surrogate replaced by U+FFFD."""
    if isinstance(value, str):
        return BAD_CHARACTER.sub("\ufffd", value)
    if isinstance(value, dict):
        return {replace_bad(key): replace_bad(child) for key, child in value.items()}
    if isinstance(value, list):
        return [replace_bad(child) for child in value]
    return value


def check_json(value: Any) -> Any:
    """Return the value, or raise InvalidText naming every bad string or key in it."""
    details = json_problems(value)
    if details:
        raise InvalidText(details)
    return value
