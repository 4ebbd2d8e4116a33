"""The compare page across two authorities: the language of difference, why each pair was
paired, re-pairing without JavaScript, and the table of several documents by purpose."""

import re
from html import unescape

import compare_pages
import pytest
from factories import make_version

from clearinghouse.compare import service
from clearinghouse.errors import InvalidInput

letters = compare_pages.letters  # fixtures shared by the compare page tests

ONLY_NORTH = (
    '<span class="app-only"><span class="govuk-visually-hidden">[only in Northshire: </span>'
)
ONLY_SOUTH = (
    '<span class="app-only"><span class="govuk-visually-hidden">[only in Southborough: </span>'
)


def _url(letters, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/compare/result?first={letters['north']}&second={letters['south']}" + (
        f"&{query}" if query else ""
    )


def _page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[-1500:]
    return unescape(response.get_data(as_text=True))


def _section(page: str, anchor: str) -> str:
    """Return the HTML of one section block of the page."""
    start = page.index(f'<section class="app-diff-section" id="{anchor}"')
    return page[start : page.index("</section>", start)]


def test_across_authorities_the_page_speaks_of_difference_not_deletion(users, login, letters):
    pairs = "1:-,2:1,3:2,4:3,5:-"  # every pair fixed, whatever the alignment would choose
    page = _page(login(users["manager"]), _url(letters, pairs=pairs))
    assert "How differences are shown" in page and "How changes are shown" not in page
    assert "Only in Northshire" in page and "Only in Southborough" in page
    assert "Only in first" not in page and "Only in second" not in page
    assert "<del " not in page and "<ins " not in page
    assert "app-diff-insert" not in page and "app-diff-delete" not in page
    assert "Sections only in Northshire" in page and "Words only in Southborough’s wording" in page
    worries = _section(page, "section-left-2")
    assert "What we are worried about / Our worries" in worries
    assert "Northshire’s wording: What we are worried about" in worries
    assert "Southborough’s wording: Our worries" in worries
    assert ONLY_NORTH + "are</span>]</span></span>" not in worries  # "are" is in both
    assert ONLY_NORTH + "are worried<" in worries and ONLY_SOUTH + "worry<" in worries
    # A section only one has is shown plainly, its tag saying whose it is.
    contact = _section(page, "section-left-1")
    assert "Only in Northshire" in contact and "app-only" not in contact
    assert "Southborough has no section paired with this one." in contact


def test_versions_of_one_document_keep_tracked_changes(users, login, make_document, md):
    first = make_document(
        users["editor"], title="Guide", data=md([("A", ["one two"])]), filename="g.md"
    )
    make_version(users["editor"], first.document_id, md([("A", ["one three"])]), "g.md")
    page = _page(
        login(users["manager"]),
        f"/compare/result?first={first.document_id}@1&second={first.document_id}",
    )
    assert "How changes are shown" in page and "Only in Northshire" not in page
    assert "[deleted: </span>two<" in page and "[inserted: </span>three<" in page
    assert "Change the pairing" not in page


def test_each_pair_says_why_and_how_alike(users, login, letters, monkeypatch):
    manager = users["manager"]
    result = service.documents_compare(manager, str(letters["north"]), str(letters["south"]))
    page = _page(login(manager), _url(letters))
    for row in result["sections"]:
        if row["left"] is not None and row["right"] is not None:
            anchor = f"section-left-{row['left_index']}"
            block = _section(page, anchor)
            assert f"{round(row['similarity'] * 100)}% alike" in block
            if row.get("why"):
                assert f"Paired because of: {', '.join(row['why'])}." in block
    # A purpose label, when the alignment gives one, is shown too.
    real = service.documents_compare

    def with_purpose(*args, **kwargs):
        found = real(*args, **kwargs)
        for row in found["sections"]:
            row["purpose_label"] = "Worries" if row["left"] == "What we are worried about" else None
        return found

    monkeypatch.setattr(service, "documents_compare", with_purpose)
    page = _page(login(manager), _url(letters, pairs="2:1"))
    assert "Purpose: Worries." in _section(page, "section-left-2")


def test_rows_without_the_alignments_fields_still_render(users, login, letters, monkeypatch):
    real = service.documents_compare
    new_keys = {"purpose", "purpose_label", "why", "left_index", "right_index"}

    def plain(user, left, right, **_):
        found = real(user, left, right)
        found["sections"] = [
            {k: v for k, v in row.items() if k not in new_keys} for row in found["sections"]
        ]
        return found

    monkeypatch.setattr(service, "documents_compare", plain)
    page = _page(login(users["manager"]), _url(letters))
    assert "Only in Northshire" in page and "How differences are shown" in page
    assert "Change the pairing" not in page and "Paired because of" not in page
    assert 'id="section-1"' in page


def _select(page: str, select_id: str) -> tuple[list[str], str | None]:
    """Return a select's option values and its selected one."""
    start = page.index(f'id="{select_id}"')
    block = page[start : page.index("</select>", start)]
    values = re.findall(r'<option value="([^"]*)"', block)
    chosen = re.search(r'<option value="([^"]*)" selected', block)
    return values, chosen.group(1) if chosen else None


