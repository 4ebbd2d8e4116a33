"""Builders for documents whose sections and edits are known."""

import pytest


def markdown(sections) -> bytes:
    """Return a Markdown file: sections is a list of (heading, [paragraphs])."""
    parts = []
    for heading, paragraphs in sections:
        parts.append(f"## {heading}")
        parts.extend(paragraphs)
    return ("\n\n".join(parts) + "\n").encode()


@pytest.fixture
def md():
    """Return the Markdown builder."""
    return markdown


BASE = [
    ("Purpose", ["This guidance explains the public law outline to families and workers."]),
    (
        "The letter before proceedings",
        [
            "The letter tells parents to take it to a solicitor now.",
            "Legal advice is free once they receive the letter.",
        ],
    ),
    (
        "The meeting",
        ["The pre-proceedings meeting is held within ten working days of the letter."],
    ),
    ("Review", ["We review the plan every six weeks with the family network."]),
]


@pytest.fixture
def base_sections():
    """Return a copy of a small PLO guidance, as (heading, [paragraphs])."""
    return [(h, list(p)) for h, p in BASE]
