"""The render worker process: templates compiled once by key, rendered many times.

``serve`` is the loop a worker process runs (started by pool.py): it keeps compiled
templates in memory by key, runs under a memory limit, and answers one request at a time.
Compiling is in docx_compile.py, rendering in docx_render.py, inspection in docx_inspect.py.
"""

import os
import resource
import signal
from collections import OrderedDict

from .docx_compile import CompiledDocx, compile_docx
from .docx_inspect import inspect_docx
from .docx_render import render_compiled
from .errors import RenderLimitError, TemplateError

MAX_INHERITED_FD = 65536

MAX_CACHED = 32
_CACHE: "OrderedDict[str, CompiledDocx | TemplateError]" = OrderedDict()


def _limit_memory(extra_bytes: int) -> None:
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[0])
        current = pages * os.sysconf("SC_PAGE_SIZE")
        limit = current + extra_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    except (OSError, ValueError):
        pass  # no /proc or limit not settable: the time limit still applies


def _compiled(key: str, template: bytes | None):
    if key in _CACHE:
        _CACHE.move_to_end(key)
        found = _CACHE[key]
    elif template is None:
        return None
    else:
        try:
            found = compile_docx(template)
        except TemplateError as exc:
            found = exc
        _CACHE[key] = found
        while len(_CACHE) > MAX_CACHED:
            _CACHE.popitem(last=False)
    if isinstance(found, TemplateError):
        raise found
    return found


def handle(request: dict):
    """Answer one request: ("ok", result) | ("need_template",) | ("error", ...)."""
    try:
        if request["op"] == "inspect":
            return ("ok", inspect_docx(request["template"]))
        compiled = _compiled(request["key"], request.get("template"))
        if compiled is None:
            return ("need_template",)
        if request["op"] == "variables":
            return ("ok", set(compiled.variables))
        return ("ok", render_compiled(compiled, request["context"], request["max_output"]))
    except (TemplateError, RenderLimitError) as exc:
        return ("error", type(exc).__name__, exc.message, exc.details, exc.status)
    except MemoryError:
        return ("fatal", "memory")
    except RecursionError:
        return (
            "error",
            "RenderLimitError",
            "The template calls itself too deeply (recursion). Simplify its macros.",
            [],
            422,
        )
    except Exception as exc:  # noqa: BLE001 - the worker must answer, never die on a bad file
        return (
            "error",
            "TemplateError",
            f"The template could not be used: it may be damaged ({type(exc).__name__}). "
            "Open it in Word, save it again as .docx and try again.",
            [],
            422,
        )


def _close_inherited_files(keep: int) -> None:
    """Close every descriptor the fork copied from the parent but stdio and our own pipe.

    A worker forked inside a request would otherwise hold that request's socket (and the
    server's listening socket, and any other process's pipe) open for as long as it lives,
    so connections the parent closes never really close.
    """
    os.closerange(3, keep)
    os.closerange(keep + 1, MAX_INHERITED_FD)


def serve(conn, memory_bytes: int) -> None:
    """Run the worker loop on a connection until it closes."""
    # The parent's handlers (gunicorn's, for one) were copied by the fork: a worker must die
    # on SIGTERM, or the parent's exit, which terminates and then joins it, waits forever.
    for name in ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGCHLD", "SIGWINCH"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _close_inherited_files(conn.fileno())
    _limit_memory(memory_bytes)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        reply = handle(request)
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return
        if reply[0] == "fatal":
            os._exit(3)  # memory may be fragmented past use: let the parent start a fresh one
