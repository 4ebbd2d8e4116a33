"""Evaluate Whoosh queries over the index's own postings with numpy arrays.

Whoosh's matchers score and count one document at a time in Python, which takes about a
second for a common word over 20,000 versions. Here each term's posting list is read once
per segment (a segment's postings never change, so the arrays are cached by segment id;
deletions are applied per searcher through ``live``) and queries become array operations:
AND/OR/NOT on masks, Whoosh's own BM25F (its idf and average lengths, asked of the
searcher) on weight arrays, facet counts by counting masks. A query node this module does
not know is evaluated by Whoosh's own matcher. The index on disk is Whoosh's, written by
Whoosh's writers; ``tests/search/test_differential.py`` checks every query kind against
``searcher.search()`` on random indexes with deletions, several segments and merges.
"""

import logging
import math
import threading
from collections import OrderedDict

import numpy as np
from whoosh import query as wq
from whoosh import scoring

from .postings import read_column, read_lengths, read_term

log = logging.getLogger(__name__)

CACHE_BYTES = 256 * 1024 * 1024


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
        nbytes = _nbytes(value)
        with self.lock:
            self.items[key] = value
            self.size += nbytes
            while self.size > self.limit and len(self.items) > 1:
                _key, old = self.items.popitem(last=False)
                self.size -= _nbytes(old)
        return value


def _nbytes(value) -> int:
    if isinstance(value, tuple):
        return sum(getattr(item, "nbytes", 0) for item in value)
    return value.nbytes


CACHE = _Cache(CACHE_BYTES)


def _segment_id(reader) -> tuple | None:
    """Return what names a segment's immutable postings: its folder, id and size.

    Whoosh draws segment ids from the ``random`` module, which a seeded test (or a process
    that seeds it) can repeat, so the id alone is not a safe cache key.
    """
    segment = getattr(reader, "segment", None)
    segment = segment() if callable(segment) else None
    if segment is None:
        return None
    storage = reader.storage() if callable(getattr(reader, "storage", None)) else None
    folder = getattr(storage, "folder", None)
    if folder is None:
        return None
    return (folder, segment.segment_id(), reader.doc_count_all())


def _cached(key: tuple, sid: tuple | None, make):
    """Return ``make()``, cached by segment id when the segment has one."""
    return make() if sid is None else CACHE.get((key[0], sid, *key[1:]), make)


