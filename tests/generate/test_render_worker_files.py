"""Render workers hold no file the parent had open when it forked them."""

import multiprocessing
import os
import signal

from clearinghouse.generate import render

from .test_render_builders import build_template


def test_a_worker_keeps_only_stdio_and_its_pipe(app):
    render.shutdown()
    read_end, write_end = os.pipe()  # stands for a request's socket or another tool's pipe
    try:
        render.render_docx(build_template(["Hello {{ name }}"]), {"name": "Sam"})
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
        render.shutdown()


def test_a_worker_dies_on_sigterm_whatever_handler_its_parent_had(app):
    render.shutdown()
    previous = signal.signal(signal.SIGTERM, lambda *_: None)  # as gunicorn's workers do
    try:
        render.render_docx(build_template(["Hello {{ name }}"]), {"name": "Sam"})
        workers = multiprocessing.active_children()
        assert workers
        for worker in workers:
            worker.terminate()
            worker.join(5)
            assert not worker.is_alive()
    finally:
        signal.signal(signal.SIGTERM, previous)
        render.shutdown()
