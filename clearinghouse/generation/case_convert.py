"""Case model version 1 to version 2 (``case_upgrade``) and back (``case_downgrade``).

Conversion never changes its input. Where version 1 does not say something version 2 needs (which
children a parent holds parental responsibility for, who may read a child's words), it takes the
safe side and says so in a warning ``{"code", "message", "path"}``. Messages name fields, never
what the user entered. See docs/case-model.md.
"""

import copy
import re
from collections.abc import Iterable

from .case_validation import dicts_in, pointer

V1_KEY_DATES = ("conference", "report_shared", "core_group", "review_conference",
                "family_network_meeting")  # fmt: skip
MEETING_IDS = {
    "strategy": "M-STRAT", "initial_conference": "M-ICPC", "review_conference": "M-RCPC",
    "core_group": "M-CG1", "pre_proceedings": "M-PPM", "pre_proceedings_review": "M-PPR",
    "family_network": "M-FNM",
}  # fmt: skip
V1_DECISIONS = {  # v1 wording -> (v2 at an initial conference, v2 at a review conference)
    "child protection plan": ("child_protection_plan", "plan_continues"),
    "no child protection plan": ("no_plan", "plan_ends"),
    "end child protection plan": ("plan_ends", "plan_ends"),
}
V2_DECISIONS = {"child_protection_plan": "child protection plan", "plan_continues":
                "child protection plan", "no_plan": "no child protection plan",
                "plan_ends": "end child protection plan"}  # fmt: skip
NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}  # fmt: skip
DURATION = re.compile(r"^\s*(?:for\s+)?(\d+|[a-z]+)\s+(week|month|year)s?\s*\.?\s*$", re.I)

WARNINGS = {  # code -> plain-English message: messages name fields, never what was entered
    "converted_from_v1": "This case was written for version 1 of the case model and has been "
    "converted to version 2. Check the warnings that follow.",
    "pr_not_chosen": "Version 1 said this person has parental responsibility but not for which "
    "children, so no child is chosen yet. Choose the children under 'Has parental "
    "responsibility for'.",
    "voice_share_conference_only": "Version 1 did not record who the child agreed may read their "
    "words, so they are shared with the conference only. Ask the child and choose who may read "
    "them.",
    "voice_child_unknown": "The child named in this child's voice item is not one of the children "
    "in the case. Choose the child.",
    "duration_not_understood": "The safety goal's 'for how long' could not be read as a number of "
    "weeks or months, so it was left out. Enter it again.",
    "scale_child_unknown": "This child's scale does not say which child scored. Choose the child.",
    "rule_owner_unknown": "Who makes sure this rule happens is not (or not only) someone in the "
    "safety network or the family. Choose who makes sure it happens.",
    "conference_date_missing": "The conference details were not kept because the case has no "
    "conference date. Add the conference under Meetings.",
    "conference_decision_missing": "The conference has no decision or recommendation, so its "
    "category and reasons were not kept. Add a decision for each child.",
    "decision_copied_to_each_child": "The conference decision was copied to each child. Check "
    "each child's decision and category: siblings can differ.",
    "report_shared_not_placed": "The date the conference report was shared is not before any "
    "conference, so it was not kept. Add it to the conference under Meetings.",
    "meeting_date_missing": "The meeting was not kept because it has no date. Add it under "
    "Meetings with its date.",
    "meeting_type_guessed": "The type of the meeting was worked out from its purpose. Check the "
    "meeting's type under Meetings.",
}  # fmt: skip

V1_FIELDS = {
    "family_members[].has_parental_responsibility": "family_members[].parental_responsibility_for",
    "conference": "meeting.decisions[] (one for each child)",
    "conference.type": "meeting.type",
    "conference.chair": "meeting.chair",
    "conference.significant_harm_analysis": "meeting.significant_harm_analysis",
    "conference.dissent": "meeting.dissent",
    "conference.recommendation": "meeting.decisions[].recommendation",
    "conference.decision": "meeting.decisions[].decision",
    "conference.category": "meeting.decisions[].category",
    "conference.decision_in_plain_words": "meeting.decisions[].decision_in_plain_words",
    "conference.reasons": "meeting.decisions[].reasons",
    "key_dates.conference": "meeting.date (or meetings[] of type initial_conference)",
    "key_dates.report_shared": "meeting.report_shared",
    "key_dates.core_group": "meetings[] of type core_group (or deadlines.first_core_group_due)",
    "key_dates.review_conference": "meetings[] of type review_conference "
    "(or deadlines.first_review_due)",
    "key_dates.family_network_meeting": "meetings[] of type family_network",
    "legal.team": "authority.legal_services.name",
    "legal.phone": "authority.legal_services.phone",
    "legal.email": "authority.legal_services.email",
    "legal.address": "authority.legal_services.address",
    "legal.solicitors": "authority.solicitors",
    "safety_goals[].for_how_long": "safety_goals[].for_how_long_text",
    "words_and_pictures.pictures": "words_and_pictures.pictures (now a list: one per drawing)",
}


