"""Render workers hold no file the parent had open when it forked them."""

import multiprocessing
import os
import signal

from docx_builder import make_docx

from clearinghouse import renderer

from .helpers import DEFAULT_LIMITS


def test_a_worker_keeps_only_stdio_and_its_pipe(app):
    renderer.shutdown()
    read_end, write_end = os.pipe()  # stands for a request's socket or another tool's pipe
    try:
        renderer.render_docx(make_docx(["Hello {{ name }}"]), {"name": "Sam"}, DEFAULT_LIMITS)
        workers = multiprocessing.active_children()
        assert workers
        for worker in workers:
            held = os.listdir(f"/proc/{worker.pid}/fd")
            assert len(held) <= 4, held  # 0, 1, 2 and the pipe to this process
            targets = {os.readlink(f"/proc/{worker.pid}/fd/{fd}") for fd in held}
            ours = os.readlink(f"/proc/self/fd/{write_end}")
            assert ours not in targets
    finally:
        os.close(read_end)
        os.close(write_end)
        renderer.shutdown()


def test_a_worker_dies_on_sigterm_whatever_handler_its_parent_had(app):
    renderer.shutdown()
    previous = signal.signal(signal.SIGTERM, lambda *_: None)  # as gunicorn's workers do
    try:
        renderer.render_docx(make_docx(["Hello {{ name }}"]), {"name": "Sam"}, DEFAULT_LIMITS)
        workers = multiprocessing.active_children()
        assert workers
        for worker in workers:
            worker.terminate()
            worker.join(5)
            assert not worker.is_alive()
    finally:
        signal.signal(signal.SIGTERM, previous)
        renderer.shutdown()
