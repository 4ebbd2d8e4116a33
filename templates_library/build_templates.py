"""Build the template library: every <slug>/template.docx, schema.json, sample.json and meta.json.

Run from the project root:  .venv/bin/python templates_library/build_templates.py
(--out DIR builds into another folder; --ledger also records new versions in ledger.json).

The .docx files are docxtpl templates made with python-docx, so that their Word structure is
real (Heading and List styles, table header rows, a PAGE field in the footer) and reviewable
here. The shared case model is schemas/case.schema.json and the shared fictional case is
schemas/sample_case.json; each template's schema.json references the case model, and its
sample.json is the part of the shared case that template uses.

The Word builder, the sections many templates share and the Jinja conventions they follow are
in build_sections.py.
"""

import argparse
import functools
import hashlib
import importlib
import json
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # build_sections.py and new_templates.py sit beside this file
    sys.path.insert(0, str(HERE))

from build_sections import (  # noqa: E402
    CASE_SCALE_QUESTION,
    CATEGORY_NAMES,
    EMERGENCY,
    FRG_PHONE,
    MEETING_NAMES,
    NAMES,
    Bold,
    Builder,
    adult_views,
    child_voice,
    children_seen,
    children_table,
    complaints_advocacy,
    conference_challenge,
    contact_line,
    danger_details,
    dates_table,
    document_date,
    family_table,
    goal_and_scales,
    jinja_map,
    legal_team,
    letter_end,
    letter_top,
    mapping,
    meeting_details,
    meeting_outcomes,
    network_table,
    professionals_table,
    sign_off,
    signatures,
    solicitors_list,
    statement_bullets,
    text_or_list,
    worker_contacts,
    worker_lines,
)
from docx.enum.table import WD_ROW_HEIGHT_RULE  # noqa: E402
from docx.shared import Cm  # noqa: E402

CASE = "urn:clearinghouse:case"
SHARE_CODES = ("conference", "court", "professionals", "network")
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
HEX = set("0123456789abcdef")
# Modules beside this file that add templates (each has a TEMPLATES table like the one below,
# and may have SAMPLE_DOCUMENT and SAMPLE_OMIT); a module whose file is absent is skipped.
EXTRA_TEMPLATE_MODULES = ["new_templates"]
REVIEW = "mt.type == 'review_conference'"
FAMILY_RIGHTS_GROUP = (
    "{{ (authority.family_rights_group or dict()).name or 'the Family Rights Group advice line' }}"
    " on {{ (authority.family_rights_group or dict()).phone or '" + FRG_PHONE + "' }}"
)


# ---------------------------------------------------------------------------------------------
# The templates
# ---------------------------------------------------------------------------------------------


def plo_letter(b: Builder):
    """Letter before proceedings (PD12A) to ONE person with parental responsibility: the
    `recipient` (a pack makes one per person), about the children they hold it for."""
    b.locals("kd", "mt", "lg", "ls", "plo_", "doc", "dl", "rc")
    letter_top(b)
    b.tag("if rc.needs_interpreter")
    b.p(
        Bold(
            "We can translate this letter into {{ rc.interpreter_language or rc.language or "
            "'your language' }}, or explain it to you in {{ rc.interpreter_language or "
            "rc.language or 'your language' }}. We will book an interpreter for you for every "
            "meeting. Please call {{ worker.name }}"
            "{% if worker.phone %} on {{ worker.phone }}{% endif %}."
        )
    )
    b.tag("endif")
    b.h(1, "Letter before proceedings about " + NAMES)
    b.p("Dear {{ rc.name }},")
    b.h(2, "Why we are writing to you")
    b.p(
        "We are very worried about " + NAMES + ". We have worked with you to try to make things "
        "safer, but we are still worried."
    )
    b.p(
        "{{ authority.name }} is thinking about asking the family court to make decisions "
        "about " + NAMES + ". We have not decided to go to court yet. We want to work with you "
        "so that this does not need to happen."
    )
    b.h(2, "What could happen")
    b.tag("if plo_.what_could_happen")
    b.p("{{ plo_.what_could_happen }}")
    b.tag("else")
    b.p(
        "If things do not get better, we may ask the court to make an order. The court could "
        "decide that " + NAMES + " should live somewhere else, such as with other family "
        "members or with foster carers. The court makes that decision, not Children's Services."
    )
    b.tag("endif")
    b.p(
        "If we become more worried about the children's safety at any time, we may apply to "
        "court straight away."
    )
    b.h(2, "Get free legal advice now")
    b.p(Bold("Please take this letter to a solicitor now."))
    b.p(
        "Because you have received this letter, you can get free legal advice from a solicitor. "
        "The advice is free whatever your income. It is called Legal Help."
    )
    b.p(
        "Your solicitor can explain this letter to you, talk to us for you and come to the "
        "meeting with you."
        "{% if authority.solicitors %} There is a list of local solicitors who know about "
        "children law at the end of this letter.{% endif %}"
    )
    b.p("You can also get free advice from " + FAMILY_RIGHTS_GROUP + ".")
    b.tag("if harm")
    b.h(2, "What has happened")
    statement_bullets(b, "harm", with_source=False)
    b.tag("endif")
    b.h(2, "What we are worried about")
    b.tag("for d in danger_statements")
    b.h(3, "Worry {{ d.number or loop.index }}")
    danger_details(b, family=True)
    b.tag("endfor")
    child_voice(b, heading="What the children have told us", optional=True)
    b.tag("if plo_.help_given")
    b.h(2, "The help we have already given you")
    b.bullets(
        "x in plo_.help_given",
        "{{ x.help }}{% if x.who %} – {{ x.who }}{% endif %}{% if x.when %} ({{ x.when }})"
        "{% elif x.date %} (from {{ x.date|long_date }}){% endif %}",
    )
    b.tag("endif")
    b.h(2, "What needs to change, and by when")
    b.tag("for d in danger_statements")
    b.h(3, "Worry {{ d.number or loop.index }}: what needs to change")
    b.p(Bold("The worry: "), "{{ d.worried_about }}")
    goal_and_scales(b, family=True, note_gaps=False)
    b.tag("endfor")
    b.tag("if plo_.support_offered")
    b.h(2, "The help and assessments we are offering")
    b.p("We will give you this help. We will explain each part and answer your questions.")
    b.table(
        "Help and assessments offered: what, why, who and when",
        ["What", "Why", "Who will do it", "When"],
        "x in plo_.support_offered",
        ["{{ x.what }}", "{{ x.why }}", "{{ x.who }}", "{{ x.when }}"],
        widths=[4, 6, 4, 3],
    )
    b.tag("endif")
    b.h(2, "How long this will take")
    b.tag("set review = plo_.review_meeting or dict()")
    b.p(
        "We will work with you for up to {{ plo_.timetable_weeks or 16 }} weeks to make things "
        "safer. Then we will meet again to look at what has changed"
        "{% if review.date %}, on {{ review.date|long_date }}"
        "{% if review.time %} at {{ review.time }}{% endif %}"
        "{% elif dl.plo_review_due %}, by {{ dl.plo_review_due|long_date }}{% endif %}."
    )
    b.p(
        "If enough has changed, we will stop this process. If not, we may ask the court to "
        "decide. If we become more worried before then, we may apply to court straight away."
    )
    b.h(2, "Come to a meeting with us")
    b.tag("if mt.date")
    b.p(
        "We would like to meet you to talk about this letter and to agree a plan together. "
        "The meeting is on {{ mt.date|long_date }}{% if mt.time %} at {{ mt.time }}{% endif %}"
        "{% if mt.place %}, at {{ mt.place }}{% endif %}."
    )
    b.tag("else")
    b.p(
        "We would like to meet you to talk about this letter and to agree a plan together. "
        "{{ worker.name }} will contact you to agree a date."
    )
    b.tag("endif")
    b.tag("if mt.how in ['video', 'phone']")
    b.p("The meeting will be by {{ mt.how }}.")
    b.tag("endif")
    b.tag("if mt.joining_details")
    b.p("{{ mt.joining_details }}")
    b.tag("endif")
    b.p(
        "You can bring your solicitor to the meeting. You can also bring someone to support "
        "you. Please bring this letter with you. If you cannot come, please tell "
        "{{ worker.name }} as soon as you can."
    )
    b.p(
        "If you would like this letter in another language, in large print or read to you, "
        "please ask {{ worker.name }}. We can also arrange an interpreter for the meeting."
    )
    contact_line(b, "Interpreting", "authority.interpreting")
    b.h(2, "Family and friends who can help")
    b.p(
        "Family and friends can help keep " + NAMES + " safe. We would like to help you bring "
        "them together at a family network meeting or a meeting called a family group "
        "conference, to make a plan."
        "{% if kd.fgdm_offered %} We first offered this on {{ kd.fgdm_offered|long_date }}."
        "{% endif %}"
    )
    b.tag("if kd.fgdm_held")
    b.p("A meeting with your family and friends took place on {{ kd.fgdm_held|long_date }}.")
    b.tag("endif")
    b.h(2, "Who to contact")
    worker_lines(b)
    legal_team(b)
    contact_line(b, "Advocacy", "authority.advocacy")
    contact_line(b, "Complaints", "authority.complaints")
    letter_end(b, signed_by="plo_.signed_by")
    solicitors_list(
        b,
        "Any of these solicitors can give you free advice about this letter.",
        heading="Local solicitors who know about children law",
    )


