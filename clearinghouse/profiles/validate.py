"""A profile checked against the case model's ``$defs/authority``, with messages in plain words.

The schema is the one generation validates cases with (``generation.library.case_validator``),
so a saved profile is always a valid ``authority`` object. Messages name the field as the pages
do ("Enter the complaints team's name") and never repeat what was entered.
"""

import json

from ..errors import InvalidInput
from ..generation.case_validation import pointer
from ..generation.library import case_validator
from ..text import check_json
from .fields import called

MAX_BYTES = 128 * 1024  # far above the schema's limits on every string and list


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _message(error) -> tuple[tuple, str]:
    """Return (profile path, plain message) for one jsonschema error under /authority."""
    path = tuple(error.absolute_path)[1:]  # drop "authority"
    kind, value = error.validator, error.validator_value
    if kind == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        missing = next((key for key in value if key not in instance), value[0])
        return (*path, missing), f"Enter the {called((*path, missing))}"
    name = called(path)
    if kind == "minLength":
        if value <= 1:
            return path, f"Enter the {name}"
        return path, _sentence(f"the {name} must be at least {value} characters")
    if kind == "maxLength":
        return path, _sentence(f"the {name} must be {value} characters or fewer")
    if kind == "format" and value == "email":
        return path, f"Enter the {name} as an email address, like name@example.org"
    if kind == "maxItems":
        return path, _sentence(f"the {name} can have at most {value} entries")
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        where = pointer(path) or "the profile"
        return path, f"{where} has fields an authority profile does not have: {', '.join(extra)}"
    if kind == "type":
        return path, _sentence(f"the {name} must be {_type_words(value)}")
    return path, _sentence(f"the {name} is not valid")


def _type_words(value) -> str:
    words = {"string": "text", "object": "a group of fields", "array": "a list"}
    wanted = value if isinstance(value, list) else [value]
    return " or ".join(words.get(w, w) for w in wanted)


def profile_problems(data) -> list[dict]:
    """Return each problem with the profile as {"path": JSON pointer, "message": plain words}."""
    if not isinstance(data, dict):
        return [{"path": "", "message": "The profile must be a JSON object of fields"}]
    details: list[dict] = []
    errors = case_validator().iter_errors({"authority": data})
    for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
        path, message = _message(error)
        detail = {"path": pointer(path), "message": message}
        if detail not in details:
            details.append(detail)
    return details


def profile_check(data) -> dict:
    """Return the profile if it is a valid authority object, else raise InvalidInput."""
    check_json(data)
    if isinstance(data, dict) and len(json.dumps(data).encode("utf-8")) > MAX_BYTES:
        raise InvalidInput(
            "profile_too_large",
            f"The profile is too large. The most accepted is {MAX_BYTES // 1024} KB.",
            status=413,
        )
    details = profile_problems(data)
    if details:
        raise InvalidInput(
            "invalid_profile",
            "There is a problem with the profile. Correct the fields listed and try again.",
            details=details,
        )
    return data
