"""Issue 12's findings about the rendered library, one test each: every document is rendered
from its sample through the projection (case_view.document_view) and read with python-docx."""

import copy
import importlib.util
import re

import pytest
from docx.oxml.ns import qn

from .library_support import (
    LIBRARY,
    all_text,
    context_for,
    load,
    long_date,
    render,
    render_text,
    sample,
)

LETTER = "plo-letter-before-proceedings"
SUMMARY = "cp-conference-summary-family"
REPORT = "cp-conference-report"
SLUGS = sorted(p.name for p in LIBRARY.iterdir() if (p / "meta.json").is_file())
ALONE_999 = re.compile(r"(?<!\d)999(?!\d)")


def shared() -> dict:
    return load(LIBRARY / "schemas", "sample_case.json")


def person(case: dict, name: str) -> dict:
    return next(m for m in case["family_members"] if m["name"] == name)


def child(case: dict, first_name: str) -> dict:
    return next(c for c in case["children"] if c["name"].startswith(first_name))


def meeting(case: dict, kind: str) -> dict:
    return next(m for m in case["meetings"] if m["type"] == kind)


def on_meeting(slug: str, kind: str, date_key: str = "date") -> dict:
    """A template's sample moved to another meeting of the shared case (and that date)."""
    own = sample(slug)
    data = {k: copy.deepcopy(v) for k, v in shared().items() if k in own}
    chosen = meeting(shared(), kind)
    data["document"] = {**own["document"], "meeting_id": chosen["id"], "date": chosen[date_key]}
    return data


def blocks(document):
    """(style name, text) of every body paragraph, in order."""
    for p in document.paragraphs:
        yield p.style.name, p.text


def table_with_header(document, first: str):
    return [t for t in document.tables if t.rows[0].cells[0].text == first]


# --- letters go to one person -----------------------------------------------------------------


def test_plo_letter_to_ryan_has_only_his_address_and_his_child():
    case = sample(LETTER)
    ryan, jason = person(case, "Ryan Hughes"), person(case, "Jason Price")
    text = render_text(LETTER, case, recipient_id=ryan["id"])
    assert "Dear Ryan Hughes," in text and ryan["address"] in text
    assert child(case, "Leo")["name"] in text
    assert jason["address"] not in text
    assert "Mia" not in text.split("Dear Ryan Hughes,")[0]  # the heading names Leo only
    assert "Mia Carter" not in text
    assert "Danielle Carter, Ryan Hughes and Jason Price" not in text  # no joint letter


def test_plo_letter_to_jason_never_shows_danielles_address():
    case = sample(LETTER)
    jason, danielle = person(case, "Jason Price"), person(case, "Danielle Carter")
    text = render_text(LETTER, case, recipient_id=jason["id"])
    assert "Dear Jason Price," in text and jason["address"] in text
    assert danielle["address"] not in text and "Leo Carter" not in text


def test_plo_letter_with_the_address_withheld_shows_none():
    case = sample(LETTER)
    ryan = person(case, "Ryan Hughes")
    ryan["address_withheld"] = True
    text = render_text(LETTER, case, recipient_id=ryan["id"])
    assert "Dear Ryan Hughes," in text and ryan["address"] not in text


def test_plo_letter_offers_a_translation_and_an_interpreter_to_who_needs_one():
    case = sample(LETTER)
    jason = person(case, "Jason Price")
    text = render_text(LETTER, case, recipient_id=jason["id"])
    assert "We can translate this letter into Polish, or explain it to you in Polish" in text
    assert case["authority"]["interpreting"]["name"] in text
    ryan_text = render_text(LETTER, case, recipient_id=person(case, "Ryan Hughes")["id"])
    assert "We can translate this letter into" not in ryan_text


def test_plo_letter_gives_the_timetable_review_and_court_straight_away():
    case = sample(LETTER)
    context = context_for(LIBRARY / LETTER, case)
    text = render_text(LETTER, case)
    assert f"up to {case['plo'].get('timetable_weeks', 16)} weeks" in text
    # The review meeting when it is booked; else the end of the usual timetable.
    review = (context["plo"].get("review_meeting") or {}).get("date")
    assert long_date(review or context["deadlines"]["plo_review_due"]) in text
    assert "we may apply to court straight away" in text
    for key in ("advocacy", "complaints"):
        assert case["authority"][key]["name"] in text
    legal = case["authority"]["legal_services"]
    assert legal["phone"] in text and legal["lawyer"] in text
    for solicitor in case["authority"]["solicitors"]:
        assert solicitor["firm"] in text


