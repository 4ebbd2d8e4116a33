"""Profile fixtures: a full profile (the library sample's authority) and tiny images."""

import json

import pytest

from clearinghouse.paths import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "templates_library" / "plo-letter-before-proceedings" / "sample.json"


@pytest.fixture
def full_profile() -> dict:
    """Return a complete, valid authority object (Northshire's, from the library sample)."""
    return json.loads(SAMPLE.read_text(encoding="utf-8"))["authority"]
