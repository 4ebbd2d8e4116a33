""" "Did you mean" never corrects the field's words or numbers; it offers only what finds things."""

import pytest
from factories import make_authority

from clearinghouse.search.query import search_documents


@pytest.fixture
def docs(users, make_document):
    make_authority("east", "Eastmere Borough")  # an authority with no documents yet

    def md(user, title, text, **kwargs):
        data = f"# {title}\n\n{text}\n".encode()
        return make_document(users[user], title=title, data=data, filename="d.md", **kwargs)

    return {
        "side": md(
            "editor",
            "Seating",
            "Parents sit side by side in Eastmore Hall; the door is locked. Session 48 is last.",
        ),
        "safety": md("editor", "Rules", "The safety plan is written with the family."),
        "zebra": md("editor", "Roads", "The zebra crossing by the school."),
        "south": md("south_editor", "South rota", "The kestrel rota.", visibility="internal"),
    }


@pytest.mark.parametrize(
    "query",
    [
        "aide",  # a word of a type's name (Aide-memoire): not a typo for "side"
        "section 48",  # a word of the practice thesaurus: not "session 48"
        "looked session",  # the thesaurus's "looked after": not "locked"
        "Eastmere",  # an authority's name: not "Eastmore"
        "s47",  # letters and numbers: not "s48"
        "2024 session",  # a number
    ],
)
def test_the_fields_words_and_numbers_are_never_corrected(users, docs, query):
    page = search_documents(users["practitioner"], query)
    assert page.suggestion is None
    assert docs["side"].document_id not in {r.document_id for r in page.results}


def test_a_plain_typo_is_still_corrected(users, docs):
    page = search_documents(users["practitioner"], "safty plan")
    assert page.suggestion == "safety plan"
    assert page.total == 1


def test_a_suggestion_must_find_something_the_viewer_may_see(users, docs):
    north = users["practitioner"]
    # Each word alone is known, but no document has both: nothing to suggest.
    assert search_documents(north, "safty crossing").suggestion is None
    # Within the chosen filters too: the suggestion would only find north's documents.
    page = search_documents(north, "safty", authority="south")
    assert page.suggestion is None
    # Never a word from another authority's internal document.
    assert search_documents(north, "kestral").suggestion is None
    assert search_documents(users["south_practitioner"], "kestral").suggestion == "kestrel"


def test_a_typo_becomes_a_word_documents_write_not_an_edit_that_stems_alike(users, make_document):
    """The commoner stem wins only through a word a document writes.

    "welbeing" is one letter from "welleing", which stems to the commoner "well"; it was
    offered as "Did you mean welleing?". "advcate" is one letter from "advicate" ("advice").
    """
    editor = users["editor"]
    for n in range(3):
        text = f"Visit {n}: the family are well and took the advice offered."
        make_document(
            editor, title=f"Visit {n}", data=f"# Visit\n\n{text}\n".encode(), filename="v.md"
        )
    text = "An advocate spoke for the child about their wellbeing."
    make_document(
        editor, title="Advocacy", data=f"# Advocacy\n\n{text}\n".encode(), filename="a.md"
    )
    practitioner = users["practitioner"]
    assert search_documents(practitioner, "welbeing").suggestion == "wellbeing"
    assert search_documents(practitioner, "advcate").suggestion == "advocate"


def test_of_several_near_words_the_one_most_documents_have_is_offered(users, make_document):
    """The typo "plae" is one letter from "plate", "place" and "plane": the one in the most
    documents is offered, of those the viewer may see (south's internal "plane" is not north's)."""

    def md(user, title, text, **kwargs):
        data = f"# {title}\n\n{text}\n".encode()
        return make_document(users[user], title=title, data=data, filename="d.md", **kwargs)

    for n in range(3):
        md("editor", f"Lunch {n}", "Food on a plate.")
    for n in range(2):
        md("editor", f"Home {n}", "A safe place to stay.")
    for n in range(5):
        md("south_editor", f"Trip {n}", "The plane home.", visibility="internal")
    assert search_documents(users["practitioner"], "plae").suggestion == "plate"
    assert search_documents(users["south_practitioner"], "plae").suggestion == "plane"
