"""Read the case an audit starts from: the case file formats generation accepts, in memory only."""

from ..errors import InvalidInput
from ..generation import case_files, case_pipeline, case_validation


def case_from_data(data, settings: dict) -> dict:
    """Return a case (version 1 converted to 2) after generation's size and list limits."""
    if not isinstance(data, dict):
        raise InvalidInput(
            "invalid_case_file",
            'The case must be one JSON object, like {"children": [...]}',
            details=[{"path": "case", "message": "Send the case as a JSON object"}],
            status=400,
        )
    case_validation.limits_check(
        data, max_kb=settings["RENDER_MAX_INPUT_KB"], max_items=settings["RENDER_MAX_LIST_ITEMS"]
    )
    case, _notices = case_pipeline.upgraded(data)
    return case


def case_from_file(raw: bytes, settings: dict) -> dict:
    """Return the case in an uploaded case file (.json), never written anywhere."""
    if not raw:
        raise InvalidInput(
            "invalid_case_file",
            "Select a case file (.json) to upload",
            details=[{"path": "case_file", "message": "Select a case file (.json) to upload"}],
            status=400,
        )
    max_kb = settings["RENDER_MAX_INPUT_KB"]
    return case_from_data(case_files.case_file_read(raw, max_kb), settings)


def case_reference(case: dict) -> str | None:
    """Return the authority's reference the case file gives (document.reference), if any."""
    document = case.get("document")
    value = document.get("reference") if isinstance(document, dict) else None
    return value if isinstance(value, str) and value.strip() else None