class Evaluator:
    """Evaluate queries against one searcher's segments (a fresh searcher per request)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.leaves = []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            self.leaves.append((reader, offset, _segment_id(reader), reader.doc_count_all()))
        self.n = searcher.doc_count_all()
        self._lengths: dict[str, np.ndarray] = {}
        self.scoring = type(searcher.weighting) is scoring.BM25F  # a subclass may score otherwise
        live = np.ones(self.n, dtype=bool)
        for reader, offset, sid, count in self.leaves:
            if reader.has_deletions():
                # A segment's deletions only ever grow, so their count names the set.
                deleted = count - reader.doc_count()
                live[offset : offset + count] = _cached(
                    ("d", deleted), sid, lambda r=reader, c=count: _live_mask(r, c)
                )
        self.live = live

    # -- arrays ----------------------------------------------------------------------------

    def _term_parts(self, field: str, text: str):
        for reader, offset, sid, _count in self.leaves:
            arrays = _cached(("t", field, text), sid, lambda r=reader: read_term(r, field, text))
            yield offset, arrays

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (global document numbers, weights) of a term across segments.

        Deleted documents may be included: callers combine with ``live``.
        """
        parts_ids, parts_weights = [], []
        for offset, (ids, weights, _d, _p, _raw) in self._term_parts(field, text):
            if len(ids):
                parts_ids.append(ids + offset if offset else ids)
                parts_weights.append(weights)
        if not parts_ids:
            return np.empty(0, np.int32), np.empty(0, np.float64)
        if len(parts_ids) == 1:
            return parts_ids[0], parts_weights[0]
        return np.concatenate(parts_ids), np.concatenate(parts_weights)

    def occurrences(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (global document number, position) of every occurrence of a term."""
        docs, positions = [], []
        for offset, (_i, _w, d, p, _raw) in self._term_parts(field, text):
            if len(d):
                docs.append(d + offset if offset else d)
                positions.append(p)
        if not docs:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        return np.concatenate(docs), np.concatenate(positions)

    def lengths(self, field: str) -> np.ndarray:
        """Return every document's length in the field (as Whoosh stores it, approximately)."""
        if field not in self._lengths:
            parts = [
                _cached(("l", field), sid, lambda r=reader: read_lengths(r, field))
                for reader, _offset, sid, _count in self.leaves
            ]
            self._lengths[field] = np.concatenate(parts) if parts else np.zeros(0, np.float64)
        return self._lengths[field]

    def column(self, field: str) -> np.ndarray:
        """Return a sortable column's raw values for every document (e.g. updated)."""
        parts = [
            _cached(("c", field), sid, lambda r=reader: read_column(r, field))
            for reader, _offset, sid, _count in self.leaves
        ]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    # -- queries ---------------------------------------------------------------------------

    def term(self, field: str, text: str, boost: float = 1.0):
        """Return (mask, scores) of one term, scored as Whoosh's BM25F scores it."""
        ids, weights = self.postings(field, text)
        found = np.zeros(self.n, dtype=bool)
        found[ids] = True
        found &= self.live
        if not len(ids) or not self.scoring:
            return found, None
        scores = np.zeros(self.n, dtype=np.float64)
        if self.searcher.schema[field].scorable:
            weighting = self.searcher.weighting
            b = weighting._field_B.get(field, weighting.B)
            k1 = weighting.K1
            idf = self._idf(field, text, len(ids))
            avg = self.searcher.avg_field_length(field) or 1
            norm = k1 * ((1 - b) + b * self.lengths(field)[ids] / avg)
            scores[ids] = idf * ((weights * (k1 + 1)) / (weights + norm))
        else:
            scores[ids] = weights  # Whoosh's WeightScorer for fields without lengths
        if boost != 1.0:
            scores *= boost
        return found, scores

    def _idf(self, field: str, text: str, found: int) -> float:
        """Return Whoosh's BM25F idf: log(all documents / (document frequency + 1)) + 1.

        Raw postings count deleted documents as Whoosh's document frequency does, so their
        length is that frequency; otherwise the searcher is asked.
        """
        if all(parts[4] for _offset, parts in self._term_parts(field, text)):
            return math.log(self.n / (found + 1)) + 1
        return self.searcher.idf(field, text)

    def evaluate(self, node) -> tuple[np.ndarray, np.ndarray | None]:
        """Return (mask, scores or None) for a query tree."""
        if node is wq.NullQuery or isinstance(node, wq.qcore._NullQuery):
            return np.zeros(self.n, dtype=bool), None
        if isinstance(node, wq.Every) and not node.fieldname:
            return self.live.copy(), None
        if type(node) is wq.Term:
            return self.term(node.fieldname, node.text, node.boost)
        if type(node) is wq.Phrase and node.slop == 1:
            return self.phrase(node)
        if type(node) is wq.Not:
            inner, _scores = self.evaluate(node.query)
            mask = self.live & ~inner
            # Whoosh's InverseMatcher scores each match with the Not's boost.
            return mask, np.where(mask, float(node.boost), 0.0) if self.scoring else None
        if type(node) in (wq.AndNot, wq.AndMaybe, wq.Require):
            return self._binary(node)
        if type(node) in (wq.And, wq.Or) and _plain_compound(node):
            return self._compound(node)
        return self.whoosh(node)

    def _binary(self, node):
        (a, sa), (b, sb) = self.evaluate(node.a), self.evaluate(node.b)
        if type(node) is wq.AndNot:
            return a & ~b, sa
        if type(node) is wq.Require:
            return a & b, sa
        return a, _add(sa, None if sb is None else np.where(b, sb, 0))  # AndMaybe

    def _compound(self, node):
        is_and = type(node) is wq.And
        mask, scores = None, None
        for child in node.subqueries:
            child_mask, child_scores = self.evaluate(child)
            if mask is None:
                mask = child_mask
            else:
                mask = mask & child_mask if is_and else mask | child_mask
            if child_scores is not None and not is_and:
                child_scores = np.where(child_mask, child_scores, 0)
            scores = _add(scores, child_scores)
        if mask is None:
            return np.zeros(self.n, dtype=bool), None
        if scores is not None and node.boost != 1.0:
            scores = scores * node.boost
        return mask, scores

    def whoosh(self, node) -> tuple[np.ndarray, np.ndarray]:
        """Return (mask, scores) of a query node evaluated by Whoosh's own matcher."""
        log.info("query node %s evaluated by Whoosh's matcher", type(node).__name__)
        mask = np.zeros(self.n, dtype=bool)
        scores = np.zeros(self.n, dtype=np.float64)
        results = self.searcher.search(node, limit=None)
        for score, docnum in results.top_n:
            mask[docnum] = True
            scores[docnum] = score or 0.0
        return mask & self.live, scores

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
                # Segments come in document order and positions ascend within a document,
                # so keys are almost always sorted already: timsort then costs one pass.
                keys.sort(kind="stable")
                where = np.minimum(np.searchsorted(keys, starts), len(keys) - 1)
                starts = starts[keys[where] == starts]
            else:
                starts = keys
            if not len(starts):
                break
        mask = np.zeros(self.n, dtype=bool)
        if starts is not None and len(starts):
            mask[starts >> 32] = True  # a document found twice is simply set twice
        return mask, scores

    def facet_counts(self, field: str, mask: np.ndarray) -> dict[str, int]:
        """Return {value: matching documents} for an id field, largest first."""
        counts: dict[str, int] = {}
        for reader, offset, sid, count in self.leaves:
            codes = _cached(("f", field), sid, lambda r=reader: _Codes(r, field))
            if not codes.values:
                continue
            chosen = codes.codes[mask[offset : offset + count]]
            tally = np.bincount(chosen[chosen >= 0], minlength=len(codes.values))
            for value, found in zip(codes.values, tally.tolist(), strict=True):
                if found:
                    counts[value] = counts.get(value, 0) + found
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def top(self, mask, scores, limit: int, newest: bool) -> list[tuple[int, float]]:
        """Return the best ``limit`` (document number, score) by score or by date.

        Ties keep document order, as Whoosh's own collector does.
        """
        ids = np.flatnonzero(mask)
        if not len(ids):
            return []
        score_of = scores[ids] if scores is not None else np.zeros(len(ids), np.float64)
        if newest:
            order = np.argsort(-self.column("updated")[ids], kind="stable")[:limit]
        else:
            order = np.argsort(-score_of, kind="stable")[:limit]
        return [(int(ids[i]), float(score_of[i])) for i in order]


def _live_mask(reader, count: int) -> np.ndarray:
    """Return which documents of a segment are not deleted."""
    kept = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
    mask = np.zeros(count, dtype=bool)
    mask[kept] = True
    return mask


def _plain_compound(node) -> bool:
    """Return True for an And/Or this module scores as Whoosh does (no minmatch or scale)."""
    return not getattr(node, "minmatch", 0) and not getattr(node, "scale", None)


class _Codes:
    """For one segment: the distinct values of an id field, and each document's value."""

    def __init__(self, reader, field: str):
        self.values = [v.decode("utf-8") for v in reader.lexicon(field)]
        self.codes = np.full(reader.doc_count_all(), -1, dtype=np.int32)
        for code, value in enumerate(self.values):
            ids = read_term(reader, field, value)[0]
            self.codes[ids] = code
        self.nbytes = self.codes.nbytes + 64 * len(self.values)


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a + b
