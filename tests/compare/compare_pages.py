"""Fixtures for the compare page tests (import them into a test module): two authorities'
letters before proceedings."""

import pytest

# Two authorities' letters before proceedings: different headings, order and wording for the
# same purposes, and sections only one has (the example).
NORTH_LETTER = [
    ("Contact details", ["Call your social worker, Sam Jones, on 01234 567890."]),
    (
        "What we are worried about",
        ["We are worried that the children are left alone at night and miss school."],
    ),
    (
        "What needs to happen",
        ["The children must be looked after by an adult every night and go to school."],
    ),
    (
        "Getting legal advice",
        ["Take this letter to a solicitor now. Legal advice is free for you."],
    ),
    ("The meeting", ["Come to a meeting at the council offices on 3 March at 10am."]),
]
SOUTH_LETTER = [
    (
        "Our worries",
        ["We worry that the children are left alone at night and are missing school."],
    ),
    ("What must change", ["An adult must look after the children every night."]),
    (
        "Free legal advice",
        ["Please take this letter to a solicitor straight away. The advice is free."],
    ),
    ("Interpreters", ["Tell us if you need an interpreter for the meeting."]),
]


@pytest.fixture
def letters(users, make_document, md):
    """Return the ids of north's and south's letters before proceedings (both shared)."""
    north = make_document(
        users["editor"],
        title="North letter before proceedings",
        data=md(NORTH_LETTER),
        filename="north.md",
        doc_type="plo-letter-before-proceedings",
    )
    south = make_document(
        users["south_editor"],
        title="South letter before proceedings",
        data=md(SOUTH_LETTER),
        filename="south.md",
        doc_type="plo-letter-before-proceedings",
    )
    return {"north": north.document_id, "south": south.document_id}
