"""API search snippets: snippet kept as HTML, plus snippet_text and snippet_marks offsets."""

import html

import pytest

from clearinghouse.search.snippets import snippet_plain
from clearinghouse.search.whoosh_query import fold, snippet, stem_word


@pytest.mark.parametrize(
    "text, words, marked",
    [
        ("Safety <plan> & review for the family", ["plan"], ["plan"]),
        ("Crème brûlée & <b>réunion</b> de famille, planning", ["planning"], ["planning"]),
        ("Ärger < Sorge & Gefahr > Schutz; Gefahr bleibt", ["gefahr"], ["Gefahr", "Gefahr"]),
        ("Emoji 😀 before the danger statement 😀 after", ["danger"], ["danger"]),
        ("No matching word here", ["zebra"], []),
    ],
)
def test_marks_point_at_the_matched_words(text, words, marked):
    made = snippet(text, [stem_word(fold(w)) for w in words])  # as the index holds them
    plain, marks = snippet_plain(made)
    assert "<mark>" not in plain and "&amp;" not in plain and "&lt;" not in plain
    assert html.unescape(made.replace("<mark>", "").replace("</mark>", "")) == plain
    assert [plain[start:end] for start, end in marks] == marked
    assert all(0 <= start < end <= len(plain) for start, end in marks)


def test_an_empty_snippet():
    assert snippet_plain("") == ("", [])


def test_api_gives_plain_text_and_offsets(users, client, api_headers, make_document):
    make_document(
        users["editor"],
        title="Réunion & <family> plan",
        data="# Réunion\n\nÉtape 1 & 2 <b>: the wombatquill réunion, then Wombatquill.\n".encode(),
        filename="r.md",
    )
    headers = api_headers(users["practitioner"])
    body = client.get("/api/v1/search?q=wombatquill", headers=headers).get_json()
    hit = body["results"][0]
    assert "<mark>" in hit["snippet"] and "&amp;" in hit["snippet"]  # unchanged for old clients
    text = hit["snippet_text"]
    assert "& 2 <b>" in text and "Étape" in text
    assert [text[s:e] for s, e in hit["snippet_marks"]] == ["wombatquill", "Wombatquill"]
    spec = client.get("/api/v1/openapi.json", headers=headers).get_json()
    item = spec["paths"]["/search"]["get"]["responses"]["200"]["content"]["application/json"]
    properties = item["schema"]["properties"]["results"]["items"]["properties"]
    assert {"snippet", "snippet_text", "snippet_marks"} <= set(properties)
    assert "code points" in properties["snippet_marks"]["description"]
