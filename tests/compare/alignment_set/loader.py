"""Load the labelled alignment set and score an alignment against it.

Each case is a folder holding left.md, right.md and pairs.json (see README.md). Sections are
made the way uploads make them (documents.extract), so the set sees what the service sees.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clearinghouse.documents.extract import blocks_to_sections, markdown_blocks

HERE = Path(__file__).resolve().parent
HALVES = ("tuning", "heldout")


@dataclass(frozen=True)
class Case:
    """Two documents from different authorities and their correct pairing (0-based indexes)."""

    name: str
    kind: str
    left: list[dict]
    right: list[dict]
    gold: frozenset[tuple[int, int]]


def _sections(path: Path) -> list[dict]:
    return blocks_to_sections(markdown_blocks(path.read_text(encoding="utf-8")))


def _index(sections: list[dict], heading: str, where: str) -> int:
    found = [i for i, s in enumerate(sections) if (s["heading"] or "") == heading]
    if len(found) != 1:
        raise ValueError(f"{where}: heading {heading!r} found {len(found)} times")
    return found[0]


def load_case(folder: Path) -> Case:
    """Return one case, checking that every heading in its pairs exists exactly once."""
    meta = json.loads((folder / "pairs.json").read_text(encoding="utf-8"))
    left, right = _sections(folder / "left.md"), _sections(folder / "right.md")
    gold = {
        (_index(left, lh, f"{folder.name}/left"), _index(right, rh, f"{folder.name}/right"))
        for lh, rh in meta["pairs"]
    }
    if len({i for i, _ in gold}) != len(gold) or len({j for _, j in gold}) != len(gold):
        raise ValueError(f"{folder.name}: a section is paired twice")
    return Case(folder.name, meta["kind"], left, right, frozenset(gold))


def load_half(half: str) -> list[Case]:
    """Return the cases of one half of the set ("tuning" or "heldout"), in name order; none
    while the half is empty (a fresh held-out half not yet copied in)."""
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}")
    folder = HERE / half
    if not folder.is_dir():
        return []
    return [load_case(case) for case in sorted(folder.iterdir()) if case.is_dir()]


Aligner = Callable[[list[dict], list[dict]], set[tuple[int, int]]]


def measure(cases: list[Case], align: Aligner) -> dict:
    """Return micro-averaged precision and recall of align's pairs, and each case's misses."""
    found = wrong = missed = 0
    errors = {}
    for case in cases:
        predicted = set(align(case.left, case.right))
        found += len(predicted & case.gold)
        wrong += len(predicted - case.gold)
        missed += len(case.gold - predicted)
        if predicted != case.gold:
            errors[case.name] = {
                "wrong": sorted(predicted - case.gold),
                "missed": sorted(case.gold - predicted),
            }
    return {
        "precision": found / (found + wrong) if found + wrong else 1.0,
        "recall": found / (found + missed) if found + missed else 1.0,
        "pairs": found + missed,
        "errors": errors,
    }
