"""The labelled alignment set: alignment by meaning against the pairings practitioners made.

Both halves are printed (run with -s, or benchmarks/alignment_quality.py). The held-out half
(95-104) was written unseen and scored once, with the model fitted on the tuning half alone
(alignment_set/README.md tells the history): precision 0.933 and recall 0.974, which meet
issue 15's target of 0.9 each; the floors keep what was measured from getting worse. An empty
held-out half (between rounds) makes every held-out test a strict xfail, so none can pass,
nor be skipped, on nothing.
"""

import functools
import importlib.util
import json
from pathlib import Path

import pytest
from alignment_set.loader import HERE, load_half, measure

from clearinghouse.compare.align_meaning import align_by_meaning

TARGET = 0.9
FLOORS = {"tuning": (0.92, 0.91), "heldout": (0.93, 0.97)}  # (precision, recall) measured
EMPTY = not load_half("heldout")
awaits_fresh_half = pytest.mark.xfail(
    EMPTY, strict=True, reason="the held-out half is empty until the fresh half is copied in"
)


def _pairs(left, right):
    rows = align_by_meaning(left, right)
    return {(r.left, r.right) for r in rows if r.left is not None and r.right is not None}


@functools.cache  # three tests read each half's figures: align it once
def _measured(half: str) -> dict:
    cases = load_half(half)
    assert cases, f"the {half} half is empty"
    result = measure(cases, _pairs)
    print(
        f"\n{half}: precision {result['precision']:.3f}, recall {result['recall']:.3f} "
        f"over {result['pairs']} pairs"
    )
    return result


@awaits_fresh_half
def test_the_heldout_half_is_what_the_issue_asks_for():
    assert len(load_half("heldout")) >= 6


def test_the_set_is_what_the_issue_asks_for():
    cases = {half: load_half(half) for half in ("tuning", "heldout")}
    assert sum(len(c) for c in cases.values()) >= 12
    authorities = []
    for half in cases:
        for case in cases[half]:
            meta = json.loads((HERE / half / case.name / "pairs.json").read_text())
            assert meta["left"]["authority"] != meta["right"]["authority"], case.name
            authorities += [meta["left"]["authority"], meta["right"]["authority"]]
            # Sections only one document has, on one side or the other.
            assert len(case.left) + len(case.right) > 2 * len(case.gold), case.name
            # Not one pair of identical headings after another: wording differs. Two untitled
            # openings have no heading to differ by.
            same = sum(
                bool(case.left[i]["heading"])
                and case.left[i]["heading"] == case.right[j]["heading"]
                for i, j in case.gold
            )
            assert same <= 1, case.name
    assert len(set(authorities)) >= 40


@pytest.mark.parametrize("half", ["tuning", pytest.param("heldout", marks=awaits_fresh_half)])
def test_no_worse_than_measured(half):
    result = _measured(half)
    precision, recall = FLOORS[half]
    assert result["precision"] >= precision
    assert result["recall"] >= recall


@awaits_fresh_half
def test_heldout_precision_meets_the_target():
    assert _measured("heldout")["precision"] >= TARGET


@awaits_fresh_half
def test_heldout_recall_meets_the_target():
    assert _measured("heldout")["recall"] >= TARGET


def test_the_pairing_model_is_fitted_on_the_tuning_half_alone():
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "alignment_fit.py"
    spec = importlib.util.spec_from_file_location("alignment_fit", script)
    fit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fit)
    committed = json.loads(fit.MODEL_PATH.read_text(encoding="utf-8"))
    assert committed["fitted_on"] == [case.name for case in load_half("tuning")]
    assert not fit.differs(fit.fitted_model(), committed)
