"""Damaged files of every kind are refused with InvalidInput, never an unexpected error."""

import io
import zipfile

from docx_builder import rezip
from docx_samples import good_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearinghouse.documents import extract
from clearinghouse.documents.validate import UploadLimits, check_upload
from clearinghouse.errors import InvalidInput

LIMITS = UploadLimits(20 * 1024 * 1024, 200 * 1024 * 1024, 2000, 100)
GOOD = good_docx("Worries, strengths and next steps.")
with zipfile.ZipFile(io.BytesIO(GOOD)) as _archive:
    DOCUMENT_XML = _archive.read("word/document.xml")


def _check_and_extract(data: bytes, filename: str = "fuzz.docx") -> None:
    try:
        upload = check_upload(data, filename, LIMITS)
    except InvalidInput:
        return
    extract.extract(upload.data, upload.extension, upload.parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(GOOD) - 1), st.binary(min_size=1, max_size=8))
def test_corrupted_zip_bytes(position, junk):
    _check_and_extract(GOOD[:position] + junk + GOOD[position + len(junk) :])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(DOCUMENT_XML)), st.binary(max_size=12))
def test_corrupted_document_xml(position, junk):
    xml = DOCUMENT_XML[:position] + junk + DOCUMENT_XML[position:]
    _check_and_extract(rezip(GOOD, replace={"word/document.xml": xml}))


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_markdown_bytes(data):
    _check_and_extract(data, "fuzz.md")


def test_damaged_deflate_stream_is_refused():
    """A zip whose directory is intact but whose compressed data is not."""
    data = bytearray(GOOD)
    with zipfile.ZipFile(io.BytesIO(GOOD)) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 2, start + 40):
        data[offset] ^= 0xFF
    try:
        check_upload(bytes(data), "policy.docx", LIMITS)
    except InvalidInput as refused:
        assert refused.code in {"not_docx", "invalid_xml"}
