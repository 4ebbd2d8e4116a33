"""Four library templates added in issue 12: the letter of issue, the families' guide to the PLO,
the early help plan and the supervision mapping record.

`TEMPLATES` has the same shape as build_templates.TEMPLATES (slug -> (builder, meta, property
schemas, required properties)); build_templates.py builds them with the others
(EXTRA_TEMPLATE_MODULES), using `sample(slug, case)` for their samples.

The templates read the projection's context (clearinghouse/generation/case_view.py,
notes/case-v2-spec.md), never the raw case: `recipient`, the filtered `children` and
`child_voice`, `voice_withheld`, `case_scales` (question, zero_means and ten_means filled in),
`meeting`, and `document.date` always set. Their sections shared with the other templates
(contacts, the children's views, the solicitors list, next steps) come from build_sections.py.
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as a script, or loaded by path from build_templates
    sys.path.insert(0, str(HERE))

from build_sections import (  # noqa: E402
    CASE_SCALE_QUESTION,
    FRG_PHONE,
    NAMES,
    Bold,
    Builder,
    child_voice,
    complaints_advocacy,
    contact_line,
    legal_team,
    letter_end,
    letter_top,
    letterhead,
    next_steps,
    out_of_hours,
    solicitors_list,
    worker_lines,
)
from build_templates import CASE, drop_later_facts, prune, ref, sample_for  # noqa: E402

DEFAULT_FRG = (
    "Family Rights Group is a charity. It gives free advice to parents and families whose "
    "children are involved with Children's Services."
)
FRG_WEB = "https://frg.org.uk"


# ---------------------------------------------------------------------------------------------
# The templates
# ---------------------------------------------------------------------------------------------


def letter_of_issue(b: Builder):
    """Letter of issue: the authority has decided to apply to court. To one parent only."""
    b.locals("doc", "rc", "lg", "ls")
    b.tag("set ct = court or dict()")
    letter_top(b)
    b.h(1, "We are going to ask the family court to decide what happens to " + NAMES)
    b.p("Dear {{ rc.name }},")
    b.h(2, "What we have decided")
    b.p(
        "On {{ ct.decision_date|long_date }}, {{ authority.name }} decided to ask the family "
        "court to make decisions about " + NAMES + ". This kind of court case is called care "
        "proceedings."
    )
    b.p(
        "We are writing to tell you why, what happens next and how to get help. The court, not "
        "Children's Services, will decide what happens."
    )
    b.h(2, "Why we have decided this")
    b.p("{{ ct.reasons }}")
    b.h(2, "What happens next")
    b.tag("if ct.application_date and doc.date and ct.application_date <= doc.date")
    b.p(
        "We sent our application to {{ ct.court or 'the family court' }} on "
        "{{ ct.application_date|long_date }}. The application is the form that asks the court "
        "to make decisions."
    )
    b.tag("elif ct.application_date")
    b.p(
        "We will send our application to {{ ct.court or 'the family court' }} on "
        "{{ ct.application_date|long_date }}. The application is the form that asks the court "
        "to make decisions."
    )
    b.tag("else")
    b.p(
        "We will send our application to {{ ct.court or 'the family court' }} soon. The "
        "application is the form that asks the court to make decisions."
    )
    b.tag("endif")
    b.p("You will get a copy of the application and the papers we send to the court.")
    b.tag("if ct.first_hearing_date")
    b.p(
        "The first hearing is on {{ ct.first_hearing_date|long_date }}"
        "{% if ct.court %} at {{ ct.court }}{% endif %}. A hearing is a meeting in court with "
        "a judge. Please go to it, with your solicitor."
    )
    b.tag("else")
    b.p(
        "The court will tell you the date of the first hearing. A hearing is a meeting in court "
        "with a judge. Please go to it, with your solicitor."
    )
    b.tag("endif")
    b.tag("if ct.what_happens_next")
    b.p("{{ ct.what_happens_next }}")
    b.tag("endif")
    b.h(2, "Get a solicitor now")
    b.p(Bold("Please take this letter to a solicitor now."))
    b.p(
        "You can get legal aid to pay for a solicitor. Legal aid is free for parents in this "
        "kind of court case. It is not means-tested: it does not matter how much money you earn "
        "or have."
    )
    b.p(
        "If you already have a solicitor, take this letter to them today. If you do not, choose "
        "one from the list at the end of this letter. Your solicitor will explain what is "
        "happening and speak for you in court."
    )
    child_voice(b, 2, "What the children have told us", optional=True, explain=True)
    b.h(2, "Help with this letter")
    b.tag("if rc.needs_interpreter")
    b.p(
        "We will give you an interpreter"
        "{% if rc.interpreter_language or rc.language %} who speaks "
        "{{ rc.interpreter_language or rc.language }}{% endif %}. We will explain this letter "
        "to you in your language. Tell your solicitor that you need an interpreter at court."
    )
    contact_line(b, "Interpreting", "authority.interpreting")
    b.tag("else")
    b.p(
        "If you would like this letter in another language, in large print or read to you, "
        "please ask {{ worker.name }}."
    )
    b.tag("endif")
    complaints_advocacy(b, 2, complaints=False)
    b.h(2, "Who to contact")
    worker_lines(b)
    legal_team(b)
    out_of_hours(b)
    letter_end(b)
    solicitors_list(
        b,
        "Any of these solicitors can help you. You do not have to pay them.",
        heading="Local solicitors who know about children law",
    )


def plo_guide(b: Builder):
    """A guide for families to the steps before court (the PLO), in plain words."""
    b.locals("mt")
    b.tag("set weeks = (plo or dict()).timetable_weeks or 16")
    b.tag("set frg = authority.family_rights_group or dict()")
    letterhead(b)
    b.h(1, "A guide for families: the steps before court")
    b.p(
        "This guide is for parents and families. It explains what happens when Children's "
        "Services are very worried about a child and are thinking about going to court."
    )
    b.p(
        "We want to work with you so that court is not needed. The steps in this guide have a "
        "name. They are called the PLO. It is short for Public Law Outline. The time before "
        "court is called pre-proceedings."
    )
    b.h(2, "Step 1: a letter")
    b.p(
        "First we send a letter to each parent. We also send one to anyone else who has the "
        "legal rights and duties of a parent for the child. This is called parental "
        "responsibility."
    )
    b.p("The letter tells you:")
    for line in (
        "why we are worried, with examples and dates",
        "what needs to change, and by when",
        "the help we will give you",
        "the date of a meeting with us",
    ):
        b.p(line, style="List Bullet")
    b.p(Bold("Please do not ignore the letter. Take it to a solicitor straight away."))
    b.h(2, "Free legal advice")
    b.p(
        "When you get the letter, you can get free advice from a solicitor. It is free whatever "
        "your income. This free advice is called Legal Help."
    )
    b.p("A solicitor can explain the letter, talk to us for you and come to the meeting with you.")
    solicitors_list(b, "These local solicitors know about children law:")
    b.h(2, "Step 2: a meeting")
    b.p(
        "We will invite you to a meeting. Your solicitor can come with you. You can also bring "
        "someone to support you."
    )
    b.tag("if mt.date")
    b.p(
        "Your meeting is on {{ mt.date|long_date }}{% if mt.time %} at {{ mt.time }}{% endif %}"
        "{% if mt.place %}, at {{ mt.place }}{% endif %}."
    )
    b.tag("if mt.how in ['video', 'phone']")
    b.p("The meeting will be by {{ mt.how }}.")
    b.tag("elif mt.how == 'in person or video'")
    b.p("You can come in person or join by video.")
    b.tag("endif")
    b.tag("if mt.joining_details")
    b.p("{{ mt.joining_details }}")
    b.tag("endif")
    b.tag("endif")
    b.p(
        "At the meeting we talk about the worries. Together we agree a plan. The plan says what "
        "needs to change, the help you will get and the dates."
    )
    b.h(2, "Step 3: time to make changes")
    b.p(
        "This time usually lasts up to {{ weeks }} weeks. During this time there is a review "
        "meeting. At the review we check how things are going."
    )
    b.p(
        "We may ask you to take part in an assessment. This is when a worker spends time with "
        "you. They try to understand your family, what is going well and what help you need."
    )
    b.p(
        "We may also want to meet family or friends who could look after the children if they "
        "cannot stay with you. A first short check of a family member is called a viability "
        "assessment. A longer, full check is called a kinship assessment."
    )
    b.h(2, "Family and friends can help")
    b.p(
        "We will offer you a meeting with your family and friends. At this meeting they make a "
        "plan to help keep the children safe. A meeting like this is called a family group "
        "conference. Some councils call it a family network meeting."
    )
    b.p("The family and friends who help with the plan are called a safety network.")
    b.h(2, "Step 4: what happens at the end")
    b.p("At the end, there are three things that can happen:")
    b.p(
        "Things are better. We stop these steps. We may still help your family.",
        style="List Bullet",
    )
    b.p(
        "Things are getting better, but more time is needed. We carry on for a set time.",
        style="List Bullet",
    )
    b.p(
        "Things are not better. We ask the family court to decide what should happen. If we do "
        "this, we will write to you again.",
        style="List Bullet",
    )
    b.p(
        "If we become more worried about the children at any time, we may go to court straight "
        "away. We would not wait for the end of these steps."
    )
    b.h(2, "Free advice for families")
    b.tag("if frg.name")
    contact_line(b, "Free advice", "frg")
    b.tag("else")
    b.p(DEFAULT_FRG)
    b.p(
        Bold("Family Rights Group advice line: "),
        FRG_PHONE + ". The call is free. You can also go to " + FRG_WEB + ".",
    )
    b.tag("endif")
    b.h(2, "Who to contact")
    worker_lines(b)
    b.tag("if authority.phone")
    b.p(Bold("{{ authority.service or authority.name }}: "), "phone {{ authority.phone }}")
    b.tag("endif")
    b.p(
        "If you need an interpreter, or this guide in another language or in large print, "
        "please ask your social worker."
    )
    out_of_hours(b)
    complaints_advocacy(b, 2, complaints=False)


def early_help_plan(b: Builder):
    """An early help plan in Signs of Safety format, made with the family and with consent."""
    b.locals("doc")
    b.tag("set eh = early_help or dict()")
    letterhead(b)
    b.h(1, "Early help plan for " + NAMES)
    b.p(
        "Early help is support for your family, so that small worries do not become big ones. "
        "This plan is written with you, in your words."
    )
    b.field("Date of this plan", "doc.date", "{{ doc.date|long_date }}")
    b.h(2, "Your agreement")
    b.tag("if eh.consent_given")
    b.p(
        "You agreed to have early help"
        "{% if eh.consent_date %} on {{ eh.consent_date|long_date }}{% endif %}. You can change "
        "your mind at any time. We share this plan only with the people who help in it."
    )
    b.tag("else")
    b.p(
        "You have not agreed to early help yet. We will not start the plan or share it without "
        "your agreement."
    )
    b.tag("endif")
    for key, heading, empty in (
        ("family_worries", "What you are worried about", "No worries have been written here yet."),
        ("family_strengths", "What is going well", "Nothing has been written here yet."),
        ("family_goals", "What you want to be different", "No goals have been written here yet."),
    ):
        b.h(2, heading)
        b.tag(f"if eh.{key}")
        b.bullets(f"x in eh.{key}", "{{ x }}")
        b.tag("else")
        b.p(empty)
        b.tag("endif")
    b.h(2, "Who helps with what")
    b.tag("if eh.who_helps")
    b.table(
        "Who helps the family, and what they help with",
        ["Who", "What they help with"],
        "x in eh.who_helps",
        ["{{ x.who }}", "{{ x.with_what }}"],
    )
    b.tag("else")
    b.p("We have not agreed who will help yet.")
    b.tag("endif")
    b.h(2, "How we will know things are better")
    b.tag("if eh.how_we_will_know")
    b.bullets("x in eh.how_we_will_know", "{{ x }}")
    b.tag("else")
    b.p("We will agree this together.")
    b.tag("endif")
    next_steps(b, family=True, level=2, heading="What happens next")
    b.h(2, "Scores from 0 to 10")
    b.tag("if case_scales")
    b.p("We asked people to give a score from 0 to 10. This helps us see how things are going.")
    b.tag("for grp in case_scales|groupby('question')")
    b.p(Bold("The question: "), "{{ grp.grouper }}")
    b.tag("set first = grp.list|first")
    b.tag("if first.ten_means or first.zero_means")
    b.p(
        "{% if first.ten_means %}10 means {{ first.ten_means }}. {% endif %}"
        "{% if first.zero_means %}0 means {{ first.zero_means }}.{% endif %}"
    )
    b.tag("endif")
    b.table(
        "Scores from 0 to 10, who gave them, when and why",
        ["Who", "Score (0 to 10)", "Why", "Date"],
        "s in grp.list",
        [
            "{{ s.rater }}{% if s.rater_role %} ({{ s.rater_role }}){% endif %}",
            "{{ s.score }}",
            "{{ s.reason }}",
            "{{ s.date|long_date }}",
        ],
        widths=[3.6, 2.4, 8, 3],
    )
    b.tag("endfor")
    b.tag("else")
    b.p("Nobody has given a score yet.")
    b.tag("endif")
    child_voice(b, 2, "What the children told us", optional=True, explain=True)
    b.h(2, "When we will look at this plan again")
    b.tag("if eh.review_date")
    b.p("We will meet to look at this plan again on {{ eh.review_date|long_date }}.")
    b.tag("else")
    b.p("We will agree a date to look at this plan again.")
    b.tag("endif")
    b.h(2, "Who to contact")
    worker_lines(b, "Your worker")
    out_of_hours(b)


def supervision_record(b: Builder):
    """A supervision or case consultation mapping record (professional; no child's words)."""
    b.locals("doc")
    b.tag("set sv = supervision or dict()")
    b.tag("set sc = sv.scale or dict()")
    b.h(1, "Supervision: case consultation mapping record")
    b.rows_table(
        "About this supervision",
        ["Detail", "Supervision"],
        [
            ("Date", "sv.date", "{{ sv.date|long_date }}"),
            ("Children", "children", NAMES),
            ("Social worker", "worker.name", "{{ worker.name }}"),
            ("Team", "worker.team", "{{ worker.team }}"),
            ("Case reference", "doc.reference", "{{ doc.reference }}"),
        ],
    )
    b.h(2, "Who attended")
    b.tag("if sv.attendees")
    b.table(
        "People at the supervision",
        ["Name", "Role"],
        "a in sv.attendees",
        ["{{ a.name }}", "{{ a.role }}"],
    )
    b.tag("else")
    b.p("Who attended has not been recorded.")
    b.tag("endif")
    b.h(2, "The case question")
    b.p("{{ sv.case_question }}")
    b.h(2, "The mapping")
    columns = (
        ("worries", "Nothing recorded."),
        ("working_well", "Nothing recorded."),
        ("needs_to_happen", "Nothing recorded."),
    )
    table = b.grid(
        "The mapping: what we are worried about, what is working well, what needs to happen",
        ["What are we worried about?", "What's working well?", "What needs to happen?"],
        [["", "", ""]],
    )
    for cell, (key, empty) in zip(table.rows[1].cells, columns, strict=True):
        cell.paragraphs[0].text = f"{{%p for x in sv.{key} %}}"
        cell.add_paragraph("{{ x }}", style="List Bullet")
        cell.add_paragraph("{%p else %}")
        cell.add_paragraph(empty)
        cell.add_paragraph("{%p endfor %}")
    b.h(2, "Scaling")
    b.p(Bold("Question: "), CASE_SCALE_QUESTION)
    b.p(
        "0 means things are so bad the children cannot live at home. 10 means everyone knows "
        "the children are safe enough for the case to close."
    )
    b.tag("if sc.score is number")
    b.p(
        Bold("Score agreed in supervision: "),
        "{{ sc.score }} out of 10{% if sv.date %} on {{ sv.date|long_date }}{% endif %}.",
    )
    b.field("Reason", "sc.reason")
    b.tag("else")
    b.p("No score was given in this supervision.")
    b.tag("endif")
    b.h(2, "The worker's next steps")
    b.tag("if sv.worker_next_steps")
    b.table(
        "The worker's next steps and by when",
        ["Action", "By when"],
        "n in sv.worker_next_steps",
        ["{{ n.action }}", "{{ n.by_when|long_date if n.by_when else 'Not set' }}"],
        widths=[12, 5],
    )
    b.tag("else")
    b.p("No next steps were set for the worker.")
    b.tag("endif")
    b.h(2, "The supervisor's decision")
    b.p("{{ sv.supervisor_decision }}")


# ---------------------------------------------------------------------------------------------
# The table: slug -> (builder, meta, property schemas, required properties)
# ---------------------------------------------------------------------------------------------

AUTHORITY = ref("authority", title="Local authority")
WORKER = ref("worker", title="Social worker")
CHILDREN = ref("children", title="Children", minItems=1)
# Every sample is case model 2 and says so; the web form keeps what the schema holds.
CASE_VERSION = {"$ref": f"{CASE}#/properties/case_version"}

TEMPLATES = {
    "letter-of-issue": (
        letter_of_issue,
        {
            "title": "Letter of issue: we are applying to court",
            # DOC_TYPES has no letter of issue: the closest is the PLO letter (a letter to each
            # parent with parental responsibility about court).
            "doc_type": "letter-of-issue",
            "audience": "family",
            "purpose": "Tells one parent with parental responsibility, in plain words, that the "
            "authority has decided to apply to court and why, what happens next, that legal aid "
            "is free and not means-tested, and which solicitors to go to now.",
            "about_child": True,
            "version": "1.1",
            "meeting_types": [],
            "shares_as": [],
            "recipient": "pr_holder",
        },
        {
            "case_version": CASE_VERSION,
            "document": ref("document", title="About this letter"),
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
            "family_members": ref("family_members", title="Parents, carers and family", minItems=1),
            "court": ref("court", title="Decision to apply to court"),
            "legal": ref("legal", title="This case's lawyer and reference"),
            "child_voice": ref("child_voice", title="The children's views"),
        },
        ["document", "authority", "worker", "children", "family_members", "court"],
    ),
    "plo-guide-for-families": (
        plo_guide,
        {
            "title": "A guide for families: the steps before court (PLO)",
            "doc_type": "plo-family-guide",
            "audience": "family",
            "purpose": "Explains to families in plain words the steps before court: the letter, "
            "free legal advice, the meeting, the timetable and review, assessments, family "
            "meetings, how it can end, and the Family Rights Group's free advice line.",
            "about_child": False,
            "version": "1.1",
            "shares_as": [],
            "meeting_types": ["pre_proceedings"],
            "meeting_role": "announces",
        },
        {
            "case_version": CASE_VERSION,
            "document": ref("document", title="About this guide"),
            "authority": AUTHORITY,
            "worker": WORKER,
            "plo": ref("plo", title="Pre-proceedings (Public Law Outline)"),
            "meetings": ref("meetings", title="Meetings"),
        },
        ["authority", "worker"],
    ),
    "early-help-plan": (
        early_help_plan,
        {
            "title": "Early help plan",
            "doc_type": "early-help-plan",
            "audience": "family",
            "purpose": "The family's early help plan in their own words, made with their "
            "agreement: their worries, strengths and goals, who helps with what, how they will "
            "know things are better, next steps, scores, the children's views and the review "
            "date.",
            "about_child": True,
            "version": "1.1",
            "meeting_types": [],
            # Read by the parents and by the family and friends who help: a child's words go in
            # only when the child agreed that the network and every parent may read them.
            "shares_as": ["network", "parents"],
        },
        {
            "case_version": CASE_VERSION,
            "document": ref("document", title="About this plan"),
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
            "early_help": ref("early_help", title="Early help plan"),
            "next_steps": ref("next_steps", title="Next steps"),
            "scales": ref("scales", title="Scores from 0 to 10"),
            "child_voice": ref("child_voice", title="The children's views"),
        },
        ["authority", "worker", "children", "early_help"],
    ),
    "supervision-mapping-record": (
        supervision_record,
        {
            "title": "Supervision: case consultation mapping record",
            "doc_type": "supervision",
            "audience": "professional",
            "purpose": "Records a supervision or case consultation: who attended, the case "
            "question, the mapping in three columns, the scale, the worker's next steps and the "
            "supervisor's decision.",
            "about_child": True,
            "version": "1.1",
            "meeting_types": [],
            "shares_as": ["professionals"],
        },
        {
            "case_version": CASE_VERSION,
            "document": ref("document", title="About this record"),
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
            "supervision": ref("supervision", title="Supervision"),
        },
        ["authority", "worker", "children", "supervision"],
    ),
}

# What each template asks the projection for beyond its schema's properties.
PROJECTION_KEYS = {
    "letter-of-issue": ["recipient", "children (the recipient's only)", "child_voice",
                        "voice_withheld", "document.date"],
    "plo-guide-for-families": ["meeting", "document.date"],
    "early-help-plan": ["case_scales", "child_voice", "voice_withheld", "document.date"],
    "supervision-mapping-record": ["document.date"],
}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Samples: the part of the shared (v2) case each template uses, plus its own `document`
# ---------------------------------------------------------------------------------------------

SAMPLE_DOCUMENTS = {
    "letter-of-issue": {"date": "2027-02-03", "reference": "NCC/CS/48213", "recipient_id": "P3"},
    "plo-guide-for-families": {
        "date": "2026-10-21",
        "reference": "NCC/CS/48213",
        "meeting_id": "M-PPM",
    },
    "early-help-plan": {"date": "2023-03-06", "reference": "NCC/EH/30117"},
    "supervision-mapping-record": {"date": "2026-10-14", "reference": "NCC/CS/48213"},
}
SAMPLE_OMIT = {
    "plo-guide-for-families": [
        "plo.what_could_happen", "plo.help_given", "plo.support_offered", "plo.fgdm_referral",
        "plo.written_agreement", "plo.parents_response", "plo.outcome", "plo.outcome_reason",
        "plo.review_date", "plo.signed_by", "plo.review_meeting_id",
    ],
}  # fmt: skip
# Whole parts of the shared case a sample leaves out: the early help plan (2023) had no next
# steps of its own, and the case's next_steps are the pre-proceedings ones (2026).
SAMPLE_LEAVE_OUT = {"early-help-plan": ["next_steps"]}


def shared_case() -> dict:
    """Return the shared fictional case (schemas/sample_case.json) these samples come from."""
    return json.loads((HERE / "schemas" / "sample_case.json").read_text(encoding="utf-8"))


def sample(slug: str, case: dict | None = None) -> dict:
    """Return a template's sample: the part of the shared case it uses, with its own document.

    The shared case runs from early help to court, so a sample leaves out the facts dated after
    its own document's date (the projection would drop them, with a warning for each).
    """
    _, _, properties, _ = TEMPLATES[slug]
    data = sample_for(case or shared_case(), properties, SAMPLE_OMIT.get(slug, []))
    data["case_version"] = 2
    data["document"] = dict(SAMPLE_DOCUMENTS[slug])
    for key in SAMPLE_LEAVE_OUT.get(slug, []):
        data.pop(key, None)
    when = data["document"]["date"]
    own = data["document"].get("meeting_id")
    drop_later_facts(data, when, {own} - {None})
    if isinstance(data.get("meetings"), list):  # the guide reads only its own meeting
        data["meetings"] = [m for m in data["meetings"] if m.get("id") == own]
    return prune(data)
