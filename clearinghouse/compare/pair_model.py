"""How likely two sections are to be a pair: a logistic model over what alignment can measure.

Hand-set weights learnt the documents they were tuned on: each fresh set of documents
scored lower. So the signals of align_meaning (purpose, words, heading, position) are joined
by relative ones a practitioner also uses, and their weights are fitted (logistic
regression) on the tuning half of tests/compare/alignment_set by
benchmarks/alignment_fit.py, which writes pair_model.json:
- how far a pair stands out in its row and its column (its margin over the next best), and
  whether each is the other's best: a form where every section shares the words "family
  time" still has one section that fits each other best;
- the words likeness as a share of the best in its row and column;
- how well the sections before both, and after both, pair (authorities reorder some
  sections but keep most runs together);
- one document's heading against the other's text;
- a clash: both sections name a purpose, and not the same one;
- the words again, with everyday words of one meaning made one (the thesaurus's "everyday"
  groups: "What you agree to do" and "Your commitments"), whole and in the headings alone,
  and as a share of the best in the row and column;
- the word vectors' likeness (general word knowledge, embeddings.py), whole and in the
  headings alone, each also as a share of the best in the row and column.
Then a second reading (CONTEXT): the model reads each pair again beside how likely the first
reading found it and the pairs just before and after it. The first reading's context is only
the plain scores of the neighbours; a pair whose neighbours are likely pairs is likelier
itself, one whose neighbours are unlikely less so (a run of sections an authority kept
together pairs as a run, even where one of them is worded otherwise).
"""

import json
from functools import cache
from pathlib import Path

import numpy as np

from .words import everyday, likeness

MODEL_PATH = Path(__file__).with_name("pair_model.json")
FEATURES = (
    "purpose",
    "words",
    "heading",
    "position",
    "row_margin",
    "column_margin",
    "mutual_best",
    "before",
    "after",
    "context",
    "words_of_row_best",
    "words_of_column_best",
    "heading_to_text",
    "purpose_clash",
    "total",
    "everyday_words",
    "everyday_heading",
    "everyday_of_row_best",
    "everyday_of_column_best",
    "vectors",
    "vectors_of_row_best",
    "vectors_of_column_best",
    "vectors_heading",
    "vectors_heading_of_row_best",
    "vectors_heading_of_column_best",
)
CONTEXT = ("first_log_odds", "first_before", "first_after")  # added for the second reading


def _margin(total: np.ndarray, axis: int) -> np.ndarray:
    """Return each score less the best other score in its row (axis 1) or column (axis 0)."""
    if total.shape[axis] < 2:
        return total.copy()
    ordered = np.sort(total, axis=axis)
    first = np.take(ordered, [-1], axis=axis)
    second = np.take(ordered, [-2], axis=axis)
    other = np.where(total >= first, second, first)  # the best is measured against the next
    return total - other


def _neighbours(total: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the score of the pair before and after each pair (documents' ends meet: 1)."""
    n, m = total.shape
    padded = np.zeros((n + 2, m + 2))
    padded[1:-1, 1:-1] = total
    padded[0, 0] = padded[-1, -1] = 1.0
    return padded[:-2, :-2], padded[2:, 2:]


def _share_of_best(values: np.ndarray, axis: int) -> np.ndarray:
    best = values.max(axis=axis, keepdims=True)
    return np.divide(values, best, out=np.zeros_like(values), where=best > 0)


def features(found) -> np.ndarray:
    """Return every pair's features (left sections x right sections x len(FEATURES)) from the
    alignment's scores (align_meaning.Scores)."""
    total = found.total
    row_margin, column_margin = _margin(total, 1), _margin(total, 0)
    before, after = _neighbours(total)
    heads_l, heads_r = found.heads
    texts_l, texts_r = found.texts
    everyday_heads_l, everyday_heads_r = everyday(heads_l), everyday(heads_r)
    everyday_likeness = likeness(
        [h + t for h, t in zip(everyday_heads_l, everyday(texts_l), strict=True)],
        [h + t for h, t in zip(everyday_heads_r, everyday(texts_r), strict=True)],
    )
    named_l = np.array([bool(p.slug) for p in found.left])[:, None]
    named_r = np.array([bool(p.slug) for p in found.right])[None, :]
    columns = (
        found.purpose,
        found.words,
        found.heading,
        found.position,
        row_margin,
        column_margin,
        np.minimum(row_margin, column_margin) > 0,
        before,
        after,
        np.minimum(before, after),
        _share_of_best(found.words, 1),
        _share_of_best(found.words, 0),
        np.maximum(likeness(heads_l, texts_r), likeness(texts_l, heads_r)),
        named_l & named_r & (found.purpose == 0),
        total,
        everyday_likeness,
        likeness(everyday_heads_l, everyday_heads_r),
        _share_of_best(everyday_likeness, 1),
        _share_of_best(everyday_likeness, 0),
        found.vectors,
        _share_of_best(found.vectors, 1),
        _share_of_best(found.vectors, 0),
        found.vectors_heading,
        _share_of_best(found.vectors_heading, 1),
        _share_of_best(found.vectors_heading, 0),
    )
    return np.stack([np.asarray(c, dtype=float) for c in columns], axis=-1)


def with_context(feats: np.ndarray, weights: np.ndarray, bias: float) -> np.ndarray:
    """Return the features joined by the first reading's log-odds of each pair (weights, bias)
    and the likelihood it gives the pairs before and after it (CONTEXT)."""
    log_odds = feats @ weights + bias
    before, after = _neighbours(1.0 / (1.0 + np.exp(-log_odds)))
    return np.concatenate([feats, np.stack([log_odds, before, after], axis=-1)], axis=-1)


@cache
def model() -> dict:
    """Return the fitted model: both readings' weights and biases, and the probability a pair
    needs."""
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES or tuple(data["context"]) != CONTEXT:
        raise ValueError(f"{MODEL_PATH.name} was fitted on other features; refit it")
    return data


def probability(found) -> np.ndarray:
    """Return how likely each pair of sections is to be a pair a practitioner would make."""
    if found.total.size == 0:
        return np.zeros(found.total.shape)
    fitted = model()
    second = with_context(features(found), np.array(fitted["weights"]), fitted["bias"])
    logit = second @ np.array(fitted["context_weights"]) + fitted["context_bias"]
    return 1.0 / (1.0 + np.exp(-logit))