# --- the child's words ------------------------------------------------------------------------


def test_mias_words_stay_out_of_a_letter_to_ryan_and_go_to_the_conference():
    mia = child(shared(), "Mia")
    words = [v["own_words"] for v in shared()["child_voice"] if v["child_id"] == mia["id"]]
    ryan = person(shared(), "Ryan Hughes")
    letter = render_text(LETTER, recipient_id=ryan["id"])
    assert not any(w in letter for w in words)
    report = render_text(REPORT)  # speaks from before the conference: the June words
    assert words[0] in report
    review = render_text(REPORT, on_meeting(REPORT, "review_conference", "report_shared"))
    assert all(w in review for w in words)


def test_withheld_words_are_said_to_be_heard_and_shared():
    # Read by the family network and by every parent (Ryan too): Mia shared none of her words
    # with all of them, so none appear, and the record says they were heard.
    text = render_text("family-network-meeting-record")
    mia = child(shared(), "Mia")
    assert "Mia's views were heard and shared with the conference" in text
    mias = [v for v in shared()["child_voice"] if v["child_id"] == mia["id"]]
    assert mias and not any(v["own_words"] in text for v in mias if v.get("own_words"))


def test_the_family_summary_shows_only_words_shared_with_every_parent():
    # Danielle, Ryan and Jason all read the summary: no child shared words with all three.
    text = render_text(SUMMARY)
    assert "Please don't show Ryan" not in text
    assert "I want everybody to be kind at home." not in text  # not shared with Ryan
    assert "Mia's views were heard and shared with" in text
    assert "Leo's views were heard and shared with" in text
    case = sample(SUMMARY)
    for item in case["child_voice"]:
        item["share_with"] = [*item["share_with"], "P1", "P2", "P3"]
    assert "I want everybody to be kind at home." in render_text(SUMMARY, case)


def test_words_and_pictures_has_no_child_voice_section():
    text = render_text("words-and-pictures")
    assert "House of Worries" not in text and "views were heard" not in text


# --- a document speaks from its date and its own meeting --------------------------------------


@pytest.mark.parametrize("slug", [s for s in SLUGS if s not in ("family-feedback-form",)])
def test_documents_show_their_own_date_or_meeting(slug):
    data = sample(slug)
    context = context_for(LIBRARY / slug, data)
    text = render_text(slug, data)
    own = context.get("meeting") or {}
    dates = [context["document"]["date"], own.get("date")]
    if slug == "safety-plan":
        dates.append(data["safety_plan"].get("agreed_date"))
    if slug == "words-and-pictures":
        dates += [x.get("date") for x in context["words_and_pictures"]["parents_agreed"]]
    assert any(long_date(d) in text for d in dates if d), slug


def test_the_initial_conference_report_knows_nothing_later():
    text = render_text(REPORT)
    for later in ("9 August 2026", "14 October 2026", "Pre-proceedings"):
        assert later not in text


def test_the_network_meeting_record_shows_the_network_meeting_not_pre_proceedings():
    document = render(
        LIBRARY / "family-network-meeting-record", sample("family-network-meeting-record")
    )
    text = all_text(document)
    fnm, ppm = meeting(shared(), "family_network"), meeting(shared(), "pre_proceedings")
    assert "Family network meeting" in text and long_date(fnm["date"]) in text
    assert long_date(ppm["date"]) not in text and "Pre-proceedings meeting" not in text
    assert ppm["time"] not in text or ppm["time"] == fnm["time"]


def test_meta_says_who_reads_each_document_and_its_meetings():
    expect = {
        REPORT: ["conference"],
        SUMMARY: ["parents"],
        LETTER: [],
        "plo-planning-meeting-record": ["professionals"],
        "single-assessment": ["professionals"],
        "family-network-meeting-record": ["network", "parents"],
        "safety-plan": ["network", "parents"],
        "multi-agency-referral": ["professionals"],
        "agency-report-to-conference": ["conference"],
        "family-feedback-form": [],
        "words-and-pictures": [],
    }
    for slug, codes in expect.items():
        meta = load(LIBRARY / slug, "meta.json")
        assert meta["shares_as"] == codes, slug
        assert isinstance(meta["meeting_types"], list), slug
    assert load(LIBRARY / LETTER, "meta.json")["recipient"] == "pr_holder"
    assert load(LIBRARY / "family-network-meeting-record", "meta.json")["meeting_types"] == [
        "family_network"
    ]


