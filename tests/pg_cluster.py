"""A throw-away PostgreSQL cluster for tests and benchmarks: one per process, started on first use.

``create_database()`` returns the SQLAlchemy URL of a new, empty database (copied from a
prepared template, so it takes milliseconds); ``drop_database(url)`` removes it. The cluster
lives in a temporary folder (data, Unix socket and log), listens on no TCP address, trades
durability for speed (fsync, full-page writes and synchronous commit off) and is stopped and
deleted at exit. PostgreSQL refuses to run as root, so as root every server command runs
through ``runuser -u postgres`` in a folder that user owns.

Usable without pytest: benchmarks call ``cluster()`` to share one server between processes
(every URL names the socket folder and port, so a gunicorn server can use it as it is).
"""

import atexit
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

FOLDER_PREFIX = "clearinghouse-pg-"
EMPTY_TEMPLATE = "clearinghouse_empty"
SETTINGS = {
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
    "listen_addresses": "",
    "max_connections": "200",
    "shared_buffers": "64MB",
    "log_min_messages": "warning",
}


class ClusterUnavailable(RuntimeError):
    """PostgreSQL's server programs are missing or the cluster would not start."""


def bin_dir() -> Path:
    """Return the folder of PostgreSQL's server programs (initdb, pg_ctl), newest version first."""
    configured = os.environ.get("CLEARINGHOUSE_PG_BIN")
    if configured:
        return Path(configured)
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise ClusterUnavailable(
        "PostgreSQL's server programs (initdb, pg_ctl) are not installed: "
        "install Debian's postgresql package."
    )


def _as_server_user(command: list[str]) -> list[str]:
    """Return the command to run as the postgres user when we are root (it refuses root)."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(
        _as_server_user(command), capture_output=True, text=True, timeout=120, check=False
    )
    if result.returncode != 0:
        raise ClusterUnavailable(f"{what} failed: {(result.stderr or result.stdout).strip()}")


def _stop_orphans() -> None:
    """Stop and remove clusters whose owning process has died without its atexit (kill -9)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        owner_file = folder / "owner.pid"
        try:
            owner = int(owner_file.read_text())
        except (OSError, ValueError):
            continue
        try:
            os.kill(owner, 0)
            continue  # still alive: its cluster is in use
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        _stop_server(folder / "data")
        shutil.rmtree(folder, ignore_errors=True)


def _stop_server(data: Path) -> None:
    pid_file = data / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return
    try:
        os.kill(pid, signal.SIGQUIT)  # immediate shutdown: nothing here needs to be kept
    except ProcessLookupError:
        return
    for _ in range(500):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        threading.Event().wait(0.01)


@dataclass
class Cluster:
    """A running throw-away cluster: its folder, socket folder and port."""

    folder: Path
    port: int

    @property
    def socket_dir(self) -> str:
        """Return the folder holding the server's Unix socket."""
        return str(self.folder)

    def url(self, name: str) -> str:
        """Return the SQLAlchemy (psycopg 3) URL of the named database."""
        return f"postgresql+psycopg://postgres@/{name}?host={self.socket_dir}&port={self.port}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(
            host=self.socket_dir, port=self.port, user="postgres", dbname=database, autocommit=True
        ) as connection:
            connection.execute(sql)

    def create_database(self, template: str = EMPTY_TEMPLATE) -> str:
        """Create a fresh database from the template and return its URL."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        # FILE_COPY (one checkpoint, cheap without fsync) took 25 ms here, WAL_LOG 44 ms.
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop the database the URL names, closing any connection still open to it."""
        name = urlsplit(url).path.lstrip("/")
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server and delete its folder."""
        _stop_server(self.folder / "data")
        shutil.rmtree(self.folder, ignore_errors=True)


def _start() -> Cluster:
    programs = bin_dir()
    if not (programs / "initdb").exists():
        raise ClusterUnavailable(f"no initdb in {programs}: install Debian's postgresql package")
    _stop_orphans()
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
    (folder / "owner.pid").write_text(str(os.getpid()))
    if os.geteuid() == 0:
        try:
            shutil.chown(folder, "postgres", "postgres")
        except LookupError as error:
            shutil.rmtree(folder, ignore_errors=True)
            raise ClusterUnavailable(
                "running as root needs a postgres user to run the server "
                "(Debian's postgresql package creates one)"
            ) from error
    cluster = Cluster(folder, _free_port())
    data = folder / "data"
    try:
        _run(
            [str(programs / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
             "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"],
            "initdb",
        )  # fmt: skip
        options = " ".join(f"-c {key}={value!r}" for key, value in SETTINGS.items())
        options += f" -k {cluster.socket_dir} -p {cluster.port}"
        _run(
            [str(programs / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(data),
             "-l", str(folder / "server.log"), "-o", options],
            "pg_ctl start",
        )  # fmt: skip
        cluster.execute(f'CREATE DATABASE "{EMPTY_TEMPLATE}" TEMPLATE template0')
    except (ClusterUnavailable, OSError, subprocess.SubprocessError) as error:
        log_file = folder / "server.log"
        tail = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
        cluster.stop()
        if isinstance(error, ClusterUnavailable):
            raise ClusterUnavailable(f"{error}\n{tail}".strip()) from None
        raise ClusterUnavailable(f"PostgreSQL would not start: {error}\n{tail}") from error
    return cluster


_lock = threading.Lock()
_cluster: Cluster | None = None
_failure: ClusterUnavailable | None = None


def cluster() -> Cluster:
    """Return this process's cluster, starting it on first use (stopped at exit)."""
    global _cluster, _failure
    with _lock:
        if _cluster is None:
            if _failure is not None:
                raise _failure
            try:
                _cluster = _start()
            except ClusterUnavailable as error:
                _failure = error
                raise
            owner = os.getpid()
            atexit.register(lambda: os.getpid() == owner and stop())
            _stop_on_sigterm()
        return _cluster


def _stop_on_sigterm() -> None:
    """Stop the cluster when this process is terminated (``timeout``, CI), which skips atexit."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return  # someone else handles it: leave theirs alone (the next start cleans up)

    def handle(signum, _frame):
        running = _cluster  # not stop(): the signal may come while this thread holds _lock
        if running is not None:
            running.stop()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, handle)


def stop() -> None:
    """Stop and delete this process's cluster, if one was started."""
    global _cluster
    with _lock:
        if _cluster is not None:
            _cluster.stop()
            _cluster = None


def create_database(template: str = EMPTY_TEMPLATE) -> str:
    """Return the URL of a new empty database in this process's cluster."""
    return cluster().create_database(template)


def drop_database(url: str) -> None:
    """Drop a database made by create_database."""
    cluster().drop_database(url)
