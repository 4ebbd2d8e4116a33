"""Pair the sections of two documents by heading, then by content.

First pass: sections whose headings match (ignoring case, punctuation and numbering such as
"2.1" or "Section 4:") pair up in order, wherever they are, so reordered sections pair.
Second pass: the sections left over pair by content (word pairs in common), helped a little
by heading likeness, so a renamed section whose text still matches pairs up. The rest are
only on one side. Rows come back in the left document's order, with right-only sections
placed after their nearest paired predecessor.
"""

import logging
import re
from bisect import bisect_left
from dataclasses import dataclass
from difflib import SequenceMatcher

log = logging.getLogger(__name__)

_NUMBERING = re.compile(
    r"^\s*(?:(?:section|part|chapter|appendix|annex)\s+)?"
    r"(?:\d+(?:\.\d+)*\.?|[a-z][.)]|[ivx]+[.)])(?:\s*[:\-–.)])?\s+",
    re.I,
)
_WORD = re.compile(r"[^\W_]+")
CONTENT_THRESHOLD = 0.4  # word-pair likeness at which two sections count as the same topic
HEADING_HELP = 0.3  # how much heading likeness adds to content likeness
MAX_CONTENT_PAIRS = 40_000  # above this many leftover pairs, they stay unpaired


@dataclass
class Pair:
    """One row of an alignment: a left section, a right section, or both.

    Alignment by meaning (align_meaning.py) also says what the pair is for and why it paired.
    """

    left: int | None
    right: int | None
    moved: bool = False
    score: float = 1.0
    purpose: str | None = None
    why: tuple[str, ...] = ()
    fixed: bool = False


def heading_key(heading: str | None) -> str:
    """Return a heading reduced for matching: no numbering, case or punctuation."""
    if not heading:
        return ""
    text = _NUMBERING.sub("", heading, count=1)
    return " ".join(_WORD.findall(text.lower()))


def _shingles(text: str) -> frozenset:
    words = _WORD.findall((text or "").lower())
    if len(words) < 2:
        return frozenset(words)
    return frozenset(zip(words, words[1:], strict=False))


def content_likeness(a: frozenset, b: frozenset) -> float:
    """Return the share of word pairs two sections have in common (Dice, 0..1)."""
    if not a and not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def heading_likeness(a: str, b: str) -> float:
    """Return how alike two reduced headings are (0..1), or 0 when under 0.8."""
    if not a or not b:
        return 0.0
    a, b = a[:200], b[:200]
    if 2 * min(len(a), len(b)) < 0.8 * (len(a) + len(b)):
        return 0.0  # lengths alone rule it out (difflib's real_quick_ratio, without the cost)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.quick_ratio() < 0.8:
        return 0.0  # only likeness of 0.8 or more is ever used
    return matcher.ratio()


def _pair_by_heading(left: list[dict], right: list[dict]) -> dict[int, int]:
    waiting: dict[str, list[int]] = {}
    for j, section in enumerate(right):
        waiting.setdefault(heading_key(section.get("heading")), []).append(j)
    pairs = {}
    for i, section in enumerate(left):
        queue = waiting.get(heading_key(section.get("heading")))
        if queue:
            pairs[i] = queue.pop(0)
    return pairs


def _pair_by_content(left: list[dict], right: list[dict], pairs: dict[int, int]) -> dict:
    used = set(pairs.values())
    free_left = [i for i in range(len(left)) if i not in pairs]
    free_right = [j for j in range(len(right)) if j not in used]
    if not free_left or not free_right:
        return {}
    if len(free_left) * len(free_right) > MAX_CONTENT_PAIRS:
        log.info("alignment: %d x %d leftover sections left unpaired", len(left), len(right))
        return {}
    keys_l = {i: heading_key(left[i].get("heading")) for i in free_left}
    keys_r = {j: heading_key(right[j].get("heading")) for j in free_right}
    sh_l = {i: _shingles(left[i].get("text", "")) for i in free_left}
    sh_r = {j: _shingles(right[j].get("text", "")) for j in free_right}
    candidates = []
    for i in free_left:
        for j in free_right:
            content = content_likeness(sh_l[i], sh_r[j])
            if content < 0.1:
                continue
            heading = heading_likeness(keys_l[i], keys_r[j])
            if content >= CONTENT_THRESHOLD or heading >= 0.8:
                candidates.append((content + HEADING_HELP * heading, i, j, content))
    matched: dict[int, tuple[int, float]] = {}
    taken = set()
    for score, i, j, _content in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i not in matched and j not in taken:
            matched[i] = (j, score)
            taken.add(j)
    return matched


def _moved(order: list[int]) -> set[int]:
    """Return positions in order not on its longest increasing run (the sections that moved)."""
    tails: list[int] = []
    tail_pos: list[int] = []
    back = [-1] * len(order)
    for pos, value in enumerate(order):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_pos.append(pos)
        else:
            tails[k] = value
            tail_pos[k] = pos
        back[pos] = tail_pos[k - 1] if k else -1
    keep = set()
    pos = tail_pos[-1] if tail_pos else -1
    while pos >= 0:
        keep.add(pos)
        pos = back[pos]
    return set(range(len(order))) - keep


def align_sections(left: list[dict], right: list[dict]) -> list[Pair]:
    """Return the rows pairing left and right sections, in reading order."""
    pairs = _pair_by_heading(left, right)
    scores = dict.fromkeys(pairs, 1.0)
    for i, (j, score) in _pair_by_content(left, right, pairs).items():
        pairs[i] = j
        scores[i] = score
    rows = reading_order(pairs, len(left), len(right))
    for row in rows:
        row.score = scores.get(row.left, 0.0) if row.left is not None else 0.0
    return rows


def reading_order(pairs: dict[int, int], n_left: int, n_right: int) -> list[Pair]:
    """Return rows for pairs (left index -> right index) and every unpaired section.

    Rows follow the left document; a right-only section goes after its nearest paired
    predecessor (and after the left-only rows that follow it). Paired sections off the
    longest run in the same order on both sides are marked moved.
    """
    paired_left = sorted(pairs)
    moved_positions = _moved([pairs[i] for i in paired_left])
    moved = {paired_left[p] for p in moved_positions}
    rows = [Pair(i, pairs.get(i), moved=i in moved) for i in range(n_left)]
    row_of_right = {pairs[i]: i for i in paired_left}
    inserts: dict[int, list[int]] = {}
    anchor = -1
    for j in range(n_right):
        if j in row_of_right:
            anchor = row_of_right[j]
        else:
            inserts.setdefault(anchor, []).append(j)
    result = []
    waiting = [Pair(None, j, score=0.0) for j in inserts.get(-1, [])]
    for pos, row in enumerate(rows):
        if row.right is not None:
            result.extend(waiting)
            waiting = []
        result.append(row)
        waiting.extend(Pair(None, j, score=0.0) for j in inserts.get(pos, []))
    return result + waiting
