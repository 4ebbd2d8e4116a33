"""The limits one render runs under: time, case data size and shape, and output size."""

from collections.abc import Mapping
from dataclasses import dataclass

from ..config import SETTINGS

MAX_DEPTH = 32  # deepest nesting of case data; not a setting


@dataclass(frozen=True)
class RenderLimits:
    """What one render may take; the caller says, the renderer enforces.

    ``timeout`` in seconds; ``max_input_bytes`` of case data as JSON; ``max_list_items`` in
    any one list; ``max_output`` bytes of the .docx made; ``max_depth`` of nested data.
    """

    timeout: float
    max_input_bytes: int
    max_list_items: int
    max_output: int
    max_depth: int = MAX_DEPTH

    @classmethod
    def from_settings(cls, settings: Mapping | None = None) -> "RenderLimits":
        """Return the limits the RENDER_* settings give; one not given takes its default."""
        values = {s.name: s.default for s in SETTINGS}
        values.update(settings or {})
        return cls(
            timeout=float(values["RENDER_TIMEOUT_SECONDS"]),
            max_input_bytes=int(values["RENDER_MAX_INPUT_KB"]) * 1024,
            max_list_items=int(values["RENDER_MAX_LIST_ITEMS"]),
            max_output=int(values["RENDER_MAX_OUTPUT_MB"]) * 1024 * 1024,
        )
