"""What one document may say: the case seen from the document's date, reader and meeting.

Templates read this view, never the raw case, so the rules a judge or a parent relies on are
applied once, in code, for library and authority templates alike:
- a document speaks from ``document.date``: past facts dated after it are left out, each with
  an ``after_document_date`` warning;
- a letter goes to one person: only their address (none when withheld), only the children they
  hold parental responsibility for, and no other adult's contact details;
- a child's words appear only where the child agreed to share them; elsewhere the document says
  the views were heard and shared with the conference or the court.
"""

import copy
import json
from datetime import date

from ..errors import InvalidInput
from . import case_dates, case_scales
from .case_validation import dicts_in

SHARE_CODES = ("conference", "court", "professionals", "network")
ANNOUNCED = ("id", "type", "date", "time", "place", "how", "joining_details", "purpose")
PARENTS = "parents"  # a template's shares_as: read by every person with parental responsibility
SHARED_WITH_WORDS = {
    "conference": "the conference",
    "court": "the court",
    "professionals": "the professionals working with the family",
    "network": "the family's safety network",
}
CONTACT_KEYS = ("address", "phone", "email")
CONFERENCE_TYPES = ("initial_conference", "review_conference")


def _by_id(items) -> dict:
    return {item["id"]: item for item in dicts_in(items) if isinstance(item.get("id"), str)}


def _person_name(person: dict) -> str:
    return str(person.get("name") or "")


def _child_name(child: dict) -> str:
    return str(child.get("known_as") or child.get("name") or "")


def _recipient(case: dict, recipient_id: str) -> dict:
    member = _by_id(case.get("family_members")).get(recipient_id)
    if member is None:
        raise InvalidInput(
            "invalid_case_data",
            "The person this letter is to is not in the case.",
            details=[
                {
                    "path": "/document/recipient_id",
                    "message": "Choose a family member who is in this case",
                }
            ],
        )
    if not member.get("parental_responsibility_for"):
        raise InvalidInput(
            "invalid_case_data",
            "This letter goes only to a person with parental responsibility.",
            details=[
                {
                    "path": "/document/recipient_id",
                    "message": "Choose a person with parental responsibility for a child in "
                    "this case",
                }
            ],
        )
    return member


def _about_children(item: dict, kept: set[str]) -> bool:
    """Return whether an item is about at least one kept child (items naming none are)."""
    ids = item.get("child_ids")
    if not isinstance(ids, list) or not ids:
        return True
    return bool(set(ids) & kept)


def _narrow_to_recipient(view: dict, member: dict) -> None:
    """Keep only what a letter to this one person may show."""
    kept = set(member.get("parental_responsibility_for") or [])
    view["children"] = [c for c in dicts_in(view.get("children")) if c.get("id") in kept]
    dangers = [d for d in dicts_in(view.get("danger_statements")) if _about_children(d, kept)]
    danger_ids = {d.get("id") for d in dangers}
    view["danger_statements"] = dangers
    view["safety_goals"] = [
        g for g in dicts_in(view.get("safety_goals")) if g.get("danger_statement_id") in danger_ids
    ]
    view["scales"] = [
        s
        for s in dicts_in(view.get("scales"))
        if (s.get("about") != "danger_statement" or s.get("danger_statement_id") in danger_ids)
        and (s.get("about") != "child" or s.get("child_id") in kept)
    ]
    view["harm"] = [h for h in dicts_in(view.get("harm")) if _about_children(h, kept)]
    view["child_voice"] = [
        v for v in dicts_in(view.get("child_voice")) if v.get("child_id") in kept
    ]
    recipient = copy.deepcopy(member)
    if recipient.get("address_withheld"):
        recipient.pop("address", None)
    view["recipient"] = recipient
    others = []
    for person in dicts_in(view.get("family_members")):
        if person.get("id") == member.get("id"):
            others.append(recipient)
            continue
        keep = ("id", "name", "relationship", "known_to_children_as", "parental_responsibility_for")
        others.append({k: person[k] for k in keep if k in person})
    view["family_members"] = others
    hidden = {p.get("id") for p in others if p.get("id") != member.get("id")}
    for person in dicts_in(view.get("safety_network")):
        if person.get("family_member_id") in hidden:
            person.pop("phone", None)
    views = view.get("views")
    if isinstance(views, dict) and "parents" in views:
        # Another parent's view is theirs to share, not this letter's.
        views["parents"] = [
            v
            for v in dicts_in(views.get("parents"))
            if v.get("family_member_id") == member.get("id")
        ]