def plo_meeting(b: Builder):
    """Record of the pre-proceedings meeting named by document.meeting_id (`meeting`)."""
    b.locals("kd", "mt", "lg", "ls", "plo_", "vw", "doc", "dl")
    b.h(
        1,
        "{{ 'Pre-proceedings review meeting' if mt.type == 'pre_proceedings_review' else "
        "'Pre-proceedings meeting' }} record",
    )
    b.p("Children: " + NAMES)
    document_date(b, "Date of this record")
    meeting_details(b)
    b.tag("if mt.purpose")
    b.h(2, "Purpose of the meeting")
    b.p("{{ mt.purpose }}")
    b.tag("endif")
    dates_table(
        b,
        [
            ("Pre-proceedings started", "kd.pre_proceedings_start"),
            ("Letter before proceedings sent", "kd.letter_before_proceedings_sent"),
            ("Family group decision-making offered", "kd.fgdm_offered"),
            ("Family group decision-making held", "kd.fgdm_held"),
            ("Review due (end of the timetable)", "dl.plo_review_due"),
        ],
    )
    children_table(b)
    family_table(b)
    child_voice(b)
    mapping(b)
    adult_views(b)
    b.tag("if plo_.parents_response")
    b.h(2, "The parents' response")
    b.p("{{ plo_.parents_response }}")
    b.tag("endif")
    b.h(2, "Assessments and support agreed")
    b.tag("if plo_.support_offered")
    b.table(
        "Assessments and support agreed: what, why, who and when",
        ["What", "Type", "Why", "Who", "When"],
        "x in plo_.support_offered",
        [
            "{{ x.what }}",
            "{{ x.kind|capitalize }}",
            "{{ x.why }}",
            "{{ x.who }}",
            "{{ x.when }}",
        ],
        widths=[3.4, 2.6, 5.2, 3, 2.8],
    )
    b.tag("else")
    b.p("No assessments or support have been agreed yet.")
    b.tag("endif")
    b.h(2, "Family group decision-making")
    b.tag("if plo_.fgdm_referral")
    b.p("{{ plo_.fgdm_referral }}")
    b.tag("else")
    b.p("No referral for a family network meeting or family group conference has been made yet.")
    b.tag("endif")
    b.tag("if plo_.written_agreement")
    b.h(2, "Written agreement")
    b.p("The written agreement asks the parents to do these things:")
    b.bullets("x in plo_.written_agreement", "{{ x }}", style="List Number")
    b.tag("endif")
    meeting_outcomes(b)
    b.h(2, "How pre-proceedings will end")
    b.p(
        "Pre-proceedings usually last up to {{ plo_.timetable_weeks or 16 }} weeks. At the "
        "review the authority will decide to step down (end pre-proceedings because enough has "
        "changed), to continue pre-proceedings for a set time, or to apply to the court (issue "
        "proceedings). If the authority becomes more worried at any time, it may apply to court "
        "straight away."
    )
    b.tag("if plo_.outcome")
    b.p(Bold("Decision at this meeting: "), "{{ plo_.outcome|capitalize }}")
    b.tag("endif")
    b.field("Reason", "plo_.outcome_reason")
    b.tag("set review = plo_.review_meeting or dict()")
    b.tag("if review.date")
    b.p(Bold("Review meeting: "), "{{ review.date|long_date }}")
    b.tag("elif dl.plo_review_due")
    b.p(Bold("Review due by (end of the timetable): "), "{{ dl.plo_review_due|long_date }}")
    b.tag("endif")
    b.h(2, "Contacts")
    b.p(
        Bold("Social worker: "),
        "{{ worker.name }}{% if worker.phone %}, {{ worker.phone }}{% endif %}"
        "{% if worker.email %}, {{ worker.email }}{% endif %}",
    )
    b.tag("if ls.name or ls.lawyer or lg.lawyer")
    b.p(
        Bold("Legal team: "),
        "{{ [ls.lawyer or lg.lawyer, ls.name]|select|join(', ') }}"
        "{% if ls.phone %}, {{ ls.phone }}{% endif %}{% if ls.email %}, {{ ls.email }}{% endif %}"
        "{% if lg.reference %} (reference {{ lg.reference }}){% endif %}",
    )
    b.tag("endif")
    b.tag("if mt.attendees|selectattr('attended')|list")
    signatures(b, "mt.attendees|selectattr('attended')", dated=False)
    b.tag("endif")
    sign_off(b)


def goal_progress(b: Builder, level: int, family: bool):
    """A review conference's progress against each safety goal (`mt.goal_progress`)."""
    b.h(
        level,
        "How things have changed for each worry" if family else "Progress against each safety goal",
    )
    b.tag("for d in danger_statements")
    b.tag("for goal in d.goals")
    b.p(
        Bold(("Worry" if family else "Safety goal") + " {{ d.number or loop.index }}: "),
        "{{ goal.parents_will }}",
    )
    b.tag("for p in mt.goal_progress if p.safety_goal_id == goal.id")
    b.p(Bold("Progress: "), "{{ p.progress }}")
    b.tag("else")
    b.p("No progress has been recorded for this goal.")
    b.tag("endfor")
    b.tag("endfor")
    b.tag("endfor")


def since_last_conference(b: Builder, family: bool):
    """For a review conference: what changed since the last one, core group attendance and
    progress against each safety goal."""
    b.tag(f"if {REVIEW}")
    b.h(2, "What has changed since the last conference")
    b.tag("if pc.date")
    b.p(
        "The last conference was on {{ pc.date|long_date }}"
        "{% if pc.type %} ({{ " + jinja_map(MEETING_NAMES) + "[pc.type]|lower }}){% endif %}."
    )
    b.tag("endif")
    b.p(
        "{{ mt.changes_since_last or 'What has changed since the last conference has not been "
        "written down yet.' }}"
    )
    if not family:  # written for professionals: the family summary leaves it out
        b.tag("if mt.core_group_attendance")
        b.h(3, "Core group attendance")
        b.p("{{ mt.core_group_attendance }}")
        b.tag("endif")
    goal_progress(b, 3, family)
    b.tag("endif")


def the_plan(b: Builder, family: bool, level: int = 2):
    """The plan's lead practitioner, core group members and contingency plan."""
    b.tag("if mt.lead_practitioner or mt.core_group_members or mt.contingency_plan")
    b.h(level, "The plan")
    b.tag("if mt.lead_practitioner")
    b.p(
        Bold(
            "Your lead worker (called the lead practitioner): " if family else "Lead practitioner: "
        ),
        "{{ mt.lead_practitioner.name }}"
        "{% if mt.lead_practitioner.role %}, {{ mt.lead_practitioner.role }}{% endif %}"
        "{% if mt.lead_practitioner.phone %}, phone {{ mt.lead_practitioner.phone }}{% endif %}",
    )
    b.tag("endif")
    b.tag("if mt.core_group_members")
    b.p(
        "The people who will meet to make the plan work, called the core group:"
        if family
        else "Core group members:"
    )
    b.bullets(
        "x in mt.core_group_members",
        "{{ x.name }}{% if x.role %}, {{ x.role }}{% endif %}",
    )
    b.tag("endif")
    b.tag("if mt.contingency_plan")
    b.p(
        Bold("If the plan does not work: " if family else "Contingency plan: "),
        "{{ mt.contingency_plan }}",
    )
    b.tag("endif")
    b.tag("endif")


def decisions_table(b: Builder, report: bool):
    """One row per child from `mt.decisions`: the recommendation (report) or the decision and
    category, with the reasons."""
    decision = jinja_map(
        {
            "child_protection_plan": "Child protection plan",
            "no_plan": "No child protection plan",
            "plan_continues": "Child protection plan continues",
            "plan_ends": "Child protection plan ends",
        }
    )
    cats = jinja_map(CATEGORY_NAMES)
    b.table(
        "Recommendation for each child" if report else "Decision for each child",
        ["Child", "Recommendation" if report else "Decision", "Category", "Reasons"],
        "x in mt.decisions",
        [
            "{{ (x.child or dict()).name }}",
            "{{ " + decision + ".get(x.recommendation, x.recommendation) or 'Not yet made' }}"
            if report
            else "{{ " + decision + ".get(x.decision, x.decision) }}",
            "{{ " + cats + "[x.category] if x.category else 'Not given' }}",
            "{{ x.reasons }}",
        ],
        widths=[3, 3.2, 3, 7.8],
    )


