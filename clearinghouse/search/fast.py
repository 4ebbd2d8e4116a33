"""Evaluate Whoosh queries over the index's own postings with numpy arrays.

Whoosh's matchers score and count one document at a time in Python, which takes about a
second for a common word over 20,000 versions. Here each term's posting list is read once
per segment (segments never change, so the arrays are cached by segment id) and queries
become array operations: AND/OR/NOT on masks, BM25F on frequency arrays, facet counts by
counting masks. The index on disk is still Whoosh's, written by Whoosh's writers.
"""

import logging
import math
import threading
from collections import OrderedDict

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

log = logging.getLogger(__name__)

K1, B = 1.2, 0.75
TEXT_FIELDS = ("title", "body")
_LENGTH_TABLE = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)
CACHE_BYTES = 256 * 1024 * 1024


class Unsupported(Exception):
    """A query node this evaluator does not handle."""


class _Cache:
    """Arrays read from immutable segments, least recently used dropped past a size."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, make):
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
                return found
        value = make()
        nbytes = sum(a.nbytes for a in value) if isinstance(value, tuple) else value.nbytes
        with self.lock:
            self.items[key] = value
            self.size += nbytes
            while self.size > self.limit and len(self.items) > 1:
                _key, old = self.items.popitem(last=False)
                self.size -= sum(a.nbytes for a in old) if isinstance(old, tuple) else old.nbytes
        return value


CACHE = _Cache(CACHE_BYTES)


_EMPTY_IDS = np.empty(0, np.int32)
_EMPTY_OCC = np.empty(0, np.int64)


def _blocks(reader, field: str, text: str):
    """Yield (ids, weights, values or None) of a term's postings in one segment, by block."""
    try:
        matcher = reader.postings(field, text)
    except Exception:  # TermNotFound and friends
        return
    while hasattr(matcher, "child") and not hasattr(matcher, "_ids"):
        matcher = matcher.child  # the wrapper that hides deleted documents
    if not hasattr(matcher, "_read_data"):  # one posting kept inline in the term info
        ids = list(matcher.all_ids()) if not hasattr(matcher, "_ids") else list(matcher._ids)
        weights = getattr(matcher, "_weights", None)
        if weights is None:
            weights = [getattr(matcher, "_all_weights", None) or 1.0] * len(ids)
        yield (
            np.asarray(ids, np.int64),
            np.asarray(weights, np.float32),
            getattr(matcher, "_values", None),
        )
        return
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        raw_ids, weights, values = matcher._data
        count = matcher._blocklength
        ids = np.asarray(raw_ids, dtype=np.int64)
        if not matcher._byteids:
            ids = np.cumsum(ids)
        if weights is None:
            weights = np.ones(count, np.float32)
        elif isinstance(weights, float):
            weights = np.full(count, weights, np.float32)
        else:
            weights = np.asarray(weights, dtype=np.float32)
        yield ids, weights, values
        matcher._next_block()


def _read_term(reader, field: str, text: str) -> tuple:
    """Return (ids, weights, occurrence documents, occurrence positions) in one segment.

    Postings and positions come from the same blocks, so both are read in one pass.
    """
    ids, weights, docs, positions = [], [], [], []
    for block_ids, block_weights, values in _blocks(reader, field, text):
        ids.append(block_ids)
        weights.append(block_weights)
        if values is not None and field in TEXT_FIELDS:
            counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // 4
            docs.append(np.repeat(block_ids, counts))
            positions.append(np.frombuffer(b"".join(values), dtype=np.uint32).astype(np.int64))
    if not ids:
        return _EMPTY_IDS, np.empty(0, np.float32), _EMPTY_OCC, _EMPTY_OCC
    return (
        np.concatenate(ids).astype(np.int32),
        np.concatenate(weights),
        np.concatenate(docs) if docs else _EMPTY_OCC,
        np.concatenate(positions) if positions else _EMPTY_OCC,
    )


