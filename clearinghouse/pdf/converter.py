"""A few warm LibreOffice converters per app process, a bounded queue, and their restarts.

Each converter is uno_worker.py run by Debian's Python (the only one that imports uno), with
LibreOffice as its child, in a new session so the two can be killed together. The app talks
to it over its stdin and stdout: nothing listens on any network, and where the machine allows
it (root, as on CI and in containers) the converter runs in its own empty network namespace,
so it could not reach the network even if a document asked it to.

Each converter has its own 0700 folder on tmpfs (PdfSettings.work_dir) for LibreOffice's
throw-away profile, TMPDIR and HOME; it is removed whenever the converter stops or is
restarted. The worker empties TMPDIR after every answer.

A conversion that overruns ``timeout`` has its converter killed and a new one started; a
converter is also restarted after ``max_conversions`` (LibreOffice's memory grows). At most
``converters + queue`` conversions are admitted at once; another is refused at once with
PdfBusy (503, Retry-After), and so is one that waits longer than ``timeout`` and
START_ALLOWANCE for a converter.
"""

import json
import logging
import os
import queue
import secrets
import select
import shutil
import signal
import struct
import subprocess
import threading
import time
from pathlib import Path

from .errors import PdfBusy, PdfFailed, PdfUnavailable
from .settings import PdfSettings

log = logging.getLogger(__name__)
WORKER = Path(__file__).with_name("uno_worker.py")
FOLDER_PREFIX = "clearinghouse-pdf-"
# An admitted request waits for a converter at most one conversion's time limit and this
# long for a replaced converter's LibreOffice to start, then is told the service is busy.
START_ALLOWANCE = 15.0


class _Overran(Exception):
    """The converter did not answer in time."""


class _Died(Exception):
    """The converter's pipe closed: it stopped or was killed."""


