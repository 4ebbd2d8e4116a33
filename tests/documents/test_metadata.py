"""The metadata rules documents and templates share: every problem at once, one code each."""

import pytest

from clearinghouse.documents import metadata
from clearinghouse.errors import InvalidInput


def test_every_problem_is_noted_and_the_first_is_the_message():
    problems: list[dict] = []
    title = metadata.clean_title("  ", "template", problems)
    metadata.check_visibility("everyone", "Choose who can see it.", problems)
    metadata.clean_change_note("x" * 2001, problems)
    assert title == ""
    with pytest.raises(InvalidInput) as raised:
        metadata.refuse_problems("invalid_template", problems)
    assert raised.value.code == "invalid_template"
    assert raised.value.message == "Enter a title for the template."
    assert [p["path"] for p in raised.value.details] == ["title", "visibility", "change_note"]


def test_a_title_is_folded_and_limited():
    problems: list[dict] = []
    assert metadata.clean_title(" Letter \n before  proceedings ", "document", problems) == (
        "Letter before proceedings"
    )
    assert problems == []
    metadata.clean_title("t" * 301, "document", problems)
    assert problems == [{"path": "title", "message": "Title must be 300 characters or fewer."}]


def test_a_new_version_needs_a_note_within_the_limit():
    assert metadata.version_note("  Fixed the dates. ", "invalid_change_note") == (
        "Fixed the dates."
    )
    with pytest.raises(InvalidInput) as missing:
        metadata.version_note(" ", "invalid_template")
    assert missing.value.code == "change_note_required"
    with pytest.raises(InvalidInput) as long:
        metadata.version_note("n" * 2001, "invalid_template")
    assert long.value.code == "invalid_template"
    assert metadata.checked_note(None, "invalid_change_note") == ""
