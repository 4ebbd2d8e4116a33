"""The word-level diff reports exactly the edits made, and nothing else."""

from hypothesis import given, settings
from hypothesis import strategies as st

from clearinghouse.compare import diff


def _sides(changes):
    left = "".join(c["text"] for c in changes if c["op"] != "insert")
    right = "".join(c["text"] for c in changes if c["op"] != "delete")
    return left, right


def _edits(changes, op):
    return [c["text"].strip() for c in changes if c["op"] == op and c["text"].strip()]


def test_identical_text_is_one_equal_change():
    text = "Take this letter to a solicitor.\nLegal advice is free."
    assert diff.diff_text(text, text) == [{"op": "equal", "text": text}]


def test_replaced_word_is_one_delete_and_one_insert():
    changes = diff.diff_text(
        "The meeting is on Monday at ten.", "The meeting is on Tuesday at ten."
    )
    assert _edits(changes, "delete") == ["Monday"]
    assert _edits(changes, "insert") == ["Tuesday"]
    assert _sides(changes) == (
        "The meeting is on Monday at ten.",
        "The meeting is on Tuesday at ten.",
    )


def test_words_added_at_start_and_end_of_a_paragraph():
    left = "parents may bring a solicitor.\nSecond paragraph stays."
    right = "Both parents may bring a solicitor. They may bring a friend.\nSecond paragraph stays."
    changes = diff.diff_text(left, right)
    assert _edits(changes, "insert") == ["Both", "They may bring a friend."]
    assert _edits(changes, "delete") == []
    assert _sides(changes) == (left, right)


def test_deleted_paragraph_and_word_at_paragraph_start():
    left = "Keep this.\nDrop this whole paragraph.\nThe worries are listed."
    right = "Keep this.\nworries are listed."
    changes = diff.diff_text(left, right)
    assert _edits(changes, "delete") == ["Drop this whole paragraph.\nThe"]
    assert _edits(changes, "insert") == []
    assert _sides(changes) == (left, right)


def test_whitespace_is_normalised_and_table_cells_kept():
    left = "Name\tRole\nAnne   Smith\tSocial worker"
    changes = diff.diff_text(left, "Name\tRole\nAnne Smith\tTeam manager")
    assert _sides(changes)[0] == "Name\tRole\nAnne Smith\tSocial worker"
    assert _edits(changes, "delete") == ["Social worker"]
    assert _edits(changes, "insert") == ["Team manager"]


def test_counts():
    changes = diff.diff_text("one two three four", "one 2 three four five six")
    assert diff.change_counts(changes) == {"words_equal": 3, "words_added": 3, "words_removed": 1}


def test_long_text_with_known_edits_reports_exactly_them():
    paragraphs = [
        f"Paragraph {i} says the family network meets every {i} weeks." for i in range(400)
    ]
    edited = list(paragraphs)
    edited[10] = edited[10].replace("meets", "gathers")
    edited[200] = edited[200] + " Extra sentence here."
    del edited[300]
    changes = diff.diff_text("\n".join(paragraphs), "\n".join(edited))
    assert _edits(changes, "delete") == ["meets", paragraphs[300]]
    assert _edits(changes, "insert") == ["gathers", "Extra sentence here."]
    assert _sides(changes) == ("\n".join(paragraphs), "\n".join(edited))


def test_very_large_changed_block_is_split_by_sentences(monkeypatch):
    monkeypatch.setattr(diff, "MAX_WORD_PAIRS", 100)
    left = " ".join(f"Sentence {i} is here." for i in range(60))
    right = left.replace("Sentence 7 is", "Sentence seven is")
    changes = diff.diff_text(left, right)
    assert _edits(changes, "delete") == ["7"]
    assert _edits(changes, "insert") == ["seven"]
    assert _sides(changes) == (left, right)


_WORDS = st.sampled_from(
    ["the", "child", "worry.", "(safety", "plan)", "\n", "\t", "a", ",", "“b”", "  ", "e.g."]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=40), st.lists(_WORDS, max_size=40))
def test_changes_always_rebuild_both_texts(a, b):
    left, right = " ".join(a), " ".join(b)
    changes = diff.diff_text(left, right)
    assert _sides(changes) == (diff.normalise(left), diff.normalise(right))
    counts = diff.change_counts(changes)
    assert counts["words_equal"] + counts["words_removed"] == diff.word_count(left)
    assert counts["words_equal"] + counts["words_added"] == diff.word_count(right)


def test_repetitive_input_is_shown_as_replaced_rather_than_stalling():
    # difflib with autojunk=False needs minutes on this; the guard reports it as replaced.
    left, right = "a " * 1990, "a a b " * 663
    changes = diff.diff_text(left, right)
    assert _sides(changes) == (diff.normalise(left), diff.normalise(right))
    assert diff.change_counts(changes) == {
        "words_equal": 0,
        "words_added": 1989,
        "words_removed": 1990,
    }


def test_punctuation_is_split_and_spacing_rebuilt():
    assert diff.tokens("(see page 4).") == ["(", "see", "page", "4", ")."]
    assert diff.normalise("(see  page 4) .") == "(see page 4)."
    assert diff.word_count("Hello, world (again).") == 3
