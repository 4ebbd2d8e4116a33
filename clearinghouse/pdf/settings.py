"""The settings PDF output runs with, read once from the app's PDF_* settings by the caller."""

from collections.abc import Mapping
from dataclasses import dataclass

from ..config import SETTINGS


@dataclass(frozen=True)
class PdfSettings:
    """Where LibreOffice is, how many converters, and the limits each conversion keeps to.

    ``soffice`` is LibreOffice's program; ``python`` the interpreter that imports uno;
    ``work_dir`` the tmpfs folder the converters' own folders go in; ``converters`` how many
    are kept warm; ``queue`` how many requests may wait for one; ``timeout`` seconds one
    conversion may take; ``max_conversions`` before a converter is restarted.
    """

    soffice: str
    python: str
    work_dir: str
    converters: int
    queue: int
    timeout: float
    max_conversions: int
    start_timeout: float = 60.0

    @classmethod
    def from_settings(cls, settings: Mapping | None = None) -> "PdfSettings":
        """Return the PDF settings the PDF_* settings give; one not given takes its default."""
        values = {s.name: s.default for s in SETTINGS}
        values.update(settings or {})
        return cls(
            soffice=str(values["PDF_SOFFICE"]),
            python=str(values["PDF_PYTHON"]),
            work_dir=str(values["PDF_WORK_DIR"]),
            converters=max(1, int(values["PDF_CONVERTERS"])),
            queue=max(0, int(values["PDF_QUEUE"])),
            timeout=float(values["PDF_TIMEOUT_SECONDS"]),
            max_conversions=max(1, int(values["PDF_MAX_CONVERSIONS"])),
        )
