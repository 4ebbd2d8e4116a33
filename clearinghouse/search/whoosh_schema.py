"""The Whoosh schema, its English analyzer, and where the index lives on disk.

``<instance>/index/CURRENT`` names the live index folder beside it; a rebuild writes a new
folder and swaps the name in one atomic rename, so readers never see a half-built index.
"""

import logging
import os
import pickle
import re
import time
from array import array
from collections import defaultdict
from pathlib import Path

from whoosh import fields, formats, index
from whoosh.analysis import Analyzer, Token
from whoosh.analysis.filters import STOP_WORDS
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3Codec
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

from .whoosh_files import retire_folders, with_retry

log = logging.getLogger(__name__)

BLOCK_PICKLE_PROTOCOL = 4


def _dumps_modern(obj, protocol=None) -> bytes:
    """Pickle with protocol 4 whatever Whoosh asks for (it asks for 2)."""
    return pickle.dumps(obj, BLOCK_PICKLE_PROTOCOL)


# whoosh-reloaded 2.7.5 (pinned, unmaintained) pickles every posting block, term info and
# inline posting list with protocol 2, which has no opcode for bytes: each posting's value
# (our packed positions) becomes a call to _codecs.encode. Protocol 4 stores bytes as
# bytes, and measured here loads a block 6x and writes it 7x faster, 40% smaller. Readers
# unpickle any protocol, so indexes written before read as they always did.
whoosh3.dumps = _dumps_modern

WORD = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)
# The fields searched for plain words: a document's title, its text, and the names it is known
# by on the page (its type's name, its tags, its authority's name); with their query boosts.
TEXT_FIELDS = ("title", "body", "names")
FIELD_BOOSTS = {"title": 3.0, "body": 1.0, "names": 2.0}
_STEMS: dict[str, str] = {}
_STOPS = frozenset(STOP_WORDS)


def stem_word(word: str) -> str:
    """Return the Porter stem of a lower-case, accent-folded word (cached)."""
    found = _STEMS.get(word)
    if found is None:
        found = stem(word)
        if len(_STEMS) < 200_000:
            _STEMS[word] = found
    return found


def fold(text: str) -> str:
    """Return the text lower-cased with accents removed."""
    return text.lower().translate(accent_map)


class EnglishAnalyzer(Analyzer):
    """Tokenize, lower-case, fold accents, drop stop words and stem, in one pass.

    Equivalent to RegexTokenizer | LowercaseFilter | CharsetFilter(accent_map) |
    StopFilter | StemFilter, but about three times faster. Positions count only the words
    kept, so a phrase with a stop word in it ("words and pictures") still matches.
    """

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = fold(value)
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        pos = start_pos
        folded = fold(value)
        # str.lower() may change the length of some characters; offsets then come from value.
        offsets_ok = len(folded) == len(value)
        for match in WORD.finditer(folded if offsets_ok else value):
            word = match.group(0) if offsets_ok else fold(match.group(0))
            if word in _STOPS:
                if not removestops:
                    token.text = word
                    token.stopped = True
                    yield token
                continue
            token.stopped = False
            token.text = stem_word(word)
            token.boost = 1.0
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
            pos += 1
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


def analyze(text: str) -> list[str]:
    """Return the index terms of a text, in order."""
    return [stem_word(w) for w in WORD.findall(fold(text)) if w not in _STOPS]


class Terms(str):
    """Terms already analyzed, so a field does not analyze the text again."""

    terms: list[str]

    @classmethod
    def of(cls, terms: list[str]) -> "Terms":
        """Return a value carrying these terms."""
        value = cls("")
        value.terms = terms
        return value


