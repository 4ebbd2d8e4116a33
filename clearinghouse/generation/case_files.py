"""Case files: the case as a JSON file a practitioner keeps and uploads again.

The service never keeps a case: the practitioner saves it to a file on their own device, and
the file is read here, checked only for shape, and handed back in memory.
"""

import json

from .. import jsonio
from ..errors import InvalidInput
from ..text import InvalidText


def case_file_read(raw: bytes, max_kb: int) -> dict:
    """Return the case in an uploaded file (InvalidInput 'invalid_case_file' when unusable)."""
    if len(raw) > max_kb * 1024:
        raise InvalidInput(
            "invalid_case_file", f"The case file must be smaller than {max_kb} KB", status=413
        )
    try:
        data = jsonio.loads(raw.decode("utf-8-sig"))
    except InvalidText as exc:
        raise InvalidInput(
            "invalid_case_file", f"The case file cannot be used: {exc.message}", status=400
        ) from None
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput(
            "invalid_case_file",
            "The case file is not valid JSON. Check it was saved as a .json file",
            status=400,
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput(
            "invalid_case_file",
            'The case file must hold one JSON object, like {"children": [...]}',
            status=400,
        )
    return data


def case_file_bytes(case: dict) -> bytes:
    """Return the case as the file the practitioner saves (UTF-8 JSON, readable)."""
    return json.dumps(case, ensure_ascii=False, indent=2).encode("utf-8")