def _warn(warnings: list, code: str, *path) -> None:
    warnings.append({"code": code, "message": WARNINGS[code], "path": pointer(path)})


def is_v1(case) -> bool:
    """Return True when the case has no case_version 2 and uses any version 1 shape."""
    if not isinstance(case, dict) or case.get("case_version") == 2:
        return False
    if case.get("case_version") == 1 or "meeting" in case or "conference" in case:
        return True
    legal, key_dates = case.get("legal") or {}, case.get("key_dates") or {}
    return bool(
        (isinstance(legal, dict) and "solicitors" in legal)
        or (isinstance(key_dates, dict) and any(k in key_dates for k in V1_KEY_DATES))
        or any("has_parental_responsibility" in m for m in dicts_in(case.get("family_members")))
        or any("child_name" in v and "child_id" not in v for v in dicts_in(case.get("child_voice")))
        or any(isinstance(g.get("for_how_long"), str) for g in dicts_in(case.get("safety_goals")))
    )


def _same(a, b) -> bool:
    return (
        isinstance(a, str) and isinstance(b, str) and a.strip().casefold() == b.strip().casefold()
    )


def _assign_ids(items: list, prefix: str) -> None:
    used = {item.get("id") for item in items}
    number = 0
    for item in items:
        while not item.get("id"):
            number += 1
            if f"{prefix}{number}" not in used:
                item["id"] = f"{prefix}{number}"


def _find(name, people: list, *, first_names: bool = True):
    """Return the id of the one person called name (full name, known-as, or a unique first name)."""
    for person in people:
        if _same(name, person.get("name")) or _same(name, person.get("known_as")):
            return person["id"]
    firsts = [
        p for p in people if first_names and _same(name, str(p.get("name", "")).split(" ")[0])
    ]
    return firsts[0]["id"] if len(firsts) == 1 else None


def duration_parse(text):
    """Return {"number", "unit"} for text like "Six months" or "12 weeks", or None."""
    match = DURATION.match(text) if isinstance(text, str) else None
    if not match:
        return None
    word, unit = match.group(1).lower(), match.group(2).lower()
    number = (
        int(word) if word.isdigit() else NUMBER_WORDS.get(word, 1 if word in ("a", "an") else 0)
    )
    number, unit = (number * 12, "months") if unit == "year" else (number, unit + "s")
    return {"number": number, "unit": unit} if 1 <= number <= 120 else None


def duration_text(value) -> str:
    """Return "6 months" for {"number": 6, "unit": "months"} (and "1 month" for one)."""
    if not isinstance(value, dict):
        return value if isinstance(value, str) else ""
    number, unit = value.get("number"), str(value.get("unit", ""))
    return f"{number} {unit[:-1] if number == 1 else unit}"