def test_repair_without_javascript(users, login, letters):
    client = login(users["manager"])
    page = _page(client, _url(letters))
    assert 'name="pair"' in page and 'action="/compare/result"' in page
    values, _chosen = _select(page, "pair-left-2")
    assert values == ["2:1", "2:2", "2:3", "2:4", "2:-"]
    assert (
        'for="pair-left-2">Pair Northshire’s section 2, “What we are worried about”, with' in page
    )
    # Choose "Our worries" for "What we are worried about": the page comes back at that section.
    response = client.get(_url(letters, pair="2:1"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"first={letters['north']}&second={letters['south']}&pairs=2:1#section-left-2"
    )
    page = _page(client, _url(letters, pairs="2:1"))
    block = _section(page, "section-left-2")
    assert "Paired by you" in block and "What we are worried about / Our worries" in block
    assert _select(page, "pair-left-2")[1] == "2:1"
    assert '<input type="hidden" name="pairs" value="2:1">' in page
    assert "Go back to the automatic pairing" in page
    # A second choice adds to the first; one that takes the same section replaces it.
    location = client.get(_url(letters, pairs="2:1", pair="3:2")).headers["Location"]
    assert "pairs=2:1,3:2#" in location
    location = client.get(_url(letters, pairs="2:1,3:2", pair="5:1")).headers["Location"]
    assert "pairs=3:2,5:1#section-left-5" in location


def test_unpair_and_pair_from_the_other_side(users, login, letters):
    client = login(users["manager"])
    page = _page(client, _url(letters, pairs="2:1,1:-"))
    block = _section(page, "section-left-1")
    assert "Left unpaired by you" in block and "Only in Northshire" in block
    # A section only the second document has offers the first document's sections.
    none = "1:-,2:-,3:-,4:-,5:-"
    page = _page(client, _url(letters, pairs=none))
    values, chosen = _select(page, "pair-right-1")
    assert values[0] == "" and "2:1" in values and chosen == ""
    location = client.get(_url(letters, pairs=none, pair="2:1")).headers["Location"]
    assert "pairs=1:-,2:1,3:-,4:-,5:-#section-left-2" in location


def _refusal(user, letters, text: str) -> str:
    """Return the message the service gives for pairs it cannot use."""
    with pytest.raises(InvalidInput) as refused:
        pairs = service.parse_pairs(text)
        service.documents_compare(user, str(letters["north"]), str(letters["south"]), pairs=pairs)
    return refused.value.message


@pytest.mark.parametrize(
    "args, message",
    [
        ({"pairs": "abc"}, None),
        ({"pairs": "99:1"}, None),
        ({"pairs": "2:1,2:3"}, None),
        ({"pairs": "2:1,3:1"}, None),
        ({"pairs": "0:1"}, None),
        ({"pair": ""}, "Choose a section to pair it with."),
        ({"pair": "x"}, None),
        ({"pair": "1:1,2:2"}, "Choose a section to pair it with."),
        ({"pairs": "x", "pair": "1:1"}, None),
        ({"pair": "9:9"}, "There is no left section 9"),
        ({"pair": "１:２"}, None),  # digits other than 0-9 are not section numbers
    ],
)
def test_bad_pairs_are_explained(users, login, letters, args, message):
    text = args.get("pair") if "pairs" not in args else args["pairs"]
    message = message or _refusal(users["manager"], letters, text)
    response = login(users["manager"]).get(_url(letters, **args))
    page = unescape(response.get_data(as_text=True))
    assert 400 <= response.status_code < 500
    assert "There is a problem" in page and message in page
    assert "Comparison" in page and "Only in" in page  # the comparison is still shown
    assert "is now paired" not in page and "now left unpaired" not in page


def test_bad_documents_with_pairs_go_back_to_choosing(users, login, letters):
    client = login(users["manager"])
    page = _page(client, f"/compare/result?first=x&second={letters['south']}&pairs=1:1", 422)
    assert "must be a document number" in page
    assert client.get("/compare/result?first=999999&second=1&pairs=1:1").status_code == 404


def test_table_of_several_documents_by_purpose(users, login, letters, make_document, md):
    third = make_document(
        users["editor"],
        title="North guidance",
        data=md([("Our worries", ["Worries in plain words for the family."])]),
        filename="g.md",
    ).document_id
    url = f"/compare/result?first={letters['north']}&second={letters['south']}&third={third}"
    page = _page(login(users["manager"]), url)
    assert "Sections by purpose" in page and "Who covers what" in page
    assert "Not covered" in page
    table = service.documents_table(users["manager"], [letters["north"], letters["south"], third])
    nowhere = [r["label"] for r in table["purposes"] if not any(r["cells"])]
    assert nowhere  # the thesaurus has purposes these three documents lack
    assert f"No document covers:</strong> {', '.join(nowhere)}." in page
    version = f'href="/documents/{letters["north"]}/versions/1"'
    assert version in page
    assert "We are worried that the" in page  # first words
    assert ", in North letter before proceedings (Northshire County Council)" in page


def test_a_second_section_for_one_purpose_is_shown_too(users, login, letters, make_document, md):
    both = make_document(
        users["editor"],
        title="North worries guidance",
        data=md(
            [
                ("Harm", ["What has happened to the children."]),
                ("Danger statements", ["What we worry will happen if nothing changes."]),
            ]
        ),
        filename="w.md",
    ).document_id
    url = f"/compare/result?first={letters['north']}&second={letters['south']}&third={both}"
    page = _page(login(users["manager"]), url)
    assert "Also: 2. Danger statements" in page


def test_a_page_with_refused_pairs_says_error_in_its_title(users, login, letters):
    page = _page(login(users["manager"]), _url(letters, pairs="99:1"), 422)
    assert re.search(r"<title>\s*Error: Comparison", page)