# --- scales -------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_every_printed_score_has_its_question_and_what_0_and_10_mean(slug):
    data = sample(slug)
    lines = list(blocks(render(LIBRARY / slug, data)))
    question_at = None
    for n, (style, text) in enumerate(lines):
        if style.startswith("Heading"):
            question_at = None
        if text.startswith("Question: "):
            question_at = n
            assert lines[n + 1][1].startswith("0 means"), (slug, text)
            assert "10 means" in lines[n + 1][1], (slug, text)
        if re.search(r"\b\d+ out of 10\b", text):
            assert question_at is not None, (slug, text)


def test_danger_statement_scales_are_printed_under_their_danger_statement():
    context = context_for(LIBRARY / REPORT, sample(REPORT))
    text = render_text(REPORT)
    scales = [s for d in context["danger_statements"] for s in d["scales"]]
    assert scales
    for scale in scales:
        assert scale["reason"] in text and scale["question"] in text


def test_family_scale_headings_match_the_direction_of_the_scale():
    for slug in SLUGS:
        assert "How worried are people" not in render_text(slug), slug
    review = render_text(SUMMARY)
    assert "How safe things are" in review


def test_the_childs_own_scale_has_its_own_question():
    data = on_meeting(REPORT, "review_conference", "report_shared")
    context = context_for(LIBRARY / REPORT, data)
    text = render_text(REPORT, data)
    assert context["child_scales"]
    for scale in context["child_scales"]:
        at = text.index(scale["reason"])
        assert text.rfind(scale["question"], 0, at) > text.rfind("Question: ", 0, at) - 1


# --- conferences --------------------------------------------------------------------------------


def test_each_child_has_their_own_decision_and_category():
    text = render_text(SUMMARY)
    assert "Mia Carter" in text and "Leo Carter" in text
    assert "emotional abuse" in text and "neglect" in text


def test_a_review_conference_reports_progress_and_changes_not_the_ten_day_rule():
    text = render_text(SUMMARY)
    rcpc = meeting(shared(), "review_conference")
    assert "Review conference" in text
    for progress in rcpc["goal_progress"]:
        assert progress["progress"] in text
    assert rcpc["changes_since_last"] in text
    assert long_date(meeting(shared(), "initial_conference")["date"]) in text
    assert "This first meeting must happen within 10 working days" not in text
    report = render_text(REPORT, on_meeting(REPORT, "review_conference", "report_shared"))
    assert "Review child protection conference report" in report
    assert rcpc["core_group_attendance"] in report and "Progress against each" in report


def test_an_initial_conference_summary_keeps_the_ten_day_rule():
    text = render_text(SUMMARY, on_meeting(SUMMARY, "initial_conference"))
    assert "This first meeting must happen within 10 working days" in text
    assert "Review conference" not in text


def test_the_plan_names_the_lead_practitioner_core_group_and_contingency():
    rcpc = meeting(shared(), "review_conference")
    text = render_text(SUMMARY)
    assert rcpc["lead_practitioner"]["name"] in text
    assert all(m["name"] in text for m in rcpc["core_group_members"])
    assert rcpc["contingency_plan"] in text


def test_the_family_summary_gives_the_route_to_challenge_a_decision():
    text = render_text(SUMMARY)
    challenge = shared()["authority"]["conference_challenge"]
    start = text.index("If you disagree with the conference's decision")
    end = text.index("If you are not happy with our service")
    section = text[start:end]
    assert challenge["chair_how"] in section
    assert challenge["partnership"]["phone"] in section
    assert "called the safeguarding partnership" in section
    assert shared()["authority"]["complaints"]["name"] not in section


# --- meeting records ----------------------------------------------------------------------------


def test_a_meeting_record_keeps_agreement_and_disagreement_apart():
    slug = "plo-planning-meeting-record"
    document = render(LIBRARY / slug, sample(slug))
    text = all_text(document)
    ppm = meeting(shared(), "pre_proceedings")
    assert "Everyone at the meeting agreed that:" not in text
    assert "What was agreed" in text and "Where people did not agree" in text
    assert ppm["agreed"][0] in text[text.index("What was agreed") :]
    for item in ppm["disagreed"]:
        assert f"{item['who']}: {item['about']}" in text
    assert table_with_header(document, "Name")
    signatures = [t for t in document.tables if [c.text for c in t.rows[0].cells] == [
        "Name", "Signature", "Date"]]  # fmt: skip
    assert signatures and len(signatures[0].rows) > 1


def test_attendees_show_who_came_and_who_sent_apologies():
    slug = "plo-planning-meeting-record"
    data = sample(slug)
    own = next(m for m in data["meetings"] if m["id"] == data["document"]["meeting_id"])
    own["attendees"].append({"name": "Sam Absent", "attended": False, "apologies": True})
    text = render_text(slug, data)
    assert "No, sent apologies" in text