def _meetings_from_v1(case: dict, out: dict, warnings: list) -> None:
    key_dates = case.get("key_dates") or {}
    conference = case.get("conference") if isinstance(case.get("conference"), dict) else None
    review = (conference or {}).get("type") == "review"
    meetings: dict = {}

    def add(kind: str, date):
        if date and kind not in meetings:
            meetings[kind] = {"id": MEETING_IDS[kind], "type": kind, "date": date}
        return meetings.get(kind)

    add("initial_conference", key_dates.get("conference") if not review
        or key_dates.get("review_conference") else None)  # fmt: skip
    add("review_conference", key_dates.get("review_conference") or (review and key_dates.get(
        "conference")))  # fmt: skip
    add("core_group", key_dates.get("core_group"))
    add("family_network", key_dates.get("family_network_meeting"))
    if conference is not None:
        target = meetings.get("review_conference" if review else "initial_conference")
        if target is None:
            _warn(warnings, "conference_date_missing", "conference")
        else:
            _conference_into(conference, target, review, out.get("children") or [], warnings)
    if key_dates.get("report_shared"):
        later = sorted(
            (
                m
                for k, m in meetings.items()
                if k.endswith("_conference") and m["date"] >= key_dates["report_shared"]
            ),
            key=lambda m: m["date"],
        )
        if later:
            later[0]["report_shared"] = key_dates["report_shared"]
        else:
            _warn(warnings, "report_shared_not_placed", "key_dates", "report_shared")
    old = case.get("meeting")
    if isinstance(old, dict):
        _meeting_into(old, case, meetings, out, warnings)
    if meetings:
        out["meetings"] = sorted(meetings.values(), key=lambda m: m["date"])
        reviews = [m for m in out["meetings"] if m["type"] == "pre_proceedings_review"]
        if reviews and isinstance(out.get("plo"), dict):
            out["plo"]["review_meeting_id"] = reviews[0]["id"]


def _conference_into(conference, target, review, children, warnings) -> None:
    for key in ("chair", "significant_harm_analysis", "dissent"):
        if conference.get(key):
            target[key] = conference[key]
    decision, recommendation = conference.get("decision"), conference.get("recommendation")
    if decision not in V1_DECISIONS and recommendation not in V1_DECISIONS:
        if any(conference.get(k) for k in ("category", "reasons", "decision_in_plain_words")):
            _warn(warnings, "conference_decision_missing", "conference", "decision")
        return
    target["decisions"] = []
    for child in children:
        item = {"child_id": child["id"]}
        if recommendation in V1_DECISIONS:
            item["recommendation"] = V1_DECISIONS[recommendation][review]
        if decision in V1_DECISIONS:
            item["decision"] = V1_DECISIONS[decision][review]
        if conference.get("category"):
            item["category"] = conference["category"].replace(" ", "_")
        for key in ("reasons", "decision_in_plain_words"):
            if conference.get(key):
                item[key] = conference[key]
        target["decisions"].append(item)
    if len(children) > 1:
        _warn(warnings, "decision_copied_to_each_child", "conference")


def _meeting_into(old: dict, case: dict, meetings: dict, out: dict, warnings: list) -> None:
    if not old.get("date"):
        _warn(warnings, "meeting_date_missing", "meeting", "date")
        return
    same_day = [m for m in meetings.values() if m["date"] == old["date"]]
    plo, key_dates = case.get("plo") or {}, case.get("key_dates") or {}
    purpose = str(old.get("purpose", "")).lower()
    if same_day:
        kind = same_day[0]["type"]
    elif plo or key_dates.get("pre_proceedings_start"):
        review = plo.get("review_date") == old["date"]
        kind = "pre_proceedings_review" if review else "pre_proceedings"
    elif old["date"] == key_dates.get("strategy_discussion"):
        kind = "strategy"
    else:
        guesses = [
            ("network", "family_network"),
            ("core group", "core_group"),
            ("review", "review_conference"),
            ("conference", "initial_conference"),
        ]
        kind = next((k for word, k in guesses if word in purpose), "pre_proceedings")
        _warn(warnings, "meeting_type_guessed", "meeting")
    target = same_day[0] if same_day else {"id": MEETING_IDS[kind], "type": kind}
    for key, value in old.items():
        target.setdefault(key, copy.deepcopy(value))
    if kind in meetings and meetings[kind] is not target:
        target["id"] = MEETING_IDS[kind] + "-2"
    meetings.setdefault(kind if kind not in meetings else target["id"], target)
    out.setdefault("document", {})["meeting_id"] = target["id"]