def cp_conference_report(b: Builder):
    """Social work report to the initial or review conference named by document.meeting_id."""
    b.locals("kd", "mt", "pc", "vw", "doc", "dl")
    b.h(1, "{{ 'Review' if " + REVIEW + " else 'Initial' }} child protection conference report")
    b.p("Children: " + NAMES)
    b.tag(f"if {REVIEW}")
    b.p(
        "A review conference is held within 3 months of the initial conference, then at least "
        "every 6 months while a child has a child protection plan."
    )
    b.tag("else")
    b.p(
        "An initial conference is held within 15 working days of the strategy discussion that "
        "started the child protection enquiry."
    )
    b.tag("endif")
    b.field("Conference date", "mt.date", "{{ mt.date|long_date }}")
    b.field("Chair", "mt.chair")
    document_date(b, "Date of this report")
    b.tag("if mt.report_shared")
    b.p("This report was shared with the parents on {{ mt.report_shared|long_date }}.")
    b.tag("endif")
    dates_table(
        b,
        [
            ("Referral", "kd.referral"),
            ("Strategy discussion", "kd.strategy_discussion"),
            ("Child protection enquiry started", "kd.section_47_start"),
            ("Last conference", "pc.date"),
            ("Report due to the parents", "dl.report_due"),
            ("This conference", "mt.date"),
        ],
    )
    children_table(b)
    children_seen(b)
    family_table(b)
    professionals_table(b)
    b.tag("if family_history or chronology")
    b.h(2, "Family history and timeline")
    b.tag("if family_history")
    b.p("{{ family_history }}")
    b.tag("endif")
    b.tag("if chronology")
    b.table(
        "Timeline of significant events",
        ["Date", "What happened", "Source"],
        "x in chronology",
        ["{{ x.date|long_date }}", "{{ x.event }}", "{{ x.source }}"],
        widths=[3.2, 10, 3.8],
    )
    b.tag("endif")
    b.tag("endif")
    since_last_conference(b, family=False)
    child_voice(b)
    adult_views(b)
    mapping(b)
    b.h(2, "Analysis of significant harm")
    b.p("{{ mt.significant_harm_analysis or 'The analysis has not been written yet.' }}")
    b.h(2, "Recommendation for each child")
    b.tag("if mt.decisions")
    decisions_table(b, report=True)
    b.tag("else")
    b.p("No recommendation has been made yet.")
    b.tag("endif")
    b.field("Views that differ", "mt.dissent")
    the_plan(b, family=False)
    sign_off(b)


def cp_summary_family(b: Builder):
    """Plain-language summary, for the family, of the conference named by document.meeting_id."""
    b.locals("kd", "mt", "pc", "dl", "doc")
    plain = jinja_map(
        {
            "child_protection_plan": "needs a child protection plan. This means we will work "
            "closely with you, your family and other professionals to keep them safe",
            "no_plan": "does not need a child protection plan",
            "plan_continues": "still needs a child protection plan. The plan carries on",
            "plan_ends": "does not need a child protection plan any more. The plan ends",
        }
    )
    b.h(
        1,
        "{{ 'Review conference: what happened' if " + REVIEW + " else 'What happened at the "
        "child protection conference' }}",
    )
    b.p(
        "This is a short summary of the "
        "{{ 'review conference' if "
        + REVIEW
        + " else 'meeting' }} about "
        + NAMES
        + "{% if mt.date %} on {{ mt.date|long_date }}{% endif %}. "
        "A child protection conference is a meeting where family and professionals talk about "
        "how to keep children safe."
    )
    b.h(2, "What was decided")
    b.tag("for x in mt.decisions")
    b.h(3, "{{ (x.child or dict()).name }}")
    b.tag("if x.decision_in_plain_words")
    b.p("{{ x.decision_in_plain_words }}")
    b.tag("else")
    b.p("The meeting decided that {{ (x.child or dict()).name }} {{ " + plain + "[x.decision] }}.")
    b.tag("endif")
    b.tag("if x.category and x.decision in ['child_protection_plan', 'plan_continues']")
    b.p("The plan is under the heading called {{ " + jinja_map(CATEGORY_NAMES) + "[x.category] }}.")
    b.tag("endif")
    b.tag("if x.reasons")
    b.p(Bold("Why: "), "{{ x.reasons }}")
    b.tag("endif")
    b.tag("else")
    b.p("Your social worker will tell you what was decided.")
    b.tag("endfor")
    since_last_conference(b, family=True)
    child_voice(b, heading="What the children told us", optional=True)
    mapping(b, family=True)
    the_plan(b, family=True)
    b.h(2, "What happens next")
    b.tag(f"if {REVIEW}")
    b.p(
        "The group of family and professionals who make the plan work, called the core group, "
        "will keep meeting."
    )
    b.tag("if dl.next_review_due")
    b.p("The next review conference will be by {{ dl.next_review_due|long_date }}.")
    b.tag("endif")
    b.tag("else")
    b.p(
        "A smaller group of family and professionals, called the core group, will meet to put "
        "the plan into action. This first meeting must happen within 10 working days of the "
        "conference{% if dl.first_core_group_due %}, by {{ dl.first_core_group_due|long_date }}"
        "{% endif %}."
    )
    b.tag("if dl.first_review_due")
    b.p(
        "The next conference, to check how things are going, will be by "
        "{{ dl.first_review_due|long_date }}."
    )
    b.tag("endif")
    b.tag("endif")
    worker_contacts(b, heading="Your social worker")
    conference_challenge(b)
    complaints_advocacy(b)


def single_assessment(b: Builder):
    """Single (child and family) assessment, as known when it was completed."""
    b.locals("kd", "asm", "vw", "doc", "dl")
    b.h(1, "Single assessment")
    b.p("Children: " + NAMES)
    document_date(b)
    dates_table(
        b,
        [
            ("Referral received", "kd.referral"),
            ("Assessment started", "kd.assessment_start"),
            ("Strategy discussion", "kd.strategy_discussion"),
            ("Assessment due (45 working days)", "dl.assessment_due"),
            ("Assessment completed", "kd.assessment_completed"),
        ],
    )
    b.p(
        "A single assessment is completed within 45 working days of the referral. If it takes "
        "longer, the reason is recorded here."
    )
    b.field("Reason it took longer", "asm.reason_for_delay")
    b.h(2, "Purpose of the assessment")
    b.p("{{ asm.purpose or 'Not recorded.' }}")
    b.h(2, "Consent")
    b.tag("if asm.consent_given is defined")
    b.p(
        "{{ 'The parents agreed to the assessment.' if asm.consent_given else "
        "'The parents did not agree to the assessment.' }}"
    )
    b.tag("endif")
    b.tag("if asm.consent_details")
    b.p("{{ asm.consent_details }}")
    b.tag("endif")
    b.tag("if asm.consent_given is not defined and not asm.consent_details")
    b.p("Consent has not been recorded.")
    b.tag("endif")
    children_table(b, details=True)
    family_table(b)
    b.tag("if asm.contributors")
    b.h(2, "Who contributed")
    b.bullets("x in asm.contributors", "{{ x }}")
    b.tag("endif")
    professionals_table(b)
    for key, heading in (
        ("developmental_needs", "The children's developmental needs"),
        ("parenting_capacity", "Parenting capacity"),
        ("family_and_environment", "Family and environmental factors"),
    ):
        b.tag(f"if asm.{key}")
        b.h(2, heading)
        b.p("{{ asm." + key + " }}")
        b.tag("endif")
    child_voice(b)
    adult_views(b)
    mapping(b)
    b.h(2, "Analysis")
    b.p("{{ asm.analysis or 'The analysis has not been written yet.' }}")
    b.h(2, "Decision")
    b.tag("if asm.decision")
    b.p(Bold("Outcome: "), "{{ asm.decision|capitalize }}")
    b.tag("else")
    b.p("No decision has been recorded yet.")
    b.tag("endif")
    b.field("Reason", "asm.decision_reason")
    sign_off(b)


def plan_rules(b: Builder, level: int = 2, heading: str = "The rules everyone follows"):
    """The safety plan's rules: each with who makes sure and how the network will know."""
    b.h(level, heading)
    b.tag("if sp.rules")
    b.table(
        "Safety plan rules, who makes sure each is followed and how the network will know",
        ["Rule", "Who makes sure it happens", "How the network will know"],
        "r in sp.rules",
        ["{{ r.rule }}", "{{ r.who_makes_sure }}", "{{ r.how_network_knows }}"],
        widths=[7, 4, 6],
    )
    b.tag("else")
    b.p("The rules have not been agreed yet.")
    b.tag("endif")


