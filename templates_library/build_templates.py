"""Build the template library: every <slug>/template.docx, schema.json, sample.json and meta.json.

Run from the project root:  .venv/bin/python templates_library/build_templates.py
(--out DIR builds into another folder; --ledger also records new versions in ledger.json).

The .docx files are docxtpl templates made with python-docx, so that their Word structure is
real (Heading and List styles, table header rows, a PAGE field in the footer) and reviewable
here. The shared case model is schemas/case.schema.json and the shared fictional case is
schemas/sample_case.json; each template's schema.json references the case model, and its
sample.json is the part of the shared case that template uses.

Jinja conventions (the renderer gives a sandbox with autoescape, default Undefined and the
filters long_date, join_and and initials):
- `{%p ... %}` tags stand alone in their own paragraph, `{%tr ... %}` in their own table row;
  docxtpl forbids `}` and `%` inside them (so `dict()`, not `{}`).
- Optional parts are wrapped in `{%p if %}` so missing data leaves no empty heading, bullet,
  label or punctuation. Optional objects are read through `x or dict()` because default
  Undefined fails on a second attribute lookup.
"""

import argparse
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
CASE = "urn:clearinghouse:case"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
HEX = set("0123456789abcdef")

NAMES = "{{ children|map(attribute='name')|list|join_and }}"
PR_NAMES = (
    "{{ family_members|selectattr('has_parental_responsibility')"
    "|map(attribute='name')|list|join_and }}"
)
SCALE_QUESTION = (
    "On a scale of 0 to 10, where 10 means everyone knows the children are safe enough for the "
    "case to close and 0 means things are so bad the children cannot live at home, where do you "
    "rate this?"
)
FAMILY_SCALE = (
    "We asked people to give a score from 0 to 10. 10 means everyone agrees the children are safe "
    "enough for Children's Services to stop working with you. 0 means things are so bad that the "
    "children cannot live at home."
)
DATE_OR_EDD = (
    "{% if c.date_of_birth %}{{ c.date_of_birth|long_date }}{% elif c.expected_date_of_delivery %}"
    "Expected {{ c.expected_date_of_delivery|long_date }}{% endif %}"
)
YES_NO = "{{{{ ('Yes' if {0} else 'No') if {0} is defined else 'Not known' }}}}"
# Optional objects, read safely: each becomes a short local name.
LOCALS = {
    "kd": "key_dates",
    "mt": "meeting",
    "lg": "legal",
    "plo_": "plo",
    "conf": "conference",
    "asm": "assessment",
    "ref": "referral",
    "ar": "agency_report",
    "sp": "safety_plan",
    "fb": "feedback",
    "vw": "views",
    "wp": "words_and_pictures",
    "doc": "document",
}


class Bold(str):
    """A run of text to set in bold."""