def _own_network_namespace() -> list[str]:
    """Return the command prefix that gives the converter no network, if this machine allows:
    a network namespace (as root), else one inside a user namespace (as anyone, where the
    kernel allows it)."""
    unshare = shutil.which("unshare")
    for options in (["--net"], ["--user", "--map-root-user", "--net"]):
        if unshare is None:
            break
        try:
            subprocess.run([unshare, *options, "true"], check=True, capture_output=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            continue
        return [unshare, *options, "--"]
    log.warning("PDF converters run with the machine's network: no network namespace here")
    return []


_NAMESPACE: list[str] | None = None


def _prefix() -> list[str]:
    global _NAMESPACE
    if _NAMESPACE is None:
        _NAMESPACE = _own_network_namespace()
    return _NAMESPACE


class Converter:
    """One warm LibreOffice behind its worker, with its own tmpfs folder."""

    def __init__(self, settings: PdfSettings):
        self.settings = settings
        name = f"{FOLDER_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
        self.folder = Path(settings.work_dir) / name
        self.folder.mkdir(mode=0o700)
        try:
            self._spawn(settings)
        except OSError:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self.ready = False
        self.conversions = 0

    def _spawn(self, settings: PdfSettings) -> None:
        for name in ("tmp", "home"):
            (self.folder / name).mkdir(mode=0o700)
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "HOME": str(self.folder / "home"),
            "TMPDIR": str(self.folder / "tmp"),
            "SAL_USE_VCLPLUGIN": "svp",
        }
        self.process = subprocess.Popen(
            [*_prefix(), settings.python, str(WORKER), settings.soffice, str(self.folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=str(self.folder),
            start_new_session=True,
        )
        os.set_blocking(self.process.stdout.fileno(), False)
        os.set_blocking(self.process.stdin.fileno(), False)

    def _send(self, data: bytes, deadline: float) -> None:
        fd = self.process.stdin.fileno()
        view = memoryview(data)
        while view:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [fd], [], left)[1]:
                raise _Overran
            try:
                view = view[os.write(fd, view[: 1 << 16]) :]
            except BlockingIOError:
                continue
            except (BrokenPipeError, OSError) as exc:
                raise _Died from exc

    def _receive(self, size: int, deadline: float) -> bytes:
        fd = self.process.stdout.fileno()
        data = bytearray()
        while len(data) < size:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise _Overran
            try:
                chunk = os.read(fd, min(size - len(data), 1 << 20))
            except BlockingIOError:
                continue
            if not chunk:
                raise _Died
            data += chunk
        return bytes(data)

    def _frame(self, deadline: float) -> tuple[dict, bytes]:
        (header_size,) = struct.unpack(">I", self._receive(4, deadline))
        try:
            header = json.loads(self._receive(header_size, deadline))
        except ValueError as exc:  # out of step with the worker: it must be replaced
            raise _Died from exc
        if not isinstance(header, dict):
            raise _Died
        (body_size,) = struct.unpack(">Q", self._receive(8, deadline))
        return header, self._receive(body_size, deadline)

    def start_wait(self) -> None:
        """Wait until LibreOffice has started (PdfUnavailable if it does not)."""
        if self.ready:
            return
        try:
            header, _ = self._frame(time.monotonic() + self.settings.start_timeout)
        except (_Overran, _Died) as exc:
            raise PdfUnavailable(
                "LibreOffice did not start on this server, so PDFs cannot be made just now. "
                "Download the Word document instead."
            ) from exc
        self.ready = bool(header.get("ready"))

    def convert(self, docx: bytes, pdfa: bool, timeout: float) -> bytes:
        """Return the PDF; _Overran or _Died if the converter must be replaced."""
        self.start_wait()
        deadline = time.monotonic() + timeout
        header = json.dumps({"pdfa": pdfa}).encode()
        self._send(struct.pack(">I", len(header)) + header + struct.pack(">Q", len(docx)), deadline)
        self._send(docx, deadline)
        answer, pdf = self._frame(deadline)
        self.conversions += 1
        if not answer.get("ok"):
            raise PdfFailed(
                "This document could not be made into a PDF. Download the Word document "
                "instead, and tell your administrator."
            )
        return pdf

    def kill(self) -> None:
        """Kill the worker and LibreOffice together, then remove the folder."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._reap()

    def stop(self) -> None:
        """Let the worker close LibreOffice (it stops when its stdin closes); kill if slow."""
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def _reap(self) -> None:
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            log.warning("PDF converter %s did not stop", self.process.pid)
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


class Pool:
    """The converters of one process, and the bounded queue in front of them."""

    def __init__(self, settings: PdfSettings):
        self.settings = settings
        self.pid = os.getpid()
        self.admitted = threading.BoundedSemaphore(settings.converters + settings.queue)
        self.idle: queue.Queue = queue.Queue()
        self.everyone: set[Converter] = set()
        self.lock = threading.Lock()
        self.closed = False
        for _ in range(settings.converters):
            self.idle.put(self._start())

    def _start(self) -> Converter:
        converter = Converter(self.settings)
        with self.lock:
            self.everyone.add(converter)
        return converter

    def _retire(self, converter: Converter, *, kill: bool) -> None:
        """Replace a converter: kill it now (or let it stop in the background), and put its
        replacement in the queue only once its LibreOffice has started, so no request waits
        for a start while another converter is free."""
        with self.lock:
            self.everyone.discard(converter)
            closed = self.closed
        if kill:
            converter.kill()
        else:
            threading.Thread(target=converter.stop, name="pdf-stop", daemon=True).start()
        if closed:
            return
        try:
            replacement = self._start()
        except OSError as exc:  # no room on tmpfs, no process: started on next use instead
            log.warning("a PDF converter could not be started now (%s)", type(exc).__name__)
            self.idle.put(None)
            return

        def ready() -> None:
            try:
                replacement.start_wait()
            except PdfUnavailable:
                log.warning("a PDF converter did not start; it is tried again when used")
            self.idle.put(replacement)

        threading.Thread(target=ready, name="pdf-start", daemon=True).start()

    def convert(self, docx: bytes, pdfa: bool) -> bytes:
        """Convert on a free converter; refuse at once when the queue is full."""
        retry_after = max(1, round(self.settings.timeout / 6))
        if not self.admitted.acquire(blocking=False):
            raise PdfBusy(retry_after)
        try:
            try:
                converter = self.idle.get(timeout=self.settings.timeout + START_ALLOWANCE)
            except queue.Empty:
                raise PdfBusy(retry_after) from None
            if converter is None:
                converter = self._start_now()
            return self._run(converter, docx, pdfa)
        finally:
            self.admitted.release()

    def _start_now(self) -> Converter:
        """Start a converter in place of one that could not be started before."""
        try:
            return self._start()
        except OSError:
            self.idle.put(None)
            raise PdfUnavailable(
                "The PDF converter could not be started just now. Try again in a minute, or "
                "download the Word document instead.",
                retry_after=60,
            ) from None

    def _run(self, converter: Converter, docx: bytes, pdfa: bool) -> bytes:
        """Convert on this converter, then give it back, or retire it and start another."""
        timeout = self.settings.timeout
        keep = True
        try:
            pdf = converter.convert(docx, pdfa, timeout)
            if converter.conversions >= self.settings.max_conversions:
                keep = False
                self._retire(converter, kill=False)
            return pdf
        except _Overran:
            log.warning("PDF conversion overran %gs: converter restarted", timeout)
            keep = False
            self._retire(converter, kill=True)
            raise PdfFailed(
                f"Making the PDF took longer than {timeout:g} seconds, so it was stopped. "
                "Download the Word document instead."
            ) from None
        except _Died:
            log.warning("PDF converter stopped during a conversion: restarted")
            keep = False
            self._retire(converter, kill=True)
            raise PdfUnavailable(
                "The PDF converter stopped while making this document. Try again in a few "
                "seconds, or download the Word document instead.",
                retry_after=5,
            ) from None
        except PdfUnavailable:
            keep = False
            self._retire(converter, kill=True)
            raise
        finally:
            # A document LibreOffice refused (PdfFailed from its answer) leaves it well: kept.
            if keep:
                self.idle.put(converter)

    def close(self) -> None:
        """Stop every converter and remove their folders (none is started after this)."""
        with self.lock:
            self.closed = True
            everyone, self.everyone = set(self.everyone), set()
        for converter in everyone:
            converter.stop()

    def folders(self) -> list[Path]:
        """Return the converters' folders (the privacy tests scan them)."""
        with self.lock:
            return [c.folder for c in self.everyone]
