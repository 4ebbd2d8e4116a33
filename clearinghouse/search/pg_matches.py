"""The one statement that reads a search's matches: facet counts and the page of hits.

Candidates are found by the GIN indexes and the cheap filters (permission, current, facets)
first; only then are their word lists read, to test phrases and negations and to rank them.
The GROUP BY of the facets, the page, and the page's titles and labels are all read from
the matches in one statement, whose answer is one small row of JSON.
"""

import logging
from datetime import datetime

from sqlalchemy import (
    Integer,
    and_,
    case,
    false,
    func,
    literal,
    literal_column,
    null,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import TSVECTOR, aggregate_order_by, array
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.util import ClauseAdapter
from whoosh import query as wq

from .engine import FACETS, SearchHit
from .pg_plan import MATCHES_SETTINGS, TransactionSettings
from .pg_query import UnknownNode, candidates, condition, score
from .pg_tables import SearchBody, SearchEntry

log = logging.getLogger(__name__)


def searchable(node):
    """Return the SQL condition of a query node; a shape it cannot answer matches nothing."""
    try:
        return condition(node)
    except UnknownNode as exc:  # a shape the parser does not make today: say so, match none
        log.warning("query node not searchable on PostgreSQL: %s", exc)
        return condition(wq.NullQuery)


def indexed_candidates(node):
    """Return (a condition the GIN indexes answer alone, whether ``searchable`` must follow)."""
    try:
        return candidates(node)
    except UnknownNode:
        return searchable(node), False


def facets_and_page(
    session: Session,
    settings: TransactionSettings,
    parsed,
    filters: list,
    newest: bool,
    offset: int,
    limit: int,
) -> tuple[dict[str, dict[str, int]], list[SearchHit]]:
    """Return the facet counts and the page's hits (best or newest first), in one statement.

    The statement runs with MATCHES_SETTINGS; afterwards every setting ``settings`` holds is
    put back, so the lookups that follow plan as they would outside a search.
    """
    matches = _matches(parsed, filters, newest)
    grouped = [matches.c[name] for name in FACETS]
    counts = (
        select(*grouped, func.grouping(*grouped).label("unused"), func.count().label("n"))
        .group_by(func.grouping_sets(*[tuple_(c) for c in grouped]))
        .subquery("counts")
    )
    page = (
        select(matches.c.document_id, matches.c.version, matches.c.updated, matches.c.score)
        .order_by(*_best_first(matches.c, newest))
        .offset(offset)
        .limit(limit)
        .subquery("page")
    )
    shown = aliased(SearchEntry, name="shown")  # the page's own rows, for what a hit shows
    on_key = and_(shown.document_id == page.c.document_id, shown.version == page.c.version)
    settings.apply(MATCHES_SETTINGS)
    facets_json, page_json = session.execute(
        select(
            select(func.json_agg(func.json_build_array(*counts.c))).scalar_subquery(),
            select(
                func.json_agg(
                    aggregate_order_by(
                        func.json_build_array(
                            page.c.document_id,
                            page.c.version,
                            page.c.score,
                            shown.current,
                            shown.title,
                            shown.authority,
                            shown.doc_type,
                            shown.stage,
                            page.c.updated,
                        ),
                        *_best_first(page.c, newest),  # the join keeps no order of its own
                    )
                )
            )
            .select_from(page.join(shown, on_key))
            .scalar_subquery(),
        )
    ).one()
    settings.put_back()
    return _facets(facets_json or []), [_hit(row) for row in page_json or []]


def _best_first(columns, newest: bool) -> list:
    """Return the order of matches: by score (unless newest first), then newest, then key."""
    order = [columns.updated.desc().nulls_last(), columns.document_id, columns.version]
    return order if newest else [columns.score.desc(), *order]


def _matches(parsed, filters: list, newest: bool):
    """Return the CTE of the matching rows: their keys, facets, date and score."""
    found, again = indexed_candidates(parsed)
    facet_columns = [getattr(SearchEntry, name) for name in FACETS]
    # Bodies are read from search_body, which holds them in its rows, and only when a
    # phrase, a negation or the rank needs them: sorted by date, none is read. An entry
    # without its body row (written by a server of an older release) is still found: its
    # body is read from search_entry's copy, slowly, until check-index --repair.
    reads_body = again or not newest
    body = SearchEntry.body_tsv
    if reads_body:
        body = func.coalesce(SearchBody.body_tsv, SearchEntry.body_tsv, type_=TSVECTOR)
    if again:
        body = _read_once(body)
    vectors = (SearchEntry.title_tsv, body.label("body_tsv"), SearchEntry.names_tsv)
    # Every column a condition may name, so the second level reads them all from here
    # (a column missing here would join the whole table in again).
    tested = (
        SearchEntry.tags,
        SearchEntry.owner_id,
        SearchEntry.current,
        SearchEntry.visibility,
    )
    rows = (
        select(SearchEntry.document_id, SearchEntry.version, *facet_columns)
        .add_columns(SearchEntry.updated, *vectors, *tested)
        .where(found, *filters)
    )
    if reads_body:
        rows = rows.outerjoin(SearchBody)  # on the entry's key: one body or none
    rows = rows.subquery("candidates")
    on_rows = ClauseAdapter(rows, adapt_on_names=True).traverse  # body_tsv by its label
    relevance = on_rows(score(parsed)) if not newest else literal(0.0)
    matches = select(rows.c.document_id, rows.c.version, *[rows.c[n] for n in FACETS])
    matches = matches.add_columns(rows.c.updated, relevance.label("score"))
    if again:
        # Phrases and negations are tested only on rows the cheap filters kept: inside
        # CASE the test cannot become an index condition, which the planner would check
        # (reading word lists) before the filters, on every version of every authority.
        kept = and_(*[on_rows(f) for f in filters])
        matches = matches.where(case((kept, on_rows(searchable(parsed))), else_=false()))
    return matches.cte("matches").prefix_with("MATERIALIZED")


def _facets(rows: list) -> dict[str, dict[str, int]]:
    """Return {facet: {value: count}} from the GROUPING SETS rows, largest first."""
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for *values, bits, count in rows:
        for i, name in enumerate(FACETS):
            if not bits & (1 << (len(FACETS) - 1 - i)):  # this row groups by this facet
                facets[name][values[i]] = count
    return {name: dict(sorted(found.items(), key=_largest_first)) for name, found in facets.items()}


def _hit(row: list) -> SearchHit:
    """Return a hit from a page row: (document, version, score, then what it shows)."""
    document_id, version, found_score, current, title, authority, kind, stage, at = row
    return SearchHit(
        document_id=document_id,
        version=version,
        current=current,
        title=title,
        authority=authority,
        doc_type=kind,
        stage=stage,
        updated=datetime.fromisoformat(at) if at is not None else None,
        score=round(float(found_score or 0.0), 4),
    )


def _read_once(body):
    """Return the body's tsvector read once, for a test and a rank that both read it.

    Every use of a column fetches a long value from TOAST afresh: testing phrases and then
    ranking read each body twice. Most bodies are held in search_body's rows, but one whose
    words take more than a page (8 KB) is still kept in TOAST. An array holds its values read
    in, and taking the one value back out of it copies nothing. The volatile clock keeps the
    subquery whole (a planner that merged it into the query above would read the body once
    for each use again) without stopping it from running in parallel workers, as OFFSET 0
    would.
    """
    held = array([body], type_=TSVECTOR)[literal_column("1", Integer)]
    return case((func.clock_timestamp().is_(None), null()), else_=held)


def _largest_first(item: tuple[str, int]):
    return (-item[1], item[0])
