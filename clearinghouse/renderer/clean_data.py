"""Case data made safe for a render: plain JSON only, no characters XML forbids, within limits."""

import json
import re

from ..errors import InvalidInput
from .errors import RenderLimitError
from .limits import RenderLimits

# Characters XML 1.0 does not allow (tab, newline and carriage return are fine).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(value, limits: RenderLimits, path: str, depth: int):
    if depth > limits.max_depth:
        raise RenderLimitError(
            f"The case data is nested more than {limits.max_depth} levels deep.",
            [{"path": path or "/", "message": "Nested too deeply."}],
        )
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, str):
        return _INVALID_XML.sub("", value)
    if isinstance(value, (list, tuple)):
        if len(value) > limits.max_list_items:
            raise RenderLimitError(
                f"A list in the case data has {len(value)} items; the most allowed is "
                f"{limits.max_list_items}.",
                [{"path": path or "/", "message": "Too many items."}],
            )
        return [_clean(v, limits, f"{path}/{i}", depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidInput(
                    "invalid_data", "Case data field names must be text.", [{"path": path}]
                )
            cleaned[_INVALID_XML.sub("", key)] = _clean(item, limits, f"{path}/{key}", depth + 1)
        return cleaned
    raise InvalidInput(
        "invalid_data",
        "Case data may only hold text, numbers, true/false, lists and objects.",
        [{"path": path or "/", "message": f"Not plain data ({type(value).__name__})."}],
    )


def clean_context(context, limits: RenderLimits) -> dict:
    """Return plain JSON data with invalid XML characters removed, within the limits.

    Uses the limits' max_input_bytes, max_list_items and max_depth. Raises RenderLimitError.
    """
    if context is None:
        context = {}
    if not isinstance(context, dict):
        raise InvalidInput("invalid_data", "Case data must be a JSON object.")
    try:
        size = len(json.dumps(context, ensure_ascii=False, default=str).encode("utf-8"))
    except (ValueError, RecursionError):
        raise InvalidInput("invalid_data", "Case data is not plain JSON data.") from None
    if size > limits.max_input_bytes:
        raise RenderLimitError(
            f"The case data is too large ({size // 1024} KB); the most allowed is "
            f"{limits.max_input_bytes // 1024} KB.",
            status=413,
        )
    return _clean(context, limits, "", 0)
