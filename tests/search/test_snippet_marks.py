"""API search snippets: snippet kept as HTML, plus snippet_text and snippet_marks offsets."""

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _marked_by_look_behind(text: str, words: list[str]) -> list[str]:
    """Return the words the snippet marked before it dropped its look-behind (the reference)."""
    stems = {w for w in words if not w.endswith("*")}
    prefixes = tuple(w[:-1] for w in words if w.endswith("*") and len(w) > 1)
    cues = sorted({s[:-1] if len(s) > 3 else s for s in stems} | set(prefixes), key=len)[::-1]
    if not cues:
        return []
    lowered = text.lower() if len(text.lower()) == len(text) else text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in cues) + r")\w*")
    found = []
    for match in pattern.finditer(lowered):
        word = fold(match.group(0))
        if stem_word(word) in stems or (prefixes and word.startswith(prefixes)):
            found.append(text[match.start() : match.end()])
    return found[:60]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["plan", "plans", "aplan", "_plan", "plan_b", "Ärger", "ärgern",
                              "safety", "unsafe", "é", "9plan", "planning", " ", ". ", "-",
                              "\n", "İ", "ﬂan"]), max_size=60),
    st.lists(st.sampled_from(["plan", "safeti", "ärger", "unsaf", "pla*", "flan", "i"]),
             min_size=1, max_size=3),
)  # fmt: skip
def test_the_snippet_marks_what_its_look_behind_marked(parts, words):
    """Found by scanning for the cues alone and dropping matches inside a word, as before."""
    text = "".join(parts)
    made = snippet(text, words, length=10_000)
    _plain, marks = snippet_plain(made)
    assert [_plain[a:b] for a, b in marks] == [
        " ".join(w.split()) for w in _marked_by_look_behind(text, words)
    ]
