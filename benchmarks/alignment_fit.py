"""Fit the pairing model of compare (clearinghouse/compare/pair_model.json) on the tuning half.

Reads only tests/compare/alignment_set/tuning: every possible pair of sections of each case
is an example, a pair in its pairs.json a positive one. Fits an L2-regularised logistic
regression (scipy's L-BFGS, deterministic) for the first reading, then one for the second
reading over the same features and the first reading's likelihood of each pair and its
neighbours (pair_model.CONTEXT), and writes both. With --check, writes nothing and exits 1 if
the committed model is not what the tuning half gives, so nobody can fit it on the held-out
half unseen. With --cv, writes nothing and prints how a model fitted on all but one block of
the tuning half scores that block, for each block (BLOCKS), and their mean: how every change
to the alignment or the model is chosen.

Run: .venv/bin/python benchmarks/alignment_fit.py [--check | --cv]
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "compare"))

from alignment_set.loader import load_half  # noqa: E402

from clearinghouse.compare.align_meaning import assign, scores  # noqa: E402
from clearinghouse.compare.pair_model import (  # noqa: E402
    CONTEXT,
    FEATURES,
    MODEL_PATH,
    features,
    with_context,
)

L2 = 0.3  # chosen by fitting on all but one block of the tuning half and scoring that block
CUT = 0.25  # the likelihood a pair needs; below it both sections stay unpaired
# The tuning half's blocks, in the order they were written and scored (README.md's history).
BLOCKS = ((1, 21), (22, 28), (29, 36), (37, 44), (45, 54), (55, 64), (65, 74), (75, 84), (85, 94))


def case_examples() -> list[tuple[str, np.ndarray, np.ndarray, frozenset]]:
    """Return each tuning case's name, pairs' features, whether each is a pair, and its pairs."""
    found = []
    for case in load_half("tuning"):
        feats = features(scores(case.left, case.right))
        gold = np.zeros(feats.shape[:2])
        for i, j in case.gold:
            gold[i, j] = 1.0
        found.append((case.name, feats, gold, case.gold))
    return found


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """Return the logistic regression's weights, the bias last."""
    with_bias = np.hstack([x, np.ones((len(x), 1))])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        p = 1.0 / (1.0 + np.exp(-(with_bias @ w)))
        value = -np.sum(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
        gradient = with_bias.T @ (p - y)
        gradient[:-1] += 2 * l2 * w[:-1]
        return value + l2 * float(np.sum(w[:-1] ** 2)), gradient

    return minimize(loss, np.zeros(with_bias.shape[1]), jac=True, method="L-BFGS-B").x


def _rows(matrices: list[np.ndarray]) -> np.ndarray:
    return np.vstack([m.reshape(-1, m.shape[-1]) for m in matrices])


def fit_both(cases: list, l2: float = L2) -> tuple[np.ndarray, np.ndarray]:
    """Return the first and the second reading's weights (each with its bias last)."""
    y = np.concatenate([gold.ravel() for _, _, gold, _ in cases])
    first = fit(_rows([feats for _, feats, _, _ in cases]), y, l2)
    second = [with_context(feats, first[:-1], first[-1]) for _, feats, _, _ in cases]
    return first, fit(_rows(second), y, l2)


def likelihood(feats: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Return each pair's likelihood under both readings, as pair_model.probability gives it."""
    log_odds = with_context(feats, first[:-1], first[-1]) @ second[:-1] + second[-1]
    return 1.0 / (1.0 + np.exp(-log_odds))


def fitted_model() -> dict:
    """Return the model the tuning half gives, as pair_model.json holds it."""
    cases = case_examples()
    first, second = fit_both(cases)
    return {
        "features": list(FEATURES),
        "weights": [round(float(v), 6) for v in first[:-1]],
        "bias": round(float(first[-1]), 6),
        "context": list(CONTEXT),
        "context_weights": [round(float(v), 6) for v in second[:-1]],
        "context_bias": round(float(second[-1]), 6),
        "cut": CUT,
        "l2": L2,
        "fitted_on": [name for name, _, _, _ in cases],
    }


WEIGHTS = ("weights", "bias", "context_weights", "context_bias")


def differs(a: dict, b: dict) -> bool:
    """Return whether two models differ by more than rounding."""
    if {k: v for k, v in a.items() if k not in WEIGHTS} != {
        k: v for k, v in b.items() if k not in WEIGHTS
    }:
        return True

    def flat(m: dict) -> list[float]:
        return m["weights"] + [m["bias"]] + m["context_weights"] + [m["context_bias"]]

    return len(flat(a)) != len(flat(b)) or not np.allclose(flat(a), flat(b), atol=1e-3)


def block_of(name: str) -> int:
    """Return the index in BLOCKS of the block a case's number falls in."""
    number = int(name.split("-", 1)[0])
    return next(b for b, (first, last) in enumerate(BLOCKS) if first <= number <= last)


def cross_validate(cases: list, l2: float = L2, cut: float = CUT) -> list[tuple[float, float]]:
    """Return each block's (precision, recall), fitted on the other blocks of the tuning half."""
    figures = []
    for block in range(len(BLOCKS)):
        first, second = fit_both([c for c in cases if block_of(c[0]) != block], l2)
        found = wrong = missed = 0
        for name, feats, _, gold in cases:
            if block_of(name) == block:
                made = set(assign(likelihood(feats, first, second), {}, cut).items())
                found += len(made & gold)
                wrong += len(made - gold)
                missed += len(gold - made)
        figures.append((found / max(found + wrong, 1), found / max(found + missed, 1)))
    return figures


def print_cv(figures: list[tuple[float, float]]) -> None:
    """Print each block's precision and recall and their mean."""
    for (first, last), (precision, recall) in zip(BLOCKS, figures, strict=True):
        print(f"  {first:02d}-{last:02d}  precision {precision:.3f}  recall {recall:.3f}")
    mean = np.mean(figures, axis=0)
    print(f"  mean   precision {mean[0]:.3f}  recall {mean[1]:.3f}")


def main() -> int:
    """Fit and write the model, check the committed one, or cross-validate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    parser.add_argument("--cv", action="store_true", help="leave each block out, write nothing")
    args = parser.parse_args()
    if args.cv:
        print_cv(cross_validate(case_examples()))
        return 0
    model = fitted_model()
    if args.check:
        committed = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        if differs(model, committed):
            print(f"{MODEL_PATH.name} is not what the tuning half gives: run without --check")
            return 1
        print(f"{MODEL_PATH.name} is what the tuning half gives")
        return 0
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    for name, weight in zip(FEATURES + CONTEXT, model["context_weights"], strict=True):
        print(f"  {name:24s} {weight:+.3f}")
    print(f"  {'bias':24s} {model['context_bias']:+.3f}   cut {CUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
