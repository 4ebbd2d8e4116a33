"""Upload and download a 5 MB and a 20 MB file through the services, folder store beside database.

Measured in the same run, median of N rounds each, on SQLite (or CLEARINGHOUSE_DATABASE_URL):
  upload      documents.service.document_create of a .docx whose bulk is one stored picture-sized
              part (checks, extraction, the blob store, one commit, the search index after it)
  put         the blob store's part of that alone: storage.put_blob and the commit
  download    documents.service.version_stream read to the end, as the download views send it
              (checked whole when opened, then read again chunk by chunk and checked again)
  get         storage.get_blob: the whole file in memory, checked once

No target: the figures say what the database store costs beside the folder on one machine.
Run: .venv/bin/python benchmarks/blob_store_bench.py [--rounds N] [--quick]
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from docx import Document as DocxDocument

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clearinghouse import create_app, storage  # noqa: E402
from clearinghouse.accounts import authority_create, ensure_vocabulary, user_create  # noqa: E402
from clearinghouse.documents import service  # noqa: E402
from clearinghouse.extensions import db  # noqa: E402
from clearinghouse.permissions import SYSTEM  # noqa: E402

MB = 1000 * 1000
STORES = ("folder", "database")


def build_docx(size: int) -> bytes:
    """Return a real .docx of about `size` bytes: a short text and a stored part of noise."""
    document = DocxDocument()
    document.add_heading("A procedure with a large diagram", level=1)
    document.add_paragraph("The diagram shows who the family network agreed will do what.")
    out = io.BytesIO()
    document.save(out)
    small = out.getvalue()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename), zipfile.ZIP_DEFLATED)
        noise = os.urandom(max(size - len(small) - 200, 0))
        target.writestr("word/media/image1.bin", noise, zipfile.ZIP_STORED)
    return buffer.getvalue()


def _median_ms(function, rounds: int) -> float:
    times = []
    for n in range(rounds):
        start = time.perf_counter()
        function(n)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(store: str, sizes: list[int], rounds: int) -> dict:
    """Return {(size, what): median ms} for one blob store in a fresh instance."""
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = {"ENV": "testing", "SECRET_KEY": "bench", "INSTANCE_PATH": tmp}
        app = create_app({**settings, "BLOB_STORE": store})
        with app.app_context():
            db.create_all()
            ensure_vocabulary()
            authority_create(SYSTEM, "bench", "Bench")
            editor = user_create(
                SYSTEM,
                email="editor@example.org",
                name="Editor",
                role="editor",
                authority_slug="bench",
                password="a long enough password 1",
            )
            for size in sizes:
                files = [build_docx(size) for _ in range(rounds)]  # new bytes each round
                made = []

                def upload(n, files=files, made=made, size=size):
                    made.append(
                        service.document_create(
                            editor,
                            title=f"Diagram {size} {n}",
                            doc_type="procedure",
                            visibility="internal",
                            data=files[n],
                            filename="diagram.docx",
                        )
                    )

                def put(n, files=files):
                    storage.put_blob(os.urandom(16) + files[n][16:])
                    db.session.commit()

                def download(n, made=made):
                    stream, _name, _type = service.version_stream(editor, made[n].document_id, 1)
                    assert sum(len(chunk) for chunk in stream) == stream.size

                def get(n, made=made):
                    storage.get_blob(made[n].sha256)

                for what, function in (
                    ("upload", upload),
                    ("put", put),
                    ("download", download),
                    ("get", get),
                ):
                    figures[(size, what)] = _median_ms(function, rounds)
            db.session.remove()
            db.engine.dispose()
    return figures


def main() -> int:
    """Print upload and download times per file size, folder store beside database store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one round of 5 MB only")
    args = parser.parse_args()
    sizes = [5 * MB] if args.quick else [5 * MB, 20 * MB]
    rounds = 1 if args.quick else args.rounds
    results = {store: measure(store, sizes, rounds) for store in STORES}
    print(f"median of {rounds} rounds, ms   folder   database   database/folder")
    for size in sizes:
        for what in ("upload", "put", "download", "get"):
            folder, database = results["folder"][(size, what)], results["database"][(size, what)]
            label = f"{size // MB:>2} MB {what}"
            print(f"{label:<30}{folder:>8.1f}{database:>11.1f}{database / folder:>12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
