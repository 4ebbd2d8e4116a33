"""How well compare pairs two authorities' sections: the labelled alignment set, both halves.

For each half of tests/compare/alignment_set (tuning, then held-out), prints the precision and
recall of the pairs made by alignment by meaning (purpose, words and position as one
assignment), beside the alignment by heading and content that compare used before, and the
pairs each got wrong or missed (with --errors). Target: 0.9 or more each on the held-out half.

Run: .venv/bin/python benchmarks/alignment_quality.py [--half tuning|heldout] [--errors]
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "compare"))

from alignment_set.loader import HALVES, load_half, measure  # noqa: E402

from clearinghouse.compare.align import align_sections  # noqa: E402
from clearinghouse.compare.align_meaning import align_by_meaning  # noqa: E402


def pairs_by_meaning(left: list[dict], right: list[dict]) -> set[tuple[int, int]]:
    """Return the pairs alignment by meaning makes."""
    rows = align_by_meaning(left, right)
    return {(r.left, r.right) for r in rows if r.left is not None and r.right is not None}


def pairs_by_heading(left: list[dict], right: list[dict]) -> set[tuple[int, int]]:
    """Return the pairs the earlier alignment by heading and content makes."""
    rows = align_sections(left, right)
    return {(r.left, r.right) for r in rows if r.left is not None and r.right is not None}


def _show_errors(cases, errors: dict) -> None:
    by_name = {case.name: case for case in cases}
    for name, error in errors.items():
        case = by_name[name]
        for kind in ("wrong", "missed"):
            for i, j in error[kind]:
                left, right = case.left[i]["heading"], case.right[j]["heading"]
                print(f"      {name}: {kind} {i + 1}:{j + 1}  {left!r} ~ {right!r}")


def main() -> None:
    """Print precision and recall for each half, by meaning and by heading."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=HALVES, action="append")
    parser.add_argument("--errors", action="store_true", help="list each wrong or missed pair")
    args = parser.parse_args()
    for half in args.half or HALVES:
        cases = load_half(half)
        print(f"{half}: {len(cases)} document pairs")
        if not cases:
            continue
        for name, align in (("by meaning", pairs_by_meaning), ("before", pairs_by_heading)):
            result = measure(cases, align)
            print(
                f"  {name:11s} precision {result['precision']:.3f}  recall {result['recall']:.3f}"
                f"  ({result['pairs']} pairs in the set)"
            )
            if args.errors and name == "by meaning":
                _show_errors(cases, result["errors"])
    print("Target: precision and recall of 0.9 or more each on the held-out half")


if __name__ == "__main__":
    main()
