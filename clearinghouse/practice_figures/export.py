"""The figures as CSV rows and as plain text: the same figures and withheld groups as the page.

One CSV for all the figures, a row per number: figure, quarter, group, measure, value. A
withheld group is one row whose measure is "withheld" and whose value says why, in words.
"""

import csv
import io

from ..audits.elements import rating_labels
from ..compare.coverage import csv_safe
from ..feedback.service import LISTENED
from .figures import FEWER, MIN_GROUP

CSV_COLUMNS = ["figure", "quarter", "group", "measure", "value"]
FIGURE_NAMES = {
    "audit_ratings": "Audit ratings by element",
    "scales": "Mapping scales",
    "feedback": "Did we explain clearly why we were worried? and did you feel listened to?",
    "self_assessments": "Implementation self-assessment (0 to 10)",
}


def withheld_words(group: dict, unit: str) -> str:
    """Return why a group's figure is not shown, in words."""
    if group["reason"] == FEWER:
        return f"Fewer than {MIN_GROUP} {unit}: not shown, so no one can be recognised"
    return (
        "Not shown: with the teams shown beside it, it would give away the figures of teams "
        f"with fewer than {MIN_GROUP} responses"
    )


def _feedback_rows(group: dict) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [("responses", group["responses"])]
    if group["responses"]:
        rows += [
            ("explained median (0 to 10)", group["explained_median"]),
            ("explained mean (0 to 10)", group["explained_mean"]),
            ("explained 7 or more (%)", group["explained_7_or_more_percent"]),
        ]
        rows += [
            (f"listened: {words.lower()} (%)", group["listened_percent"][key])
            for key, words in LISTENED.items()
        ]
    return rows


def figure_rows(data: dict):
    """Yield (figure, quarter label, group, measure, value) for every number shown."""
    ratings = rating_labels()
    for key in ("audit_ratings", "scales"):
        for q in data[key]:
            name, label, group = FIGURE_NAMES[key], q["quarter_label"], "All completed audits"
            if q["suppressed"]:
                yield name, label, group, "withheld", withheld_words(q, "audits")
                continue
            yield name, label, group, "audits", q["audits"]
            if not q["audits"]:
                continue
            if key == "audit_ratings":
                for e in q["elements"]:
                    for code, words in ratings.items():
                        yield name, label, e["label"], words.lower(), e[code]
            else:
                for band, count in q["bands"].items():
                    yield name, label, f"Scale {band.replace('-', ' to ')}", "audits", count
                yield name, label, group, "median scale", q["median"]
    feedback = data["feedback"]
    for g in feedback["all_teams"] + feedback["by_team"]:
        name, label = FIGURE_NAMES["feedback"], g["quarter_label"]
        if g["suppressed"]:
            yield name, label, g["team"], "withheld", withheld_words(g, "responses")
            continue
        for measure, value in _feedback_rows(g):
            yield name, label, g["team"], measure, value
    for record in data.get("self_assessments") or ():
        name = FIGURE_NAMES["self_assessments"]
        yield name, record["date"], "The authority", "scale", record["scale"]


def figures_csv(data: dict) -> str:
    """Return the figures as CSV text no spreadsheet will run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in figure_rows(data):
        writer.writerow([csv_safe(v) for v in row])
    return out.getvalue()


def figures_text(data: dict) -> str:
    """Return the figures as lines of plain text, for the command line."""
    lines = [f"Practice figures: {data['authority']['name']}"]
    lines.append(f"Quarters: {', '.join(data['quarters'])} (completed quarters only)")
    current = None
    for name, quarter, group, measure, value in figure_rows(data):
        if name != current:
            lines += ["", name]
            current = name
        lines.append(f"  {quarter} | {group} | {measure}: {value}")
    return "\n".join(lines) + "\n"