# --- safety plan --------------------------------------------------------------------------------


def test_safety_plan_says_999_once_first_among_what_to_do():
    document = render(LIBRARY / "safety-plan", sample("safety-plan"))
    text = all_text(document)
    assert len(ALONE_999.findall(text)) == 1
    numbered = [t for s, t in blocks(document) if s == "List Number"]
    assert numbered[0] == "If anyone is in danger, call 999."
    kept = [x for x in sample("safety-plan")["safety_plan"]["if_worried"] if "call 999" not in x]
    assert all(x in numbered for x in kept)


def test_safety_plan_rules_come_first_with_who_and_how_and_who_agreed():
    data = sample("safety-plan")
    document = render(LIBRARY / "safety-plan", data)
    text = all_text(document)
    headings = [t for s, t in blocks(document) if s == "Heading 2"]
    assert headings[0] == "The rules everyone follows"
    assert "Everyone in the safety network knows these worries" not in text
    rules = table_with_header(document, "Rule")[0]
    assert [c.text for c in rules.rows[0].cells] == [
        "Rule",
        "Who makes sure it happens",
        "How the network will know",
    ]
    context = context_for(LIBRARY / "safety-plan", data)
    for rule in context["safety_plan"]["rules"]:
        assert rule["who_makes_sure"] and rule["who_makes_sure"] in text
        assert rule["how_network_knows"] in text
    for member in context["safety_network"]:
        if member.get("heard_worries_on"):
            assert f"{member['name']} heard the worries" in text
    for agreed in data["safety_plan"]["agreed_by"]:
        assert f"{agreed['name']} agreed on {long_date(agreed['date'])}" in text


# --- Words and Pictures, agency report, referral -------------------------------------------------


def test_words_and_pictures_uses_the_childrens_names_room_for_pictures_and_agreement():
    data = sample("words-and-pictures")
    document = render(LIBRARY / "words-and-pictures", data)
    text = all_text(document)
    assert "A story for Mia and Leo" in text
    assert "Mummy" in text and "Nana" in text and "Maria Carter" not in text
    boxes = table_with_header(document, "Pictures")
    assert len(boxes) == 4 and all(len(t.rows) == 2 for t in boxes)
    for picture in data["words_and_pictures"]["pictures"]:
        assert picture in text
    assert "Danielle Carter agreed this story on" in text


def test_agency_report_gives_the_agencys_own_view_not_the_councils_mapping():
    data = sample("agency-report-to-conference")
    text = render_text("agency-report-to-conference", data)
    report = data["agency_report"]
    for key in ("worries", "working_well", "needs_to_happen"):
        assert all(x in text for x in report[key])
    assert report["recommendation"] in text and report["scale"]["reason"] in text
    assert "Who is worried:" not in text and "Danger statement" not in text
    for danger in shared()["danger_statements"]:
        assert danger["worried_about"] not in text


def test_referral_gives_address_gp_household_pr_consent_and_the_referrers_view():
    data = sample("multi-agency-referral")
    text = render_text("multi-agency-referral", data)
    mia = child(data, "Mia")
    assert mia["address"] in text and mia["gp"]["name"] in text
    assert "Parental responsibility: Danielle Carter and Jason Price" in text
    assert "The household" in text
    for items in data["referral"]["referrer_view"].values():
        assert all(x in text for x in items)
    for later in ("Scaling", "Next steps", "Danger statement", "Safety goal"):
        assert later not in text
    data["referral"].pop("consent_given")
    data["referral"]["consent_not_sought_reason"] = "Asking could put Mia at risk."
    text = render_text("multi-agency-referral", data)
    assert "Consent was not sought, because: Asking could put Mia at risk." in text


# --- the build ----------------------------------------------------------------------------------


def test_extra_template_modules_are_added_when_their_file_exists(monkeypatch):
    spec = importlib.util.spec_from_file_location("build_templates", LIBRARY / "build_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "EXTRA_TEMPLATE_MODULES", ["no_such_module_here"])
    templates, samplers = module.all_templates()
    assert set(templates) == set(module.TEMPLATES) == set(samplers)


def test_picture_boxes_and_signature_rows_have_room_to_draw_and_sign():
    document = render(LIBRARY / "words-and-pictures", sample("words-and-pictures"))
    for table in table_with_header(document, "Pictures"):
        tr_pr = table.rows[1]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:trHeight")) is not None
