"""The search service: what the page, the API and the CLI call with the acting user.

The permission filter goes into the engine's query, so results, facet counts, snippets and
suggestions only ever come from documents the user may see; hits are checked against the
database again in case the index lags behind a change.
"""

import logging
from dataclasses import dataclass, field

from sqlalchemy import literal, select, tuple_, union_all
from sqlalchemy.orm import joinedload

from .. import permissions
from ..errors import InvalidInput, NotAuthorized
from ..extensions import db
from ..models import Authority, DocType, Document, DocumentVersion
from ..vocabulary import STAGE_LABELS
from .engine import FACETS, SearchSpec
from .index import get_engine
from .snippets import snippet_plain
from .whoosh_search import MAX_RESULTS

log = logging.getLogger(__name__)
SORTS = ("relevance", "newest")
MAX_PER_PAGE = 100


@dataclass
class SearchResult:
    """One hit as callers see it."""

    document_id: int
    title: str
    authority: str
    authority_name: str
    doc_type: str
    doc_type_label: str
    stage: str
    version: int
    current: bool
    snippet: str
    score: float

    def as_dict(self) -> dict:
        """Return the hit as the API shows it."""
        snippet_text, snippet_marks = snippet_plain(self.snippet)
        return {
            "document_id": self.document_id,
            "title": self.title,
            "authority": self.authority,
            "doc_type": self.doc_type,
            "version": self.version,
            "snippet": self.snippet,
            "snippet_text": snippet_text,
            "snippet_marks": snippet_marks,
            "score": self.score,
        }