class Builder:
    """A python-docx document with helpers for docxtpl tags and accessible structure."""

    def __init__(self, title: str, audience: str):
        self.doc = Document()
        self.family = audience == "family"
        self._styles()
        props = self.doc.core_properties
        props.title = title
        props.subject = "Document template in Signs of Safety format"
        props.author = "Clearinghouse template library"
        props.comments = "docxtpl template; built by templates_library/build_templates.py"
        props.keywords = "template"
        section = self.doc.sections[0]
        marking = "Private and confidential" if self.family else "OFFICIAL-SENSITIVE"
        header = section.header.paragraphs[0]
        header.text = marking + " – {{ authority.name }}"
        footer = section.footer.paragraphs[0]
        footer.add_run("Page ")
        self._field(footer, "PAGE", "1")
        footer.add_run(" of ")
        self._field(footer, "NUMPAGES", "1")

    def _styles(self):
        styles = self.doc.styles
        # British English for spelling and screen readers.
        for lang in styles.element.iter(qn("w:lang")):
            lang.set(qn("w:val"), "en-GB")
        for name in ["Normal", "Title", "List Bullet", "List Number"] + [
            f"Heading {n}" for n in range(1, 5)
        ]:
            font = styles[name].font
            rfonts = styles[name].element.get_or_add_rPr().get_or_add_rFonts()
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
            font.name = "Arial"
            if name.startswith("Heading"):
                font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        styles["Normal"].font.size = Pt(12 if self.family else 11)
        styles["Normal"].paragraph_format.space_after = Pt(6)
        sizes = {1: 20, 2: 16, 3: 14, 4: 12}
        for level, size in sizes.items():
            styles[f"Heading {level}"].font.size = Pt(size)

    @staticmethod
    def _field(paragraph, instr: str, shown: str):
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), instr)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = shown
        run.append(text)
        fld.append(run)
        paragraph._p.append(fld)

    def h(self, level: int, text: str):
        """Add a heading (Heading 1-4 style)."""
        self.doc.add_heading(text, level=level)

    def p(self, *parts, style: str | None = None):
        """Add a paragraph from text parts; Bold parts are set in bold."""
        para = self.doc.add_paragraph(style=style)
        for part in parts:
            run = para.add_run(str(part))
            if isinstance(part, Bold):
                run.bold = True
        return para

    def tag(self, body: str):
        """Add a paragraph-level docxtpl tag, such as `if x` or `endfor`."""
        self.doc.add_paragraph("{%p " + body + " %}")

    def locals(self, *names: str):
        """Bind short names to optional objects so nested lookups never fail."""
        for name in names:
            self.tag(f"set {name} = {LOCALS[name]} or dict()")

    def field(self, label: str, var: str, shown: str | None = None):
        """Add 'Label: value' only when var has a value."""
        self.tag(f"if {var}")
        self.p(Bold(label + ": "), shown or "{{ " + var + " }}")
        self.tag("endif")

    def bullets(self, loop: str, text: str, style: str = "List Bullet"):
        """Add one bullet per item of a Jinja for-loop."""
        self.tag("for " + loop)
        self.p(text, style=style)
        self.tag("endfor")

    def grid(self, caption: str, headers: list[str], body: list):
        """Add a table: a repeated header row, then body rows (a str is a `{%tr %}` tag row)."""
        table = self.doc.add_table(rows=1 + len(body), cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        for tag, value in (("w:tblCaption", caption), ("w:tblDescription", caption)):
            el = OxmlElement(tag)
            el.set(qn("w:val"), value)
            table._tbl.tblPr.append(el)
        head = table.rows[0]
        head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, text in zip(head.cells, headers, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for row, spec in zip(table.rows[1:], body, strict=True):
            if isinstance(spec, str):
                row.cells[0].text = "{%tr " + spec + " %}"
                continue
            for cell, text in zip(row.cells, spec, strict=True):
                cell.text = text
        return table

    def table(self, caption: str, headers: list[str], loop: str, cells: list[str]):
        """Add a table with a repeated header row and one row per item of a Jinja for-loop."""
        return self.grid(caption, headers, ["for " + loop, cells, "endfor"])

    def rows_table(self, caption: str, headers: list[str], rows: list[tuple[str, str, str]]):
        """Add a two-column table of (label, guard, value) rows, each shown when guard holds."""
        body: list = []
        for label, guard, value in rows:
            body += ["if " + guard, [label, value], "endif"]
        return self.grid(caption, headers, body)

    def save(self, path: Path):
        """Save the .docx with fixed zip timestamps, so a rebuild changes no unchanged file."""
        buffer = io.BytesIO()
        self.doc.save(buffer)
        out = io.BytesIO()
        with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                info = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(info, src.read(item.filename))
        path.write_bytes(out.getvalue())


# ---------------------------------------------------------------------------------------------
# Shared sections
# ---------------------------------------------------------------------------------------------


def children_table(b: Builder, level: int = 2, heading: str = "Children"):
    """The children in the household."""
    b.h(level, heading)
    b.table(
        "Children in the household",
        ["Name", "Date of birth", "Gender", "Language", "Religion", "School or nursery"],
        "c in children",
        [
            "{{ c.name }}",
            DATE_OR_EDD,
            "{{ c.gender }}",
            "{{ c.language }}",
            "{{ c.religion }}",
            "{{ c.school }}",
        ],
    )
    b.tag("for c in children if c.needs")
    b.p(Bold("{{ c.name }}: "), "{{ c.needs }}")
    b.tag("endfor")


def children_seen(b: Builder, level: int = 2):
    """When each child was seen, and whether alone."""
    b.h(level, "When the children were seen")
    b.grid(
        "When each child was seen and whether they were seen alone",
        ["Child", "Date seen", "Seen alone", "Seen by", "Where"],
        [
            "for c in children",
            "for s in c.seen",
            [
                "{{ c.name }}",
                "{{ s.date|long_date }}",
                "{{ 'Yes' if s.seen_alone else 'No' }}",
                "{{ s.by }}",
                "{{ s.where }}",
            ],
            "else",
            ["{{ c.name }}", "Not yet seen", "", "", ""],
            "endfor",
            "endfor",
        ],
    )


def family_table(b: Builder, level: int = 2, heading: str = "Parents, carers and family"):
    """Family members and who holds parental responsibility."""
    b.tag("if family_members")
    b.h(level, heading)
    b.table(
        "Parents, carers and family members",
        ["Name", "Relationship", "Parental responsibility", "Lives with the children", "Phone"],
        "m in family_members",
        [
            "{{ m.name }}",
            "{{ m.relationship }}",
            YES_NO.format("m.has_parental_responsibility"),
            YES_NO.format("m.lives_with_children"),
            "{{ m.phone }}",
        ],
    )
    b.tag("for m in family_members if m.needs_interpreter")
    b.p(
        "{{ m.name }} needs an interpreter"
        "{% if m.language %} ({{ m.language }}){% endif %} for meetings."
    )
    b.tag("endfor")
    b.tag("endif")


def professionals_table(b: Builder, level: int = 2, heading: str = "Professionals involved"):
    """Professionals working with the family."""
    b.tag("if professionals")
    b.h(level, heading)
    b.table(
        "Professionals involved",
        ["Name", "Agency", "Role", "Phone", "Email"],
        "x in professionals",
        ["{{ x.name }}", "{{ x.agency }}", "{{ x.role }}", "{{ x.phone }}", "{{ x.email }}"],
    )
    b.tag("endif")


def network_table(b: Builder, level: int = 2, heading: str = "The safety network"):
    """The family and friends in the safety network."""
    b.tag("if safety_network")
    b.h(level, heading)
    b.table(
        "Safety network members, their phone numbers and what they do in the plan",
        ["Name", "Relationship", "Phone", "What they do in the plan"],
        "n in safety_network",
        ["{{ n.name }}", "{{ n.relationship }}", "{{ n.phone }}", "{{ n.role_in_plan }}"],
    )
    b.tag("endif")


def dates_table(b: Builder, rows: list[tuple[str, str]], level: int = 2, heading="Key dates"):
    """Key dates, each row shown only when the date is known."""
    guard = " or ".join(f"kd.{key}" for _, key in rows)
    b.tag(f"if {guard}")
    b.h(level, heading)
    b.rows_table(
        heading,
        ["Event", "Date"],
        [(label, f"kd.{key}", "{{ kd." + key + "|long_date }}") for label, key in rows],
    )
    b.tag("endif")


def statement_bullets(b: Builder, var: str, with_source: bool = True):
    """Bullets for a list of {statement, date, source}."""
    text = "{% if x.date %}{{ x.date|long_date }}: {% endif %}{{ x.statement }}"
    if with_source:
        text += "{% if x.source %} (source: {{ x.source }}){% endif %}"
    b.bullets(f"x in {var}", text)


def danger_details(b: Builder, family: bool):
    """The parts of danger statement d, as labelled paragraphs."""
    b.field("Who is worried", "d.who_is_worried")
    b.field("What we are worried about" if family else "Worried about", "d.worried_about")
    b.field(
        "What could happen if nothing changes" if family else "What may happen if nothing changes",
        "d.what_may_happen",
    )
    b.field(
        "How this could affect the children" if family else "Impact on the children",
        "d.impact_on_child",
    )
    b.field("What the family say", "d.family_view")
    b.tag("if d.examples")
    b.p(Bold("When this has happened:" if family else "Examples:"))
    b.bullets(
        "e in d.examples",
        "{% if e.date %}{{ e.date|long_date }}: {% endif %}{{ e.description }}",
    )
    b.tag("endif")


def goal_and_scales(b: Builder, family: bool, with_scales: bool = True, note_gaps: bool = True):
    """Danger statement d's safety goal(s) and scale(s), told apart by danger_statement_id."""
    b.tag("for goal in safety_goals if goal.danger_statement_id == d.id")
    b.field("What you will do" if family else "Safety goal", "goal.parents_will")
    b.field(
        "What the children will notice" if family else "What the children will experience",
        "goal.child_will_experience",
    )
    b.field(
        "What we need to see" if family else "What professionals will see",
        "goal.professionals_will_see",
    )
    b.field("For how long", "goal.for_how_long")
    b.field("By when", "goal.by_when", "{{ goal.by_when|long_date }}")
    b.tag("else")
    b.p(
        "We have not yet agreed what needs to change for this worry."
        if family
        else "No safety goal has been agreed for this danger statement yet."
    )
    b.tag("endfor")
    if not with_scales:
        return
    b.tag("for s in scales if s.danger_statement_id == d.id")
    if family:
        lead = Bold("Score from {{ s.rater }}: ")
    else:
        lead = Bold("Scale – {{ s.rater }}{% if s.rater_role %} ({{ s.rater_role }}){% endif %}: ")
    b.p(
        lead,
        "{{ s.score }} out of 10{% if s.date %} on {{ s.date|long_date }}{% endif %}"
        "{% if s.reason %}. {{ s.reason }}{% endif %}",
    )
    if note_gaps:
        b.tag("else")
        b.p("Nobody has given a score for this worry yet.")
    b.tag("endfor")


def mapping(b: Builder, family: bool = False, level: int = 2, scaling: bool = True):
    """The mapping in the framework's order: worries, working well, needs to happen, scaling."""
    sub = level + 1
    worry = "Worry" if family else "Danger statement"
    # 1. What are we worried about?
    b.h(level, "What we are worried about" if family else "What are we worried about?")
    b.tag("if harm")
    b.h(sub, "What has happened" if family else "Harm")
    statement_bullets(b, "harm", with_source=not family)
    b.tag("endif")
    b.tag("if danger_statements")
    b.h(sub, "What could happen if nothing changes" if family else "Danger statements")
    b.tag("for d in danger_statements")
    b.h(sub + 1, worry + " {{ loop.index }}")
    danger_details(b, family)
    b.tag("endfor")
    b.tag("else")
    b.p("No worries have been written down yet." if family else "No danger statements yet.")
    b.tag("endif")
    b.tag("if complicating_factors")
    b.h(sub, "What makes things harder" if family else "Complicating factors")
    statement_bullets(b, "complicating_factors", with_source=not family)
    b.tag("endif")
    # 2. What's working well?
    b.h(level, "What is going well" if family else "What's working well?")
    b.tag("if strengths")
    b.h(sub, "Strengths")
    statement_bullets(b, "strengths", with_source=not family)
    b.tag("endif")
    b.tag("if existing_safety")
    b.h(sub, "Safety you have already shown" if family else "Existing safety")
    statement_bullets(b, "existing_safety", with_source=not family)
    b.tag("endif")
    b.tag("if not (strengths or existing_safety)")
    b.p("Nothing has been written down here yet.")
    b.tag("endif")
    # 3. What needs to happen?
    b.h(level, "What needs to happen" if family else "What needs to happen?")
    b.tag("if danger_statements")
    b.h(sub, "What needs to change for each worry" if family else "Safety goals")
    b.tag("for d in danger_statements")
    b.h(
        sub + 1,
        ("What needs to change for worry" if family else "Safety goal for " + worry.lower())
        + " {{ loop.index }}",
    )
    b.p(Bold("The worry: " if family else "Danger statement: "), "{{ d.worried_about }}")
    goal_and_scales(b, family)
    b.tag("endfor")
    b.tag("endif")
    next_steps(b, family, sub)
    if scaling:
        overall_scales(b, family, level)


def next_steps(b: Builder, family: bool, level: int):
    """Next steps, each with who and by when."""
    b.h(level, "Who will do what, and by when" if family else "Next steps")
    b.tag("if next_steps")
    b.table(
        "Next steps, who will do them and by when",
        ["What will happen", "Who", "By when"] if family else ["Action", "Who", "By when"],
        "n in next_steps",
        [
            "{{ n.action }}",
            "{{ n.who or 'Not agreed yet' }}",
            "{{ n.by_when|long_date if n.by_when else 'Not agreed yet' }}",
        ],
    )
    b.tag("else")
    b.p("No next steps have been agreed yet.")
    b.tag("endif")


def overall_scales(b: Builder, family: bool, level: int):
    """Overall scaling: ratings not tied to one danger statement."""
    b.h(level, "How worried are people? Scores from 0 to 10" if family else "Scaling")
    b.p(FAMILY_SCALE if family else SCALE_QUESTION)
    b.tag("if scales|rejectattr('danger_statement_id')|list")
    b.table(
        "Scores from 0 to 10, who gave them and why",
        ["Who", "Role", "Score (0 to 10)", "Why", "Date"],
        "s in scales|rejectattr('danger_statement_id')",
        [
            "{{ s.rater }}",
            "{{ s.rater_role }}",
            "{{ s.score }}",
            "{{ s.reason }}",
            "{{ s.date|long_date }}",
        ],
    )
    b.tag("elif scales")
    b.p(
        "The scores for each worry are shown above."
        if family
        else "Scales for each danger statement are shown with its safety goal."
    )
    b.tag("else")
    b.p("Nobody has given a score yet." if family else "No scaling has been recorded yet.")
    b.tag("endif")


def child_voice(
    b: Builder, level: int = 2, heading: str = "The children's views", optional: bool = False
):
    """The children's Three Houses: worries, good things and dreams."""
    if optional:
        b.tag("if child_voice")
    b.h(level, heading)
    b.tag("for v in child_voice")
    b.h(level + 1, "{{ v.child_name }}")
    b.tag("if v.date")
    b.p(
        "{{ v.child_name }} was seen on {{ v.date|long_date }}"
        "{% if v.seen_alone %}, on their own{% endif %}"
        "{% if v.method %} ({{ v.method }}){% endif %}."
    )
    b.tag("endif")
    for key, house in (
        ("worries", "House of Worries"),
        ("good_things", "House of Good Things"),
        ("dreams", "House of Dreams"),
    ):
        b.tag(f"if v.{key}")
        b.h(level + 2, house)
        b.bullets(f"x in v.{key}", "{{ x }}")
        b.tag("endif")
    b.tag("if v.own_words")
    b.p(Bold("In their own words: "), "“{{ v.own_words }}”")
    b.tag("endif")
    if not optional:
        b.tag("else")
        b.p("The children's views have not been written down yet.")
    b.tag("endfor")
    if optional:
        b.tag("endif")


def adult_views(b: Builder, level: int = 2):
    """What parents and the family network say."""
    b.tag("if vw.parents or vw.network")
    b.h(level, "What the parents and family network say")
    b.tag("for x in vw.parents")
    b.p(Bold("{{ x.who }}: "), "{{ x.view }}")
    b.tag("endfor")
    b.tag("for x in vw.network")
    b.p(Bold("{{ x.who }}: "), "{{ x.view }}")
    b.tag("endfor")
    b.tag("endif")


def meeting_details(b: Builder, level: int = 2, heading: str = "Meeting details"):
    """Date, time, place and chair of the meeting."""
    b.h(level, heading)
    b.tag("if mt.date or mt.time or mt.place or mt.how or mt.chair or mt.minute_taker")
    b.rows_table(
        heading,
        ["Detail", "Meeting"],
        [
            ("Date", "mt.date", "{{ mt.date|long_date }}"),
            ("Time", "mt.time", "{{ mt.time }}"),
            ("Place", "mt.place", "{{ mt.place }}"),
            ("How", "mt.how", "{{ mt.how|capitalize }}"),
            ("Chair", "mt.chair", "{{ mt.chair }}"),
            ("Notes taken by", "mt.minute_taker", "{{ mt.minute_taker }}"),
        ],
    )
    b.tag("else")
    b.p("The meeting details have not been recorded yet.")
    b.tag("endif")
    b.tag("if mt.attendees")
    b.h(level + 1, "Who was invited")
    b.table(
        "People invited to the meeting and whether they came",
        ["Name", "Role", "Came to the meeting"],
        "a in mt.attendees",
        [
            "{{ a.name }}",
            "{{ a.role }}",
            "{{ 'No (apologies)' if a.attended == false else 'Yes' }}",
        ],
    )
    b.tag("endif")


def worker_contacts(b: Builder, level: int = 2, heading: str = "Contact details"):
    """The social worker, their manager and the out-of-hours number."""
    b.h(level, heading)
    b.p(
        Bold("Social worker: "),
        "{{ worker.name }}{% if worker.team %}, {{ worker.team }}{% endif %}",
    )
    b.field("Phone", "worker.phone")
    b.field("Email", "worker.email")
    b.tag("if worker.manager")
    b.p(
        Bold("{{ worker.manager.role or 'Manager' }}: "),
        "{{ worker.manager.name }}{% if worker.manager.phone %}, {{ worker.manager.phone }}"
        "{% endif %}",
    )
    b.tag("endif")
    b.tag("if authority.out_of_hours_phone")
    b.p(
        "Outside office hours, call {{ authority.out_of_hours_phone }}. "
        "If a child is in danger, call 999."
    )
    b.tag("endif")


def complaints_advocacy(b: Builder, level: int = 2):
    """How to complain or get an advocate."""
    b.h(level, "If you are not happy, or want help to have your say")
    b.p(
        "You can ask for an advocate: someone who is not part of Children's Services and who "
        "can help you say what you think. You can also complain if you are not happy with "
        "what we have done."
    )
    for key, label in (("advocacy", "Advocacy"), ("complaints", "Complaints")):
        b.tag(f"if authority.{key}")
        b.p(
            Bold(label + ": "),
            "{{ authority." + key + ".name }}"
            "{% if authority." + key + ".phone %}, phone {{ authority." + key + ".phone }}"
            "{% endif %}{% if authority."
            + key
            + ".email %}, email {{ authority."
            + key
            + ".email }}{% endif %}",
        )
        b.tag(f"if authority.{key}.how")
        b.p("{{ authority." + key + ".how }}")
        b.tag("endif")
        b.tag("endif")
    b.tag("if not (authority.advocacy or authority.complaints)")
    b.p("Ask your social worker how to get an advocate or make a complaint.")
    b.tag("endif")


def sign_off(b: Builder, level: int = 2):
    """Who wrote the document and who checked it."""
    b.h(level, "Written by")
    b.p(
        "{{ worker.name }}{% if worker.role %}, {{ worker.role }}{% endif %}"
        "{% if worker.team %}, {{ worker.team }}{% endif %}"
    )
    b.tag("if doc.date")
    b.p("Date: {{ doc.date|long_date }}")
    b.tag("endif")
    b.tag("if worker.manager")
    b.p(
        Bold("Checked by: "),
        "{{ worker.manager.name }}{% if worker.manager.role %}, {{ worker.manager.role }}"
        "{% endif %}",
    )
    b.tag("endif")


# ---------------------------------------------------------------------------------------------
# The templates
# ---------------------------------------------------------------------------------------------


def plo_letter(b: Builder):
    """Letter before proceedings (PD12A), to everyone with parental responsibility."""
    b.locals("kd", "mt", "lg", "plo_", "doc")
    b.p("{{ authority.name }}{% if authority.service %}, {{ authority.service }}{% endif %}")
    b.tag("if authority.address")
    b.p("{{ authority.address }}")
    b.tag("endif")
    b.tag("for m in family_members if m.has_parental_responsibility")
    b.p(Bold("To: "), "{{ m.name }}{% if m.address %}, {{ m.address }}{% endif %}")
    b.tag("endfor")
    b.tag("if kd.letter_before_proceedings_sent or doc.date")
    b.p(
        Bold("Date: "),
        "{{ (kd.letter_before_proceedings_sent or doc.date)|long_date }}",
    )
    b.tag("endif")
    b.field("Our reference", "doc.reference")
    b.p(Bold("PLEASE DO NOT IGNORE THIS LETTER – TAKE IT TO A SOLICITOR NOW"))
    b.h(1, "Letter before proceedings about " + NAMES)
    b.p("Dear " + PR_NAMES + ",")
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
    b.h(2, "Get free legal advice now")
    b.p(Bold("Please take this letter to a solicitor now."))
    b.p(
        "Because you have received this letter, you can get free legal advice from a solicitor. "
        "The advice is free whatever your income. It is called Legal Help."
    )
    b.p(
        "Your solicitor can explain this letter to you, talk to us for you and come to the "
        "meeting with you."
        "{% if lg.solicitors %} There is a list of local solicitors who know about children law "
        "at the end of this letter.{% endif %}"
    )
    b.tag("if harm")
    b.h(2, "What has happened")
    statement_bullets(b, "harm", with_source=False)
    b.tag("endif")
    b.h(2, "What we are worried about")
    b.tag("for d in danger_statements")
    b.h(3, "Worry {{ loop.index }}")
    danger_details(b, family=True)
    b.tag("endfor")
    child_voice(b, heading="What the children have told us", optional=True)
    b.tag("if plo_.help_given")
    b.h(2, "The help we have already given you")
    b.bullets(
        "x in plo_.help_given",
        "{{ x.help }}{% if x.who %} – {{ x.who }}{% endif %}{% if x.when %} ({{ x.when }})"
        "{% endif %}",
    )
    b.tag("endif")
    b.h(2, "What needs to change, and by when")
    b.tag("if scales|selectattr('danger_statement_id')|list")
    b.p(FAMILY_SCALE + " The scores people gave are shown with each worry.")
    b.tag("endif")
    b.tag("for d in danger_statements")
    b.h(3, "Worry {{ loop.index }}: what needs to change")
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
    )
    b.tag("endif")
    b.h(2, "Come to a meeting with us")
    b.p(
        "We would like to meet you to talk about this letter and to agree a plan together. "
        "The meeting is on {{ mt.date|long_date }}{% if mt.time %} at {{ mt.time }}{% endif %}"
        "{% if mt.place %}, at {{ mt.place }}{% endif %}."
    )
    b.tag("if mt.how in ['video', 'phone']")
    b.p("The meeting will be by {{ mt.how }}.")
    b.tag("endif")
    b.tag("if mt.joining_details")
    b.p("{{ mt.joining_details }}")
    b.tag("endif")
    b.p(
        "You can bring your solicitor to the meeting. Please bring this letter with you. If you "
        "cannot come, please tell {{ worker.name }} as soon as you can."
    )
    b.p(
        "If you would like this letter in another language, in large print or read to you, "
        "please ask {{ worker.name }}. We can also arrange an interpreter for the meeting."
    )
    b.h(2, "Family and friends who can help")
    b.p(
        "Family and friends can help keep " + NAMES + " safe. We would like to help you bring "
        "them together at a family network meeting or a family group conference, to make a plan."
        "{% if kd.fgdm_offered %} We first offered this on {{ kd.fgdm_offered|long_date }}."
        "{% endif %}"
    )
    b.tag("if kd.fgdm_held")
    b.p("A meeting with your family and friends took place on {{ kd.fgdm_held|long_date }}.")
    b.tag("endif")
    b.h(2, "Who to contact")
    b.p(
        Bold("Your social worker: "),
        "{{ worker.name }}{% if worker.phone %}, phone {{ worker.phone }}{% endif %}"
        "{% if worker.email %}, email {{ worker.email }}{% endif %}",
    )
    b.tag("if worker.manager")
    b.p(
        Bold("Their manager: "),
        "{{ worker.manager.name }}{% if worker.manager.phone %}, phone "
        "{{ worker.manager.phone }}{% endif %}",
    )
    b.tag("endif")
    b.tag("if lg.team or lg.lawyer")
    b.p(
        "Your solicitor can contact our legal team: "
        "{{ [lg.lawyer, lg.team]|select|join(', ') }}"
        "{% if lg.phone %}, phone {{ lg.phone }}{% endif %}"
        "{% if lg.email %}, email {{ lg.email }}{% endif %}"
        "{% if lg.reference %} (reference {{ lg.reference }}){% endif %}."
    )
    b.tag("endif")
    b.p("Yours sincerely,")
    b.tag("if plo_.signed_by")
    b.p(
        "{{ plo_.signed_by.name }}"
        "{% if plo_.signed_by.role %}, {{ plo_.signed_by.role }}{% endif %}"
    )
    b.tag("else")
    b.p("{{ worker.name }}{% if worker.role %}, {{ worker.role }}{% endif %}")
    b.tag("endif")
    b.p("{{ authority.name }}")
    b.h(2, "Local solicitors who know about children law")
    b.tag("if lg.solicitors")
    b.p("Any of these solicitors can give you free advice about this letter.")
    b.table(
        "Local children-law solicitors",
        ["Solicitors", "Address", "Phone", "Email"],
        "x in lg.solicitors",
        ["{{ x.firm }}", "{{ x.address }}", "{{ x.phone }}", "{{ x.email }}"],
    )
    b.tag("endif")
    b.p(
        "{% if lg.solicitors %}You can also find{% else %}You can find{% endif %} a solicitor "
        "who does legal aid work at https://find-legal-advice.justice.gov.uk."
    )


def plo_meeting(b: Builder):
    """Record of the pre-proceedings (PLO planning) meeting."""
    b.locals("kd", "mt", "lg", "plo_", "vw", "doc")
    b.h(1, "Pre-proceedings meeting record")
    b.p("Children: " + NAMES)
    meeting_details(b)
    b.tag("if mt.purpose")
    b.h(2, "Purpose of the meeting")
    b.p("{{ mt.purpose }}")
    b.tag("endif")
    dates_table(
        b,
        [
            ("Pre-proceedings started", "pre_proceedings_start"),
            ("Letter before proceedings sent", "letter_before_proceedings_sent"),
            ("Family group decision-making offered", "fgdm_offered"),
            ("Family group decision-making held", "fgdm_held"),
            ("Review", "review"),
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
    b.p("Everyone at the meeting agreed that:")
    b.bullets("x in plo_.written_agreement", "{{ x }}", style="List Number")
    b.tag("endif")
    b.h(2, "How pre-proceedings will end")
    b.p(
        "At the review the authority will decide to step down (end pre-proceedings because "
        "enough has changed), to continue pre-proceedings for a set time, or to apply to the "
        "court (issue proceedings)."
    )
    b.tag("if plo_.outcome")
    b.p(Bold("Decision at this meeting: "), "{{ plo_.outcome|capitalize }}")
    b.tag("endif")
    b.field("Reason", "plo_.outcome_reason")
    b.tag("if plo_.review_date or kd.review")
    b.p(
        Bold("Review date: "),
        "{{ (plo_.review_date or kd.review)|long_date }}",
    )
    b.tag("endif")
    b.h(2, "Contacts")
    b.p(
        Bold("Social worker: "),
        "{{ worker.name }}{% if worker.phone %}, {{ worker.phone }}{% endif %}"
        "{% if worker.email %}, {{ worker.email }}{% endif %}",
    )
    b.tag("if lg.team or lg.lawyer")
    b.p(
        Bold("Legal team: "),
        "{{ [lg.lawyer, lg.team]|select|join(', ') }}"
        "{% if lg.phone %}, {{ lg.phone }}{% endif %}{% if lg.email %}, {{ lg.email }}{% endif %}",
    )
    b.tag("endif")
    sign_off(b)


def cp_conference_report(b: Builder):
    """Social work report to an initial or review child protection conference."""
    b.locals("kd", "conf", "vw", "doc")
    b.h(
        1,
        "{{ 'Review' if conf.type == 'review' else 'Initial' }} child protection conference report",
    )
    b.p("Children: " + NAMES)
    b.tag("if conf.type == 'review'")
    b.p(
        "A review conference is held within 3 months of the initial conference, then at least "
        "every 6 months while the children have a child protection plan."
    )
    b.tag("else")
    b.p(
        "An initial conference is held within 15 working days of the strategy discussion that "
        "started the child protection enquiry."
    )
    b.tag("endif")
    b.field("Conference date", "kd.conference", "{{ kd.conference|long_date }}")
    b.field("Chair", "conf.chair")
    b.tag("if kd.report_shared")
    b.p("This report was shared with the parents on {{ kd.report_shared|long_date }}.")
    b.tag("endif")
    dates_table(
        b,
        [
            ("Referral", "referral"),
            ("Strategy discussion", "strategy_discussion"),
            ("Child protection enquiry started", "section_47_start"),
            ("Conference", "conference"),
            ("First core group meeting", "core_group"),
            ("Review conference", "review_conference"),
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
    )
    b.tag("endif")
    b.tag("endif")
    child_voice(b)
    adult_views(b)
    mapping(b)
    b.h(2, "Analysis of significant harm")
    b.tag("if conf.significant_harm_analysis")
    b.p("{{ conf.significant_harm_analysis }}")
    b.tag("else")
    b.p("The analysis has not been written yet.")
    b.tag("endif")
    b.h(2, "Recommendation")
    b.tag("if conf.recommendation")
    b.p(
        "The social worker recommends: {{ conf.recommendation }}"
        "{% if conf.category and conf.recommendation == 'child protection plan' %}, under the "
        "category of {{ conf.category }}{% endif %}."
    )
    b.tag("else")
    b.p("No recommendation has been made yet.")
    b.tag("endif")
    b.field("Reasons", "conf.reasons")
    b.field("Views that differ", "conf.dissent")
    sign_off(b)


def cp_summary_family(b: Builder):
    """Plain-language summary of a conference for the family."""
    b.locals("kd", "conf")
    b.h(1, "What happened at the child protection conference")
    b.p(
        "This is a short summary of the meeting about "
        + NAMES
        + "{% if kd.conference %} on {{ kd.conference|long_date }}{% endif %}. "
        "A child protection conference is a meeting where family and professionals talk about "
        "how to keep children safe."
    )
    b.h(2, "What was decided")
    b.tag("if conf.decision_in_plain_words")
    b.p("{{ conf.decision_in_plain_words }}")
    b.tag("elif conf.decision == 'child protection plan'")
    b.p(
        "The meeting decided that " + NAMES + " need a child protection plan. This means we "
        "will work closely with you, your family and other professionals to keep the children "
        "safe."
    )
    b.tag("elif conf.decision")
    b.p("The meeting decided: {{ conf.decision }}.")
    b.tag("else")
    b.p("Your social worker will tell you what was decided.")
    b.tag("endif")
    b.tag("if conf.category and conf.decision == 'child protection plan'")
    b.p("The plan is under the heading of {{ conf.category }}.")
    b.tag("endif")
    b.tag("if conf.reasons")
    b.p(Bold("Why: "), "{{ conf.reasons }}")
    b.tag("endif")
    child_voice(b, heading="What the children told us", optional=True)
    mapping(b, family=True)
    b.h(2, "What happens next")
    b.tag("if kd.core_group")
    b.p(
        "A smaller group of family and professionals, called the core group, will meet on "
        "{{ kd.core_group|long_date }} to put the plan into action. This first meeting must "
        "happen within 10 working days of the conference."
    )
    b.tag("else")
    b.p(
        "A smaller group of family and professionals, called the core group, will meet within "
        "10 working days to put the plan into action."
    )
    b.tag("endif")
    b.tag("if kd.review_conference")
    b.p(
        "The next conference, to check how things are going, is on "
        "{{ kd.review_conference|long_date }}."
    )
    b.tag("endif")
    worker_contacts(b, heading="Your social worker")
    complaints_advocacy(b)


def single_assessment(b: Builder):
    """Single (child and family) assessment."""
    b.locals("kd", "asm", "vw", "doc")
    b.h(1, "Single assessment")
    b.p("Children: " + NAMES)
    dates_table(
        b,
        [
            ("Referral received", "referral"),
            ("Assessment started", "assessment_start"),
            ("Strategy discussion", "strategy_discussion"),
            ("Assessment completed", "assessment_completed"),
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
    children_table(b)
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


def network_meeting(b: Builder):
    """Record of a family network meeting that builds the safety network and plan."""
    b.locals("kd", "mt", "sp")
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
    b.h(2, "The rules we agreed")
    b.table(
        "Safety plan rules and who makes sure each is followed",
        ["Rule", "Who makes sure it happens"],
        "r in sp.rules",
        ["{{ r.rule }}", "{{ r.who_makes_sure }}"],
    )
    b.tag("endif")
    b.tag("if sp.warning_signs")
    b.h(2, "Warning signs")
    b.bullets("x in sp.warning_signs", "{{ x }}")
    b.tag("endif")
    worker_contacts(b)


def safety_plan(b: Builder):
    """The family's safety plan: rules, the network who makes sure, warning signs."""
    b.locals("sp")
    b.h(1, "Safety plan for " + NAMES)
    b.tag("if sp.agreed_date")
    b.p("We agreed this plan on {{ sp.agreed_date|long_date }}.")
    b.tag("endif")
    b.tag("if sp.review_date")
    b.p("We will check how the plan is working on {{ sp.review_date|long_date }}.")
    b.tag("endif")
    b.h(2, "Why we need this plan")
    b.p("Everyone in the safety network knows these worries and what needs to change.")
    b.tag("for d in danger_statements")
    b.h(3, "Worry {{ loop.index }}")
    b.p(Bold("What we are worried about: "), "{{ d.worried_about }}")
    b.field("What could happen if nothing changes", "d.what_may_happen")
    goal_and_scales(b, family=True, note_gaps=False)
    b.tag("endfor")
    b.h(2, "The rules everyone follows")
    b.tag("if sp.rules")
    b.table(
        "Safety plan rules and who makes sure each is followed",
        ["Rule", "Who makes sure it happens"],
        "r in sp.rules",
        ["{{ r.rule }}", "{{ r.who_makes_sure }}"],
    )
    b.tag("else")
    b.p("The rules have not been agreed yet.")
    b.tag("endif")
    b.tag("if sp.warning_signs")
    b.h(2, "Warning signs")
    b.p("If anyone sees these signs, they follow the steps below.")
    b.bullets("x in sp.warning_signs", "{{ x }}")
    b.tag("endif")
    b.h(2, "What to do if you are worried")
    b.tag("if sp.if_worried")
    b.bullets("x in sp.if_worried", "{{ x }}", style="List Number")
    b.tag("endif")
    b.p("If someone is in danger, call 999.")
    network_table(b, heading="The safety network: who makes sure the plan works")
    child_voice(b, heading="What the children told us", optional=True)
    worker_contacts(b, heading="Important phone numbers")


def referral_form(b: Builder):
    """Multi-agency referral form to children's services."""
    b.locals("ref", "kd")
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
    b.tag("if ref.consent_given is defined")
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
    children_table(b)
    family_table(b, heading="Parents and carers (and who has parental responsibility)")
    professionals_table(b, heading="Other professionals who know the family")
    b.h(2, "Why you are referring")
    b.p("{{ ref.reason or 'The reason has not been written yet.' }}")
    child_voice(b, heading="What the children have said", optional=True)
    mapping(b, scaling=False)


def agency_report(b: Builder):
    """One agency's report to a child protection conference."""
    b.locals("ar", "kd", "conf")
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
            ("Conference", "conf.type", "{{ conf.type|capitalize }} conference"),
            ("Conference date", "kd.conference", "{{ kd.conference|long_date }}"),
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
    child_voice(b, heading="What the children have told us")
    mapping(b)


FEEDBACK_QUESTIONS = [
    "Did we explain clearly why we were worried?",
    "Do you understand what needs to happen now?",
    "Did we listen to you and to your children?",
    "Were you treated with respect?",
    "Did you get the help you needed?",
    "What went well?",
    "What could we do better?",
]


def feedback_form(b: Builder):
    """A form for families to tell the authority how it went."""
    b.locals("fb")
    b.h(1, "Tell us what you think")
    b.p(
        "We would like to know what you think about "
        "{{ fb.about or 'the way we have worked with your family' }}. Your answers help us "
        "get better. You do not have to give your name."
    )
    b.h(2, "Your answers")
    answers = b.grid(
        "Questions about how we worked with you, with space for your answers",
        ["Question", "Your answer"],
        [[q, ""] for q in FEEDBACK_QUESTIONS],
    )
    for row in answers.rows[1:]:  # room to write by hand
        row.height, row.height_rule = Cm(2), WD_ROW_HEIGHT_RULE.AT_LEAST
    b.h(2, "Your score")
    b.p(
        "On a scale of 0 to 10, where 10 means we worked very well with you and 0 means we did "
        "not work well with you at all, what score would you give us, and why?"
    )
    score = b.grid("Your score and why", ["Your score (0 to 10)", "Why"], [["", ""]])
    score.rows[1].height, score.rows[1].height_rule = Cm(3), WD_ROW_HEIGHT_RULE.AT_LEAST
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


def words_and_pictures(b: Builder):
    """A Words and Pictures explanation for the children."""
    b.locals("wp", "sp")
    b.h(1, "A story for " + NAMES)
    b.p("This story tells you why some grown-ups are worried, and what everyone is doing to help.")
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
        b.tag("endif")
    b.tag("if safety_network")
    b.h(2, "The people who help keep you safe")
    b.bullets(
        "n in safety_network",
        "{{ n.name }}{% if n.relationship %} ({{ n.relationship }}){% endif %}",
    )
    b.tag("endif")
    b.tag("if sp.if_worried")
    b.h(2, "What you can do if you are worried")
    b.bullets("x in sp.if_worried", "{{ x }}")
    b.tag("endif")
    child_voice(b, heading="What you told us", optional=True)
    b.tag("if wp.pictures")
    b.h(2, "The pictures")
    b.p("{{ wp.pictures }}")
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
    "meeting": "Meeting",
    "legal": "Legal team and solicitors",
    "chronology": "Chronology",
    "plo": "Pre-proceedings (Public Law Outline)",
    "conference": "Child protection conference",
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
PR_HOLDER = {
    "required": ["has_parental_responsibility"],
    "properties": {"has_parental_responsibility": {"const": True}},
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

# slug -> (builder, meta, property schemas, required properties). Bump a template's "version"
# whenever its template.docx changes, then run this script with --ledger (see README.md).
TEMPLATES = {
    "plo-letter-before-proceedings": (
        plo_letter,
        {
            "title": "Letter before proceedings",
            "doc_type": "plo-letter-before-proceedings",
            "audience": "family",
            "purpose": "Tells everyone with parental responsibility, in plain words, that the "
            "authority is considering court, what must change and by when, and invites them to "
            "a pre-proceedings meeting with a solicitor.",
            "about_child": True,
            "version": "1.0",
        },
        {
            "document": ref("document"),
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
            "family_members": ref("family_members", minItems=1, contains=PR_HOLDER),
            "key_dates": ref("key_dates"),
            "harm": ref("harm"),
            "danger_statements": DANGERS,
            "safety_goals": GOALS,
            "scales": ref("scales"),
            "child_voice": ref("child_voice"),
            "meeting": ref("meeting", required=["date", "time", "place"]),
            "legal": ref("legal", required=["team", "phone"]),
            "plo": ref("plo"),
        },
        [
            "authority",
            "worker",
            "children",
            "family_members",
            "danger_statements",
            "safety_goals",
            "meeting",
            "legal",
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
            "agreement, the review date and how pre-proceedings will end.",
            "about_child": True,
            "version": "1.0",
        },
        {
            "document": ref("document"),
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
            "family_members": ref("family_members"),
            "key_dates": ref("key_dates"),
            **MAPPING,
            "child_voice": ref("child_voice"),
            "views": ref("views"),
            "meeting": ref("meeting", required=["date"]),
            "legal": ref("legal"),
            "plo": ref("plo"),
        },
        ["authority", "worker", "children", "danger_statements", "meeting"],
    ),
    "cp-conference-report": (
        cp_conference_report,
        {
            "title": "Child protection conference report (initial or review)",
            "doc_type": "cp-conference-report",
            "audience": "professional",
            "purpose": "The social worker's report to an initial or review child protection "
            "conference: every child and when they were seen, history and timeline, everyone's "
            "views, the mapping, the analysis of harm and the recommendation.",
            "about_child": True,
            "version": "1.0",
        },
        {
            "document": ref("document"),
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
            "conference": ref("conference"),
        },
        ["authority", "worker", "children", "danger_statements", "conference"],
    ),
    "cp-conference-summary-family": (
        cp_summary_family,
        {
            "title": "Child protection conference: summary for the family",
            "doc_type": "cp-conference-summary-family",
            "audience": "family",
            "purpose": "Tells the family in plain words what the conference decided, the "
            "worries, what is going well, what needs to happen, the scores, the next meetings "
            "and who to contact.",
            "about_child": True,
            "version": "1.0",
        },
        {
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
            "key_dates": ref("key_dates"),
            "child_voice": ref("child_voice"),
            **MAPPING,
            "conference": ref("conference"),
        },
        ["authority", "worker", "children", "danger_statements", "conference"],
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
            "version": "1.0",
        },
        {
            "document": ref("document"),
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
            "safety network, the worries and goals, the rules agreed and the next steps.",
            "about_child": True,
            "version": "1.0",
        },
        {
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
            "key_dates": ref("key_dates"),
            "meeting": ref("meeting", required=["date"]),
            "safety_network": ref("safety_network", minItems=1),
            "child_voice": ref("child_voice"),
            **MAPPING,
            "safety_plan": ref("safety_plan"),
        },
        ["authority", "worker", "children", "meeting", "safety_network", "danger_statements"],
    ),
    "safety-plan": (
        safety_plan,
        {
            "title": "Safety plan",
            "doc_type": "safety-plan",
            "audience": "family",
            "purpose": "Sets out the rules everyone follows to keep the children safe, who in "
            "the safety network makes sure they are followed, and the warning signs.",
            "about_child": True,
            "version": "1.0",
        },
        {
            "authority": AUTHORITY,
            "worker": WORKER,
            "children": CHILDREN,
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
            "purpose": "Refers children to children's services: the referrer, consent and "
            "views, what must not be shared, the children, parents and parental "
            "responsibility, and the worries.",
            "about_child": True,
            "version": "1.0",
        },
        {
            "authority": AUTHORITY,
            "children": CHILDREN,
            "family_members": ref("family_members", minItems=1),
            "professionals": ref("professionals"),
            "key_dates": ref("key_dates"),
            "child_voice": ref("child_voice"),
            **MAPPING,
            "danger_statements": ref("danger_statements"),
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
            "purpose": "One agency's report to a child protection conference: its involvement, "
            "what it has seen, the children's views and its view of the worries, what is "
            "working well and what needs to happen.",
            "about_child": True,
            "version": "1.0",
        },
        {
            "authority": AUTHORITY,
            "children": CHILDREN,
            "key_dates": ref("key_dates"),
            "child_voice": ref("child_voice"),
            **MAPPING,
            "danger_statements": ref("danger_statements"),
            "conference": ref("conference"),
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
            "version": "1.0",
        },
        {"authority": AUTHORITY, "feedback": ref("feedback")},
        ["authority"],
    ),
    "words-and-pictures": (
        words_and_pictures,
        {
            "title": "Words and Pictures explanation for children",
            "doc_type": "safety-plan",
            "audience": "family",
            "purpose": "Explains to the children, in words and pictures they understand, who is "
            "worried, what about, what happened and what everyone is doing about it.",
            "about_child": True,
            "version": "1.0",
        },
        {
            "authority": AUTHORITY,
            "children": CHILDREN,
            "words_and_pictures": ref("words_and_pictures"),
            "child_voice": ref("child_voice"),
            "safety_network": ref("safety_network"),
            "safety_plan": ref("safety_plan"),
        },
        ["authority", "children", "words_and_pictures"],
    ),
}


# Parts of the shared case a template does not use, left out of its sample.json so the sample
# shows only what the document draws on (and a family sample holds no professional jargon).
SAMPLE_OMIT = {
    "plo-letter-before-proceedings": [
        "plo.outcome", "plo.outcome_reason", "plo.parents_response", "plo.written_agreement",
        "plo.fgdm_referral", "plo.review_date", "meeting.purpose", "meeting.chair",
        "meeting.minute_taker", "meeting.attendees",
    ],
    "cp-conference-summary-family": [
        "conference.significant_harm_analysis", "conference.recommendation", "conference.chair",
        "conference.dissent",
    ],
    "agency-report-to-conference": [
        "conference.significant_harm_analysis", "conference.recommendation",
        "conference.decision", "conference.decision_in_plain_words", "conference.reasons",
    ],
}  # fmt: skip


def sample_for(case: dict, properties: dict, omit: list[str]) -> dict:
    """Return the part of the shared case a template uses."""
    sample = json.loads(json.dumps({k: case[k] for k in properties if k in case}))
    for path in omit:
        head, _, tail = path.partition(".")
        sample.get(head, {}).pop(tail, None)
    return sample


def write_json(path: Path, data) -> None:
    """Write JSON the same way every time, so rebuilds give clean diffs."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def build(root: Path = HERE) -> list[str]:
    """Build every template folder into root (the library itself by default); return the slugs."""
    case = json.loads((HERE / "schemas" / "sample_case.json").read_text(encoding="utf-8"))
    for slug, (make, meta, properties, required) in TEMPLATES.items():
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
        write_json(folder / "sample.json", sample_for(case, properties, SAMPLE_OMIT.get(slug, [])))
        write_json(folder / "meta.json", meta)
    return list(TEMPLATES)


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