def _read_postings(reader, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (document numbers, weights) of a term in one segment."""
    return _read_term(reader, field, text)[:2]


def _segment_id(reader) -> str | None:
    segment = getattr(reader, "segment", None)
    segment = segment() if callable(segment) else None
    return segment.segment_id() if segment is not None else None


class Evaluator:
    """Evaluate queries against one searcher's segments (a fresh searcher per request)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.leaves = []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            self.leaves.append((reader, offset, _segment_id(reader), reader.doc_count_all()))
        self.n = searcher.doc_count_all()
        self.doc_count = max(1, searcher.doc_count())
        self._lengths: dict[str, np.ndarray] = {}
        self._avg: dict[str, float] = {}
        live = np.ones(self.n, dtype=bool)
        for reader, offset, _sid, _count in self.leaves:
            if reader.has_deletions():
                kept = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
                seg_live = np.zeros(_count, dtype=bool)
                seg_live[kept] = True
                live[offset : offset + _count] = seg_live
        self.live = live

    # -- arrays ----------------------------------------------------------------------------

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (global document numbers, weights) of a term across segments."""
        parts_ids, parts_weights = [], []
        for reader, offset, sid, _count in self.leaves:
            if sid is None:
                ids, weights = _read_postings(reader, field, text)
            else:
                ids, weights, _d, _p = CACHE.get(
                    ("t", sid, field, text), lambda r=reader: _read_term(r, field, text)
                )
            if len(ids):
                parts_ids.append(ids + offset if offset else ids)
                parts_weights.append(weights)
        if not parts_ids:
            return np.empty(0, np.int32), np.empty(0, np.float32)
        if len(parts_ids) == 1:
            return parts_ids[0], parts_weights[0]
        return np.concatenate(parts_ids), np.concatenate(parts_weights)

    def occurrences(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (global document number, position) of every occurrence of a term."""
        docs, positions = [], []
        for reader, offset, sid, _count in self.leaves:
            if sid is None:
                d, p = _read_term(reader, field, text)[2:]
            else:
                d, p = CACHE.get(
                    ("t", sid, field, text), lambda r=reader: _read_term(r, field, text)
                )[2:]
            if len(d):
                docs.append(d + offset if offset else d)
                positions.append(p)
        if not docs:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        return np.concatenate(docs), np.concatenate(positions)

    def mask(self, field: str, text: str) -> np.ndarray:
        """Return a boolean array: which documents hold the term."""
        found = np.zeros(self.n, dtype=bool)
        ids, _weights = self.postings(field, text)
        found[ids] = True
        return found & self.live

    def lengths(self, field: str) -> np.ndarray:
        """Return every document's length in the field (as Whoosh stores it, approximately)."""
        if field not in self._lengths:
            parts = []
            for reader, _offset, sid, _count in self.leaves:
                parts.append(CACHE.get(("l", sid, field), lambda r=reader: _read_lengths(r, field)))
            self._lengths[field] = np.concatenate(parts) if parts else np.zeros(0, np.float32)
        return self._lengths[field]

    def column(self, field: str) -> np.ndarray:
        """Return a sortable column's raw values for every document (e.g. updated)."""
        parts = []
        for reader, _offset, sid, _count in self.leaves:
            parts.append(CACHE.get(("c", sid, field), lambda r=reader: _read_column(r, field)))
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def avg_length(self, field: str) -> float:
        """Return the field's average length over the index."""
        if field not in self._avg:
            total = self.searcher.reader().field_length(field)
            self._avg[field] = max(1.0, total / self.doc_count)
        return self._avg[field]

    # -- queries ---------------------------------------------------------------------------

    def term(self, field: str, text: str, boost: float = 1.0):
        """Return (mask, BM25F scores or None) of one term."""
        ids, weights = self.postings(field, text)
        found = np.zeros(self.n, dtype=bool)
        found[ids] = True
        found &= self.live
        if field not in TEXT_FIELDS or not len(ids):
            return found, None
        idf = math.log(self.doc_count / (len(ids) + 1)) + 1.0
        lengths = self.lengths(field)[ids]
        norm = K1 * ((1 - B) + B * lengths / self.avg_length(field))
        scores = np.zeros(self.n, dtype=np.float32)
        scores[ids] = (idf * boost) * (weights * (K1 + 1)) / (weights + norm)
        return found, scores

    def evaluate(self, node) -> tuple[np.ndarray, np.ndarray | None]:
        """Return (mask, scores or None) for a query tree."""
        if node is wq.NullQuery or isinstance(node, wq.qcore._NullQuery):
            return np.zeros(self.n, dtype=bool), None
        if isinstance(node, wq.Every):
            return self.live.copy(), None
        if isinstance(node, wq.Term):
            return self.term(node.fieldname, node.text, node.boost)
        if isinstance(node, wq.Phrase):
            return self.phrase(node)
        if isinstance(node, wq.Not):
            inner, _scores = self.evaluate(node.query)
            return self.live & ~inner, None
        if isinstance(node, wq.AndNot):
            (a, sa), (b, _sb) = self.evaluate(node.a), self.evaluate(node.b)
            return a & ~b, sa
        if isinstance(node, wq.AndMaybe):
            (a, sa), (b, sb) = self.evaluate(node.a), self.evaluate(node.b)
            return a, _add(sa, None if sb is None else np.where(b, sb, 0))
        if isinstance(node, wq.Require):
            (a, sa), (b, _sb) = self.evaluate(node.a), self.evaluate(node.b)
            return a & b, sa
        if isinstance(node, wq.And | wq.Or | wq.DisjunctionMax):
            is_and = isinstance(node, wq.And)
            mask, scores = None, None
            for child in node.subqueries:
                child_mask, child_scores = self.evaluate(child)
                if mask is None:
                    mask = child_mask
                else:
                    mask = mask & child_mask if is_and else mask | child_mask
                scores = _add(scores, child_scores)
            if mask is None:
                return np.zeros(self.n, dtype=bool), None
            return mask, scores
        raise Unsupported(type(node).__name__)

    def phrase(self, node: wq.Phrase):
        """Return documents where the phrase's words occur next to each other, in order."""
        words = [w for w in node.words if w]
        if not words:
            return np.zeros(self.n, dtype=bool), None
        if len(words) == 1:
            return self.term(node.fieldname, words[0], node.boost)
        candidates, scores = self.live.copy(), None
        for word in words:
            found, word_scores = self.term(node.fieldname, word, node.boost)
            candidates &= found
            scores = _add(scores, word_scores)
        starts = None
        for offset, word in enumerate(words):
            docs, positions = self.occurrences(node.fieldname, word)
            keep = candidates[docs] & (positions >= offset)
            keys = (docs[keep] << 32) | (positions[keep] - offset)
            if starts is None:
                starts = keys
            elif len(keys):
                keys.sort()  # already ordered within a segment; cheap when sorted
                where = np.minimum(np.searchsorted(keys, starts), len(keys) - 1)
                starts = starts[keys[where] == starts]
            else:
                starts = keys
            if not len(starts):
                break
        mask = np.zeros(self.n, dtype=bool)
        if starts is not None and len(starts):
            mask[np.unique(starts >> 32)] = True
        return mask, scores

    def facet_counts(self, field: str, mask: np.ndarray) -> dict[str, int]:
        """Return {value: matching documents} for an id field, largest first."""
        counts: dict[str, int] = {}
        for reader, offset, sid, count in self.leaves:
            codes = CACHE.get(("f", sid, field), lambda r=reader: _Codes(r, field))
            if not codes.values:
                continue
            chosen = codes.codes[mask[offset : offset + count]]
            tally = np.bincount(chosen[chosen >= 0], minlength=len(codes.values))
            for value, found in zip(codes.values, tally.tolist(), strict=True):
                if found:
                    counts[value] = counts.get(value, 0) + found
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def top(self, mask, scores, limit: int, newest: bool) -> list[tuple[int, float]]:
        """Return the best ``limit`` (document number, score) by score or by date."""
        ids = np.flatnonzero(mask)
        if not len(ids):
            return []
        score_of = scores[ids] if scores is not None else np.zeros(len(ids), np.float32)
        if newest:
            order = np.argsort(-self.column("updated")[ids], kind="stable")[:limit]
        elif len(ids) > limit:
            part = np.argpartition(-score_of, limit - 1)[:limit]
            order = part[np.argsort(-score_of[part], kind="stable")]
        else:
            order = np.argsort(-score_of, kind="stable")
        return [(int(ids[i]), float(score_of[i])) for i in order]


class _Codes:
    """For one segment: the distinct values of an id field, and each document's value."""

    def __init__(self, reader, field: str):
        self.values = [v.decode("utf-8") for v in reader.lexicon(field)]
        self.codes = np.full(reader.doc_count_all(), -1, dtype=np.int32)
        for code, value in enumerate(self.values):
            ids, _weights = _read_postings(reader, field, value)
            self.codes[ids] = code
        self.nbytes = self.codes.nbytes + 64 * len(self.values)


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def _read_lengths(reader, field: str) -> np.ndarray:
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    column = None
    if perdoc is not None and perdoc.has_column(_lenfield(field)):
        column = perdoc.column_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return np.zeros(count, np.float32)
    raw = np.fromiter((column[i] for i in range(count)), dtype=np.uint8, count=count)
    return _LENGTH_TABLE[raw]


def _read_column(reader, field: str) -> np.ndarray:
    count = reader.doc_count_all()
    if not reader.has_column(field):
        return np.zeros(count, np.int64)
    column = reader.column_reader(field, translate=False)
    return np.fromiter((int(v or 0) for v in column), dtype=np.int64, count=count)