def network_meeting(b: Builder):
    """Record of the family network meeting named by document.meeting_id."""
    b.locals("kd", "mt", "sp", "doc")
    b.h(1, "Family network meeting")
    b.p(
        "This is a record of the family network meeting about " + NAMES + ". The meeting "
        "brought together family and friends who care about the children to help make a plan "
        "that keeps them safe."
    )
    meeting_details(b)
    b.tag("if mt.purpose")
    b.h(2, "Why we met")
    b.p("{{ mt.purpose }}")
    b.tag("endif")
    network_table(b)
    child_voice(b, heading="What the children told us", optional=True)
    mapping(b, family=True)
    b.tag("if sp.rules")
    plan_rules(b, heading="The rules we agreed")
    b.tag("endif")
    b.tag("if sp.warning_signs")
    b.h(2, "Warning signs")
    b.bullets("x in sp.warning_signs", "{{ x }}")
    b.tag("endif")
    meeting_outcomes(b)
    b.tag("if mt.attendees|selectattr('attended')|list")
    signatures(b, "mt.attendees|selectattr('attended')", dated=False)
    b.tag("endif")
    worker_contacts(b)


def safety_plan(b: Builder):
    """The family's safety plan: the rules first, 999 once, the network and their agreement."""
    b.locals("sp", "doc")
    b.h(1, "Safety plan for " + NAMES)
    b.tag("if sp.agreed_date")
    b.p("We agreed this plan on {{ sp.agreed_date|long_date }}.")
    b.tag("endif")
    b.tag("if sp.review_date")
    b.p("We will check how the plan is working on {{ sp.review_date|long_date }}.")
    b.tag("endif")
    plan_rules(b)
    b.tag("if sp.warning_signs")
    b.h(2, "Warning signs")
    b.p("If anyone sees these signs, they follow the steps below.")
    b.bullets("x in sp.warning_signs", "{{ x }}")
    b.tag("endif")
    b.h(2, "What to do if you are worried")
    b.p(EMERGENCY, style="List Number", keep=True)  # the steps stay together on one page
    # The data's own 999 lines are left out: the plan says it once, first.
    b.bullets(
        "x in sp.if_worried if ' 999 ' not in (' ' ~ x ~ ' ')|replace('.', ' ')|replace(',', ' ')",
        "{{ x }}",
        style="List Number",
    )
    b.h(2, "Why we need this plan")
    b.tag("for d in danger_statements")
    b.h(3, "Worry {{ d.number or loop.index }}")
    b.p(Bold("What we are worried about: "), "{{ d.worried_about }}")
    b.field("What could happen if nothing changes", "d.what_may_happen")
    goal_and_scales(b, family=True, note_gaps=False)
    b.tag("endfor")
    b.h(2, "Who has heard the worries")
    b.tag("for n in safety_network")
    b.p(
        "{% if n.heard_worries_on %}{{ n.name }} heard the worries and what needs to change on "
        "{{ n.heard_worries_on|long_date }}.{% else %}{{ n.name }} has not heard the worries "
        "yet.{% endif %}"
    )
    b.tag("else")
    b.p("Nobody in the family's network has heard the worries yet.")
    b.tag("endfor")
    network_table(b, heading="Who makes sure the plan works (called the safety network)")
    child_voice(b, heading="What the children told us", optional=True)
    b.h(2, "We agree to this plan")
    b.tag("if sp.agreed_by")  # who agreed, kept on one page with their signatures
    b.bullets("x in sp.agreed_by", "{{ x.name }} agreed on {{ x.date|long_date }}", keep=True)
    signatures(b, "sp.agreed_by", level=3)
    b.tag("else")
    b.p("Nobody has agreed this plan yet.")
    b.tag("endif")
    worker_contacts(b, heading="Important phone numbers", emergency=False)


def referral_form(b: Builder):
    """Multi-agency referral form, as the referrer saw things on the day."""
    b.locals("ref", "kd", "doc")
    b.h(1, "Multi-agency referral form")
    b.p(Bold("If a child is in immediate danger, call 999 now."))
    b.h(2, "About the referrer")
    b.rows_table(
        "The person making the referral",
        ["Detail", "Referrer"],
        [
            ("Name", "ref.referrer.name", "{{ ref.referrer.name }}"),
            ("Agency", "ref.referrer.agency", "{{ ref.referrer.agency }}"),
            ("Role", "ref.referrer.role", "{{ ref.referrer.role }}"),
            ("Phone", "ref.referrer.phone", "{{ ref.referrer.phone }}"),
            ("Email", "ref.referrer.email", "{{ ref.referrer.email }}"),
            ("Date of referral", "ref.date", "{{ ref.date|long_date }}"),
        ],
    )
    b.tag("if ref.immediate_danger is defined")
    b.p(
        Bold("Is any child in immediate danger? "),
        "{{ 'Yes' if ref.immediate_danger else 'No' }}",
    )
    b.tag("endif")
    b.h(2, "Consent and views")
    b.tag("if ref.consent_not_sought_reason")
    b.p(Bold("Consent was not sought, because: "), "{{ ref.consent_not_sought_reason }}")
    b.tag("elif ref.consent_given is defined")
    b.p(
        Bold("Have the parents agreed to this referral? "),
        "{{ 'Yes' if ref.consent_given else 'No' }}",
    )
    b.tag("else")
    b.p("Consent has not been recorded.")
    b.tag("endif")
    b.field("Details", "ref.consent_details")
    b.field("The parents' view", "ref.parents_view")
    b.field("The child's view", "ref.child_view")
    b.tag("if ref.do_not_share")
    b.h(2, "Information that must not be shared with the family")
    b.p("{{ ref.do_not_share }}")
    b.tag("endif")
    children_table(b, details=True)
    family_table(
        b, heading="The household: family members who live with the children", household=True
    )
    b.tag("for m in family_members if not m.lives_with_children and m.parental_responsibility_for")
    b.p(
        "{{ m.name }}{% if m.relationship %} ({{ m.relationship }}){% endif %} has parental "
        "responsibility but does not live with the children"
        "{% if m.phone %} (phone {{ m.phone }}){% endif %}."
        "{% if m.needs_interpreter %} {{ m.name }} needs an interpreter"
        "{% if m.interpreter_language or m.language %} "
        "({{ m.interpreter_language or m.language }}){% endif %}.{% endif %}"
    )
    b.tag("endfor")
    professionals_table(b, heading="Other professionals who know the family")
    b.h(2, "Why you are referring")
    b.p("{{ ref.reason or 'The reason has not been written yet.' }}")
    b.tag("set rv = ref.referrer_view or dict()")
    b.tag("if rv.worries or rv.working_well or rv.needs_to_happen")
    b.h(2, "The referrer's view")
    for key, heading in (
        ("worries", "What I am worried about"),
        ("working_well", "What is working well"),
        ("needs_to_happen", "What I think needs to happen"),
    ):
        b.tag(f"if rv.{key}")
        b.h(3, heading)
        text_or_list(b, f"rv.{key}")
        b.tag("endif")
    b.tag("endif")


def agency_report(b: Builder):
    """One agency's own report to the conference named by document.meeting_id."""
    b.locals("ar", "kd", "mt", "doc")
    b.h(1, "Agency report to child protection conference")
    b.p("Children: " + NAMES)
    b.rows_table(
        "About this report",
        ["Detail", "Report"],
        [
            ("Agency", "ar.author.agency", "{{ ar.author.agency }}"),
            ("Written by", "ar.author.name", "{{ ar.author.name }}"),
            ("Role", "ar.author.role", "{{ ar.author.role }}"),
            ("Phone", "ar.author.phone", "{{ ar.author.phone }}"),
            ("Email", "ar.author.email", "{{ ar.author.email }}"),
            ("Conference", "mt.type", "{{ " + jinja_map(MEETING_NAMES) + "[mt.type] }}"),
            ("Conference date", "mt.date", "{{ mt.date|long_date }}"),
            ("Date of this report", "doc.date", "{{ doc.date|long_date }}"),
        ],
    )
    b.tag("if ar.shared_with_family is defined")
    b.p(
        "{% if ar.shared_with_family %}This report was shared with the family"
        "{% if ar.shared_date %} on {{ ar.shared_date|long_date }}{% endif %}."
        "{% else %}This report has not been shared with the family.{% endif %}"
    )
    b.tag("endif")
    children_table(b)
    b.h(2, "Our involvement with the family")
    b.p("{{ ar.involvement or 'Not recorded.' }}")
    b.tag("if ar.contact")
    b.h(3, "What we have seen")
    b.bullets("x in ar.contact", "{{ x }}")
    b.tag("endif")
    child_voice(b, heading="What the children have told us", optional=True)
    for key, heading, gap in (
        ("worries", "What we are worried about", "We have not recorded any worries."),
        ("working_well", "What we see working well", "We have not recorded what is working well."),
        (
            "needs_to_happen",
            "What we think needs to happen",
            "We have not said what needs to happen.",
        ),
    ):
        b.h(2, heading)
        b.tag(f"if ar.{key}")
        text_or_list(b, f"ar.{key}")
        b.tag("else")
        b.p(gap)
        b.tag("endif")
    b.h(2, "Our scale")
    b.tag("set sc = ar.scale or dict()")
    b.tag("if sc.score is number")
    b.p(Bold("Question: "), CASE_SCALE_QUESTION)
    b.p(
        "0 means things are so bad the children cannot live at home. 10 means everyone knows "
        "the children are safe enough for the case to close."
    )
    b.p(
        Bold("{{ ar.author.name }}{% if ar.author.agency %} ({{ ar.author.agency }}){% endif %}: "),
        "{{ sc.score }} out of 10{% if sc.date %} on {{ sc.date|long_date }}{% endif %}"
        "{% if sc.reason %}. {{ sc.reason }}{% endif %}",
    )
    b.tag("else")
    b.p("We have not given a score.")
    b.tag("endif")
    b.h(2, "Our recommendation")
    b.p("{{ ar.recommendation or 'We have not made a recommendation.' }}")


