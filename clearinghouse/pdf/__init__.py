"""PDF output: documents the service generated, hardened, then converted by a warm LibreOffice.

Pure like the renderer: it takes .docx bytes and the PdfSettings to keep to, and knows nothing
of Flask, the database or where documents come from. Only the generation service calls it, on
a document it has just rendered (an import contract keeps uploads away from it). Modules:

- settings.py: PdfSettings, from the app's PDF_* settings (the caller reads them)
- errors.py: PdfUnavailable and PdfBusy (503 with Retry-After), PdfFailed (422)
- harden.py: external links and linking fields stripped before LibreOffice sees the document
- converter.py: the warm converters of this process and the bounded queue in front of them
- uno_worker.py: one converter, run under Debian's Python beside LibreOffice
"""

import atexit
import logging
import os
import shutil
import subprocess
import threading
from pathlib import Path

from .converter import FOLDER_PREFIX, Pool
from .errors import INSTALL_HINT, PdfBusy, PdfFailed, PdfUnavailable
from .harden import docx_harden
from .settings import PdfSettings

__all__ = [
    "PdfBusy",
    "PdfFailed",
    "PdfSettings",
    "PdfUnavailable",
    "converter_folders",
    "docx_harden",
    "docx_to_pdf",
    "pdf_unavailable_reason",
    "shutdown",
    "warm",
]

log = logging.getLogger(__name__)
_POOL: Pool | None = None
_LOCK = threading.Lock()
_CHECKED: dict[tuple, str | None] = {}


def _tmpfs(folder: str) -> bool:
    """Say whether the folder is on a memory-backed file system (never persistent disk)."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return False
    real = os.path.realpath(folder)
    best, kind = "", ""
    for line in mounts:
        fields = line.split()
        if len(fields) > 2 and (real == fields[1] or real.startswith(fields[1].rstrip("/") + "/")):
            if len(fields[1]) > len(best):
                best, kind = fields[1], fields[2]
    return kind in ("tmpfs", "ramfs")


def _check(settings: PdfSettings) -> str | None:
    if not shutil.which(settings.soffice):
        return INSTALL_HINT
    if not os.access(settings.python, os.X_OK):
        return INSTALL_HINT
    try:
        subprocess.run(
            [settings.python, "-c", "import uno"], check=True, capture_output=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return INSTALL_HINT
    if not (os.path.isdir(settings.work_dir) and os.access(settings.work_dir, os.W_OK)):
        return f"PDF download needs a writable memory-backed folder: {settings.work_dir} is not."
    if not _tmpfs(settings.work_dir):
        return (
            f"PDF download is off: {settings.work_dir} is not memory-backed (tmpfs), and "
            "documents must never reach the disk. Set CLEARINGHOUSE_PDF_WORK_DIR to a tmpfs folder."
        )
    return None


def pdf_unavailable_reason(settings: PdfSettings) -> str | None:
    """Return in one line why this server cannot make PDFs, or None when it can."""
    key = (settings.soffice, settings.python, settings.work_dir)
    if key not in _CHECKED:
        _CHECKED[key] = _check(settings)
    return _CHECKED[key]


def _pool(settings: PdfSettings) -> Pool:
    global _POOL
    reason = pdf_unavailable_reason(settings)
    if reason:
        raise PdfUnavailable(reason)
    with _LOCK:
        if _POOL is not None and (_POOL.pid != os.getpid() or _POOL.settings != settings):
            if _POOL.pid == os.getpid():
                _POOL.close()  # the settings changed (tests); a forked child's are its parent's
            _POOL = None
        if _POOL is None:
            _sweep(settings.work_dir)
            _POOL = Pool(settings)
        return _POOL


def _sweep(work_dir: str) -> None:
    """Remove folders left by converters of processes that no longer exist."""
    for folder in Path(work_dir).glob(FOLDER_PREFIX + "*"):
        pid = folder.name[len(FOLDER_PREFIX) :].split("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def docx_to_pdf(docx: bytes, settings: PdfSettings, *, pdfa: bool = False) -> bytes:
    """Return a tagged PDF (PDF/A-2b when asked) of a .docx the service generated."""
    return _pool(settings).convert(docx_harden(docx), pdfa)


def warm(settings: PdfSettings) -> None:
    """Start this process's converters now, in the background, if this server can."""

    def start() -> None:
        try:
            _pool(settings)
        except PdfUnavailable as exc:
            log.warning("PDF output is off on this server: %s", exc.message)

    threading.Thread(target=start, name="pdf-warm", daemon=True).start()


def converter_folders() -> list[Path]:
    """Return this process's converter folders (the privacy tests scan them)."""
    pool = _POOL
    return pool.folders() if pool is not None and pool.pid == os.getpid() else []


def shutdown() -> None:
    """Stop this process's converters and remove their folders."""
    global _POOL
    with _LOCK:
        pool, _POOL = _POOL, None
    if pool is not None and pool.pid == os.getpid():
        pool.close()


atexit.register(shutdown)
