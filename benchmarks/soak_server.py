"""Soak helpers: a throwaway instance, gunicorn on 127.0.0.1, and a bounded HTTP client.

Everything here is bounded: every command and every request has a timeout, the server is
started in its own process group and stopped (workers and render workers with it) however
the soak ends, and traffic only ever goes to 127.0.0.1.
"""

import hashlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
CLI_TIMEOUT = 180.0
HTTP_TIMEOUT = 30.0


@dataclass
class Reply:
    """One HTTP answer; ``status`` 0 means no answer (timeout, reset, refused)."""

    status: int
    body: bytes
    headers: dict
    seconds: float
    error: str = ""

    def json(self) -> dict:
        """Return the body as JSON, or {} when it is not JSON."""
        try:
            value = json.loads(self.body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {"value": value}

    def code(self) -> str:
        """Return the API error code of a 4xx/5xx body, or ''."""
        error = self.json().get("error")
        return error.get("code", "") if isinstance(error, dict) else ""


def call(
    port: int,
    method: str,
    path: str,
    token: str,
    body: bytes | None = None,
    content_type: str | None = None,
    timeout: float = HTTP_TIMEOUT,
) -> Reply:
    """Send one request to 127.0.0.1 on a fresh connection; never raises, never hangs."""
    headers = {"Authorization": f"Bearer {token}", "Connection": "close"}
    if content_type:
        headers["Content-Type"] = content_type
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        return Reply(response.status, data, dict(response.getheaders()), _since(started))
    except (OSError, http.client.HTTPException) as exc:
        return Reply(0, b"", {}, _since(started), f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()


def _since(started: float) -> float:
    return time.perf_counter() - started


def multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    """Return (body, content type) of a multipart form with text fields and one file."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{filename}"\r\nContent-Type: text/markdown\r\n\r\n'.encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def sha256(data: bytes) -> str:
    """Return the hex sha256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Instance:
    """A fresh instance folder in a temp dir, its settings, and the gunicorn serving it."""

    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="soak-")))
    env: dict = field(default_factory=dict)
    server: subprocess.Popen | None = None
    port: int = 0

    def __post_init__(self):
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("CLEARINGHOUSE_")}
        self.env = {
            **inherited,
            "CLEARINGHOUSE_INSTANCE_PATH": str(self.tmp / "instance"),
            "CLEARINGHOUSE_SECRET_KEY": secrets.token_hex(32),
            "CLEARINGHOUSE_ENV": "production",
            "PYTHONUNBUFFERED": "1",
        }
        self.log_path = self.tmp / "gunicorn.log"

    def flask(self, *args: str, env: dict | None = None, timeout: float = CLI_TIMEOUT):
        """Run ``flask --app clearinghouse ARGS`` on this instance; return the result."""
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "clearinghouse", *args],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def _must(self, *args: str, env: dict | None = None) -> str:
        result = self.flask(*args, env=env)
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed: {result.stderr.strip()[-2000:]}")
        return result.stdout

    def prepare(self, emails: list[str]) -> dict[str, str]:
        """Create the database and the demo data; return {email: API token}."""
        self._must("init-db")
        # seed-demo publishes a password, so it refuses production; the server does not.
        self._must("seed-demo", env={"CLEARINGHOUSE_ENV": "development"})
        tokens = {}
        for email in emails:
            token = self._must("create-token", email, "--name", "soak").strip()
            if not token or "\n" in token:
                raise RuntimeError(f"create-token {email} printed more than a token")
            tokens[email] = token
        return tokens

    def start(self, workers: int, threads: int) -> None:
        """Start gunicorn in its own process group on a free 127.0.0.1 port."""
        self.port = free_port()
        with open(self.log_path, "wb") as log:
            self.server = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn"),
                    *("--workers", str(workers), "--threads", str(threads)),
                    *("--bind", f"{HOST}:{self.port}", "--timeout", "60"),
                    *("--graceful-timeout", "5", "clearinghouse:create_app()"),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, token: str, timeout: float = 60.0) -> None:
        """Wait until the API answers (bounded); raise if the server died or never did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server is None or self.server.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log_tail()}")
            if call(self.port, "GET", "/api/v1/openapi.json", token, timeout=5).status == 200:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f}s:\n{self.log_tail()}")

    def log_text(self) -> str:
        """Return the server's log so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 30) -> str:
        """Return the last lines of the server's log."""
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self) -> None:
        """Stop gunicorn, its workers and their render workers (SIGTERM, then SIGKILL)."""
        server, self.server = self.server, None
        if server is None:
            return
        for sig, wait in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(server.pid, sig)  # our own process group, started above
            except ProcessLookupError:
                break
            try:
                server.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            # The arbiter is gone; make sure no worker of its group outlived it.
            try:
                os.killpg(server.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            break

    def close(self) -> None:
        """Stop the server and remove the temp folder (safe to call twice)."""
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)