def case_upgrade(case: dict) -> tuple[dict, list[dict]]:
    """Return (the case in version 2 shape, warnings); a case that is not v1 comes back as is."""
    if not is_v1(case):
        return copy.deepcopy(case), []
    warnings: list = []
    _warn(warnings, "converted_from_v1")
    out = {"case_version": 2, **copy.deepcopy(case)}
    for key in ("meeting", "conference"):
        out.pop(key, None)
    children, family = dicts_in(out.get("children")), dicts_in(out.get("family_members"))
    network = dicts_in(out.get("safety_network"))
    for items, prefix in ((children, "C"), (family, "P"), (network, "N"),
                          (dicts_in(out.get("danger_statements")), "D"),
                          (dicts_in(out.get("safety_goals")), "G")):  # fmt: skip
        _assign_ids(items, prefix)
    for index, member in enumerate(family):
        had = member.pop("has_parental_responsibility", None)
        member.setdefault("parental_responsibility_for", [])
        if had is True and not member["parental_responsibility_for"]:
            _warn(warnings, "pr_not_chosen", "family_members", index)
    for member in network:
        match = next((p["id"] for p in family if _same(p.get("name"), member.get("name"))), None)
        if match and "family_member_id" not in member:
            member["family_member_id"] = match
    if isinstance(out.get("key_dates"), dict):
        out["key_dates"] = {k: v for k, v in out["key_dates"].items() if k not in V1_KEY_DATES}
    _meetings_from_v1(case, out, warnings)
    for index, voice in enumerate(dicts_in(out.get("child_voice"))):
        name = voice.pop("child_name", None)
        if "child_id" not in voice:
            child_id = _find(name, children, first_names=True) if name else None
            if child_id:
                voice["child_id"] = child_id
            else:
                _warn(warnings, "voice_child_unknown", "child_voice", index, "child_id")
        if "share_with" not in voice:
            voice["share_with"] = ["conference"]
            _warn(warnings, "voice_share_conference_only", "child_voice", index, "share_with")
    for index, goal in enumerate(dicts_in(out.get("safety_goals"))):
        if isinstance(goal.get("for_how_long"), str):
            parsed = duration_parse(goal["for_how_long"])
            if parsed:
                goal["for_how_long"] = parsed
            else:
                del goal["for_how_long"]
                _warn(warnings, "duration_not_understood", "safety_goals", index, "for_how_long")
    for index, scale in enumerate(dicts_in(out.get("scales"))):
        child_id = _find(scale.get("rater"), children, first_names=False)
        if "about" in scale:
            continue
        if scale.get("danger_statement_id"):
            scale["about"] = "danger_statement"
        elif child_id or _same(scale.get("rater_role"), "child"):
            scale.update(about="child", rater_kind="child")
            if child_id:
                scale["child_id"] = child_id
            else:
                _warn(warnings, "scale_child_unknown", "scales", index)
        else:
            scale["about"] = "case_closure"
    _legal_into_authority(out)
    _plan_into_ids(out, network, family, warnings)
    views = out.get("views") if isinstance(out.get("views"), dict) else {}
    for view in dicts_in(views.get("parents")):
        match = _find(view.get("who"), family, first_names=False)
        if match and "family_member_id" not in view:
            view["family_member_id"] = match
    pictures = (out.get("words_and_pictures") or {}).get("pictures")
    if isinstance(pictures, str):
        out["words_and_pictures"]["pictures"] = [pictures]
    return out, warnings


def _legal_into_authority(out: dict) -> None:
    legal = out.get("legal")
    if not isinstance(legal, dict):
        return
    authority = out.setdefault("authority", {})
    team = {k: legal.pop(k) for k in ("phone", "email", "address") if k in legal}
    name = legal.pop("team", None)
    if name or team:
        authority.setdefault("legal_services", {"name": name or "Legal services", **team})
    if "solicitors" in legal:
        authority.setdefault("solicitors", legal.pop("solicitors"))
    if not legal:
        out.pop("legal")


def _plan_into_ids(out: dict, network: list, family: list, warnings: list) -> None:
    plan = out.get("safety_plan") if isinstance(out.get("safety_plan"), dict) else {}
    for index, rule in enumerate(dicts_in(plan.get("rules"))):
        text = rule.pop("who_makes_sure", None)
        if "who_makes_sure_ids" in rule:
            continue
        names = [n for n in re.split(r",|&|\band\b", text or "") if n.strip()]
        ids = [_find(n.strip(), network) or _find(n.strip(), family) for n in names]
        rule["who_makes_sure_ids"] = list(dict.fromkeys(i for i in ids if i))
        if None in ids or not names:
            if text:
                rule.setdefault("how_network_knows", f"Who makes sure (from version 1): {text}")
            _warn(
                warnings, "rule_owner_unknown", "safety_plan", "rules", index, "who_makes_sure_ids"
            )


