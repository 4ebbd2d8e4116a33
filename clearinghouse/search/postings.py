"""Read a term's postings, lengths and columns of one Whoosh segment into numpy arrays.

Two ways, chosen by shape. The fast way reads whoosh-reloaded 2.7.5's own posting blocks
(``W3LeafMatcher``) or inline postings (``ListMatcher``) of a ``SegmentReader`` directly,
*before* Whoosh wraps them in the filter that hides deleted documents: the arrays then hold
every posting of the immutable segment, deleted documents included, and can be cached by
segment id; the evaluator removes deleted documents with its own live mask. Any other
reader or matcher shape is read through Whoosh's public matcher API instead (slower, never
guessed). ``tests/search/test_differential.py`` proves both equal to Whoosh's searcher.
"""

import logging

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.matching.mcore import ListMatcher
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.util.numeric import byte_to_length

from .whoosh_schema import TEXT_FIELDS

log = logging.getLogger(__name__)

_LENGTH_TABLE = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)
_EMPTY_IDS = np.empty(0, np.int32)
_EMPTY_WEIGHTS = np.empty(0, np.float64)
_EMPTY_OCC = np.empty(0, np.int64)
EMPTY_TERM = (_EMPTY_IDS, _EMPTY_WEIGHTS, _EMPTY_OCC, _EMPTY_OCC, True)


def _raw_matcher(reader, field: str, text: str):
    """Return the term's unfiltered matcher, None when absent, or False for an unknown shape."""
    if type(reader) is not SegmentReader:
        return False
    if field not in reader.schema:
        return None
    try:
        term = reader._text_to_bytes(field, text)
        matcher = reader._terms.matcher(field, term, reader.schema[field].format)
    except (TermNotFound, KeyError, ValueError):
        return None
    if type(matcher) not in (W3LeafMatcher, ListMatcher):
        return False
    return matcher


def _leaf_blocks(matcher, positions: bool):
    """Yield one (ids, weights, values) block holding every posting block of a W3LeafMatcher.

    Blocks are gathered as Python lists and converted to arrays once per term: a common
    word has hundreds of blocks, and a numpy call per block cost more than the conversion.
    """
    raw_ids: list = []
    counts: list = []
    weights: list = []
    values: list = []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        block_ids, block_weights, block_values = matcher._data
        count = matcher._blocklength
        raw_ids.extend(block_ids)
        counts.append(count)
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
        if positions and isinstance(block_values, (tuple, list)):
            values.extend(block_values)
        matcher._next_block()
    if not counts:
        return
    ids = np.array(raw_ids, dtype=np.int64)
    if not matcher._byteids:
        # Each block's ids are deltas from 0: a running sum, restarted at every block.
        sums = np.cumsum(ids)
        ends = np.cumsum(counts)
        before = np.concatenate(([0], sums[ends[:-1] - 1]))
        ids = sums - np.repeat(before, counts)
    yield ids, np.array(weights, dtype=np.float64), values if len(values) == len(ids) else None


def _list_blocks(matcher):
    """Yield the single block of postings kept inline in a term's info (ListMatcher)."""
    ids = np.asarray(matcher._ids, np.int64)
    weights = matcher._weights
    if weights is None:
        weights = np.full(len(ids), matcher._all_weights or 1.0, np.float64)
    yield ids, np.asarray(weights, np.float64), matcher._values


def _public_blocks(reader, field: str, text: str, positions: bool):
    """Yield one block read through Whoosh's public matcher (live documents only)."""
    try:
        matcher = reader.postings(field, text)
    except TermNotFound:
        return
    ids, weights, values = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if positions:
            values.append(np.asarray(matcher.value_as("positions"), np.uint32).tobytes())
        matcher.next()
    yield np.asarray(ids, np.int64), np.asarray(weights, np.float64), values or None


def read_term(reader, field: str, text: str) -> tuple:
    """Return (ids, weights, occurrence documents, occurrence positions, raw) in one segment.

    Postings and positions come from the same blocks, so both are read in one pass. ``raw``
    says the postings include deleted documents, as Whoosh's document frequency counts them.
    """
    positions = field in TEXT_FIELDS
    matcher = _raw_matcher(reader, field, text)
    if matcher is None:
        return EMPTY_TERM
    raw = matcher is not False
    if matcher is False:
        blocks = _public_blocks(reader, field, text, positions)
    elif isinstance(matcher, ListMatcher):
        blocks = _list_blocks(matcher)
    else:
        blocks = _leaf_blocks(matcher, positions)
    ids, weights, docs, poses = [], [], [], []
    for block_ids, block_weights, values in blocks:
        ids.append(block_ids)
        weights.append(block_weights)
        if values is not None and positions:
            counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // 4
            docs.append(np.repeat(block_ids, counts))
            poses.append(np.frombuffer(b"".join(values), dtype=np.uint32).astype(np.int64))
    if not ids:
        return EMPTY_TERM if raw else (*EMPTY_TERM[:4], False)
    return (
        _joined(ids).astype(np.int32),
        _joined(weights),
        _joined(docs) if docs else _EMPTY_OCC,
        _joined(poses) if poses else _EMPTY_OCC,
        raw,
    )


def _joined(parts: list) -> np.ndarray:
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def read_lengths(reader, field: str) -> np.ndarray:
    """Return every document's length in the field, as Whoosh's scorer sees it."""
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    if type(reader) is SegmentReader and type(perdoc) is W3PerDocReader:
        if not perdoc.has_column(_lenfield(field)):
            return np.zeros(count, np.float64)
        column = perdoc.column_reader(_lenfield(field), LENGTHS_COLUMN)
        raw = np.fromiter((column[i] for i in range(count)), dtype=np.uint8, count=count)
        return _LENGTH_TABLE[raw]
    return np.fromiter(
        (reader.doc_field_length(i, field, 0) or 0 for i in range(count)),
        dtype=np.float64,
        count=count,
    )


def read_column(reader, field: str) -> np.ndarray:
    """Return a sortable column's raw values for every document (e.g. updated)."""
    count = reader.doc_count_all()
    if not reader.has_column(field):
        return np.zeros(count, np.int64)
    column = reader.column_reader(field, translate=False)
    return np.fromiter((int(v or 0) for v in column), dtype=np.int64, count=count)
