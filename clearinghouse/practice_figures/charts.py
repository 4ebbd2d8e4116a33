"""The charts' shapes, drawn on the server as inline SVG (no script): horizontal bars, a row per
element or quarter, each with its label above it and its numbers in words beside it.

Colours are GOV.UK Frontend's, each at least 3:1 against white (green 5.1, blue 5.2, red 4.5),
and no figure is told by colour alone: every bar carries its numbers as text, and the legend
names each colour. The table that follows each chart is its accessible version.
"""

from ..audits.elements import RATINGS, rating_labels
from .figures import BANDS, GOOD_SCORE, MIN_GROUP

GREEN, BLUE, RED, TEXT, GREY = "#00703c", "#1d70b8", "#d4351c", "#0b0c0c", "#505a5f"
WIDTH, BAR_X, BAR_WIDTH, BAR_HEIGHT, ROW = 520, 0, 200, 18, 46
RATING_COLOURS = dict(zip(RATINGS, (GREEN, BLUE, RED), strict=True))
BAND_COLOURS = dict(zip((b[0] for b in BANDS), (RED, BLUE, GREEN), strict=True))
WITHHELD = f"Fewer than {MIN_GROUP}: not shown"


def _chart(rows: list[dict], maximum: int, legend: list[tuple[str, str]]) -> dict:
    """Return the chart's size and shapes: rows of {label, segments [(value, colour)], note}."""
    shapes: list[dict] = []
    y = 0
    if legend:
        x = 0
        for words, colour in legend:
            shapes.append({"kind": "rect", "x": x, "y": 2, "w": 16, "h": 16, "fill": colour})
            shapes.append({"kind": "text", "x": x + 22, "y": 15, "text": words, "fill": TEXT})
            x += 30 + 8 * len(words)
        y = 34
    for row in rows:
        shapes.append({"kind": "text", "x": 0, "y": y + 14, "text": row["label"], "fill": TEXT,
                       "bold": True})  # fmt: skip
        x = BAR_X
        for value, colour in row.get("segments", ()):
            width = BAR_WIDTH * value / maximum if maximum else 0
            if width:
                shapes.append({"kind": "rect", "x": round(x, 1), "y": y + 20,
                               "w": round(width, 1), "h": BAR_HEIGHT, "fill": colour})  # fmt: skip
            x += width
        note_x = BAR_X + BAR_WIDTH + 12 if row.get("segments") else 0
        fill = TEXT if row.get("segments") else GREY
        shapes.append({"kind": "text", "x": note_x, "y": y + 34, "text": row["note"], "fill": fill})
        y += ROW
    return {"width": WIDTH, "height": max(y, 20), "shapes": shapes}


def ratings_chart(quarter: dict) -> dict | None:
    """Return the chart of one quarter's ratings by element, or None with nothing to draw."""
    if quarter["suppressed"] or not quarter["audits"]:
        return None
    labels = rating_labels()
    rows = []
    for number, e in enumerate(quarter["elements"], start=1):
        words = ", ".join(f"{labels[r].lower()} {e[r]}" for r in RATINGS)
        rows.append({"label": f"{number}. {e['label']}",
                     "segments": [(e[r], RATING_COLOURS[r]) for r in RATINGS],
                     "note": words[0].upper() + words[1:]})  # fmt: skip
    legend = [(labels[r], RATING_COLOURS[r]) for r in RATINGS]
    return _chart(rows, quarter["audits"], legend)


def scales_chart(quarters: list[dict]) -> dict:
    """Return the chart of mapping scales in bands, a row per quarter."""
    rows = []
    counts = [q["audits"] for q in quarters if not q["suppressed"]]
    for q in quarters:
        if q["suppressed"]:
            rows.append({"label": q["quarter_label"], "note": WITHHELD})
        elif not q["audits"]:
            rows.append({"label": q["quarter_label"], "note": "No completed audits"})
        else:
            bands = ", ".join(f"{band.replace('-', ' to ')}: {n}" for band, n in q["bands"].items())
            rows.append({"label": q["quarter_label"],
                         "segments": [(n, BAND_COLOURS[b]) for b, n in q["bands"].items()],
                         "note": f"{bands}; median {q['median']}"})  # fmt: skip
    legend = [(f"Scale {b.replace('-', ' to ')}", BAND_COLOURS[b]) for b in BAND_COLOURS]
    return _chart(rows, max(counts, default=0), legend)


def feedback_chart(quarters: list[dict]) -> dict:
    """Return the chart of the share of answers scoring 7 or more, a row per quarter."""
    rows = []
    for q in quarters:
        if q["suppressed"]:
            rows.append({"label": q["quarter_label"], "note": "Not shown (see the table)"})
        elif not q["responses"]:
            rows.append({"label": q["quarter_label"], "note": "No responses"})
        else:
            share = q["explained_7_or_more_percent"]
            rows.append({"label": q["quarter_label"], "segments": [(share, BLUE)],
                         "note": f"{share}% scored {GOOD_SCORE} or more; median "
                                 f"{q['explained_median']}"})  # fmt: skip
    return _chart(rows, 100, [])


def self_assessment_chart(records: list[dict], labels: list[str]) -> dict:
    """Return the chart of the authority's self-assessments (0 to 10), a row per record."""
    rows = [{"label": label, "segments": [(r["scale"], BLUE)], "note": f"{r['scale']} out of 10"}
            for r, label in zip(records, labels, strict=True)]  # fmt: skip
    return _chart(rows, 10, [])
