"""Words for comparing by meaning: stems, and TF-IDF likeness of sections.

Stems are Porter's (the implementation whoosh, already a dependency, ships), so "worries",
"worried" and "worry" are one word. Likeness is the cosine of sublinear TF-IDF vectors, the
inverse document frequency taken over the sections of both documents: words every section
uses ("child", "family") count for little, the words of one topic for much. The matrices are
sparse, so memory grows with the words there are, not sections times vocabulary.
"""

import logging
import re
from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix, diags
from whoosh.lang.porter import stem as porter_stem

from .. import thesaurus

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W_]+")
# Only words that never name what a section is for; question words and "your" stay.
STOPWORDS = frozenset(
    "a an the of and or to in on for with by at from as is are be been being this that these "
    "those it its our we you they i he she his her their them us will can s".split()
)
MAX_WORD = 40  # longer runs of letters are not words a heading or a policy uses


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Return the Porter stem of a lower-case word."""
    return porter_stem(word) if len(word) <= MAX_WORD else word[:MAX_WORD]


def plain_words(text: str | None) -> list[str]:
    """Return a text's lower-cased words, in order, without stopwords."""
    return [w for w in _WORD.findall((text or "").lower()) if w not in STOPWORDS]


def stems(text: str | None) -> list[str]:
    """Return the stems of a text's words, in order, without stopwords."""
    return [stem(w) for w in plain_words(text)]


@lru_cache(maxsize=1)
def _everyday() -> dict[str, str]:
    """Return {stem: its group's name} for the practice thesaurus's everyday words."""
    groups = {}
    for number, group in enumerate(thesaurus.everyday_groups()):
        for word in group:
            groups.setdefault(stem(word.lower()), f"~{number}")
    return groups


def everyday(bags: list[list[str]]) -> list[list[str]]:
    """Return bags of stems with everyday words of one meaning made one ("agree" and
    "commitment" alike), so two sections' words are alike when they mean the same."""
    groups = _everyday()
    return [[groups.get(s, s) for s in bag] for bag in bags]


def tfidf_rows(bags: list[list[str]]) -> csr_matrix:
    """Return one L2-normalised TF-IDF row per bag of stems (sublinear tf, smoothed idf)."""
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for r, bag in enumerate(bags):
        for word in bag:
            rows.append(r)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
    shape = (len(bags), max(len(vocabulary), 1))
    matrix = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)  # sums repeats
    matrix.data = np.log1p(matrix.data)
    present = np.bincount(matrix.indices, minlength=shape[1])
    matrix = csr_matrix(matrix.multiply(np.log((1 + len(bags)) / (1 + present)) + 1.0))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return csr_matrix(diags(scale) @ matrix)


def likeness(left_bags: list[list[str]], right_bags: list[list[str]]) -> np.ndarray:
    """Return the TF-IDF cosine of every left bag with every right bag (len(left) x len(right))."""
    if not left_bags or not right_bags:
        return np.zeros((len(left_bags), len(right_bags)))
    rows = tfidf_rows(left_bags + right_bags)
    products = (rows[: len(left_bags)] @ rows[len(left_bags) :].T).toarray()
    return np.clip(products, 0.0, 1.0)
