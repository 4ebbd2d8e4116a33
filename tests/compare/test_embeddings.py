"""Word vectors for pairing by meaning: shipped with the package, and alike where meaning is."""

import logging

import numpy as np

from clearinghouse.compare import embeddings
from clearinghouse.compare.align_meaning import align_by_meaning
from clearinghouse.compare.words import plain_words

SECTIONS = [
    ("What we are worried about", "Drinking and shouting when the children are at home."),
    ("What needs to happen", "No drinking when caring for the children."),
    ("Getting legal advice", "A solicitor's advice is free for you."),
]


def _likeness(left: list[str], right: list[str]) -> np.ndarray:
    return embeddings.likeness([plain_words(t) for t in left], [plain_words(t) for t in right])


def test_the_vectors_ship_with_the_package_one_row_a_word():
    index, vectors = embeddings.table()
    assert len(index) == 50_000 == vectors.shape[0]
    assert vectors.shape[1] == 100 and vectors.dtype == np.int8
    for word in ("education", "schooling", "worries", "advice", "court", "parents"):
        assert word in index, word
    assert not np.any(np.all(vectors[:1000] == 0, axis=1))  # no word lost its vector


def test_words_that_share_no_stem_but_mean_alike_are_alike():
    headings = ["Schooling", "Deadlines", "Complaints"]
    found = _likeness(headings, ["Education", "Time limits", "Making a complaint"])
    # Each heading is likest the one of like meaning, though "Schooling" and "Education"
    # share no word at all.
    assert list(found.argmax(axis=1)) == [0, 1, 2]
    assert found[0, 0] > 2 * found[0, 1]


def test_likeness_is_a_cosine_from_0_to_1_and_0_without_a_known_word():
    found = _likeness(["Schooling", "", "zqxwv"], ["Education", "Next steps"])
    assert found.shape == (3, 2)
    assert np.all((found >= 0) & (found <= 1))
    assert found[0, 0] > found[0, 1]
    assert not found[1:].any()  # nothing to compare: no likeness, not a guess
    assert _likeness([], ["Our worries"]).shape == (0, 1)
    assert np.isclose(_likeness(["Our worries"], ["Our worries"])[0, 0], 1.0)


def test_without_the_vector_files_compare_still_answers_and_logs_why(tmp_path, monkeypatch, caplog):
    """An install that lost the package data pairs less well, but never fails a comparison."""
    left = [{"heading": h, "text": t} for h, t in SECTIONS]
    right = [{"heading": h, "text": t} for h, t in reversed(SECTIONS)]
    monkeypatch.setattr(embeddings, "FOLDER", tmp_path)
    embeddings.table.cache_clear()
    try:
        with caplog.at_level(logging.ERROR, logger="clearinghouse.compare.embeddings"):
            rows = align_by_meaning(left, right)
        assert sorted(r.left for r in rows if r.left is not None) == [0, 1, 2]
        assert sorted(r.right for r in rows if r.right is not None) == [0, 1, 2]
        assert "no word vectors" in caplog.text
    finally:
        embeddings.table.cache_clear()
