"""Every command-line example in README.md runs as written after `make run`.

Each example is taken from README.md (inline code or the shell block), and run through bash in
a folder laid out like a fresh clone after `make run` (.venv and the templates library where
the README expects them, a fresh instance folder, `init-db` and the demo data loaded as
`make run` loads them), with no CLEARINGHOUSE_ENV and no secret key. Each must exit 0 or stop
with a one-line message: never a traceback.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PREFIX = ".venv/bin/flask --app clearinghouse "
pytestmark = pytest.mark.skipif(
    not (ROOT / ".venv" / "bin" / "flask").exists(), reason="needs the project's .venv"
)


def readme_examples() -> list[str]:
    """Return the README's command lines that call flask, in order, each once."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"`([^`\n]*\.venv/bin/flask --app clearinghouse [^`\n]*)`", text)
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        found += [line.strip() for line in block.splitlines() if PREFIX in line]
    runnable = [line for line in found if "<command>" not in line]
    return list(dict.fromkeys(runnable))


def _run(command: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def _problem(result: subprocess.CompletedProcess) -> str | None:
    """Return what is wrong with a command's outcome, or None if it is acceptable."""
    output = result.stdout + result.stderr
    if "Traceback" in output:
        return "printed a traceback"
    if result.returncode == 0:
        return None
    said = [line for line in result.stderr.splitlines() if line.strip()]
    said = [line for line in said if not line.startswith(("INFO ", "WARNING "))]  # logging
    if len(said) != 1:
        return f"exit {result.returncode} with {len(said)} lines of error"
    return None


@pytest.fixture(scope="module")
def clone(tmp_path_factory, instance_database) -> tuple[Path, dict]:
    """Return a folder laid out like a fresh clone after `make run`, and the environment."""
    folder = tmp_path_factory.mktemp("clone")
    for name in (".venv", "templates_library", "policies"):
        (folder / name).symlink_to(ROOT / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLEARINGHOUSE_", "FLASK_"))}
    env["CLEARINGHOUSE_INSTANCE_PATH"] = str(folder / "instance")
    database = instance_database(folder / "instance")  # when the suite runs on PostgreSQL
    if database:
        env["CLEARINGHOUSE_DATABASE_URL"] = database
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    for step in ("init-db", "seed-demo --if-empty"):  # what `make run` does before serving
        setup = _run(f"CLEARINGHOUSE_ENV=development {PREFIX}{step}", folder, env)
        assert setup.returncode == 0, setup.stderr
    return folder, env


def test_the_readme_has_examples():
    examples = readme_examples()
    assert len(examples) >= 10
    assert all(line.startswith((".venv/bin/", "CLEARINGHOUSE_", "printf ")) for line in examples)


@pytest.mark.parametrize("command", readme_examples())
def test_each_readme_example_runs_as_written(clone, command):
    folder, env = clone
    result = _run(command, folder, env)
    assert _problem(result) is None, f"{command}: {_problem(result)}\n{result.stderr[-2000:]}"


def test_serving_without_a_secret_key_says_so_in_one_line(clone):
    folder, env = clone
    result = _run(f"{PREFIX}run --port 1", folder, env)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Error: CLEARINGHOUSE_SECRET_KEY must be set in production "
        "(or set CLEARINGHOUSE_ENV=development for a local demo)."
    ]
