"""The search package's own small interface: index a version, remove a document, query.

Services and views use only these dataclasses and the ``SearchEngine`` protocol, so another
engine could replace Whoosh by implementing the same four methods.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

FACETS = ("authority", "doc_type", "stage")


@dataclass
class IndexEntry:
    """One document version as the index sees it."""

    document_id: int
    version: int
    current: bool
    title: str
    body: str
    authority: str
    authority_id: int
    doc_type: str
    stage: str
    tags: list[str]
    visibility: str
    updated: datetime
    stamp: str = ""
    doc_type_label: str = ""  # the names the page shows, searchable as words
    authority_name: str = ""


@dataclass
class SearchSpec:
    """What to look for, and who is looking (``viewer_authority_id`` may be None).

    ``names`` gives the shown names of types and authorities ({"doc_type": {slug: name},
    "authority": {slug: name}}): ``type:`` and ``authority:`` accept them, and their words are
    never "corrected"; ``synonyms`` expands the query with the practice thesaurus.
    """

    text: str
    viewer_authority_id: int | None
    authority: list[str] = field(default_factory=list)
    doc_type: list[str] = field(default_factory=list)
    stage: list[str] = field(default_factory=list)
    all_versions: bool = False
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    synonyms: bool = True


@dataclass
class SearchHit:
    """One matching version."""

    document_id: int
    version: int
    current: bool
    title: str
    authority: str
    doc_type: str
    stage: str
    updated: datetime | None
    score: float
    snippet: str = ""


@dataclass
class SearchOutcome:
    """A page of hits with the total, facet counts and an optional spelling suggestion."""

    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]
    suggestion: str | None = None
    plain_words: bool = False


TextLoader = Callable[[list[tuple[int, int]]], dict[tuple[int, int], str]]


class SearchEngine(Protocol):
    """What a search engine must do for the clearing house."""

    def index_version(self, entries: Iterable[IndexEntry]) -> None:
        """Replace a document's entries with these versions (one document at a time)."""

    def remove_document(self, document_id: int) -> None:
        """Remove every entry of a document."""

    def query(self, spec: SearchSpec, load_text: TextLoader) -> SearchOutcome:
        """Return the hits the viewer may see, with snippets made from ``load_text``."""

    def indexed(self) -> dict[tuple[int, int], dict]:
        """Return {(document_id, version): stored fields} of every entry, for the check."""
