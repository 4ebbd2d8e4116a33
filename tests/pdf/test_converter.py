"""The warm converters: tagged PDF and PDF/A-2b, a bounded queue, time limits, restarts, and
their folders on tmpfs holding nothing of a document once it is answered."""

import io
import os
import signal
import stat
import subprocess
import threading
import time
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from docx_builder import make_docx

from clearinghouse import pdf

from .pdf_tools import need_libreoffice

SENTINEL = "Zephyrine-Quillfeather-7741"


def settings(**changes) -> pdf.PdfSettings:
    """Return the default PDF settings with some changed."""
    base = pdf.PdfSettings.from_settings({})
    return pdf.PdfSettings(**{**base.__dict__, **changes})


def document(pages: int = 1) -> bytes:
    """Return a .docx holding the sentinel (a child's name) on the given number of pages."""
    paragraphs = [f"{SENTINEL} is seven. Her school says she is often hungry."] * (40 * pages)
    return make_docx(["Letter before proceedings", *paragraphs])


def scan(folders) -> list[str]:
    """Return the files under the folders that hold the sentinel."""
    found = []
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                path = Path(root) / name
                try:
                    if SENTINEL.encode() in path.read_bytes():
                        found.append(str(path))
                except OSError:
                    pass
    return found


@pytest.fixture
def fresh():
    """Start each test with no pool, and leave none behind."""
    need_libreoffice()
    pdf.shutdown()
    yield
    pdf.shutdown()


def test_a_tagged_pdf_with_the_words(fresh):
    made = pdf.docx_to_pdf(document(), settings())
    with pikepdf.open(io.BytesIO(made)) as opened:
        assert "/StructTreeRoot" in opened.Root and opened.Root.MarkInfo.Marked
    with pdfplumber.open(io.BytesIO(made)) as opened:
        text = opened.pages[0].extract_text()
    assert text.startswith("Letter before proceedings") and f"{SENTINEL} is seven" in text


def test_pdfa_2b_identifies_itself_and_embeds_every_font(fresh, tmp_path):
    made = pdf.docx_to_pdf(document(), settings(), pdfa=True)
    with pikepdf.open(io.BytesIO(made)) as opened:
        meta = opened.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B")
    (tmp_path / "a.pdf").write_bytes(made)
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "a.pdf")], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    plain = pdf.docx_to_pdf(document(), settings())
    with pikepdf.open(io.BytesIO(plain)) as opened:
        assert opened.open_metadata().get("pdfaid:part") is None


def test_converters_are_warm_and_their_folders_private_on_tmpfs(fresh):
    chosen = settings()
    pdf.docx_to_pdf(document(), chosen)
    started = time.monotonic()
    pdf.docx_to_pdf(document(), chosen)
    assert time.monotonic() - started < 1.5  # a cold LibreOffice takes about 2 s to start
    folders = pdf.converter_folders()
    assert len(folders) == chosen.converters
    for folder in folders:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert str(folder).startswith("/dev/shm/")
    pdf.shutdown()
    assert not any(folder.exists() for folder in folders)


def test_nothing_of_the_document_stays_after_an_answer(fresh):
    pdf.docx_to_pdf(document(pages=3), settings())
    folders = pdf.converter_folders()
    assert folders and not scan(folders)


def test_a_full_queue_is_refused_at_once_with_retry_after(fresh):
    chosen = settings(converters=1, queue=0)
    pool = pdf._pool(chosen)
    pool.admitted.acquire()  # one conversion in progress
    try:
        started = time.monotonic()
        with pytest.raises(pdf.PdfBusy) as refused:
            pdf.docx_to_pdf(document(), chosen)
        assert time.monotonic() - started < 0.5
        assert refused.value.status == 503 and int(refused.value.headers["Retry-After"]) > 0
    finally:
        pool.admitted.release()
    assert pdf.docx_to_pdf(document(), chosen).startswith(b"%PDF-")


def test_four_at_once_are_all_answered(fresh):
    chosen = settings()
    results, errors = [], []

    def convert():
        try:
            results.append(pdf.docx_to_pdf(document(), chosen))
        except pdf.PdfBusy as exc:  # pragma: no cover - the failure the test looks for
            errors.append(exc)

    threads = [threading.Thread(target=convert) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors and len(results) == 4


def test_an_overrunning_conversion_is_killed_and_the_converter_restarted(fresh):
    chosen = settings(converters=1, timeout=0.05)
    pool = pdf._pool(chosen)
    pool.idle.queue[0].start_wait()  # started: the limit is for converting, not starting
    before = pdf.converter_folders()
    with pytest.raises(pdf.PdfFailed, match="longer than"):
        pdf.docx_to_pdf(document(pages=30), chosen)
    after = pdf.converter_folders()
    assert after and after != before and not before[0].exists()
    assert not scan(after)
    assert pdf.docx_to_pdf(document(), settings(converters=1)).startswith(b"%PDF-")


def test_a_killed_libreoffice_fails_one_conversion_and_is_replaced(fresh):
    chosen = settings(converters=1)
    pool = pdf._pool(chosen)
    converter = pool.idle.queue[0]
    converter.start_wait()
    worker = converter.process.pid

    def kill_soon():
        time.sleep(0.3)
        children = subprocess.run(
            ["pgrep", "-g", str(worker)], capture_output=True, text=True
        ).stdout.split()
        for pid in children:
            if int(pid) != worker:
                os.kill(int(pid), signal.SIGKILL)  # LibreOffice itself, mid-conversion

    threading.Thread(target=kill_soon).start()
    with pytest.raises(pdf.PdfUnavailable, match="stopped"):
        pdf.docx_to_pdf(document(pages=120), chosen)
    assert not converter.folder.exists()
    assert not scan(pdf.converter_folders())
    assert pdf.docx_to_pdf(document(), chosen).startswith(b"%PDF-")


def test_a_converter_is_restarted_after_its_conversions(fresh):
    chosen = settings(converters=1, max_conversions=2)
    pdf.docx_to_pdf(document(), chosen)
    first = pdf.converter_folders()
    pdf.docx_to_pdf(document(), chosen)  # the second: retired after it, in the background
    second = pdf.converter_folders()
    assert first != second
    deadline = time.monotonic() + 20
    while first[0].exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not first[0].exists()
    assert pdf.docx_to_pdf(document(), chosen).startswith(b"%PDF-")


def test_missing_libreoffice_is_said_in_one_line(fresh):
    missing = settings(soffice="/nonexistent/soffice")
    reason = pdf.pdf_unavailable_reason(missing)
    assert reason and "\n" not in reason and "libreoffice-writer-nogui" in reason
    with pytest.raises(pdf.PdfUnavailable) as refused:
        pdf.docx_to_pdf(document(), missing)
    assert refused.value.code == "pdf_unavailable" and refused.value.status == 503


def test_a_folder_on_disk_is_refused(fresh):
    mounts = Path("/proc/mounts").read_text()
    assert any(line.split()[1] == "/dev/shm" and " tmpfs " in line for line in mounts.splitlines())
    disk = Path(__file__).parent  # the checkout: never tmpfs
    reason = pdf.pdf_unavailable_reason(settings(work_dir=str(disk)))
    assert reason and "not memory-backed (tmpfs)" in reason
    with pytest.raises(pdf.PdfUnavailable):
        pdf.docx_to_pdf(document(), settings(work_dir=str(disk)))
