"""Pair two authorities' sections by meaning: purpose, words and position, as one assignment.

Two authorities write the same document differently: other headings ("Our worries", "What
we are worried about"), another order, sections only one has. Each possible pair is scored
0..1 from
- purpose: both sections name the same purpose of the practice thesaurus (purpose.py), or
  two purposes of one family (harm and danger statements are both worries);
- words: the TF-IDF likeness of their stemmed words, and of their headings alone (words.py);
- position: how near their places are, each as a share of its document's length;
- vectors: the cosine of the sections' IDF-weighted mean word vectors (embeddings.py), whole
  and by headings alone: general word knowledge, so words that differ but mean alike count.
A logistic model (pair_model.py) turns these, and how far each pair stands out in its row,
its column and among its neighbours, into how likely the pair is to be one a practitioner
would make, reading each pair twice: the second time beside how likely the first reading
found its neighbours. Then every pair is chosen at once, as the assignment of left to right sections
that gives the largest total likelihood above the model's cut (the Hungarian method, scipy's
linear_sum_assignment), so one strong pair is never lost to a greedy earlier one. A section
with no pair above the cut is left on its own side.

Pairs a person fixes (``fixed``: left index -> right index, or None to leave it unpaired)
are kept as they are; the rest are solved around them. Documents too long to score every
pair (MAX_PAIRS, MAX_SECTIONS) pair the rest by heading and content, as versions do.
"""

import logging
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from . import embeddings
from .align import Pair, align_sections, reading_order
from .pair_model import model, probability
from .purpose import SectionPurpose, family, labels, section_purpose
from .words import likeness, plain_words, stem

log = logging.getLogger(__name__)

WEIGHTS = {"purpose": 0.45, "words": 0.30, "heading": 0.10, "position": 0.15}
FAMILY = 0.5  # purpose score of two purposes of one family (worries.harm, worries.danger)
SIMILAR_WORDS = 0.2  # words likeness from which "similar words" is a reason
SIMILAR_HEADINGS = 0.5  # heading likeness from which "similar words" is a reason
NEAR = 0.9  # position likeness from which "position" is a reason
MAX_PAIRS = 160_000  # above this many possible pairs (400 x 400), sections pair by heading
MAX_SECTIONS = 1_000  # and above this many sections on one side


@dataclass(frozen=True)
class Scores:
    """Every left section against every right section: each signal and their weighted sum."""

    left: list[SectionPurpose]
    right: list[SectionPurpose]
    heads: tuple[list[list[str]], list[list[str]]]  # each side's headings' stems
    texts: tuple[list[list[str]], list[list[str]]]  # each side's texts' stems
    purpose: np.ndarray
    words: np.ndarray
    heading: np.ndarray
    position: np.ndarray
    vectors: np.ndarray  # word vectors' likeness of the whole sections
    vectors_heading: np.ndarray  # and of their headings alone

    @property
    def total(self) -> np.ndarray:
        """Return the weighted score of every pair (0..1)."""
        return (
            WEIGHTS["purpose"] * self.purpose
            + WEIGHTS["words"] * self.words
            + WEIGHTS["heading"] * self.heading
            + WEIGHTS["position"] * self.position
        )


def _places(count: int) -> np.ndarray:
    return np.arange(count) / (count - 1) if count > 1 else np.zeros(count)


def _purpose_matrix(left: list[SectionPurpose], right: list[SectionPurpose]) -> np.ndarray:
    slugs_l = np.array([p.slug or "" for p in left], dtype=object)[:, None]
    slugs_r = np.array([p.slug or "" for p in right], dtype=object)[None, :]
    families_l = np.array([family(p.slug) or "" for p in left], dtype=object)[:, None]
    families_r = np.array([family(p.slug) or "" for p in right], dtype=object)[None, :]
    named = (slugs_l != "") & (slugs_r != "")
    same = named & (slugs_l == slugs_r)
    kin = named & ~same & (families_l == families_r)
    sure = np.minimum(
        np.array([p.confidence for p in left])[:, None],
        np.array([p.confidence for p in right])[None, :],
    )
    return sure * (same + FAMILY * kin)


def _stemmed(bags: list[list[str]]) -> list[list[str]]:
    return [[stem(w) for w in bag] for bag in bags]