def _protect_contacts(view: dict, family: bool) -> None:
    """Remove contact details a document's readers must not get.

    A withheld address is never shown. A document families read (a letter, a summary, a safety
    plan) shows no adult's address but a letter's own recipient's, no child's address (it is a
    parent's home), and no phone or email of someone whose address is withheld.
    """
    recipient = view.get("recipient") or {}
    for person in dicts_in(view.get("family_members")):
        if person is recipient or person.get("id") == recipient.get("id"):
            continue
        if person.get("address_withheld") or family:
            person.pop("address", None)
        if person.get("address_withheld") and family:
            person.pop("phone", None)
            person.pop("email", None)
    if family:
        for child in dicts_in(view.get("children")):
            child.pop("address", None)


def _share_words(codes: list) -> str:
    """Say who heard the words: the conference or the court first, as practice guidance does."""
    formal = [SHARED_WITH_WORDS[c] for c in ("conference", "court") if c in codes]
    others = [SHARED_WITH_WORDS[c] for c in ("professionals", "network") if c in codes]
    words = formal or others
    return " and ".join(words) if words else "the people they chose"


def _all_pr_holders(view: dict) -> set[str]:
    """Return the ids of everyone with parental responsibility for a child in the view."""
    children = {c.get("id") for c in dicts_in(view.get("children"))}
    return {
        m["id"]
        for m in dicts_in(view.get("family_members"))
        if isinstance(m.get("id"), str)
        and set(_strings(m.get("parental_responsibility_for"))) & children
    }


def _strings(value) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _filter_voice(view: dict, readers: set[str]) -> None:
    """Keep the child's words only where the child agreed that EVERY reader may see them.

    Readers are the template's codes (``conference``, ``network``...), a letter's recipient, and
    for ``parents`` each person with parental responsibility for a child in the document (a
    family summary or safety plan reaches every parent). A document with no readers named shows
    no words. Whatever is left out, the document says was heard and where it was shared.
    """
    if PARENTS in readers:
        readers = (readers - {PARENTS}) | _all_pr_holders(view)
    children = _by_id(view.get("children"))
    kept, withheld_children = [], set()
    withheld: dict[str, set] = {}  # child's name -> who their withheld words went to
    for item in dicts_in(view.get("child_voice")):
        share = _strings(item.get("share_with")) or ["conference"]
        if readers and readers <= set(share):
            kept.append(item)
            continue
        withheld_children.add(item.get("child_id"))
        name = _child_name(children.get(item.get("child_id"), {})) or "The child"
        withheld.setdefault(name, set()).update(share)
    view["child_voice"] = kept
    view["voice_withheld"] = [
        {"child": name, "shared_with": _share_words(sorted(codes))}
        for name, codes in withheld.items()
    ]
    # A child's scores are their words too: shown only where none of that child's words were
    # withheld; a score a child gave without saying which child is shown only where no words
    # were withheld at all.
    view["scales"] = [s for s in dicts_in(view.get("scales")) if _score_shown(s, withheld_children)]


def _score_shown(scale: dict, withheld_children: set) -> bool:
    by_child = scale.get("about") == "child" or scale.get("rater_kind") == "child"
    if not by_child:
        return True
    child = scale.get("child_id")
    return child not in withheld_children if child else not withheld_children


def _resolve_people(view: dict) -> None:
    people = {**_by_id(view.get("family_members")), **_by_id(view.get("safety_network"))}
    children = dicts_in(view.get("children"))
    by_id = {c.get("id"): c for c in children}
    for item in dicts_in(view.get("child_voice")):
        item["child"] = by_id.get(item.get("child_id"), {})
        item["child_name"] = _child_name(item["child"])
    for member in dicts_in(view.get("family_members")):
        member["pr_children"] = [
            _person_name(by_id[c])
            for c in member.get("parental_responsibility_for") or []
            if c in by_id
        ]
    for child in children:
        child["pr_holders"] = [
            _person_name(m)
            for m in dicts_in(view.get("family_members"))
            if child.get("id") in (m.get("parental_responsibility_for") or [])
        ]
    plan = view.get("safety_plan")
    if isinstance(plan, dict):
        for rule in dicts_in(plan.get("rules")):
            ids = rule.get("who_makes_sure_ids") or []
            names = [_person_name(people[i]) for i in ids if i in people]
            rule["who_makes_sure_names"] = names
            rule["who_makes_sure"] = _join_and(names)
    pictures = view.get("words_and_pictures")
    if isinstance(pictures, dict):
        for agreed in dicts_in(pictures.get("parents_agreed")):
            person = people.get(agreed.get("family_member_id"), {})
            agreed["name"] = _person_name(person)
            agreed["known_to_children_as"] = person.get("known_to_children_as") or ""


