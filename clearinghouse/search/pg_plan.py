"""How PostgreSQL plans a search: settings a search applies to its own transaction only.

The server's configuration needs nothing for search; each search sets what it needs in one
statement and puts back what was there in another.
"""

from sqlalchemy import text
from sqlalchemy.orm import Session

# How a search is planned. The planner counts no cost for reading a body's tsvector (out of
# TOAST in search_entry, from the row in search_body), which is most of a search's time, so,
# for every statement of a search:
# - it scans every row to test a common word (80 ms at 20,000 versions) where the GIN index
#   answers in 10; reading through the indexes is never the slower way here;
# - its JIT compiler, which the many tests of a long query tempt, spent 130 ms compiling a
#   phrase search that then ran in 210.
SEARCH_SETTINGS = {"enable_seqscan": "off", "jit": "off"}
# And for the one statement that reads and ranks the matches:
# - it thinks testing and ranking them too cheap to share between processes: with these costs
#   a search large enough (search_entry over 8 MB) does it in parallel workers beside the
#   backend (max_parallel_workers_per_gather of them); for the small lookups around it,
#   starting workers would cost more than it saves;
# - once psycopg has prepared it (from its fifth run) it is planned once for any words after
#   five more: the plan depends on the words, so each search is planned for its own (a phrase
#   search went from 60 to 105 ms when its generic plan took over). The lookups around it
#   keep their generic plans, which spares planning each of them on every search.
MATCHES_SETTINGS = {
    "parallel_setup_cost": "0",
    "parallel_tuple_cost": "0",
    "plan_cache_mode": "force_custom_plan",
}
PLAN_SETTINGS = SEARCH_SETTINGS | MATCHES_SETTINGS

_SET_READING_OLD = text(
    "SELECT name, old, set_config(name, value, true) FROM (SELECT name, value, "
    "current_setting(name) AS old FROM unnest(CAST(:names AS text[]), "
    "CAST(:values AS text[])) AS wanted(name, value) OFFSET 0) AS settings"
)
_SET = text(
    "SELECT set_config(name, value, true) "
    "FROM unnest(CAST(:names AS text[]), CAST(:values AS text[])) AS wanted(name, value)"
)


def set_for_transaction(session: Session, settings: dict[str, str]) -> dict[str, str]:
    """Apply planner settings until the transaction ends, in one statement; return the old."""
    names, values = list(settings), list(settings.values())
    rows = session.execute(_SET_READING_OLD, {"names": names, "values": values})
    return {name: old for name, old, _new in rows}


def restore(session: Session, settings: dict[str, str]) -> None:
    """Put back settings that ``set_for_transaction`` replaced, in one statement."""
    session.execute(_SET, {"names": list(settings), "values": list(settings.values())})


class TransactionSettings:
    """Settings a search applies as it goes, all put back together in one statement."""

    def __init__(self, session: Session):
        self.session = session
        self._replaced: dict[str, str] = {}

    def apply(self, settings: dict[str, str]) -> None:
        """Apply settings until put back (or the transaction ends), remembering the first old."""
        for name, old in set_for_transaction(self.session, settings).items():
            self._replaced.setdefault(name, old)

    def put_back(self) -> None:
        """Put back every setting applied since the last put_back; nothing if none was."""
        if self._replaced:
            restore(self.session, self._replaced)
            self._replaced = {}
