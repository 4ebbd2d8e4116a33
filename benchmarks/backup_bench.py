"""Back up and restore an instance of many versions: time, size, and the index rebuild.

Builds an instance with --versions document versions (default 20,000: small Markdown files
and, every tenth, a small .docx) in documents of --per-document versions each. The rows and
blobs are made by a fast path (bulk inserts and ``storage.put_blob``) that gives the same rows
the upload service makes, without running its checks 20,000 times. Then it times:
  backup    ``backup_create``: the SQLite snapshot, every blob read verified and fsync'd
  restore   ``backup_restore`` into a fresh instance: verify, database, blobs, index rebuild
  baseline  ``cp -r`` of the instance folder (what an operator did, and what lost blobs)
Run: .venv/bin/python benchmarks/backup_bench.py [--versions N] [--per-document K]
"""

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from docx import Document as DocxDocument

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clearinghouse import create_app, storage  # noqa: E402
from clearinghouse.accounts import authority_create, ensure_vocabulary, user_create  # noqa: E402
from clearinghouse.backup.restore import backup_restore  # noqa: E402
from clearinghouse.backup.service import backup_create  # noqa: E402
from clearinghouse.extensions import db  # noqa: E402
from clearinghouse.media_types import DOCX, MARKDOWN  # noqa: E402
from clearinghouse.models import Document, DocumentVersion  # noqa: E402
from clearinghouse.permissions import SYSTEM  # noqa: E402

WORDS = "family network safety plan worry strength goal scaling question review child".split()
BATCH = 500


def _app(instance: Path):
    return create_app({"ENV": "testing", "SECRET_KEY": "bench", "INSTANCE_PATH": str(instance)})


def _docx_parts() -> dict[str, bytes]:
    document = DocxDocument()
    document.add_heading("Benchmark form", level=1)
    document.add_paragraph("MARKER " + " ".join(WORDS * 4))
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _docx(parts: dict[str, bytes], n: int) -> bytes:
    """Return the form with its marker replaced by n: a different file for each n."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if name == "word/document.xml":
                content = content.replace(b"MARKER", f"Form {n}".encode())
            archive.writestr(name, content)
    return out.getvalue()


def _text(n: int) -> str:
    words = " ".join(WORDS[(n + i) % len(WORDS)] for i in range(60))
    return f"Edition {n} of the guidance. {words}."


def _file(n: int, docx: dict[str, bytes]) -> tuple[bytes, str, str]:
    """Return (data, filename, media type) of version n: unique bytes each."""
    if n % 10 == 0:
        return _docx(docx, n), "form.docx", DOCX
    return f"# Guidance {n}\n\n{_text(n)}\n".encode(), "guidance.md", MARKDOWN


def build(versions: int, per_document: int) -> None:
    """Add documents of per_document versions each, versions in all, with their blobs."""
    authority = authority_create(SYSTEM, "bench", "Benchmark Borough Council")
    editor = user_create(
        SYSTEM,
        email="editor@bench.example",
        name="Bench editor",
        role="editor",
        authority_slug="bench",
        password="a long benchmark password",
    )
    docx = _docx_parts()
    made = 0
    while made < versions:
        for _ in range(BATCH // per_document):
            if made >= versions:
                break
            document = Document(
                authority_id=authority.id,
                title=f"Guidance {made // per_document}",
                doc_type="policy",
                stage="any",
                visibility="shared",
                created_by_id=editor.id,
            )
            for number in range(1, min(per_document, versions - made) + 1):
                data, filename, kind = _file(made, docx)
                text = _text(made)
                document.versions.append(
                    DocumentVersion(
                        number=number,
                        sha256=storage.put_blob(data),
                        filename=filename,
                        media_type=kind,
                        size=len(data),
                        uploaded_by_id=editor.id,
                        extracted_text=text,
                        sections=[{"heading": document.title, "level": 1, "text": text}],
                        html=f"<h1>{document.title}</h1><p>{text}</p>",
                    )
                )
                made += 1
            db.session.add(document)
        db.session.commit()


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    """Build, back up, restore; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=20_000)
    parser.add_argument("--per-document", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="backup-bench-") as tmp:
        root = Path(tmp)
        source = _app(root / "source")
        with source.app_context():
            started = time.monotonic()
            db.create_all()
            ensure_vocabulary()
            build(args.versions, args.per_document)
            print(f"built {args.versions} versions in {time.monotonic() - started:.1f} s")
            started = time.monotonic()
            report = backup_create(root / "backup")
            backup_s = time.monotonic() - started
        started = time.monotonic()
        subprocess.run(["cp", "-r", str(root / "source"), str(root / "copy")], check=True)
        copy_s = time.monotonic() - started
        shutil.rmtree(root / "copy")
        marks: dict[str, float] = {}
        restored = _app(root / "restored")
        with restored.app_context():
            started = time.monotonic()

            def mark(message: str) -> None:
                if "rebuilding the search index" in message:
                    marks["index"] = time.monotonic()

            result = backup_restore(root / "backup", progress=mark)
            restore_s = time.monotonic() - started
        index_s = restore_s - (marks["index"] - started)
        counts = report.manifest.counts
        print(
            f"backup:   {backup_s:7.1f} s  {_size(root / 'backup') / 1e6:7.1f} MB  "
            f"({counts['versions']} versions, {counts['blobs']} blobs)"
        )
        print(f"restore:  {restore_s:7.1f} s  of which the index rebuild and check {index_s:.1f} s")
        clean = result.index.clean
        print(f"          {result.indexed} current versions indexed, index clean: {clean}")
        print(f"baseline: {copy_s:7.1f} s  cp -r of the instance folder (not a consistent backup)")


if __name__ == "__main__":
    main()
