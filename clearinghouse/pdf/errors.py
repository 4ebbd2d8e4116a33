"""What PDF output raises: no converter here, all converters busy, or a document not converted.

Each is a core ServiceError, so the app's one error handler answers it; the two 503s carry a
Retry-After header.
"""

from ..errors import InvalidInput, ServiceError

INSTALL_HINT = (
    "PDF download needs LibreOffice on the server: install the Debian packages "
    "libreoffice-writer-nogui, python3-uno, fonts-liberation and fonts-dejavu."
)


class PdfUnavailable(ServiceError):
    """This server cannot make PDFs (LibreOffice missing, or it would not start)."""

    status = 503
    code = "pdf_unavailable"

    def __init__(self, message: str = INSTALL_HINT, retry_after: int = 300):
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


class PdfBusy(ServiceError):
    """Every converter is busy and the queue is full: try again shortly."""

    status = 503
    code = "pdf_busy"

    def __init__(self, retry_after: int = 5):
        super().__init__(
            "Many PDFs are being made at the moment. Wait a few seconds and try again, or "
            "download the Word document instead."
        )
        self.headers = {"Retry-After": str(retry_after)}


class PdfFailed(InvalidInput):
    """This document could not be made into a PDF (too slow, or LibreOffice refused it)."""

    def __init__(self, message: str):
        super().__init__("pdf_failed", message, status=422)
