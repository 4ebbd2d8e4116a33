"""A .docx costs bounded memory whatever its shape: parts, elements and depth are limited.

A 143 KB .docx of 100 parts, each just under the 1 MB ratio-check threshold, once took a
worker to 3.1 GB. The limits are tested by the memory a check costs in a child process
(ru_maxrss), not by the clock.
"""

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hostile_samples import (
    deep,
    entry_sizes,
    many_parts,
    random_tiny_elements,
    tiny_elements,
    worst_accepted,
)

from clearinghouse.documents import extract
from clearinghouse.documents.limits import UploadLimits, XmlLimits
from clearinghouse.documents.validate import check_upload
from clearinghouse.documents.xml_parts import TOO_COMPLEX, node_estimate
from clearinghouse.errors import InvalidInput

DEFAULT = UploadLimits(20 * 1024 * 1024, 200 * 1024 * 1024, 2000, 100)
PEAK_BOUND_MB = 400

HOSTILE = {
    "many_parts": many_parts,
    "tiny_elements": tiny_elements,
    "random_tiny_elements": random_tiny_elements,
    "deeper_than_limit": lambda: deep(150),
    "deeper_than_libxml2": lambda: deep(300),
}

CHILD = textwrap.dedent(
    """
    import resource, sys
    from clearinghouse.documents import extract
    from clearinghouse.documents.validate import UploadLimits, check_upload
    from clearinghouse.errors import InvalidInput


    def peak_mb():
        # VmHWM is this program's own high-water mark; ru_maxrss on Linux also keeps the
        # parent's, from before exec.
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) // 1024
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


    data = open(sys.argv[1], "rb").read()
    limits = UploadLimits(20 * 1024 * 1024, 200 * 1024 * 1024, 2000, 100)
    before = peak_mb()
    try:
        upload = check_upload(data, "policy.docx", limits)
        extract.extract(upload.data, upload.extension, upload.parts)
        outcome = "accepted"
    except InvalidInput as refused:
        outcome = f"{refused.status} {refused.code}"
    print(outcome, before, peak_mb())
    """
)


def _check_in_child(data: bytes, tmp_path: Path) -> tuple[str, int, int]:
    """Return (outcome, MB before, peak MB) of checking then extracting data in a new process."""
    path = tmp_path / "upload.docx"
    path.write_bytes(data)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=300,
        check=True,
    )
    outcome, before, peak = done.stdout.strip().rsplit(" ", 2)
    return outcome, int(before), int(peak)


def test_the_hostile_files_pass_the_older_checks():
    compressed, uncompressed = entry_sizes(many_parts())
    assert len(many_parts()) < 160_000 and uncompressed < 200 * 1024 * 1024
    assert compressed * 100 < uncompressed  # a ratio of about 750, never checked per entry


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_docx_is_refused_as_too_complex(name):
    with pytest.raises(InvalidInput) as refused:
        check_upload(HOSTILE[name](), "policy.docx", DEFAULT)
    assert refused.value.code == "document_too_complex"
    assert refused.value.status == 422
    assert refused.value.message == TOO_COMPLEX
    assert refused.value.details == [{"path": "file", "message": TOO_COMPLEX}]


@pytest.mark.parametrize("name", ["many_parts", "tiny_elements", "random_tiny_elements"])
def test_refusing_a_hostile_docx_costs_little_memory(name, tmp_path):
    outcome, before_mb, peak_mb = _check_in_child(HOSTILE[name](), tmp_path)
    assert outcome == "422 document_too_complex"
    assert peak_mb - before_mb < 100, f"refusing {name}: {before_mb} MB, then {peak_mb} MB"


def test_the_costliest_docx_within_the_limits_stays_bounded(tmp_path):
    """Just inside the node limit, in the shape that costs most per node, check and extract."""
    outcome, before_mb, peak_mb = _check_in_child(worst_accepted(), tmp_path)
    assert outcome == "accepted"
    assert peak_mb < PEAK_BOUND_MB, f"{before_mb} MB before the check, {peak_mb} MB at peak"


def test_hostile_upload_page_answers_422(app, users, login):
    client = login(users["editor"])
    response = client.post(
        "/documents/new",
        data={
            "title": "Hostile",
            "doc_type": "policy",
            "visibility": "internal",
            "file": (io.BytesIO(many_parts()), "policy.docx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "too complex to read safely" in response.get_data(as_text=True)


def test_limits_are_the_settings():
    limits = UploadLimits.from_settings({"MAX_XML_NODES": 10, "MAX_XML_DEPTH": 3})
    assert limits.xml == XmlLimits(20 * 1024 * 1024, 40 * 1024 * 1024, 10, 3)
    assert DEFAULT.xml == XmlLimits.from_settings()


def test_node_estimate_never_undercounts():
    raw = b'<?xml version="1.0"?><r xmlns:w="u"><a b="1" c="2">t</a><!-- c --><d/></r>'
    from lxml import etree

    root = etree.fromstring(raw)
    built = sum(1 + len(el.attrib) for el in root.iter()) + 1  # the namespace declaration
    assert node_estimate(raw) >= built


def test_each_limit_refuses_on_its_own():
    small = UploadLimits(DEFAULT.max_bytes, DEFAULT.max_uncompressed, 2000, 100)
    from docx_samples import good_docx

    data = good_docx()
    assert check_upload(data, "p.docx", small).parts
    for xml in (
        XmlLimits(100, 10**9, 10**9, 100),  # one part too large
        XmlLimits(10**9, 1000, 10**9, 100),  # all parts together too large
        XmlLimits(10**9, 10**9, 100, 100),  # too many nodes
        XmlLimits(10**9, 10**9, 10**9, 2),  # too deep
    ):
        limits = UploadLimits(DEFAULT.max_bytes, DEFAULT.max_uncompressed, 2000, 100, xml)
        with pytest.raises(InvalidInput) as refused:
            check_upload(data, "p.docx", limits)
        assert refused.value.code == "document_too_complex", xml


def test_parts_are_parsed_once(monkeypatch):
    from docx_samples import good_docx

    upload = check_upload(good_docx("Parsed once."), "p.docx", DEFAULT)
    monkeypatch.setattr(extract, "docx_parts", lambda data: pytest.fail("parsed again"))
    result = extract.extract(upload.data, upload.extension, upload.parts)
    assert "Parsed once." in result.text and "Parsed once." in result.html
