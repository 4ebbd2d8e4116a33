"""JSON parsing for anything a person sends: malformed or absurdly nested input is a ValueError.

``json.loads`` raises RecursionError (not ValueError) on input like ``[[[[...]]]]`` thousands
deep, and moderately deep input parses but then exhausts the stack in code that walks it; both
must be a clear "invalid JSON" answer, never a 500.

Valid JSON may still carry text no request may hold: ``"\\u0000"`` decodes to NUL and
``"\\ud800"`` to a lone surrogate. Those raise ``text.InvalidText`` (a 400 ``invalid_text``
naming each JSON path), which is deliberately not a ValueError: it must reach the caller as
"this value cannot be used", not be swallowed as "not JSON".
"""

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider

from .text import check_json

MAX_DEPTH = 64


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def loads(text: str | bytes) -> Any:
    """Parse JSON: ValueError if malformed or deep; InvalidText if it holds NUL or surrogates."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if _depth_exceeds(value, MAX_DEPTH):
        raise ValueError("JSON nested too deeply")
    return check_json(value)


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, parsing request bodies with the depth-limited loader."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse a request body; deep or malformed input raises ValueError."""
        return loads(s)
