"""Paper feedback forms from a CSV file: every row checked, then all stored or none.

The columns (a header row names them, in any order; others are refused):
team (the team's name in the authority, or empty), received (YYYY-MM-DD), explained (0-10),
listened (yes, a bit or no), helped and better (the family's words, may be empty), and code
(the feedback code printed on the form, may be empty: it is used up, and a form whose code a
family already answered with is refused, so no family is counted twice).
"""

import csv
import io
import logging
from datetime import date

from sqlalchemy import select

from ..errors import InvalidInput, NotFound
from ..extensions import db
from ..models import Authority
from ..teams.service import team_find
from . import codes, service

log = logging.getLogger(__name__)

COLUMNS = ("team", "received", "explained", "listened", "helped", "better", "code")
REQUIRED = ("received", "explained", "listened")
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


def _rows(data: bytes) -> list[dict]:
    """Return the file's rows as dicts, or refuse a file that is not such a CSV."""
    if len(data) > MAX_BYTES:
        raise InvalidInput("file_too_large", "The file is larger than 5 MB: split it.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("not_utf8", "Save the file as CSV UTF-8 and try again.") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        raise InvalidInput(
            "bad_columns",
            f"The first row must name the columns {', '.join(COLUMNS)} (team, helped, better "
            f"and code may be left out). Missing: {', '.join(missing) or 'none'}; not known: "
            f"{', '.join(unknown) or 'none'}.",
        )
    reader.fieldnames = header
    try:
        rows = []
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise InvalidInput("too_many_rows", f"Import at most {MAX_ROWS} forms at a time.")
            rows.append(row)
    except csv.Error as exc:
        raise InvalidInput(
            "bad_csv", f"The file is not a CSV file that can be read: {exc}"
        ) from None
    if not rows:
        raise InvalidInput("no_rows", "The file has no forms in it, only the header.")
    return rows


EARLIEST_YEAR = 2000  # a year like 0026 is a slip for 2026, not a form from antiquity


def _received(value: str, today: date) -> date:
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("write the date as YYYY-MM-DD, for example 2026-11-27") from None
    if day > today:
        raise ValueError("the date is in the future")
    if day.year < EARLIEST_YEAR:
        raise ValueError(f"the date is before {EARLIEST_YEAR}: check the year")
    return day


def _code_problems(authority_id: int, number: int, typed: str, seen: dict) -> list[dict]:
    """Return the problems of a row's printed code: unknown, already used, or on two rows."""
    if not typed.strip():
        return []
    path = f"row {number}, code"
    key = codes.normalise(typed)
    if key in seen:
        return [{"path": path, "message": f"the same code is on row {seen[key]}"}]
    seen[key] = number
    try:
        codes.paper_code(authority_id, typed)
    except InvalidInput as exc:
        return [{"path": path, "message": exc.message[0].lower() + exc.message[1:]}]
    return []


def feedback_import(authority_slug: str, data: bytes, today: date) -> int:
    """Check every row of a CSV of paper forms for the authority; store all, or refuse all
    with every row's problems."""
    authority = db.session.scalar(select(Authority).where(Authority.slug == authority_slug))
    if authority is None:
        raise NotFound(f"There is no authority called {authority_slug}.")
    problems, checked, seen = [], [], {}
    for number, row in enumerate(_rows(data), start=2):  # row 1 is the header
        if None in row:
            problems.append({"path": f"row {number}", "message": "it has more cells than columns"})
            continue
        team_id = None
        team_name = (row.get("team") or "").strip()
        if team_name:
            team = team_find(authority.id, team_name)
            if team is None:
                message = f"{authority.name} has no team called {team_name!r}"
                problems.append({"path": f"row {number}, team", "message": message})
            team_id = team.id if team else None
        try:
            received = _received(row.get("received") or "", today)
        except ValueError as exc:
            problems.append({"path": f"row {number}, received", "message": str(exc)})
            received = None
        try:
            service.answers_check(row)
        except InvalidInput as exc:
            for detail in exc.details:
                path = f"row {number}, {detail['path']}"
                problems.append({"path": path, "message": detail["message"].lower()})
        problems += _code_problems(authority.id, number, row.get("code") or "", seen)
        checked.append((number, team_id, received, row))
    if problems:
        raise InvalidInput(
            "invalid_rows", f"{len(problems)} problems: nothing was imported.", problems
        )
    return service.paper_import(authority.id, checked)