@dataclass
class SearchPage:
    """A page of results with the total, facets, a suggestion and the request echoed."""

    query: str
    total: int
    page: int
    per_page: int
    results: list[SearchResult]
    facets: dict[str, dict[str, int]]
    suggestion: str | None
    plain_words: bool
    filters: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    all_versions: bool = False
    sort: str = "relevance"
    problem: str | None = None  # why a lenient search fell back to page 1 with the defaults

    @property
    def pages(self) -> int:
        """Return how many pages the results fill (capped at the reachable limit)."""
        reachable = min(self.total, MAX_RESULTS)
        return max(1, -(-reachable // self.per_page))

    def as_dict(self) -> dict:
        """Return the page as the API shows it."""
        return {
            "total": self.total,
            "page": self.page,
            "results": [r.as_dict() for r in self.results],
            "facets": self.facets,
            "suggestion": self.suggestion,
        }


def _problem(code: str, path: str, message: str) -> InvalidInput:
    return InvalidInput(code, message, [{"path": path, "message": message}], status=400)


def _as_int(value, name: str, default: int, low: int, high: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        raise _problem(f"invalid_{name}", name, f"{name} must be a whole number.") from None
    if not low <= number <= high:
        raise _problem(f"invalid_{name}", name, f"{name} must be between {low} and {high}.")
    return number


def _values(value) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    out = []
    for item in items:
        out.extend(part.strip().lower() for part in str(item).split(",") if part.strip())
    return list(dict.fromkeys(out))[:50]


def _load_text(user):
    def load(keys: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
        if not keys:
            return {}
        # One expanding parameter: an OR of a comparison a key cost 4 ms a search to build.
        key = tuple_(DocumentVersion.document_id, DocumentVersion.number)
        rows = db.session.execute(
            select(
                DocumentVersion.document_id, DocumentVersion.number, DocumentVersion.extracted_text
            ).where(key.in_(keys))
        )
        return {(d, n): text or "" for d, n, text in rows}

    return load


def _labels() -> dict[str, dict[str, str]]:
    """Return the shown names of authorities, types and stages, read in one statement."""
    labels: dict[str, dict[str, str]] = {"authority": {}, "doc_type": {}}
    authorities = select(literal("authority"), Authority.slug, Authority.name)
    types = select(literal("doc_type"), DocType.slug, DocType.label)
    for kind, slug, name in db.session.execute(union_all(authorities, types)):
        labels[kind][slug] = name
    return {**labels, "stage": dict(STAGE_LABELS)}


def search_args(args) -> dict:
    """Return search_documents' keyword arguments from query-string arguments (a MultiDict)."""
    return {
        "q": args.get("q", ""),
        **{name: args.getlist(name) for name in FACETS},
        **{name: args.get(name) for name in ("versions", "sort", "page", "per_page")},
    }


def _paging(versions, sort, page, per_page) -> tuple[str, str, int, int]:
    """Check the options that shape a page of results; return them with their defaults."""
    sort = (sort or "relevance").strip().lower()
    if sort not in SORTS:
        raise _problem("invalid_sort", "sort", "sort must be relevance or newest.")
    versions = (versions or "current").strip().lower()
    if versions not in ("current", "all"):
        raise _problem("invalid_versions", "versions", "versions must be current or all.")
    per_page = _as_int(per_page, "per_page", 20, 1, MAX_PER_PAGE)
    page = _as_int(page, "page", 1, 1, MAX_RESULTS // per_page)
    return versions, sort, page, per_page


def search_documents(
    user,
    q: str = "",
    authority=None,
    doc_type=None,
    stage=None,
    versions: str | None = None,
    sort: str | None = None,
    page=None,
    per_page=None,
    *,
    lenient: bool = False,
    synonyms: bool = True,
) -> SearchPage:
    """Search the documents the user may see; return a page of results with facets.

    A bad page, size, sort or versions raises InvalidInput; with ``lenient`` (the web page,
    for a hand-edited address) it searches page 1 with the defaults and says why in ``problem``.
    ``synonyms=False`` searches the words as typed, without the practice thesaurus.
    """
    if not permissions.can_read(user):
        raise NotAuthorized("Sign in to search.")
    q = (q or "")[:500]
    problem = None
    try:
        versions, sort, page, per_page = _paging(versions, sort, page, per_page)
    except InvalidInput as exc:
        if not lenient:
            raise
        problem = exc.message
        versions, sort, page, per_page = _paging(None, None, None, None)
    filters = {
        "authority": _values(authority),
        "doc_type": _values(doc_type),
        "stage": _values(stage),
    }
    labels = _labels()
    spec = SearchSpec(
        text=q,
        viewer_authority_id=user.authority_id,
        all_versions=versions == "all",
        sort=sort,
        page=page,
        per_page=per_page,
        names={"doc_type": labels["doc_type"], "authority": labels["authority"]},
        synonyms=synonyms,
        **filters,
    )
    if not q.strip() and not any(filters.values()):
        empty = {name: {} for name in FACETS}
        return SearchPage(
            q, 0, page, per_page, [], empty, None, False, filters, labels, problem=problem
        )
    outcome = get_engine().query(spec, _load_text(user))
    documents = {
        d.id: d
        for d in db.session.scalars(
            select(Document)
            .where(Document.id.in_({h.document_id for h in outcome.hits}))
            .options(joinedload(Document.authority))
        )
    }
    results = []
    for hit in outcome.hits:
        document = documents.get(hit.document_id)
        if document is None or not permissions.can_view_document(user, document):
            continue  # the index lags behind a change: never show it
        results.append(
            SearchResult(
                document_id=hit.document_id,
                title=document.title,
                authority=document.authority.slug,
                authority_name=document.authority.name,
                doc_type=document.doc_type,
                doc_type_label=labels["doc_type"].get(document.doc_type, document.doc_type),
                stage=document.stage,
                version=hit.version,
                current=hit.current,
                snippet=hit.snippet,
                score=hit.score,
            )
        )
    return SearchPage(
        q,
        outcome.total,
        page,
        per_page,
        results,
        outcome.facets,
        outcome.suggestion,
        outcome.plain_words,
        filters,
        labels,
        versions == "all",
        sort,
        problem,
    )