# The same four questions as the online form (/feedback), so a paper form can be keyed in.
EXPLAINED_QUESTION = "1. Did we explain clearly why we were worried?"
LISTENED_QUESTION = "2. Did you feel listened to?"
FEEDBACK_QUESTIONS = ["3. What helped?", "4. What could be better?"]


def feedback_form(b: Builder):
    """A form for families to tell the authority how it went (the online form's questions)."""
    b.locals("fb")
    b.h(1, "Tell us what you think")
    b.p(
        "We would like to know what you think about "
        "{{ fb.about or 'the way we have worked with your family' }}. Your answers help us "
        "get better. You do not have to give your name."
    )
    b.tag("if fb.online_code")
    b.h(2, "Answer online instead")
    b.p(
        "You can answer online instead of on paper. Go to "
        "{{ fb.online_address or 'the web address your social worker gave you' }} and type in "
        "this code: {{ fb.online_code }}"
    )
    b.p("The code works once. It does not tell anyone who you are.")
    b.tag("endif")
    b.h(2, "Your answers")
    b.p(EXPLAINED_QUESTION)
    b.p("Circle a number. 0 means we did not explain at all. 10 means we explained very clearly.")
    b.p(" \u00b7 ".join(str(n) for n in range(11)))
    b.p(LISTENED_QUESTION)
    b.p("Tick one: \u2610 Yes \u00b7 \u2610 A bit \u00b7 \u2610 No")
    answers = b.grid(
        "Questions about how we worked with you, with space for your answers",
        ["Question", "Your answer"],
        [[q, ""] for q in FEEDBACK_QUESTIONS],
    )
    for row in answers.rows[1:]:  # room to write by hand
        row.height, row.height_rule = Cm(4), WD_ROW_HEIGHT_RULE.AT_LEAST
    b.h(2, "How to send this back")
    b.tag("if fb.return_to")
    b.p(
        "Please send this form to {{ fb.return_to.name }}"
        "{% if fb.return_by %} by {{ fb.return_by|long_date }}{% endif %}."
    )
    b.field("Address", "fb.return_to.address")
    b.field("Phone", "fb.return_to.phone")
    b.field("Email", "fb.return_to.email")
    b.tag("else")
    b.p(
        "Please give this form to your social worker"
        "{% if fb.return_by %} by {{ fb.return_by|long_date }}{% endif %}."
    )
    b.tag("endif")
    complaints_advocacy(b)


CHILD_NAMES = (
    "{% for x in children %}{{ x.known_as or x.name.split(' ')[0] }}"
    "{% if loop.revindex == 2 %} and {% elif not loop.last %}, {% endif %}{% endfor %}"
)


def picture_box(b: Builder, caption: str):
    """An empty bordered box, titled Pictures, for the children's drawings."""
    box = b.grid(caption, ["Pictures"], [[""]])
    box.rows[1].height, box.rows[1].height_rule = Cm(6), WD_ROW_HEIGHT_RULE.AT_LEAST


def words_and_pictures(b: Builder):
    """A Words and Pictures explanation for the children, in the names they use."""
    b.locals("wp", "sp")
    b.h(1, "A story for " + CHILD_NAMES)
    b.p("This story tells you why some grown-ups are worried, and what everyone is doing to help.")
    b.tag("if family_members or safety_network")
    b.h(2, "The people in this story")
    b.bullets(
        "x in family_members",
        "{{ x.known_to_children_as or x.name.split(' ')[0] }}",
    )
    b.bullets(
        "x in safety_network if not x.family_member_id",
        "{{ x.known_to_children_as or x.name.split(' ')[0] }}",
    )
    b.tag("endif")
    for key, heading in (
        ("who_is_worried", "Who is worried?"),
        ("what_are_they_worried_about", "What are they worried about?"),
        ("what_happened_then", "What happened then?"),
        ("what_are_we_doing", "What are we doing about the worries?"),
    ):
        b.tag(f"if wp.{key}")
        b.h(2, heading)
        b.tag(f"for x in wp.{key}")
        b.p("{{ x }}")
        b.tag("endfor")
        picture_box(b, f"Room for a picture: {heading}")
        b.tag("endif")
    b.tag("if safety_network")
    b.h(2, "The people who help keep you safe")
    b.bullets(
        "n in safety_network",
        "{{ n.known_to_children_as or n.name.split(' ')[0] }}"
        "{% if n.role_in_plan %}: {{ n.role_in_plan }}{% endif %}",
    )
    b.tag("endif")
    b.tag("if sp.if_worried")
    b.h(2, "What you can do if you are worried")
    b.bullets("x in sp.if_worried", "{{ x }}")
    b.tag("endif")
    b.tag("if wp.pictures")
    b.h(2, "The pictures")
    text_or_list(b, "wp.pictures")
    b.tag("endif")
    b.h(2, "Before this story is shared")
    b.tag("if wp.parents_agreed")
    b.bullets(
        "x in wp.parents_agreed",
        "{{ x.name }} agreed this story on {{ x.date|long_date }}.",
    )
    b.tag("else")
    b.p(
        "The parents have not agreed this story yet. It is not shared with the children until "
        "they have."
    )
    b.tag("endif")


TITLES = {
    "document": "About this document",
    "authority": "Local authority",
    "worker": "Social worker",
    "children": "Children",
    "family_members": "Parents, carers and family",
    "safety_network": "Safety network",
    "professionals": "Professionals",
    "key_dates": "Key dates",
    "harm": "Harm: what has happened",
    "danger_statements": "Danger statements",
    "statements": None,
    "safety_goals": "Safety goals",
    "scales": "Scaling (0 to 10)",
    "next_steps": "Next steps",
    "child_voice": "The child's voice (Three Houses)",
    "views": "Views of parents and network",
    "words_and_pictures": "Words and Pictures",
    "meetings": "Meetings",
    "legal": "The case's legal reference",
    "chronology": "Chronology",
    "plo": "Pre-proceedings (Public Law Outline)",
    "assessment": "Single assessment",
    "referral": "Referral",
    "agency_report": "Agency report",
    "safety_plan": "Safety plan",
    "feedback": "Feedback form",
    "text": None,
}


def ref(name: str, **extra) -> dict:
    """A property schema that points at the case model (with a title for the web form)."""
    title = {"title": TITLES[name]} if TITLES.get(name) else {}
    return {"$ref": f"{CASE}#/$defs/{name}", **title, **extra}


AUTHORITY = ref("authority")
WORKER = ref("worker")
CHILDREN = ref("children", minItems=1)
DANGERS = ref("danger_statements", minItems=1)
GOALS = ref("safety_goals", minItems=1)
MEETINGS = ref("meetings", minItems=1)
# Every template: the case model version and the document's own date, meeting and recipient.
COMMON = {
    "case_version": {"$ref": f"{CASE}#/properties/case_version"},
    "document": ref("document"),
}
MAPPING = {
    "harm": ref("harm"),
    "danger_statements": DANGERS,
    "complicating_factors": ref("statements", title="Complicating factors"),
    "strengths": ref("statements", title="Strengths"),
    "existing_safety": ref("statements", title="Existing safety"),
    "safety_goals": ref("safety_goals"),
    "scales": ref("scales"),
    "next_steps": ref("next_steps"),
}
CONFERENCES = ["initial_conference", "review_conference"]

