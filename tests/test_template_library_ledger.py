"""The template library's source: templates_library/ is exactly what its build script makes, and
every template.docx change comes with a new version recorded in templates_library/ledger.json.

The checks live in the build script (`ledger_problems`, `update_ledger`); the tests run them on
the real library and on temporary copies with a changed .docx, to prove they catch it.
"""

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx_builder import rezip

LIBRARY = Path(__file__).resolve().parents[1] / "templates_library"
SCRIPT = LIBRARY / "build_templates.py"
BUILT = ("template.docx", "schema.json", "sample.json", "meta.json")
SLUG = "safety-plan"
# The template's released version now, and the next one up (the tests bump it as an edit would).
CURRENT = json.loads((LIBRARY / SLUG / "meta.json").read_text(encoding="utf-8"))["version"]
NEXT = ".".join([*CURRENT.split(".")[:-1], str(int(CURRENT.split(".")[-1]) + 1)])


def _load_build_script():
    spec = importlib.util.spec_from_file_location("build_templates", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bt = _load_build_script()


def differences(built: Path, committed: Path) -> list[str]:
    """Return every file that differs between a fresh build and the committed library."""
    found = []
    for path in sorted(p for p in built.rglob("*") if p.is_file()):
        name = path.relative_to(built).as_posix()
        other = committed / name
        if not other.is_file():
            found.append(f"{name}: built, but not in the library")
        elif other.read_bytes() != path.read_bytes():
            found.append(f"{name}: the committed file differs from a rebuild")
    for folder in sorted(p for p in committed.iterdir() if (p / "meta.json").is_file()):
        for name in BUILT:
            if not (built / folder.name / name).is_file():
                found.append(
                    f"{folder.name}/{name}: in the library, but the build no longer makes it"
                )
    return found


def change_docx(path: Path) -> None:
    """Rewrite a real .docx with one word of its body changed (as an edit in Word would)."""

    def edit(xml: bytes) -> bytes:
        assert b"safe" in xml
        return xml.replace(b"safe", b"secure", 1)

    path.write_bytes(rezip(path.read_bytes(), edit={"word/document.xml": edit}))


def set_version(root: Path, slug: str, version: str) -> None:
    """Set the version in a template's meta.json."""
    meta_path = root / slug / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["version"] = version
    bt.write_json(meta_path, meta)


def add_entries(root: Path, *entries: dict) -> None:
    """Append entries to a library copy's ledger.json."""
    path = root / "ledger.json"
    bt.write_json(path, json.loads(path.read_text(encoding="utf-8")) + list(entries))


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """Run the build script, as a maintainer would, into a temporary folder."""
    out = tmp_path_factory.mktemp("rebuilt")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def library(tmp_path):
    """Return a temporary copy of the library, ledger included, safe to change."""
    copy = tmp_path / "templates_library"
    shutil.copytree(LIBRARY, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


# --- the real library -----------------------------------------------------------------------


def test_rebuild_is_byte_identical_to_the_committed_library(rebuilt):
    # The build makes TEMPLATES and those of its EXTRA_TEMPLATE_MODULES (new_templates.py).
    assert sorted(p.name for p in rebuilt.iterdir()) == sorted(bt.all_templates()[0])
    problems = differences(rebuilt, LIBRARY)
    assert not problems, (
        "templates_library/ is not what build_templates.py makes; edit the script, never the "
        "generated files, and run `.venv/bin/python templates_library/build_templates.py`:\n"
        + "\n".join(problems)
    )


def test_rebuild_writes_nothing_into_the_library_when_given_an_output_folder(rebuilt):
    assert {p.name for p in (rebuilt / SLUG).iterdir()} == set(BUILT)
    assert not (rebuilt / "ledger.json").exists()


def test_every_template_docx_is_in_the_ledger_under_its_current_version():
    problems = bt.ledger_problems(LIBRARY)
    assert not problems, "\n".join(problems)


def test_the_ledger_records_every_template():
    recorded = {e["slug"] for e in bt.read_ledger(LIBRARY / "ledger.json")}
    assert recorded >= set(bt.all_templates()[0])


# --- the checks catch what they should ------------------------------------------------------


def test_differences_reports_a_changed_missing_or_extra_file(rebuilt, library):
    change_docx(library / SLUG / "template.docx")
    (library / "words-and-pictures" / "sample.json").unlink()
    (library / "old-template").mkdir()
    (library / "old-template" / "meta.json").write_text("{}", encoding="utf-8")
    assert differences(rebuilt, library) == [
        f"{SLUG}/template.docx: the committed file differs from a rebuild",
        "words-and-pictures/sample.json: built, but not in the library",
        "old-template/template.docx: in the library, but the build no longer makes it",
        "old-template/schema.json: in the library, but the build no longer makes it",
        "old-template/sample.json: in the library, but the build no longer makes it",
        "old-template/meta.json: in the library, but the build no longer makes it",
    ]


def test_a_copy_of_the_library_passes(library):
    assert bt.ledger_problems(library) == []


def test_a_changed_docx_with_the_same_version_fails_and_says_how_to_fix_it(library):
    change_docx(library / SLUG / "template.docx")
    problems = bt.ledger_problems(library)
    assert len(problems) == 1
    assert problems[0].startswith(f"{SLUG}/template.docx changed")
    assert f"still says version {CURRENT}" in problems[0]
    assert f'bump "version" for {SLUG} in templates_library/build_templates.py' in problems[0]
    assert "`.venv/bin/python templates_library/build_templates.py --ledger`" in problems[0]


def test_a_changed_docx_with_a_bumped_version_must_be_recorded(library):
    change_docx(library / SLUG / "template.docx")
    set_version(library, SLUG, NEXT)
    problems = bt.ledger_problems(library)
    assert len(problems) == 1
    assert problems[0].startswith(f"{SLUG} {NEXT} is not in templates_library/ledger.json")
    assert "--ledger" in problems[0]


def test_update_ledger_records_a_bumped_version_and_then_the_check_passes(library):
    change_docx(library / SLUG / "template.docx")
    set_version(library, SLUG, NEXT)
    before = bt.read_ledger(library / "ledger.json")
    added = bt.update_ledger(library)
    assert [(e["slug"], e["version"]) for e in added] == [(SLUG, NEXT)]
    assert bt.read_ledger(library / "ledger.json") == before + added
    assert bt.ledger_problems(library) == []
    assert bt.update_ledger(library) == []


def test_update_ledger_refuses_a_changed_docx_whose_version_was_not_bumped(library):
    change_docx(library / SLUG / "template.docx")
    ledger_bytes = (library / "ledger.json").read_bytes()
    with pytest.raises(ValueError, match=f"{SLUG}/template.docx changed"):
        bt.update_ledger(library)
    assert (library / "ledger.json").read_bytes() == ledger_bytes


def test_one_version_with_two_sha256s_fails(library):
    add_entries(library, {"slug": SLUG, "version": CURRENT, "sha256": "0" * 64})
    problems = bt.ledger_problems(library)
    assert problems == [
        f"{SLUG} {CURRENT} is in the ledger with two different sha256s; a released version's file "
        "never changes, so give the newer file a new version"
    ]
    with pytest.raises(ValueError, match="two different sha256s"):
        bt.update_ledger(library)


def test_ledger_versions_that_go_backwards_fail(library):
    add_entries(library, {"slug": SLUG, "version": "1.9", "sha256": "a" * 64})
    assert bt.ledger_problems(library) == [
        f"{SLUG}: ledger versions go backwards ({CURRENT} then 1.9); each new entry for a template "
        "needs a higher version"
    ]


def test_versions_compare_as_numbers_not_text(library):
    add_entries(
        library,
        {"slug": SLUG, "version": "2.9", "sha256": "a" * 64},
        {"slug": SLUG, "version": "2.10", "sha256": "b" * 64},
    )
    problems = bt.ledger_problems(library)
    assert len(problems) == 1
    assert f"meta.json version {CURRENT} is lower than the ledger's 2.10" in problems[0]


def test_a_meta_version_lower_than_one_released_fails(library):
    current = next(e for e in bt.library_state(library) if e["slug"] == SLUG)
    add_entries(library, {**current, "version": "3.0"})
    set_version(library, SLUG, "2.5")
    problems = bt.ledger_problems(library)
    assert len(problems) == 1
    assert problems[0].startswith(f"{SLUG}: meta.json version 2.5 is lower than the ledger's 3.0")
    with pytest.raises(ValueError, match="lower than"):
        bt.update_ledger(library)


def test_a_malformed_version_or_entry_fails(library):
    set_version(library, SLUG, "1.0-beta")
    add_entries(library, {"slug": "x", "version": "1", "sha256": "not hex"})
    problems = bt.ledger_problems(library)
    assert any("x 1): sha256 is not 64 hex digits" in p for p in problems)
    assert any(p.startswith(f"{SLUG}/meta.json: version '1.0-beta'") for p in problems)


def test_ledger_cannot_be_combined_with_an_output_folder(tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        bt.main(["--ledger", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert not any(tmp_path.iterdir())
