"""Word-level diff of two texts, like Word's track changes.

Texts are split into tokens: words, punctuation, paragraph breaks ("\\n") and table-cell
breaks ("\\t"); runs of other whitespace count as one space. The diff is done in two passes
so it stays close to linear on long, lightly edited texts: paragraphs first (difflib over
whole lines), then words only inside the paragraphs that changed. difflib over every word
of a long text at once grows quadratically (see benchmarks/compare_bench.py).

The result is a list of ``{"op": "equal" | "insert" | "delete", "text": str}`` such that
joining the equal and delete texts gives the left text, and joining the equal and insert
texts gives the right text (both with whitespace normalised as above).
"""

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"\n|\t|[^\s]+")
BREAKS = ("\n", "\t")
# Punctuation split off words, so "workers." diffs as "workers" and "."; spacing is
# rebuilt from these classes, so "(see page 4)." comes back as it was.
_OPEN = frozenset("([{‘“")
_CLOSE = frozenset(".,;:!?)]}’”")
# Above this many word pairs in one changed block, diff sentence by sentence first.
MAX_WORD_PAIRS = 4_000_000
# Above this estimate of difflib's work (see _work), a block is split or shown as replaced.
MAX_WORK = 3_000_000


def tokens(text: str) -> list[str]:
    """Split text into words, punctuation, paragraph breaks and cell breaks."""
    out: list[str] = []
    for chunk in _TOKEN.findall(text or ""):
        if chunk[0] not in _OPEN and chunk[-1] not in _CLOSE:
            out.append(chunk)  # the usual case: a plain word
            continue
        start, end = 0, len(chunk)
        while start < end and chunk[start] in _OPEN:
            start += 1
        while end > start and chunk[end - 1] in _CLOSE:
            end -= 1
        if start:
            out.append(chunk[:start])
        if end > start:
            out.append(chunk[start:end])
        if end < len(chunk):
            out.append(chunk[end:])
    return out


def _spaced_after(tok: str) -> bool:
    """Return whether a space may follow this token (not after a break or an opening bracket)."""
    return tok not in BREAKS and tok[-1] not in _OPEN


def _spaced_before(tok: str) -> bool:
    """Return whether a space may come before this token (not before a break or full stop)."""
    return tok not in BREAKS and tok[0] not in _CLOSE


def normalise(text: str) -> str:
    """Return the text as the diff sees it: single spaces, breaks kept, no edge blanks."""
    return _join(tokens(text))


# Tokens hold no spaces, so after " ".join every space sits between two tokens: drop the ones
# the spacing rules (_spaced_before, _spaced_after) would not put there.
_UNSPACE = re.compile(r" (?=[\n\t.,;:!?)\]}’”])|(?<=[\n\t(\[{‘“]) ")


def _join(toks: list[str]) -> str:
    return _UNSPACE.sub("", " ".join(toks))


def _paragraphs(toks: list[str]) -> list[tuple[str, ...]]:
    """Group tokens into paragraphs; each break token ends its paragraph."""
    paras: list[tuple[str, ...]] = []
    start = 0
    for i, tok in enumerate(toks):
        if tok == "\n":
            paras.append(tuple(toks[start : i + 1]))
            start = i + 1
    if start < len(toks):
        paras.append(tuple(toks[start:]))
    return paras


def _work(a: list, b: list) -> int:
    """Estimate difflib's work on a and b: matching pairs, times the recursion it may need.

    difflib with autojunk=False is fast on prose but degrades badly on very repetitive
    input (the same few words over and over): hundreds of tokens can take seconds.
    """
    counts = Counter(b)
    return sum(counts.get(x, 0) for x in a) * min(len(a), len(b))


def _replaced(a1: int, a2: int, b1: int, b2: int) -> list[tuple[str, int, int, int, int]]:
    return [("delete", a1, a2, b1, b1), ("insert", a2, a2, b1, b2)]


def _matcher_opcodes(a: list, b: list) -> list[tuple[str, int, int, int, int]] | None:
    """Return difflib's opcodes if they are affordable; None if the input is too repetitive."""
    if not a or not b:
        return _replaced(0, len(a), 0, len(b))
    if _work(a, b) > MAX_WORK:
        return None
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _word_opcodes(a: list[str], b: list[str], split: bool = True) -> list:
    """Diff words; blocks too large or repetitive go sentence by sentence, else as replaced."""
    if not a or not b:
        return [op for op in _replaced(0, len(a), 0, len(b)) if op[1] < op[2] or op[3] < op[4]]
    opcodes = _matcher_opcodes(a, b) if len(a) * len(b) <= MAX_WORD_PAIRS else None
    if opcodes is not None:
        return opcodes
    if split:
        return _split_opcodes(a, b)
    log.info("diff: a %d x %d word block too repetitive to pair; shown as replaced", len(a), len(b))
    return _replaced(0, len(a), 0, len(b))