def _conference_v1(meeting: dict) -> dict:
    decisions = dicts_in(meeting.get("decisions"))
    first = decisions[0] if decisions else {}
    review = meeting.get("type") == "review_conference"
    out = {"type": "review" if review else "initial"}
    for key in ("chair", "significant_harm_analysis", "dissent"):
        if meeting.get(key):
            out[key] = meeting[key]
    for key in ("recommendation", "decision"):
        if first.get(key) in V2_DECISIONS:
            out[key] = V2_DECISIONS[first[key]]
    if first.get("category"):
        out["category"] = first["category"].replace("_", " ")
    for key in ("reasons", "decision_in_plain_words"):
        if first.get(key):
            out[key] = first[key]
    return out


def case_downgrade(v2_context: dict) -> dict:
    """Return the v2 context with the version 1 field names added, for v1 authority templates."""
    out = copy.deepcopy(v2_context)
    meetings = sorted(dicts_in(out.get("meetings")), key=lambda m: str(m.get("date", "")))
    own_id = (out.get("document") or {}).get("meeting_id")
    own = out.get("meeting") or next((m for m in meetings if m.get("id") == own_id), {})
    out["meeting"] = copy.deepcopy(own)  # v1 meeting fields are a subset of v2's

    def first(kind: str) -> dict:
        if own.get("type") == kind:
            return own
        return next((m for m in meetings if m.get("type") == kind), {})

    conferences = [m for m in meetings if m.get("decisions")]
    conference = own if own.get("decisions") else (conferences[-1] if conferences else {})
    if conference:
        out["conference"] = _conference_v1(conference)
    key_dates = out.setdefault("key_dates", {})
    for v1_key, kind in (("conference", "initial_conference"), ("core_group", "core_group"),
                         ("review_conference", "review_conference"),
                         ("family_network_meeting", "family_network")):  # fmt: skip
        if first(kind).get("date"):
            key_dates[v1_key] = first(kind)["date"]
    shared = own if own.get("report_shared") else first("initial_conference")
    if shared.get("report_shared"):
        key_dates["report_shared"] = shared["report_shared"]
    for member in dicts_in(out.get("family_members")):
        member["has_parental_responsibility"] = bool(member.get("parental_responsibility_for"))
    authority = out.get("authority") or {}
    legal, services = out.setdefault("legal", {}), authority.get("legal_services") or {}
    if services.get("name"):
        legal.setdefault("team", services["name"])
    for key in ("phone", "email", "address", "lawyer"):
        if services.get(key):
            legal.setdefault(key, services[key])
    if authority.get("solicitors"):
        legal.setdefault("solicitors", authority["solicitors"])
    names = {c.get("id"): c.get("name") for c in dicts_in(out.get("children"))}
    for voice in dicts_in(out.get("child_voice")):
        child = voice.get("child") if isinstance(voice.get("child"), dict) else {}
        voice.setdefault("child_name", child.get("name") or names.get(voice.get("child_id")))
    for goal in dicts_in(out.get("safety_goals")):
        if isinstance(goal.get("for_how_long"), dict):
            goal["for_how_long"] = goal.get("for_how_long_text") or duration_text(
                goal["for_how_long"]
            )
    pictures = (out.get("words_and_pictures") or {}).get("pictures")
    if isinstance(pictures, list):
        out["words_and_pictures"]["pictures"] = " ".join(map(str, pictures))
    people = {p.get("id"): p.get("name") for p in dicts_in(out.get("safety_network"))}
    people.update({p.get("id"): p.get("name") for p in dicts_in(out.get("family_members"))})
    for rule in dicts_in((out.get("safety_plan") or {}).get("rules")):
        if "who_makes_sure" not in rule and rule.get("who_makes_sure_ids"):
            found = [people[i] for i in rule["who_makes_sure_ids"] if people.get(i)]
            rule["who_makes_sure"] = " and ".join(found)
    return out


def v1_fields_used(data_paths: Iterable[str]) -> list[dict]:
    """Return {"field", "replace_with"} for each version 1 field among a template's data paths."""
    found: list = []
    for path in dict.fromkeys(data_paths):
        key = max((k for k in V1_FIELDS if path == k or path.startswith((k + ".", k + "["))),
                  key=len, default=None)  # fmt: skip
        if key is None:
            continue
        replacement = V1_FIELDS[key]
        if path != key and " " not in replacement:
            replacement += path[len(key) :]
        found.append({"field": path, "replace_with": replacement})
    return found
