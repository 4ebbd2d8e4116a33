"""The elements of a good mapping, their fixed reasons and the scale, from elements.json."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RATINGS = ("met", "partly", "not_met")


@dataclass(frozen=True)
class Reason:
    """A short reason from an element's fixed list, and the ratings it fits."""

    code: str
    text: str
    fits: tuple[str, ...]


@dataclass(frozen=True)
class Element:
    """One element of a good mapping the two rate."""

    code: str
    label: str
    hint: str
    reasons: tuple[Reason, ...]

    def reason(self, code: str) -> Reason | None:
        """Return the reason with this code, or None."""
        return next((r for r in self.reasons if r.code == code), None)


@cache
def _data() -> dict:
    return json.loads((Path(__file__).with_name("elements.json")).read_text("utf-8"))


@cache
def elements() -> tuple[Element, ...]:
    """Return the elements in the order the pages show them."""
    return tuple(
        Element(
            e["code"],
            e["label"],
            e["hint"],
            tuple(Reason(r["code"], r["text"], tuple(r["fits"])) for r in e["reasons"]),
        )
        for e in _data()["elements"]
    )


def element(code: str) -> Element | None:
    """Return the element with this code, or None."""
    return next((e for e in elements() if e.code == code), None)


def rating_labels() -> dict[str, str]:
    """Return each rating's code and its words ("met": "Met")."""
    return dict(_data()["ratings"])


def scale_meaning() -> dict[str, str]:
    """Return the whole-mapping scale's question and what 0 and 10 mean."""
    return dict(_data()["scale"])
