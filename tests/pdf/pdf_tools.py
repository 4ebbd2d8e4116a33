"""Helpers for the PDF tests: make a PDF from a .docx, read its text by page.

``docx_to_pdf`` is a plain, cold ``soffice --convert-to pdf`` in a temporary folder, as a naive
service would run it: the hostile-document tests use it as their control.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice")


def need_libreoffice() -> None:
    """Skip the test where LibreOffice is not installed (CI makes a skip a failure)."""
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")


def docx_to_pdf(docx: bytes) -> bytes:
    """Return the PDF LibreOffice makes of the .docx."""
    need_libreoffice()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        (path / "in.docx").write_bytes(docx)
        env = {**os.environ, "HOME": folder}
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(path / "in.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=120,
            env=env,
        )
        return (path / "in.pdf").read_bytes()