def _join_and(names: list[str]) -> str:
    names = [n for n in names if n]
    if len(names) < 2:
        return names[0] if names else ""
    return ", ".join(names[:-1]) + " and " + names[-1]


def _meetings(view: dict, when: date) -> None:
    meetings = sorted(dicts_in(view.get("meetings")), key=lambda m: str(m.get("date") or ""))
    children = _by_id(view.get("children"))
    for meeting in meetings:
        decisions = []
        for decision in dicts_in(meeting.get("decisions")):
            if decision.get("child_id") in children:
                decision["child"] = children[decision["child_id"]]
                decisions.append(decision)
        meeting["decisions"] = decisions
    own_id = (view.get("document") or {}).get("meeting_id")
    own = next((m for m in meetings if m.get("id") == own_id), None) if own_id else None
    view["meeting"] = own or {}
    view["meetings"] = [
        m for m in meetings if m is own or case_dates.on_or_before(m.get("date"), when)
    ]
    before = own.get("date") if own else when.isoformat()
    earlier = [
        m
        for m in meetings
        if m.get("type") in CONFERENCE_TYPES and m is not own and str(m.get("date")) < str(before)
    ]
    view["previous_conference"] = earlier[-1] if earlier else {}
    plo = view.get("plo")
    if isinstance(plo, dict) and plo.get("review_meeting_id"):
        # An announcement: the review meeting is named even though it is still to come.
        review = next((m for m in meetings if m.get("id") == plo["review_meeting_id"]), {})
        plo["review_meeting"] = {k: review[k] for k in ANNOUNCED if k in review}


def narrow_case(
    case: dict,
    *,
    shares_as=(),
    recipient_id: str | None = None,
    today: date | None = None,
    family: bool = False,
) -> tuple[dict, list[dict]]:
    """Return the case cut to what this document may say, and warnings for what was left out.

    The result has the case's own shape (plus ``recipient`` and ``voice_withheld``), so the
    quality checks read it as they read a case.
    """
    view = json.loads(json.dumps(case))  # a private copy; case data is JSON, and this is faster
    document = view.get("document") if isinstance(view.get("document"), dict) else {}
    view["document"] = document
    when = case_dates.parse(document.get("date")) or today or date.today()
    document["date"] = when.isoformat()
    document.pop("recipient_id", None)  # only a letter has one, and the caller says who
    warnings = case_dates.drop_after(view, when)
    if recipient_id:
        document["recipient_id"] = recipient_id
        _narrow_to_recipient(view, _recipient(view, recipient_id))
        family = True  # a letter goes to a family member
    else:
        view["recipient"] = {}
    _protect_contacts(view, family)
    readers = {c for c in shares_as if c in (*SHARE_CODES, PARENTS)}
    if recipient_id:
        readers.add(recipient_id)
    _filter_voice(view, readers)
    return view, warnings


def enrich(view: dict, settings: dict | None = None) -> dict:
    """Add what templates read beside the case: names for ids, scales by kind, deadlines."""
    when = case_dates.parse(view["document"]["date"])
    _resolve_people(view)
    for child in dicts_in(view.get("children")):
        child["age_years"] = case_dates.age_on(child.get("date_of_birth"), when)
    _meetings(view, when)
    case_scales.attach(view)
    view["deadlines"] = case_dates.deadlines(view, settings or {})
    return view


def document_view(
    case: dict,
    *,
    shares_as=(),
    recipient_id: str | None = None,
    today: date | None = None,
    settings: dict | None = None,
    family: bool = False,
) -> tuple[dict, list[dict]]:
    """Return the case as this document may show it, and the warnings for what was left out."""
    view, warnings = narrow_case(
        case, shares_as=shares_as, recipient_id=recipient_id, today=today, family=family
    )
    return enrich(view, settings), warnings
