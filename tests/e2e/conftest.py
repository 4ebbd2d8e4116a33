"""Browser tests: the app served by gunicorn on 127.0.0.1, driven by Debian's Chromium.

Skipped, with the reason, when /usr/bin/chromium, Playwright or the built GOV.UK assets are
missing. Never downloads a browser.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from docx_builder import DocxBuilder

from .axe_helper import assert_accessible

E2E_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = E2E_DIR.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = E2E_DIR / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "e2e browser password"
SECRET_KEY = "e2e-secret-key-for-browser-tests"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test extras install it
    sync_playwright = None


def _rebuild_stale_assets() -> None:
    """Rebuild app.css with `make assets` when a .scss file changed since (as `make test` does)."""
    css = PROJECT_ROOT / "clearinghouse/static/govuk/app.css"
    sources = (PROJECT_ROOT / "clearinghouse/static/scss").glob("*.scss")
    if not css.exists() or not (PROJECT_ROOT / "node_modules/.bin/sass").exists():
        return
    newest = max(path.stat().st_mtime for path in sources)
    if css.stat().st_mtime < newest and shutil.which("make"):
        subprocess.run(["make", "--quiet", "assets"], cwd=PROJECT_ROOT, check=False, timeout=300)


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return (
            "Chromium is not installed at /usr/bin/chromium (Debian package 'chromium'): "
            "browser tests skipped"
        )
    if sync_playwright is None:
        return "playwright is not installed (pip install -e '.[test]'): browser tests skipped"
    if not (PROJECT_ROOT / "clearinghouse/static/govuk/app.css").exists():
        return "GOV.UK Frontend assets are not built (run `make assets`): browser tests skipped"
    return None


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder e2e, and skip them all when the browser is missing."""
    reason = _skip_reason()
    if reason is None and any(E2E_DIR in Path(str(i.fspath)).resolve().parents for i in items):
        _rebuild_stale_assets()
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so the page fixture knows a test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- the data every journey starts from -------------------------------------------------------

PEOPLE = {
    "practitioner": ("practitioner@kestrelford.e2e.example", "Kit Practitioner", "kestrelford"),
    "editor": ("editor@kestrelford.e2e.example", "Eden Editor", "kestrelford"),
    "manager": ("manager@kestrelford.e2e.example", "Morgan Manager", "kestrelford"),
    "wren_editor": ("editor@wrenmoor.e2e.example", "Wynn Editor", "wrenmoor"),
    "admin": ("admin@e2e.example", "Ada Admin", None),
}

KESTRELFORD_PLO = """# Kestrelford guidance on the letter before proceedings

## Purpose
This guidance helps social workers write a letter before proceedings that parents understand.
Write in plain language and explain every worry with an example from the family's life.

## The meeting
Invite the parents to a pre-proceedings meeting within ten working days.
Tell them to bring their solicitor. Legal advice is free whatever their income.

## Kinship and the family network
Ask early about kinship carers in the family network and record who can help.

## What must change
Say what must change, by when, and the support the council will give.
"""

WRENMOOR_PLO = """# Wrenmoor guidance on the letter before proceedings

## Purpose
This guidance helps social workers write a letter before proceedings that families understand.
Write in plain language and explain every worry with an example from the family's life.

## What must change
Say clearly what must change, by when, and the support the council will give.

## The meeting
Invite the parents to a pre-proceedings meeting within five working days.
Tell them to bring their solicitor. Legal advice is free whatever their income.

## Interpreters
Book an interpreter for the meeting when a parent's first language is not English.
"""

KESTRELFORD_SAFETY = """# Kestrelford safety planning with kinship networks

## Safety plan
A safety plan names the people in the family network, including kinship carers,
and says what each person will do to keep the children safe.
"""


def docx_file(title: str, sections: list[tuple[str, list[str]]]) -> bytes:
    """Build a real .docx with a title and headed sections."""
    return DocxBuilder().heading(title, level=0).sections(sections).build()


@dataclass
class LiveServer:
    """The running service and the people and documents made for the journeys."""

    url: str
    instance: Path
    log: Path
    people: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)

    def server_log_tail(self, lines: int = 40) -> str:
        """Return the end of the server's log, for failure reports."""
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(instance: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARINGHOUSE_")}
    env.update(
        CLEARINGHOUSE_ENV="development",  # plain HTTP, so cookies are not Secure-only
        CLEARINGHOUSE_INSTANCE_PATH=str(instance),
        CLEARINGHOUSE_SECRET_KEY=SECRET_KEY,
        PYTHONUNBUFFERED="1",
    )
    return env


def _flask(args: list[str], env: dict, log) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "flask", "--app", "clearinghouse", *args]
    return subprocess.run(
        command, env=env, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, timeout=600
    )


