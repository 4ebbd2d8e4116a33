"""Word vectors for pairing by meaning: shipped with the package, and alike where meaning is."""

import logging
import tomllib
from pathlib import Path

import numpy as np
import pytest

from clearinghouse.compare import embeddings
from clearinghouse.compare.align_meaning import align_by_meaning
from clearinghouse.compare.words import plain_words

SECTIONS = [
    ("What we are worried about", "Drinking and shouting when the children are at home."),
    ("What needs to happen", "No drinking when caring for the children."),
    ("Getting legal advice", "A solicitor's advice is free for you."),
]


def _likeness(left: list[str], right: list[str], fallback: float = -1.0) -> np.ndarray:
    return embeddings.likeness(
        [plain_words(t) for t in left],
        [plain_words(t) for t in right],
        fallback=np.full((len(left), len(right)), fallback),
    )


@pytest.fixture
def vector_folder(tmp_path, monkeypatch):
    """Point compare at another folder of vectors, and forget the table read before."""
    monkeypatch.setattr(embeddings, "FOLDER", tmp_path)
    monkeypatch.setattr(embeddings, "_loaded", [])
    return tmp_path


def test_the_vectors_are_package_data_one_row_a_word():
    root = Path(__file__).resolve().parents[2]
    settings = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert "compare/vectors/*" in settings["tool"]["setuptools"]["package-data"]["clearinghouse"]
    assert (embeddings.FOLDER / "LICENSE.md").read_text().count("PDDL") >= 1
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


def test_likeness_is_a_cosine_from_0_to_1_or_the_fallback_without_a_known_word():
    found = _likeness(["Schooling", "", "Genogram"], ["Education", "Next steps", "zqxwv"])
    assert found.shape == (3, 3)
    assert np.all((found[0, :2] >= 0) & (found[0, :2] <= 1))
    assert found[0, 0] > found[0, 1]
    # No word the table knows on either side: the caller's fallback, not a guess.
    assert np.all(found[1:, :] == -1.0) and np.all(found[:, 2] == -1.0)
    assert _likeness([], ["Our worries"]).shape == (0, 1)
    assert np.isclose(_likeness(["Our worries"], ["Our worries"])[0, 0], 1.0)


def test_sections_of_words_the_vectors_lack_pair_by_their_words():
    """Found in review: "Genogram" is not among the 50,000 words, and paired with nothing."""
    left = [{"heading": h, "text": t} for h, t in SECTIONS] + [
        {"heading": "Genogram", "text": ""},
        {"heading": "Ecomap", "text": "Ecomap"},
    ]
    right = [{"heading": h, "text": t} for h, t in SECTIONS] + [
        {"heading": "Ecomap and genogram", "text": ""},
        {"heading": "Genogram", "text": ""},
    ]
    pairs = {(r.left, r.right) for r in align_by_meaning(left, right)}
    assert {(3, 4), (4, 3)} <= pairs


@pytest.mark.parametrize("broken", ["missing", "words and rows differ", "not an array"])
def test_without_readable_vectors_compare_pairs_by_words_and_logs_why(
    vector_folder, broken, caplog
):
    """An install that lost or damaged the package data pairs less well, but still pairs."""
    if broken == "words and rows differ":
        np.save(vector_folder / "vectors.npy", np.zeros((3, 100), dtype=np.int8))
        (vector_folder / "words.txt").write_text("one\ntwo\n", encoding="utf-8")
    elif broken == "not an array":
        (vector_folder / "vectors.npy").write_bytes(b"not numpy")
        (vector_folder / "words.txt").write_text("one\n", encoding="utf-8")
    left = [{"heading": h, "text": t} for h, t in SECTIONS]
    right = [{"heading": h, "text": t} for h, t in reversed(SECTIONS)]
    with caplog.at_level(logging.ERROR, logger="clearinghouse.compare.embeddings"):
        rows = align_by_meaning(left, right)
    assert {(r.left, r.right) for r in rows} == {(0, 2), (1, 1), (2, 0)}
    assert "cannot read its word vectors" in caplog.text
    assert embeddings._loaded == []  # tried again by the next comparison