# slug -> (builder, meta, property schemas, required properties). Bump a template's "version"
# whenever its template.docx changes, then run this script with --ledger (see README.md).
# meta: shares_as = who reads it (the codes the projection matches against each child_voice
# item's share_with); recipient = "pr_holder" for a letter to one person with parental
# responsibility; meeting_types = the meetings (meetings[].type) it may record or announce;
# meeting_role = what it does with its meeting: "records" (dated on or after it), "announces"
# (before it) or "reports_to" (a report shared before a conference).
TEMPLATES = {
    "plo-letter-before-proceedings": (
        plo_letter,
        {
            "title": "Letter before proceedings",
            "doc_type": "plo-letter-before-proceedings",
            "audience": "family",
            "purpose": "Tells one person with parental responsibility, in plain words, that the "
            "authority is considering court, what must change and by when, and invites them to "
            "a pre-proceedings meeting with a solicitor.",
            "about_child": True,
            "version": "2.1",
            "shares_as": [],
            "recipient": "pr_holder",
            "meeting_types": ["pre_proceedings"],
            "meeting_role": "announces",
        },
        {
            **COMMON,
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
            "family_members": ref("family_members", minItems=1),
            "key_dates": ref("key_dates"),
            "harm": ref("harm"),
            "danger_statements": DANGERS,
            "safety_goals": GOALS,
            "scales": ref("scales"),
            "child_voice": ref("child_voice"),
            "meetings": MEETINGS,
            "legal": ref("legal"),
            "plo": ref("plo"),
        },
        [
            "authority",
            "worker",
            "children",
            "family_members",
            "danger_statements",
            "safety_goals",
            "meetings",
        ],
    ),
    "plo-planning-meeting-record": (
        plo_meeting,
        {
            "title": "Pre-proceedings (PLO planning) meeting record",
            "doc_type": "plo-planning-meeting-report",
            "audience": "professional",
            "purpose": "Records who attended the pre-proceedings meeting, the worries and what "
            "must change, the assessments and family group decision-making agreed, the written "
            "agreement, what was and was not agreed, the review date and how pre-proceedings "
            "will end.",
            "about_child": True,
            "version": "2.1",
            "shares_as": ["professionals"],
            "meeting_types": ["pre_proceedings", "pre_proceedings_review"],
            "meeting_role": "records",
        },
        {
            **COMMON,
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
            "family_members": ref("family_members"),
            "key_dates": ref("key_dates"),
            **MAPPING,
            "child_voice": ref("child_voice"),
            "views": ref("views"),
            "meetings": MEETINGS,
            "legal": ref("legal"),
            "plo": ref("plo"),
        },
        ["authority", "worker", "children", "danger_statements", "meetings"],
    ),
    "cp-conference-report": (
        cp_conference_report,
        {
            "title": "Child protection conference report (initial or review)",
            "doc_type": "cp-conference-report",
            "audience": "professional",
            "purpose": "The social worker's report to an initial or review child protection "
            "conference: every child and when they were seen, history and timeline, everyone's "
            "views, the mapping, progress since the last conference (review), the analysis of "
            "harm and a recommendation for each child.",
            "about_child": True,
            "version": "2.1",
            "shares_as": ["conference"],
            "meeting_types": CONFERENCES,
            "meeting_role": "reports_to",
        },
        {
            **COMMON,
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
            "family_members": ref("family_members"),
            "professionals": ref("professionals"),
            "key_dates": ref("key_dates"),
            "family_history": ref("text", title="Family history"),
            "chronology": ref("chronology"),
            "child_voice": ref("child_voice"),
            "views": ref("views"),
            **MAPPING,
            "meetings": MEETINGS,
        },
        ["authority", "worker", "children", "danger_statements", "meetings"],
    ),
    "cp-conference-summary-family": (
        cp_summary_family,
        {
            "title": "Child protection conference: summary for the family",
            "doc_type": "cp-conference-summary-family",
            "audience": "family",
            "purpose": "Tells the family in plain words what the conference decided for each "
            "child, the worries, what is going well, what needs to happen, the scores, the "
            "plan, the next meetings, who to contact and how to challenge the decision.",
            "about_child": True,
            "version": "2.1",
            # Read by every parent: a child's words appear only where the child agreed that
            # each person with parental responsibility for them may read them.
            "shares_as": ["parents"],
            "meeting_types": CONFERENCES,
            "meeting_role": "records",
        },
        {
            **COMMON,
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
            "family_members": ref("family_members"),
            "key_dates": ref("key_dates"),
            "child_voice": ref("child_voice"),
            **MAPPING,
            "meetings": MEETINGS,
        },
        ["authority", "worker", "children", "danger_statements", "meetings"],
    ),
    "single-assessment": (
        single_assessment,
        {
            "title": "Single assessment",
            "doc_type": "single-assessment",
            "audience": "professional",
            "purpose": "Records a child and family assessment: purpose, consent, contributors, "
            "the children's needs, parenting capacity, family and environment, the children's "
            "views, the mapping, the analysis and the decision.",
            "about_child": True,
            "version": "2.1",
            "shares_as": ["professionals"],
            "meeting_types": [],
        },
        {
            **COMMON,
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
            "family_members": ref("family_members"),
            "professionals": ref("professionals"),
            "key_dates": ref("key_dates"),
            "child_voice": ref("child_voice"),
            "views": ref("views"),
            **MAPPING,
            "danger_statements": ref("danger_statements"),
            "assessment": ref("assessment"),
        },
        ["authority", "worker", "children", "assessment"],
    ),
    "family-network-meeting-record": (
        network_meeting,
        {
            "title": "Family network meeting record",
            "doc_type": "family-network-meeting",
            "audience": "family",
            "purpose": "Records the family network meeting in plain words: who came, the "
            "safety network, the worries and goals, the rules agreed, what was and was not "
            "agreed, and signatures.",
            "about_child": True,
            "version": "2.1",
            "shares_as": ["network", "parents"],  # the network and every parent read it
            "meeting_types": ["family_network"],
            "meeting_role": "records",
        },
        {
            **COMMON,
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
            "family_members": ref("family_members"),
            "key_dates": ref("key_dates"),
            "meetings": MEETINGS,
            "safety_network": ref("safety_network", minItems=1),
            "child_voice": ref("child_voice"),
            **MAPPING,
            "safety_plan": ref("safety_plan"),
        },
        ["authority", "worker", "children", "meetings", "safety_network", "danger_statements"],
    ),
    "safety-plan": (
        safety_plan,
        {
            "title": "Safety plan",
            "doc_type": "safety-plan",
            "audience": "family",
            "purpose": "Sets out the rules everyone follows to keep the children safe, who in "
            "the safety network makes sure each is followed and how they will know, the "
            "warning signs, who has heard the worries, and who agrees to the plan.",
            "about_child": True,
            "version": "2.1",
            "shares_as": ["network", "parents"],  # the network and every parent read it
            "meeting_types": [],
        },
        {
            **COMMON,
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
            "family_members": ref("family_members"),
            "danger_statements": DANGERS,
            "safety_goals": GOALS,
            "scales": ref("scales"),
            "safety_network": ref("safety_network", minItems=1),
            "child_voice": ref("child_voice"),
            "safety_plan": ref("safety_plan", required=["rules"]),
        },
        [
            "authority",
            "worker",
            "children",
            "danger_statements",
            "safety_goals",
            "safety_network",
            "safety_plan",
        ],
    ),
    "multi-agency-referral": (
        referral_form,
        {
            "title": "Multi-agency referral form",
            "doc_type": "multi-agency-referral-form",
            "audience": "professional",
            "purpose": "Refers children to children's services: the referrer and their own "
            "view, consent, what must not be shared, each child's address and GP, the "
            "household and who holds parental responsibility.",
            "about_child": True,
            "version": "2.1",
            "shares_as": ["professionals"],
            "meeting_types": [],
        },
        {
            **COMMON,
            "authority": AUTHORITY,
            "children": CHILDREN,
            "family_members": ref("family_members", minItems=1),
            "professionals": ref("professionals"),
            "key_dates": ref("key_dates"),
            "referral": ref("referral"),
        },
        ["authority", "children", "family_members", "referral"],
    ),
    "agency-report-to-conference": (
        agency_report,
        {
            "title": "Agency report to child protection conference",
            "doc_type": "agency-report-to-conference",
            "audience": "professional",
            "purpose": "One agency's own report to a child protection conference: its "
            "involvement, what it has seen, the children's views, its worries, what it sees "
            "working well, what it thinks needs to happen, its scale and its recommendation.",
            "about_child": True,
            "version": "2.1",
            "shares_as": ["conference"],
            "meeting_types": CONFERENCES,
            "meeting_role": "reports_to",
        },
        {
            **COMMON,
            "authority": AUTHORITY,
            "children": CHILDREN,
            "key_dates": ref("key_dates"),
            "child_voice": ref("child_voice"),
            "meetings": ref("meetings"),
            "agency_report": ref("agency_report"),
        },
        ["authority", "children", "agency_report"],
    ),
    "family-feedback-form": (
        feedback_form,
        {
            "title": "Family feedback form",
            "doc_type": "family-feedback-form",
            "audience": "family",
            "purpose": "Asks the family, in plain words, what they think of how the authority "
            "worked with them and how to send the form back.",
            "about_child": False,
            "version": "2.2",
            "shares_as": [],
            "meeting_types": [],
        },
        {**COMMON, "authority": AUTHORITY, "feedback": ref("feedback")},
        ["authority"],
    ),
    "words-and-pictures": (
        words_and_pictures,
        {
            "title": "Words and Pictures explanation for children",
            "doc_type": "words-and-pictures",
            "audience": "family",
            "purpose": "Explains to the children, in words and pictures and the names they "
            "use, who is worried, what about, what happened and what everyone is doing about "
            "it, once the parents have agreed the story.",
            "about_child": True,
            "version": "2.1",
            "shares_as": [],
            "meeting_types": [],
        },
        {
            **COMMON,
            "authority": AUTHORITY,
            "children": CHILDREN,
            "family_members": ref("family_members"),
            "words_and_pictures": ref("words_and_pictures"),
            "safety_network": ref("safety_network"),
            "safety_plan": ref("safety_plan"),
        },
        ["authority", "children", "words_and_pictures"],
    ),
}