def _make_journey_data(instance: Path) -> tuple[dict, dict]:
    """Create two authorities, their people and documents through the services."""
    from factories import make_authority, make_document, make_user

    from clearinghouse import create_app
    from clearinghouse.extensions import db

    app = create_app(
        {"ENV": "development", "INSTANCE_PATH": str(instance), "SECRET_KEY": SECRET_KEY}
    )
    people, documents = {}, {}
    with app.app_context():
        make_authority("kestrelford", "Kestrelford Borough Council")
        make_authority("wrenmoor", "Wrenmoor District Council")
        users = {}
        for key, (email, name, authority) in PEOPLE.items():
            role = key.split("_")[-1]
            users[key] = make_user(role, authority, email=email, name=name, password=PASSWORD)
            people[key] = {"email": email, "name": name, "password": PASSWORD}
        for key, owner, title, doc_type, text in [
            (
                "kestrelford_plo",
                "editor",
                "Kestrelford PLO letter guidance",
                "plo-guidance-notes",
                KESTRELFORD_PLO,
            ),
            (
                "wrenmoor_plo",
                "wren_editor",
                "Wrenmoor PLO letter guidance",
                "plo-guidance-notes",
                WRENMOOR_PLO,
            ),
            (
                "kestrelford_safety",
                "editor",
                "Kestrelford kinship safety planning",
                "safety-plan",
                KESTRELFORD_SAFETY,
            ),
            (
                "kestrelford_supervision",
                "editor",
                "Kestrelford supervision policy",
                "supervision",
                docx_file(
                    "Supervision policy",
                    [("Purpose", ["Supervision keeps practice focused on the child."])],
                ),
            ),
        ]:
            data, filename = (
                (text, f"{key}.docx") if isinstance(text, bytes) else (text.encode(), f"{key}.md")
            )
            version = make_document(
                users[owner],
                title=title,
                doc_type=doc_type,
                visibility="shared",
                data=data,
                filename=filename,
                change_note="First version for the browser tests",
            )
            documents[key] = {"id": version.document_id, "title": title}
        db.session.remove()
        db.engine.dispose()
    return people, documents


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server stopped at start-up:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/sign-in", timeout=2) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as exc:
            raise RuntimeError(
                f"The sign-in page answered {exc.code}:\n{log.read_text()[-3000:]}"
            ) from None
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"The server did not answer within 60 s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Serve the app with gunicorn on a free port, on a fresh instance folder holding the demo
    data (seed-demo) and the journeys' own authorities, people and documents."""
    root = tmp_path_factory.mktemp("e2e")
    instance = root / "instance"
    instance.mkdir()
    log_path = root / "server.log"
    env = _server_env(instance)
    with log_path.open("a") as log:
        if _flask(["init-db"], env, log).returncode != 0:
            raise RuntimeError(f"flask init-db failed:\n{log_path.read_text()[-3000:]}")
        if _flask(["seed-demo"], env, log).returncode != 0:
            raise RuntimeError(f"flask seed-demo failed:\n{log_path.read_text()[-3000:]}")
    people, documents = _make_journey_data(instance)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    log = log_path.open("a")
    process = subprocess.Popen(
        [
            gunicorn,
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "60",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "clearinghouse:create_app()",
        ],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(url, process, log_path)
        yield LiveServer(url, instance, log_path, people, documents)
    finally:
        process.send_signal(signal.SIGINT)  # quick shutdown: no wait for idle keep-alives
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium once for the whole session."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(request, browser, live_server):
    """Return a fresh page (own cookies); on failure save a screenshot to screenshots/."""
    context = browser.new_context(
        base_url=live_server.url, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
        try:
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # noqa: BLE001 - a failed screenshot must not hide the failure
            print(f"Could not save a screenshot: {type(exc).__name__}")
        print(f"Page at failure: {page.url}\nServer log (end):\n{live_server.server_log_tail()}")
    context.close()


@pytest.fixture
def people(live_server):
    """Return the journey's people: email, name and password by role key."""
    return live_server.people


@pytest.fixture
def sign_in(page, people):
    """Return a function that signs the page in as one of the journey's people."""

    def _sign_in(who: str = "practitioner"):
        person = people[who]
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(person["email"])
        page.get_by_label("Password", exact=True).fill(person["password"])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/sign-in" not in url)
        return person

    return _sign_in


@pytest.fixture
def axe():
    """Return assert_accessible(page, state): no WCAG 2.2 A/AA violations found by axe."""
    return assert_accessible