def scores(left: list[dict], right: list[dict]) -> Scores:
    """Return the purpose, words, heading, position and vectors scores of every pair."""
    words_l = [plain_words(s.get("heading")) for s in left]
    words_r = [plain_words(s.get("heading")) for s in right]
    all_l = [h + plain_words(s.get("text")) for h, s in zip(words_l, left, strict=True)]
    all_r = [h + plain_words(s.get("text")) for h, s in zip(words_r, right, strict=True)]
    heads_l, heads_r = _stemmed(words_l), _stemmed(words_r)
    texts_l = _stemmed([ws[len(h) :] for ws, h in zip(all_l, words_l, strict=True)])
    texts_r = _stemmed([ws[len(h) :] for ws, h in zip(all_r, words_r, strict=True)])
    bags_l = [h + t for h, t in zip(heads_l, texts_l, strict=True)]
    bags_r = [h + t for h, t in zip(heads_r, texts_r, strict=True)]
    purposes_l = [section_purpose(s, i) for i, s in enumerate(left)]
    purposes_r = [section_purpose(s, j) for j, s in enumerate(right)]
    words, heading = likeness(bags_l, bags_r), likeness(heads_l, heads_r)
    return Scores(
        purposes_l,
        purposes_r,
        (heads_l, heads_r),
        (texts_l, texts_r),
        _purpose_matrix(purposes_l, purposes_r),
        words,
        heading,
        1.0 - np.abs(_places(len(left))[:, None] - _places(len(right))[None, :]),
        embeddings.likeness(all_l, all_r, fallback=words),
        embeddings.likeness(words_l, words_r, fallback=heading),
    )


def assign(
    likely: np.ndarray, fixed: dict[int, int | None], cut: float | None = None
) -> dict[int, int]:
    """Return the fixed pairs plus the best assignment of the other sections above the cut
    (the model's, unless given)."""
    cut = model()["cut"] if cut is None else cut
    pairs = {i: j for i, j in fixed.items() if j is not None}
    rows = [i for i in range(likely.shape[0]) if i not in fixed]
    taken = set(pairs.values())
    cols = [j for j in range(likely.shape[1]) if j not in taken]
    if not rows or not cols:
        return pairs
    # Gains under the cut count as 0, the same as leaving both sections unpaired, so the
    # best full assignment of the rectangle, less its zero-gain pairs, is the best partial one.
    gain = np.maximum(likely[np.ix_(rows, cols)] - cut, 0.0)
    for r, c in zip(*linear_sum_assignment(gain, maximize=True), strict=True):
        if gain[r, c] > 0:
            pairs[rows[r]] = cols[c]
    return pairs


def _shared_purpose(a: SectionPurpose, b: SectionPurpose | None) -> str | None:
    """Return the purpose a pair shares (a family's own slug for two of one family)."""
    if b is None:
        return a.slug
    if a.slug and a.slug == b.slug:
        return a.slug
    if a.slug and b.slug:
        return family(a.slug) if family(a.slug) == family(b.slug) else None
    return a.slug or b.slug


def reasons(found: Scores, i: int, j: int) -> tuple[str, ...]:
    """Return why left section i and right section j pair: purpose, words, position."""
    why = []
    if found.purpose[i, j] > 0:
        shared = _shared_purpose(found.left[i], found.right[j])
        why.append(f"same purpose: {labels().get(shared, shared)}")
    if found.words[i, j] >= SIMILAR_WORDS or found.heading[i, j] >= SIMILAR_HEADINGS:
        why.append("similar words")
    if found.position[i, j] >= NEAR:
        why.append("position")
    return tuple(why)


def align_by_meaning(
    left: list[dict], right: list[dict], fixed: dict[int, int | None] | None = None
) -> list[Pair]:
    """Return rows pairing two authorities' sections by meaning, in reading order.

    ``fixed`` maps 0-based left indexes to the right index they must pair with, or to None to
    stay unpaired; the caller has checked the indexes exist and no right index repeats.
    """
    fixed = dict(fixed or {})
    if len(left) * len(right) > MAX_PAIRS or max(len(left), len(right)) > MAX_SECTIONS:
        log.info("alignment: %d x %d sections paired by heading", len(left), len(right))
        return _by_heading(left, right, fixed)
    found = scores(left, right)
    total = found.total
    pairs = assign(probability(found), fixed)
    rows = reading_order(pairs, len(left), len(right))
    for row in rows:
        if row.left is not None and row.right is not None:
            row.score = round(float(total[row.left, row.right]), 4)
            row.why = reasons(found, row.left, row.right)
            row.purpose = _shared_purpose(found.left[row.left], found.right[row.right])
        else:
            row.score = 0.0
            side = found.left[row.left] if row.left is not None else found.right[row.right]
            row.purpose = side.slug
        row.fixed = row.left in fixed
    return rows


def _by_heading(left: list[dict], right: list[dict], fixed: dict[int, int | None]) -> list[Pair]:
    """Return rows for documents too long to score every pair: fixed pairs, then by heading."""
    pairs = {i: j for i, j in fixed.items() if j is not None}
    rest_l = [i for i in range(len(left)) if i not in fixed]
    rest_r = [j for j in range(len(right)) if j not in set(pairs.values())]
    scores_of = {}
    for row in align_sections([left[i] for i in rest_l], [right[j] for j in rest_r]):
        if row.left is not None and row.right is not None:
            pairs[rest_l[row.left]] = rest_r[row.right]
            scores_of[rest_l[row.left]] = row.score
    rows = reading_order(pairs, len(left), len(right))
    for row in rows:
        paired = row.left is not None and row.right is not None
        row.score = round(min(scores_of.get(row.left, 0.0), 1.0), 4) if paired else 0.0
        row.why = ("similar words",) if row.left in scores_of else ()
        row.fixed = row.left in fixed
    return rows
