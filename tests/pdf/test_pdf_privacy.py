"""PDF output keeps nothing of the case: a sentinel typed into the case (a child's name) is in
the PDFs sent back, and nowhere in the instance folder (the database included), the logs, or the
converters' own folders, which are 0700 folders on tmpfs (/dev/shm)."""

import logging
import os
import stat
from pathlib import Path

from database_text import database_in_instance_folder, database_text

from clearinghouse import pdf
from clearinghouse.extensions import db

from .pdf_tools import need_libreoffice
from .routes_support import LETTER, PACK, library_sample, pdf_text, shared_case, zip_files

SENTINEL = "Zq8PdfSentinel3Wy"


def _files_holding(folders, needle: bytes) -> list[Path]:
    """Return every file under the folders whose bytes hold the needle."""
    return [
        path
        for folder in folders
        for path in Path(folder).rglob("*")
        if path.is_file() and not path.is_symlink() and needle in path.read_bytes()
    ]


def _named(case: dict) -> dict:
    case["children"][0]["name"] = f"Mia {SENTINEL}"
    return case


def test_the_scan_finds_the_sentinel_where_it_is(tmp_path):
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "db.sqlite3").write_bytes(b"\x00\x01" + SENTINEL.encode())
    assert _files_holding([tmp_path], SENTINEL.encode()) == [tmp_path / "deep/er/db.sqlite3"]


def test_pdfs_and_a_pdf_pack_leave_no_trace_of_the_case(app, client, users, api_headers, caplog):
    need_libreoffice()
    caplog.set_level(logging.DEBUG)
    headers = api_headers(users["practitioner"])
    made = [
        client.post(
            f"/api/v1/templates/{LETTER}/render?{query}",
            json=_named(library_sample(LETTER)),
            headers=headers,
        )
        for query in ("format=pdf", "format=pdf&pdfa=1")
    ]
    pack = client.post(
        f"/api/v1/packs/{PACK}/render?format=pdf", json=_named(shared_case()), headers=headers
    )
    assert [r.status_code for r in (*made, pack)] == [200, 200, 200]
    # The sentinel went in: each PDF shows it, so finding it nowhere else means something.
    assert all(SENTINEL in pdf_text(r.data) for r in made)
    letters = [data for name, data in zip_files(pack.data).items() if "-DC-" in name]
    assert letters and SENTINEL in pdf_text(letters[0])  # Danielle's children include Mia

    folders = pdf.converter_folders()
    assert folders, "no converter folders to scan: the PDFs came from somewhere else"
    needle = SENTINEL.encode()
    assert _files_holding(folders, needle) == []
    assert _files_holding([app.instance_path], needle) == []
    if database_in_instance_folder(db.engine):  # SQLite: the scan covered the database file
        assert any(p.suffix == ".sqlite3" for p in Path(app.instance_path).rglob("*"))
    dump = database_text(db.engine)
    assert users["practitioner"].email in dump and SENTINEL not in dump
    assert SENTINEL not in caplog.text
    assert not [r for r in caplog.records if SENTINEL in str(r.args) or SENTINEL in r.msg]

    for folder in folders:
        assert Path(os.path.realpath(folder)).parent == Path("/dev/shm"), folder
        for own in (folder, *(p for p in folder.iterdir() if p.is_dir())):
            assert stat.S_IMODE(own.stat().st_mode) == 0o700, own