# ---------------------------------------------------------------------------------------------
# Samples: each template's slice of the shared case, speaking from its own date
# ---------------------------------------------------------------------------------------------


def _meeting(case: dict, kind: str) -> dict:
    return next((m for m in case.get("meetings", []) if m.get("type") == kind), {})


def _latest(*dates) -> str | None:
    known = [d for d in dates if d]
    return max(known) if known else None


# slug -> (meeting type or None, the date the sample document speaks from). The dates keep
# each sample's story coherent: the initial conference report speaks from the day it was
# shared, the letter from the day it was sent, a meeting record from its meeting.
SAMPLE_DOCUMENT = {
    "plo-letter-before-proceedings": (
        "pre_proceedings",
        lambda c, m: c.get("key_dates", {}).get("letter_before_proceedings_sent"),
    ),
    "plo-planning-meeting-record": ("pre_proceedings", lambda c, m: m.get("date")),
    "cp-conference-report": (
        "initial_conference",
        lambda c, m: m.get("report_shared") or m.get("date"),
    ),
    "cp-conference-summary-family": ("review_conference", lambda c, m: m.get("date")),
    "single-assessment": (None, lambda c, m: c.get("key_dates", {}).get("assessment_completed")),
    "family-network-meeting-record": ("family_network", lambda c, m: m.get("date")),
    "safety-plan": (None, lambda c, m: c.get("safety_plan", {}).get("agreed_date")),
    "multi-agency-referral": (None, lambda c, m: c.get("referral", {}).get("date")),
    "agency-report-to-conference": (
        "initial_conference",
        lambda c, m: c.get("agency_report", {}).get("shared_date") or m.get("report_shared"),
    ),
    "family-feedback-form": ("pre_proceedings", lambda c, m: m.get("date")),
    "words-and-pictures": (
        None,
        lambda c, m: _latest(
            *(x.get("date") for x in c.get("words_and_pictures", {}).get("parents_agreed", []))
        ),
    ),
}

# Parts of the shared case a template does not use, left out of its sample.json so the sample
# shows only what the document draws on (and a family sample holds no professional jargon).
SAMPLE_OMIT = {
    "plo-letter-before-proceedings": [
        "plo.outcome", "plo.outcome_reason", "plo.parents_response", "plo.written_agreement",
        "plo.fgdm_referral", "plo.review_date",
    ],
}  # fmt: skip

# Dated lists: (path to the list, the item's date key). Items dated after the document are
# left out of its sample (the projection would drop them anyway, with a warning each).
DATED = [
    ("harm", "date"),
    ("chronology", "date"),
    ("complicating_factors", "date"),
    ("strengths", "date"),
    ("existing_safety", "date"),
    ("scales", "date"),
    ("child_voice", "date"),
    ("views.parents", "date"),
    ("views.network", "date"),
    ("plo.help_given", "date"),
    ("words_and_pictures.parents_agreed", "date"),
    ("safety_plan.agreed_by", "date"),
    ("next_steps", "agreed_on"),
]


def _list_at(data: dict, path: str):
    node = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, list) else None


def _after(value, when: str) -> bool:
    return isinstance(value, str) and value[:10] > when


def drop_later_facts(sample: dict, when: str, keep_meetings: set[str]) -> None:
    """Remove from sample (in place) the facts dated after `when`."""
    for path, key in DATED:
        items = _list_at(sample, path)
        if items is not None:
            items[:] = [x for x in items if not _after(x.get(key), when)]
    for child in sample.get("children", []):
        if isinstance(child.get("seen"), list):
            child["seen"] = [s for s in child["seen"] if not _after(s.get("date"), when)]
    for danger in sample.get("danger_statements", []):
        if isinstance(danger.get("examples"), list):
            danger["examples"] = [e for e in danger["examples"] if not _after(e.get("date"), when)]
    for member in sample.get("safety_network", []):
        if _after(member.get("heard_worries_on"), when):
            member.pop("heard_worries_on")
    if isinstance(sample.get("key_dates"), dict):
        sample["key_dates"] = {k: v for k, v in sample["key_dates"].items() if not _after(v, when)}
    if isinstance(sample.get("meetings"), list):
        sample["meetings"] = [
            m
            for m in sample["meetings"]
            if m.get("id") in keep_meetings or not _after(m.get("date"), when)
        ]


def sample_for(case: dict, properties: dict, omit: list[str], document=None) -> dict:
    """Return the part of the shared case a template uses, speaking from its own date.

    document: (meeting type or None, date function) from SAMPLE_DOCUMENT. The sample's
    `document` gets that date, the meeting's id and (for a letter) one recipient; facts dated
    after it are left out.
    """
    sample = json.loads(json.dumps({k: case[k] for k in properties if k in case}))
    if "case_version" in properties:
        sample["case_version"] = 2
    if document and "document" in properties:
        kind, when_of = document
        meeting = _meeting(case, kind) if kind else {}
        when = when_of(case, meeting) or (case.get("document") or {}).get("date")
        doc = {k: v for k, v in (case.get("document") or {}).items() if k == "reference"}
        doc["date"] = when or date.today().isoformat()
        if meeting.get("id") and "meetings" in properties:
            doc["meeting_id"] = meeting["id"]
        sample["document"] = doc
        # The PLO review meeting stays only where plo points at it (plo.review_meeting_id).
        review = (sample.get("plo") or {}).get("review_meeting_id")
        drop_later_facts(sample, doc["date"], {meeting.get("id"), review} - {None})
    for path in omit:
        head, _, tail = path.partition(".")
        sample.get(head, {}).pop(tail, None)
    drop_dangling(sample)
    return prune(sample)


def drop_dangling(sample: dict) -> None:
    """Leave out (in place) the references a sample cannot resolve, as its form could not hold
    them: a child's share_with naming a family member the template does not ask for."""
    members = {m.get("id") for m in sample.get("family_members") or [] if isinstance(m, dict)}
    for voice in sample.get("child_voice") or []:
        if isinstance(voice, dict) and isinstance(voice.get("share_with"), list):
            voice["share_with"] = [
                x for x in voice["share_with"] if x in SHARE_CODES or x in members
            ]