class PackedPositions(formats.Positions):
    """Positions stored as packed 32-bit integers, readable a block at a time by numpy.

    Terms given already analyzed (``Terms``) are grouped without running the analyzer.
    """

    def word_values(self, value, analyzer, **kwargs):
        """Return (term, frequency, weight, encoded positions) for each distinct term."""
        if isinstance(value, Terms):
            poses: dict[str, list[int]] = defaultdict(list)
            for pos, term in enumerate(value.terms):
                poses[term].append(pos)
        else:
            poses = defaultdict(list)
            kwargs["positions"] = True
            for token in analyzer(value, **kwargs):
                poses[token.text].append(token.pos)
        boost = self.field_boost
        return ((w, len(p), len(p) * boost, self.encode(p)) for w, p in poses.items())

    def encode(self, poslist):
        """Return the positions as packed unsigned 32-bit integers."""
        return array("I", poslist).tobytes()

    def decode_positions(self, valuestring):
        """Return the list of positions."""
        positions = array("I")
        positions.frombytes(valuestring)
        return positions.tolist()

    def decode_frequency(self, valuestring):
        """Return how many times the term occurs."""
        return len(valuestring) // 4

    def decode_weight(self, valuestring):
        """Return the frequency times the field boost."""
        return self.decode_frequency(valuestring) * self.field_boost

    def combine(self, vs):
        """Return the positions of several values merged."""
        merged = set()
        for v in vs:
            merged.update(self.decode_positions(v))
        return self.encode(sorted(merged))


def _text(analyzer: Analyzer, boost: float = 1.0, stored: bool = False) -> fields.TEXT:
    field = fields.TEXT(analyzer=analyzer, field_boost=boost, stored=stored)
    field.format = PackedPositions(field_boost=boost)
    return field


def writer_options() -> dict:
    """Return the options every writer of ours uses.

    Uncompressed posting blocks cost some disk but save about a sixth of indexing time and
    the zlib step of every cold read; separate files (not compound) are read in place.
    """
    return {"codec": W3Codec(compression=0), "compound": False}


def make_schema() -> fields.Schema:
    """Return the schema: text fields to search, id fields to filter and facet on."""
    english = EnglishAnalyzer()
    return fields.Schema(
        key=fields.ID(unique=True, stored=True),
        document_id=fields.ID(stored=True),
        version=fields.STORED(),
        current=fields.ID(stored=True),
        title=_text(english, 3.0, stored=True),
        body=_text(english),
        names=_text(english, stored=True),
        authority=fields.ID(stored=True),
        owner=fields.ID(),
        doc_type=fields.ID(stored=True),
        stage=fields.ID(stored=True),
        tags=fields.KEYWORD(commas=True, lowercase=True, stored=True),
        visibility=fields.ID(stored=True),
        updated=fields.DATETIME(stored=True, sortable=True),
        stamp=fields.STORED(),
    )


def schema_outdated(ix) -> bool:
    """Return True when an index was built with fewer or other fields than this code writes."""
    return set(ix.schema.names()) != set(make_schema().names())


def text_fields(schema) -> tuple[str, ...]:
    """Return the plain-word fields this index has (an index built before may lack some)."""
    return tuple(name for name in TEXT_FIELDS if name in schema)


def index_root(instance_path: str | Path) -> Path:
    """Return the folder that holds the index folders and the CURRENT pointer."""
    return Path(instance_path) / "index"


def current_dir(root: Path) -> Path | None:
    """Return the live index folder, or None when there is no index yet."""
    try:
        name = (root / "CURRENT").read_text().strip()
    except FileNotFoundError:
        return None
    # CURRENT only ever names a folder whose table of contents is already written.
    path = root / name
    return path if name and path.is_dir() else None


def new_dir(root: Path, prefix: str = "build") -> Path:
    """Create and return an empty folder for a new index beside the live one."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"{prefix}-{time.time_ns():x}-{os.getpid()}"
    path.mkdir()
    return path


def swap_in(root: Path, path: Path) -> Path:
    """Make the built folder ``path`` the live index atomically; retire older ones."""
    live = root / ("ix-" + path.name.split("-", 1)[1])
    os.replace(path, live)
    pointer = root / f"CURRENT.{os.getpid()}.tmp"
    pointer.write_text(live.name)
    os.replace(pointer, root / "CURRENT")
    # Searchers opened on an older folder may still open files there: retire, then remove.
    retire_folders(root, live)
    return live


def open_or_create(root: Path):
    """Return the live Whoosh index, creating an empty one when there is none."""
    return with_retry(lambda: _open_or_create(root))


def _open_or_create(root: Path):
    path = current_dir(root)
    if path is not None:
        return index.open_dir(str(path))
    lock = root / "create.lock"
    root.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as handle:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            path = current_dir(root)
            if path is None:
                path = new_dir(root, "init")
                index.create_in(str(path), make_schema())
                path = swap_in(root, path)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return index.open_dir(str(path))
