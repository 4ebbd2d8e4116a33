"""The case journey's service: what a case needs for a document, and generating it.

Nothing here keeps the case. It arrives with each call (opened from the sealed field the
browser carries, or an uploaded case file) and is gone when the call returns. Permissions are
the generation service's: a practitioner, editor or manager of an authority may generate.
"""

from dataclasses import dataclass, field

from .. import permissions
from ..errors import InvalidInput, NotAuthorized
from ..generation import case_ids, case_pipeline, library, packs, service
from ..generation.case_validation import limits_check
from ..generation.schema_choices import item_label
from ..generation.schema_fields import singular
from . import answers, places
from .parts import PART_OF_KEY, Part, parts_for

MOST_NAMES = 4  # names shown for a list in "check your answers"


@dataclass
class Target:
    """A document or a pack the case can generate."""

    code: str  # template:<slug> or pack:<slug>
    title: str
    kind: str  # template or pack
    slug: str


@dataclass
class CheckRow:
    """One row of "check your answers": a part, what it holds, and its problems."""

    part: Part
    lines: list[str]
    problems: list[str] = field(default_factory=list)


@dataclass
class CaseCheck:
    """What a case holds for one document or pack, and whether it can be generated."""

    target: Target
    rows: list[CheckRow]
    problems: list[dict]  # message, part (or None)
    warnings: list[dict]
    recipients: list[tuple[str, str]] = field(default_factory=list)  # a letter to one person
    recipient: str = ""

    @property
    def ready(self) -> bool:
        """Return whether nothing stops the document being generated."""
        return not self.problems


def journey_allowed(user) -> None:
    """Raise NotAuthorized unless the user may enter a case and generate from it."""
    if not permissions.can_generate(user):
        raise NotAuthorized(
            "Only practitioners, editors and managers of an authority can generate documents."
        )


def targets_list(user) -> list[Target]:
    """Return every template and pack the user can generate, packs first."""
    journey_allowed(user)
    found = [Target(f"pack:{p.slug}", p.title, "pack", p.slug) for p in packs.packs_list(user)]
    found += [
        Target(f"template:{t.slug}", t.title, "template", t.slug)
        for t in service.templates_list(user)
    ]
    return found


def target_get(user, code: str) -> Target:
    """Return the document or pack named by its code (InvalidInput if there is none)."""
    for target in targets_list(user):
        if target.code == code:
            return target
    raise InvalidInput("unknown_document", "Choose a document or pack from the list.", status=400)


def _template_keys(user, slug: str) -> list[str]:
    prepared = service.template_prepare(user, slug)
    return list((prepared.entry.schema.get("properties") or {}).keys())


def _planned(user, target: Target, case: dict) -> list[tuple[str, str | None]]:
    if target.kind == "template":
        return [(target.slug, None)]
    return packs.pack_plan(user, packs.pack_for_rendering(user, target.slug), case)


def documents_using() -> dict[str, list[str]]:
    """Return, for each part of the case, the titles of the library documents that use it.

    Read from the library's own schemas (every practitioner may use them): no database work on
    each task list.
    """
    using: dict[str, list[str]] = {}
    for entry in sorted(library.library_get().entries.values(), key=lambda e: e.title):
        for part in parts_for((entry.schema.get("properties") or {}).keys()):
            using.setdefault(part.slug, []).append(entry.title)
    return using


def parts_needed(user, target: Target) -> list[Part]:
    """Return the parts of the case the document (or every document of the pack) uses."""
    if target.kind == "template":
        slugs = [target.slug]
    else:
        slugs = [item["template"] for item in packs.pack_get(user, target.slug).items]
    keys = [key for slug in slugs for key in _template_keys(user, slug)]
    return parts_for(keys)


def _lines(case: dict, part: Part, authority: dict) -> list[str]:
    lines = []
    for key in part.keys:
        value = authority if key == "authority" else case.get(key)
        if isinstance(value, list) and value:
            names = [
                item_label(key, item, i + 1, places.meeting_types())
                for i, item in enumerate(value[:MOST_NAMES])
            ]
            more = len(value) - MOST_NAMES
            noun = singular(key) if len(value) == 1 else key.replace("_", " ")
            lines.append(
                f"{len(value)} {noun}: "
                + "; ".join(names)
                + (f" and {more} more" if more > 0 else "")
            )
        elif isinstance(value, dict) and value:
            name = value.get("name") or value.get("date") or ""
            answered = sum(1 for v in value.values() if v not in (None, "", [], {}))
            lines.append(f"{name}{' – ' if name else ''}{answered} answers")
        elif value not in (None, "", [], {}):
            text = " ".join(str(value).split())
            lines.append(text if len(text) < 90 else text[:89] + "…")
    return lines or ["Not answered"]


