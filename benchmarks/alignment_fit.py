"""Fit the pairing model of compare (clearinghouse/compare/pair_model.json) on the tuning half.

Reads only tests/compare/alignment_set/tuning: every possible pair of sections of each case
is an example, a pair in its pairs.json a positive one. Fits an L2-regularised logistic
regression (scipy's L-BFGS, deterministic) and writes the weights. With --check, writes
nothing and exits 1 if the committed model is not what the tuning half gives, so nobody can
fit it on the held-out half unseen.

Run: .venv/bin/python benchmarks/alignment_fit.py [--check]
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

from clearinghouse.compare.align_meaning import scores  # noqa: E402
from clearinghouse.compare.pair_model import FEATURES, MODEL_PATH, features  # noqa: E402

L2 = 0.3  # chosen by fitting on all but one block of the tuning half and scoring that block
CUT = 0.25  # the likelihood a pair needs; below it both sections stay unpaired


def examples() -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Return every pair's features and whether it is a pair, over the tuning half."""
    rows, labels, names = [], [], []
    for case in load_half("tuning"):
        found = features(scores(case.left, case.right))
        gold = np.zeros(found.shape[:2])
        for i, j in case.gold:
            gold[i, j] = 1.0
        rows.append(found.reshape(-1, len(FEATURES)))
        labels.append(gold.ravel())
        names.append(case.name)
    return np.vstack(rows), np.concatenate(labels), names


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return the logistic regression's weights, the bias last."""
    with_bias = np.hstack([x, np.ones((len(x), 1))])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        p = 1.0 / (1.0 + np.exp(-(with_bias @ w)))
        value = -np.sum(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
        gradient = with_bias.T @ (p - y)
        gradient[:-1] += 2 * L2 * w[:-1]
        return value + L2 * float(np.sum(w[:-1] ** 2)), gradient

    return minimize(loss, np.zeros(with_bias.shape[1]), jac=True, method="L-BFGS-B").x


def fitted_model() -> dict:
    """Return the model the tuning half gives, as pair_model.json holds it."""
    x, y, names = examples()
    w = fit(x, y)
    return {
        "features": list(FEATURES),
        "weights": [round(float(v), 6) for v in w[:-1]],
        "bias": round(float(w[-1]), 6),
        "cut": CUT,
        "l2": L2,
        "fitted_on": names,
    }


def differs(a: dict, b: dict) -> bool:
    """Return whether two models differ by more than rounding."""
    if {k: v for k, v in a.items() if k not in ("weights", "bias")} != {
        k: v for k, v in b.items() if k not in ("weights", "bias")
    }:
        return True
    return not np.allclose(a["weights"] + [a["bias"]], b["weights"] + [b["bias"]], atol=1e-3)


def main() -> int:
    """Fit and write the model, or check the committed one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args()
    model = fitted_model()
    if args.check:
        committed = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        if differs(model, committed):
            print(f"{MODEL_PATH.name} is not what the tuning half gives: run without --check")
            return 1
        print(f"{MODEL_PATH.name} is what the tuning half gives")
        return 0
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    for name, weight in zip(FEATURES, model["weights"], strict=True):
        print(f"  {name:22s} {weight:+.3f}")
    print(f"  {'bias':22s} {model['bias']:+.3f}   cut {CUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
