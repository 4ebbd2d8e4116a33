"""The parts of a case, each entered on its own pages, and how complete each one is.

The first nine parts are the mapping every Signs of Safety document draws on; the rest are
needed only by the documents that print them, and the task list says which.
"""

from dataclasses import dataclass, field

from ..generation import case_references, library
from ..generation.case_validation import case_data_errors


@dataclass(frozen=True)
class Part:
    """One task of the task list: a title and the top-level parts of the case it holds."""

    slug: str
    title: str
    keys: tuple[str, ...]
    core: bool = True
    hint: str = ""


PARTS = (
    Part("children", "Children", ("children",)),
    Part("family", "Family and parental responsibility", ("family_members",)),
    Part("network", "Network and professionals", ("safety_network", "professionals")),
    Part(
        "worries",
        "What we are worried about",
        ("harm", "danger_statements", "complicating_factors"),
    ),  # fmt: skip
    Part("working-well", "What's working well", ("strengths", "existing_safety")),
    Part("needs", "What needs to happen", ("safety_goals", "next_steps")),
    Part("scaling", "Scaling", ("scales",)),
    Part("voice", "Child's voice", ("child_voice",)),
    Part("meetings", "Meetings", ("meetings",)),
    Part("about", "Lead social worker and key dates", ("worker", "key_dates"), False),
    Part(
        "document",
        "About the document",
        ("document",),
        False,
        "Its date, reference and, for a letter, who it is to.",
    ),  # fmt: skip
    Part(
        "authority",
        "Your authority's details",
        ("authority",),
        False,
        "Filled in from your authority's profile; change a detail for this case only.",
    ),  # fmt: skip
    Part("views", "Views of parents and network", ("views",), False),
    Part("history", "Family history and chronology", ("family_history", "chronology"), False),
    Part("court", "Pre-proceedings and court", ("legal", "plo", "court"), False),
    Part("assessment", "Single assessment", ("assessment",), False),
    Part("referral", "Referral", ("referral",), False),
    Part("agency", "Agency report", ("agency_report",), False),
    Part("safety-plan", "Safety plan", ("safety_plan",), False),
    Part("words", "Words and Pictures", ("words_and_pictures",), False),
    Part("feedback", "Family feedback form", ("feedback",), False),
    Part("early-help", "Early help plan", ("early_help",), False),
    Part("supervision", "Supervision", ("supervision",), False),
)
BY_SLUG = {part.slug: part for part in PARTS}
PART_OF_KEY = {key: part for part in PARTS for key in part.keys}
CONSTANT_KEYS = ("case_version",)

NOT_STARTED, IN_PROGRESS, COMPLETED = "Not yet started", "Incomplete", "Completed"


@dataclass
class PartStatus:
    """A part as the task list shows it."""

    part: Part
    status: str
    problems: list[dict] = field(default_factory=list)
    needed_by: list[str] = field(default_factory=list)


def part_get(slug: str) -> Part | None:
    """Return the part with this slug, or None."""
    return BY_SLUG.get(slug)


def parts_for(schema_keys) -> list[Part]:
    """Return the parts that hold any of the given top-level keys, in task-list order."""
    wanted = set(schema_keys)
    return [part for part in PARTS if wanted.intersection(part.keys)]


def case_problems(case: dict) -> list[dict]:
    """Return every problem in the case against the whole case model, as path and message."""
    details = case_data_errors(library.case_validator(), case, library.case_form_schema())
    return details + case_references.reference_errors(case)


def _has(value) -> bool:
    return value not in (None, "", [], {})


def statuses(case: dict, needed_by: dict[str, list[str]] | None = None) -> list[PartStatus]:
    """Return every part's status: not started, incomplete (with problems) or completed."""
    problems = case_problems(case)
    found = []
    for part in PARTS:
        own = [p for p in problems if p["path"].split("/")[1:2] and
               p["path"].split("/")[1] in part.keys]  # fmt: skip
        if not any(_has(case.get(key)) for key in part.keys):
            status = NOT_STARTED
        else:
            status = IN_PROGRESS if own else COMPLETED
        found.append(PartStatus(part, status, own, (needed_by or {}).get(part.slug, [])))
    return found