def case_check(user, case: dict, target: Target) -> CaseCheck:
    """Return "check your answers" for the document: each part it uses, problems, warnings."""
    journey_allowed(user)
    problems, warnings = [], []
    try:
        planned = _planned(user, target, case)
    except InvalidInput as exc:
        planned = [(slug, None) for slug in _slugs(user, target)]
        problems += [{"message": d["message"], "path": d.get("path", "")} for d in exc.details]
    filled = service.case_with_authority(user, case)
    for slug, recipient in planned:
        try:
            warnings += service.case_data_check(
                service.template_prepare(user, slug), filled, recipient_id=recipient
            )
        except InvalidInput as exc:
            details = exc.details or [{"message": exc.message, "path": ""}]
            problems += [{"message": d["message"], "path": d.get("path", "")} for d in details]
    problems = _unique(problems)
    for problem in problems:
        problem["part"] = PART_OF_KEY.get(problem["path"].split("/")[1] if problem["path"] else "")
    authority = service.authority_for_case(user, case)
    rows = [
        CheckRow(
            part,
            _lines(case, part, authority),
            [p["message"] for p in problems if p["part"] == part],
        )  # fmt: skip
        for part in parts_needed(user, target)
    ]
    recipients = letter_recipients(user, target, case)
    document = case.get("document") if isinstance(case.get("document"), dict) else {}
    chosen = document.get("recipient_id") if recipients else ""
    return CaseCheck(target, rows, problems, _unique(warnings), recipients, str(chosen or ""))


def letter_recipients(user, target: Target, case: dict) -> list[tuple[str, str]]:
    """Return who a letter to one person may go to: each person with parental responsibility.

    Empty for documents that are not such a letter, and for packs (they write to each).
    """
    if target.kind != "template":
        return []
    meta = service.template_prepare(user, target.slug).entry.meta
    if meta.get("recipient") != case_pipeline.PR_HOLDER:
        return []
    return [(m["id"], str(m.get("name") or m["id"])) for m in case_pipeline.pr_holders(case)]


def recipient_choose(user, target: Target, case: dict, recipient_id: str) -> dict:
    """Return the case with the letter's recipient chosen (InvalidInput if not one of them)."""
    if recipient_id not in {rid for rid, _name in letter_recipients(user, target, case)}:
        raise InvalidInput(
            "recipient_required", "Choose who this letter is to from the list.", status=400
        )
    document = case.get("document") if isinstance(case.get("document"), dict) else {}
    return {**case, "document": {**document, "recipient_id": recipient_id}}


def _slugs(user, target: Target) -> list[str]:
    if target.kind == "template":
        return [target.slug]
    return [item["template"] for item in packs.pack_get(user, target.slug).items]


def _unique(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for item in items:
        key = (item.get("message"), item.get("path"))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def authority_defaults(user) -> dict:
    """Return the authority's details from its profile, which every document starts from."""
    return service.authority_profile(user)


def case_with_profile(user, case: dict) -> dict:
    """Return the case as its pages show it: the authority's details filled from its profile."""
    authority = service.authority_for_case(user, case)
    return {**case, "authority": authority} if authority else case


def case_without_profile(user, case: dict) -> dict:
    """Return the case keeping only the authority's details that differ from its profile.

    So a detail the practitioner did not change follows the profile when an editor changes it.
    """
    own = case.get("authority")
    if not isinstance(own, dict):
        return case
    profile = authority_defaults(user)
    changed = {}
    for key, value in own.items():
        base = profile.get(key)
        if isinstance(base, dict) and isinstance(value, dict):  # only the details changed
            value = {k: v for k, v in value.items() if base.get(k) != v}
            if value:
                changed[key] = value
        elif base != value:
            changed[key] = value
    kept = {k: v for k, v in case.items() if k != "authority"}
    return {**kept, "authority": changed} if changed else kept


def answers_save(user, case: dict, at: str, given: dict, *, max_kb: int, max_items: int):
    """Return the case with a page's answers stored, and the page's name now.

    The page showed the authority's details from its profile; only those the practitioner
    changed are kept. A case grown past what generation accepts is refused (InvalidInput 413)
    and nothing is stored.
    """
    stored, at = answers.answers_store(case_with_profile(user, case), at, given)
    stored = case_without_profile(user, stored)
    limits_check(stored, max_kb=max_kb, max_items=max_items)
    return stored, at


def case_upgraded(case: dict) -> tuple[dict, list[dict]]:
    """Return a case file's case in case model 2, with what converting it chose.

    Items other parts can point to get an id where the file has none, so they can be chosen.
    """
    case, converted = case_pipeline.upgraded(case)
    for key in places.LISTS_WITH_IDS:
        if isinstance(case.get(key), list):
            case_ids.ids_fill(case[key], key)
    return case, converted


def document_preview(user, case: dict, target: Target):
    """Return the document as HTML with its quality checks (audited, nothing kept)."""
    return service.document_generate(user, target.slug, case, fmt="html")


PDF_PROBLEMS = service.PDF_PROBLEMS
format_chosen = service.format_chosen
pdf_problem = service.pdf_problem


def document_download(user, case: dict, target: Target, fmt: str = "docx", pdfa: bool = False):
    """Return the .docx or PDF of a document, or a pack's zip of them (audited, nothing kept)."""
    if target.kind == "pack":
        return packs.pack_render(user, target.slug, case, fmt=fmt, pdfa=pdfa)
    return service.document_generate(user, target.slug, case, fmt=fmt, pdfa=pdfa)


def empty_case() -> dict:
    """Return a new, empty case of the current case model."""
    return {
        "case_version": library.library_get().case_schema["properties"]["case_version"]["const"]
    }