def prune(value):
    """Drop empty lists and objects (as the web form does), so a sample survives its form."""
    if isinstance(value, dict):
        kept = {k: prune(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in ([], {})}
    if isinstance(value, list):
        return [prune(v) for v in value]
    return value


def letter_recipient(sample: dict) -> None:
    """Address a letter's sample to the first person with parental responsibility."""
    holders = [m for m in sample.get("family_members", []) if m.get("parental_responsibility_for")]
    if holders and "document" in sample:
        sample["document"]["recipient_id"] = holders[0]["id"]


def write_json(path: Path, data) -> None:
    """Write JSON the same way every time, so rebuilds give clean diffs."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def default_sample(slug: str, case: dict, documents: dict, omits: dict) -> dict:
    """A template's sample: its slice of the shared case, speaking from its own date."""
    _make, meta, properties, _required = all_templates()[0][slug]
    sample = sample_for(case, properties, omits.get(slug, []), documents.get(slug))
    if meta.get("recipient") == "pr_holder":
        letter_recipient(sample)
    return sample


def all_templates() -> tuple[dict, dict]:
    """Return every template (TEMPLATES plus those of EXTRA_TEMPLATE_MODULES whose file exists
    beside this one) and, for each slug, the function making its sample from the shared case.

    An extra module gives TEMPLATES (the same shape as here) and either a `sample(slug, case)`
    function or SAMPLE_DOCUMENT / SAMPLE_OMIT tables like this module's.
    """
    templates, documents, omits, samplers = dict(TEMPLATES), dict(SAMPLE_DOCUMENT), {}, {}
    omits.update(SAMPLE_OMIT)
    for name in EXTRA_TEMPLATE_MODULES:
        if not (HERE / f"{name}.py").is_file():
            continue
        module = importlib.import_module(name)
        templates.update(module.TEMPLATES)
        own = getattr(module, "sample", None)
        for slug in module.TEMPLATES:
            if callable(own):
                samplers[slug] = functools.partial(own, slug)
        documents.update(getattr(module, "SAMPLE_DOCUMENT", {}))
        omits.update(getattr(module, "SAMPLE_OMIT", {}))
    for slug in templates:
        samplers.setdefault(
            slug, functools.partial(default_sample, slug, documents=documents, omits=omits)
        )
    return templates, samplers


def build(root: Path = HERE) -> list[str]:
    """Build every template folder into root (the library itself by default); return the slugs."""
    case = json.loads((HERE / "schemas" / "sample_case.json").read_text(encoding="utf-8"))
    templates, samplers = all_templates()
    for slug, (make, meta, properties, required) in templates.items():
        folder = root / slug
        folder.mkdir(parents=True, exist_ok=True)
        builder = Builder(meta["title"], meta["audience"])
        make(builder)
        builder.save(folder / "template.docx")
        schema = {
            "$schema": SCHEMA_DIALECT,
            "$id": f"urn:clearinghouse:template:{slug}",
            "title": meta["title"],
            "description": meta["purpose"],
            "type": "object",
            "required": required,
            "properties": properties,
        }
        write_json(folder / "schema.json", schema)
        write_json(folder / "sample.json", samplers[slug](case))
        write_json(folder / "meta.json", meta)
    return list(templates)


# ---------------------------------------------------------------------------------------------
# The ledger: every (slug, version) released, with the sha256 of its template.docx
# ---------------------------------------------------------------------------------------------

LEDGER = HERE / "ledger.json"
FIX = (
    'bump "version" for {slug} in templates_library/build_templates.py (TEMPLATES), then run '
    "`.venv/bin/python templates_library/build_templates.py --ledger` (rebuilds and records it)"
)
RECORD = (
    "if this version is new, record it with "
    "`.venv/bin/python templates_library/build_templates.py --ledger`"
)


def version_key(version: str) -> tuple[int, ...]:
    """Return a dotted version ("1.10") as numbers to compare; raise ValueError if malformed."""
    parts = version.split(".") if isinstance(version, str) else []
    if not parts or not all(part.isdigit() for part in parts):
        raise ValueError(f"version {version!r} is not dotted numbers such as 1.0")
    return tuple(int(part) for part in parts)


def library_state(root: Path = HERE) -> list[dict]:
    """Return slug, meta.json version and template.docx sha256 of every template under root."""
    state = []
    for folder in sorted(p for p in root.iterdir() if (p / "meta.json").is_file()):
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        digest = hashlib.sha256((folder / "template.docx").read_bytes()).hexdigest()
        state.append({"slug": folder.name, "version": meta.get("version"), "sha256": digest})
    return state


def read_ledger(path: Path = LEDGER) -> list[dict]:
    """Return the ledger's entries (none if the file does not exist yet)."""
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def ledger_history_problems(ledger: list[dict]) -> list[str]:
    """Return what is wrong with the ledger itself: malformed, conflicting or backward entries."""
    if not isinstance(ledger, list):
        return ["ledger.json must be a JSON list of {slug, version, sha256} entries"]
    problems, seen, latest = [], {}, {}
    for n, entry in enumerate(ledger):
        if not isinstance(entry, dict) or set(entry) != {"slug", "version", "sha256"}:
            problems.append(f"ledger entry {n} must have exactly slug, version and sha256: {entry}")
            continue
        slug, version, digest = entry["slug"], entry["version"], entry["sha256"]
        if not (isinstance(digest, str) and len(digest) == 64 and set(digest) <= HEX):
            problems.append(f"ledger entry {n} ({slug} {version}): sha256 is not 64 hex digits")
        try:
            key = version_key(version)
        except ValueError as error:
            problems.append(f"ledger entry {n} ({slug}): {error}")
            continue
        if (slug, version) in seen:
            if seen[slug, version] != digest:
                problems.append(
                    f"{slug} {version} is in the ledger with two different sha256s; a released "
                    "version's file never changes, so give the newer file a new version"
                )
            else:
                problems.append(f"{slug} {version} is in the ledger twice; remove the repeat")
            continue
        seen[slug, version] = digest
        if slug in latest and key <= version_key(latest[slug]):
            problems.append(
                f"{slug}: ledger versions go backwards ({latest[slug]} then {version}); each "
                "new entry for a template needs a higher version"
            )
        else:
            latest[slug] = version
    return problems


def unrecorded(root: Path, ledger: list[dict]) -> tuple[list[dict], list[str]]:
    """Return the templates whose current version is not in the ledger, and any that conflict.

    A conflict is a template.docx whose version is recorded with another sha256 (the file
    changed, the version did not), a version lower than one recorded, or a malformed version.
    """
    recorded = {}
    for entry in ledger if isinstance(ledger, list) else []:
        if isinstance(entry, dict) and {"slug", "version", "sha256"} <= set(entry):
            recorded.setdefault((entry["slug"], entry["version"]), entry["sha256"])
    missing, conflicts = [], []
    for current in library_state(root):
        slug, version, digest = current["slug"], current["version"], current["sha256"]
        fix = FIX.format(slug=slug)
        try:
            key = version_key(version)
        except ValueError as error:
            conflicts.append(f"{slug}/meta.json: {error}; {fix}")
            continue
        higher = sorted((v for s, v in recorded if s == slug and _above(v, key)), key=version_key)
        if higher:
            conflicts.append(
                f"{slug}: meta.json version {version} is lower than the ledger's {higher[-1]} "
                f"(versions never go backwards); {fix}"
            )
        elif (slug, version) not in recorded:
            missing.append(current)
        elif recorded[slug, version] != digest:
            conflicts.append(
                f"{slug}/template.docx changed (sha256 {digest[:12]}…) but meta.json still says "
                f"version {version}, recorded with sha256 {recorded[slug, version][:12]}…; {fix}"
            )
    return missing, conflicts


def _above(version: str, key: tuple[int, ...]) -> bool:
    try:
        return version_key(version) > key
    except ValueError:
        return False


def ledger_problems(root: Path = HERE, ledger_path: Path | None = None) -> list[str]:
    """Return every way the library under root disagrees with its ledger; none means all is well."""
    ledger = read_ledger(ledger_path or root / "ledger.json")
    missing, conflicts = unrecorded(root, ledger)
    not_recorded = [
        f"{m['slug']} {m['version']} is not in templates_library/ledger.json; {RECORD}"
        for m in missing
    ]
    return ledger_history_problems(ledger) + conflicts + not_recorded


def update_ledger(root: Path = HERE, ledger_path: Path | None = None) -> list[dict]:
    """Append the current (slug, version, sha256) of every template not yet in the ledger.

    Refuses (ValueError, ledger untouched) when the ledger is already inconsistent, a
    (slug, version) is recorded with a different sha256, or a version is lower than one
    recorded: bump the version instead.
    """
    path = ledger_path or root / "ledger.json"
    ledger = read_ledger(path)
    missing, conflicts = unrecorded(root, ledger)
    refusals = ledger_history_problems(ledger) + conflicts
    if refusals:
        raise ValueError("ledger.json not updated:\n- " + "\n- ".join(refusals))
    if missing:
        write_json(path, ledger + missing)
    return missing


def main(argv: list[str] | None = None) -> int:
    """Build the library (into --out if given); with --ledger, record new versions too."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="build into this folder instead of the library")
    parser.add_argument(
        "--ledger",
        action="store_true",
        help="after building, append new (slug, version, sha256) entries to ledger.json",
    )
    args = parser.parse_args(argv)
    if args.ledger and args.out:
        parser.error("--ledger records the library itself; it cannot be used with --out")
    for built in build(args.out or HERE):
        print("built", built)
    if args.ledger:
        try:
            added = update_ledger(HERE)
        except ValueError as error:
            print(error, file=sys.stderr)
            return 1
        for entry in added:
            print("recorded", entry["slug"], entry["version"], entry["sha256"])
        if not added:
            print("ledger already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