def _split_opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Diff a very large block by sentences first, then words inside changed sentences."""
    sa, sb = _sentences(a), _sentences(b)
    keys_a, keys_b = [tuple(a[i:j]) for i, j in sa], [tuple(b[i:j]) for i, j in sb]
    coarse = _matcher_opcodes(keys_a, keys_b) or [("replace", 0, len(sa), 0, len(sb))]
    result = []
    for op, i1, i2, j1, j2 in coarse:
        a1, a2 = (sa[i1][0], sa[i2 - 1][1]) if i2 > i1 else (_edge(sa, i1, len(a)),) * 2
        b1, b2 = (sb[j1][0], sb[j2 - 1][1]) if j2 > j1 else (_edge(sb, j1, len(b)),) * 2
        if op == "equal":
            result.append(("equal", a1, a2, b1, b2))
        else:
            sub = _word_opcodes(a[a1:a2], b[b1:b2], split=False)
            result.extend((o, a1 + x1, a1 + x2, b1 + y1, b1 + y2) for o, x1, x2, y1, y2 in sub)
    return result


def _edge(spans: list[tuple[int, int]], index: int, end: int) -> int:
    return spans[index][0] if index < len(spans) else end


def _sentences(toks: list[str]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for i, tok in enumerate(toks):
        if tok in BREAKS or tok.endswith((".", "?", "!", ";", ":")) or i - start >= 60:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(toks):
        spans.append((start, len(toks)))
    return spans


def token_opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Return difflib-style opcodes over tokens: paragraphs first, then words in changes."""
    pa, pb = _paragraphs(a), _paragraphs(b)
    offsets_a, offsets_b = _offsets(pa), _offsets(pb)
    result = []
    coarse = _matcher_opcodes(pa, pb) or [("replace", 0, len(pa), 0, len(pb))]
    for op, i1, i2, j1, j2 in coarse:
        a1, a2, b1, b2 = offsets_a[i1], offsets_a[i2], offsets_b[j1], offsets_b[j2]
        if op == "equal":
            result.append(("equal", a1, a2, b1, b2))
            continue
        for sub, x1, x2, y1, y2 in _word_opcodes(a[a1:a2], b[b1:b2]):
            result.append((sub, a1 + x1, a1 + x2, b1 + y1, b1 + y2))
    return result


def _offsets(paras: list[tuple[str, ...]]) -> list[int]:
    offsets = [0]
    for para in paras:
        offsets.append(offsets[-1] + len(para))
    return offsets


@dataclass
class _Builder:
    """Turn token opcodes into text changes, putting each space on the side that has it."""

    changes: list[dict] = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {"equal": 0, "insert": 0, "delete": 0})
    left_word: bool = False  # whether the last token emitted on the left may take a space
    right_word: bool = False

    def add(self, op: str, text: str) -> None:
        if not text:
            return
        if self.changes and self.changes[-1]["op"] == op:
            self.changes[-1]["text"] += text
        else:
            self.changes.append({"op": op, "text": text})

    def emit(self, op: str, toks: list[str]) -> None:
        if not toks:
            return
        self.counts[op] += _words(toks)
        first_word = _spaced_before(toks[0])
        last_word = _spaced_after(toks[-1])
        text = _join(toks)
        if op == "equal":
            left_space = first_word and self.left_word
            right_space = first_word and self.right_word
            if left_space and not right_space:
                self.add("delete", " ")
            elif right_space and not left_space:
                self.add("insert", " ")
            self.add("equal", (" " if left_space and right_space else "") + text)
            self.left_word = self.right_word = last_word
        elif op == "delete":
            self.add("delete", (" " if first_word and self.left_word else "") + text)
            self.left_word = last_word
        else:
            self.add("insert", (" " if first_word and self.right_word else "") + text)
            self.right_word = last_word


def diff_tokens(a: list[str], b: list[str]) -> tuple[list[dict], dict]:
    """Return the changes turning token list a into token list b, and their word counts."""
    builder = _Builder()
    if a == b:
        builder.emit("equal", a)
    else:
        for op, i1, i2, j1, j2 in token_opcodes(a, b):
            if op == "equal":
                builder.emit("equal", a[i1:i2])
            else:
                builder.emit("delete", a[i1:i2])
                builder.emit("insert", b[j1:j2])
    counts = builder.counts
    return builder.changes, {
        "words_equal": counts["equal"],
        "words_added": counts["insert"],
        "words_removed": counts["delete"],
    }


def diff_text(left: str, right: str) -> list[dict]:
    """Return the word-level changes turning the left text into the right text."""
    return diff_tokens(tokens(left), tokens(right))[0]


def word_count(text: str) -> int:
    """Return how many words a text has (breaks, spaces and punctuation do not count)."""
    return _words(tokens(text))


def _is_word(tok: str) -> bool:
    # Split tokens never start with an opening mark or end with a closing one unless they are
    # punctuation alone.
    return tok not in BREAKS and tok[0] not in _OPEN and tok[-1] not in _CLOSE


def _words(toks: list[str]) -> int:
    return sum(1 for tok in toks if _is_word(tok))


def change_counts(changes: list[dict]) -> dict:
    """Return words equal, added and removed in a list of changes."""
    counts = {"equal": 0, "insert": 0, "delete": 0}
    for change in changes:
        counts[change["op"]] += word_count(change["text"])
    return {
        "words_equal": counts["equal"],
        "words_added": counts["insert"],
        "words_removed": counts["delete"],
    }
