"""Shared parts of the library's templates: the Word builder and the sections many templates use.

build_templates.py (the entry point) and new_templates.py build templates from these. Every
section reads the context the projection gives (clearinghouse/generation/case_view.py, see
the case model v2 spec), never the raw case: danger statements carry their own `goals` and
`scales`, scales carry their question and what 0 and 10 mean, `meeting` is the document's own
meeting, `child_voice` is already filtered for the document's readers and `voice_withheld`
says whose views were left out.

Jinja conventions (the renderer gives a sandbox with autoescape, default Undefined and the
filters long_date, join_and and initials):
- `{%p ... %}` tags stand alone in their own paragraph, `{%tr ... %}` in their own table row;
  docxtpl forbids `}` and `%` inside them (so `dict()`, not `{}`).
- Optional parts are wrapped in `{%p if %}` so missing data leaves no empty heading, bullet,
  label or punctuation. Optional objects are read through `x or dict()` because default
  Undefined fails on a second attribute lookup.
"""

import io
import json
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

NAMES = "{{ children|map(attribute='name')|list|join_and }}"
# The name a child or adult is known by in the children's own words.
CALLED = "{{ x.known_to_children_as or x.name.split(' ')[0] }}"
CASE_SCALE_QUESTION = (
    "On a scale of 0 to 10, where 10 means everyone knows the children are safe enough for the "
    "case to close and 0 means things are so bad the children cannot live at home, where do you "
    "rate this?"
)
DATE_OR_EDD = (
    "{% if c.date_of_birth %}{{ c.date_of_birth|long_date }}{% elif c.expected_date_of_delivery %}"
    "Expected {{ c.expected_date_of_delivery|long_date }}{% endif %}"
)
YES_NO = "{{{{ ('Yes' if {0} else 'No') if {0} is defined else 'Not known' }}}}"
EMERGENCY = "If anyone is in danger, call 999."
FIND_SOLICITOR = "https://find-legal-advice.justice.gov.uk"
FRG_PHONE = "0808 801 0366"  # Family Rights Group's free advice line
# Optional objects, read safely: each becomes a short local name.
LOCALS = {
    "kd": "key_dates",
    "mt": "meeting",
    "pc": "previous_conference",
    "lg": "legal",
    "ls": "authority.legal_services",
    "plo_": "plo",
    "asm": "assessment",
    "ref": "referral",
    "ar": "agency_report",
    "sp": "safety_plan",
    "fb": "feedback",
    "vw": "views",
    "wp": "words_and_pictures",
    "doc": "document",
    "dl": "deadlines",
    "rc": "recipient",
}


def _meeting_names() -> dict:
    """The meeting types' names, as the case model's enum labels give them (one place)."""
    case = json.loads((Path(__file__).parent / "schemas" / "case.schema.json").read_text())
    kind = case["$defs"]["meeting"]["properties"]["type"]
    return dict(zip(kind["enum"], kind["x-enum-labels"], strict=True))


MEETING_NAMES = _meeting_names()
CATEGORY_NAMES = {
    "neglect": "neglect",
    "physical_abuse": "physical abuse",
    "emotional_abuse": "emotional abuse",
    "sexual_abuse": "sexual abuse",
}


def jinja_map(mapping: dict) -> str:
    """Return a Jinja dict() literal of a str -> str mapping (no braces, for `{%p %}` tags)."""
    return "dict(" + ", ".join(f"{k}={v!r}" for k, v in mapping.items()) + ")"


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
        # A4 (python-docx starts from US Letter), with 2 cm margins: set before any table, so
        # tables take their column widths from this page.
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("top", "bottom", "left", "right"):
            setattr(section, f"{side}_margin", Cm(2))
        section.header_distance = section.footer_distance = Cm(1)
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
        styles["Title"].paragraph_format.keep_with_next = True
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

    def p(self, *parts, style: str | None = None, keep: bool = False):
        """Add a paragraph from text parts; Bold parts are set in bold; keep=True keeps it on
        the same page as the next paragraph (a block that must not break)."""
        para = self.doc.add_paragraph(style=style)
        for part in parts:
            run = para.add_run(str(part))
            if isinstance(part, Bold):
                run.bold = True
        if keep:
            para.paragraph_format.keep_with_next = True
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

    def bullets(self, loop: str, text: str, style: str = "List Bullet", keep: bool = False):
        """Add one bullet per item of a Jinja for-loop; keep=True keeps the list on one page
        with what follows it."""
        self.tag("for " + loop)
        self.p(text, style=style, keep=keep)
        self.tag("endfor")

    def grid(self, caption: str, headers: list[str], body: list, widths: list[float] = ()):
        """Add a table: a repeated header row, then body rows (a str is a `{%tr %}` tag row);
        widths (relative) share the text width between the columns, equally if not given."""
        table = self.doc.add_table(rows=1 + len(body), cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        if widths:
            self._widths(table, widths)
        for tag, value in (("w:tblCaption", caption), ("w:tblDescription", caption)):
            el = OxmlElement(tag)
            el.set(qn("w:val"), value)
            table._tbl.tblPr.append(el)
        for row in table.rows:  # a row never breaks across pages
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
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

    def table(self, caption: str, headers: list[str], loop: str, cells: list[str], widths=()):
        """Add a table with a repeated header row and one row per item of a Jinja for-loop."""
        return self.grid(caption, headers, ["for " + loop, cells, "endfor"], widths)

    def _widths(self, table, widths: list[float]):
        """Give the columns shares of the text width, so a long text column is wide enough
        that its rows (which never break across pages) stay short."""
        section = self.doc.sections[0]
        text = section.page_width - section.left_margin - section.right_margin
        table.autofit = False
        for column, share in zip(table.columns, widths, strict=True):
            column.width = int(text * share / sum(widths))
            for cell in column.cells:
                cell.width = column.width

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
# Shared sections (their names and arguments are used by new_templates.py too)
# ---------------------------------------------------------------------------------------------


def text_or_list(b: Builder, var: str, style: str = "List Bullet"):
    """Show var as a paragraph when it is text, or one bullet per item when it is a list."""
    b.tag(f"if {var} is string")
    b.p("{{ " + var + " }}")
    b.tag("else")
    b.bullets(f"x in {var}", "{{ x }}", style=style)
    b.tag("endif")


def children_table(b: Builder, level: int = 2, heading: str = "Children", details: bool = False):
    """The children: name, date of birth and age, and so on; with details, also each child's
    address, GP and who holds parental responsibility (a referral, an assessment)."""
    b.h(level, heading)
    b.table(
        "The children",
        ["Name", "Date of birth", "Age", "Gender", "Language", "Religion", "School or nursery"],
        "c in children",
        [
            "{{ c.name }}{% if c.known_as %} (known as {{ c.known_as }}){% endif %}",
            DATE_OR_EDD,
            "{% if c.age_years is number %}{{ c.age_years }}{% endif %}",
            "{{ c.gender }}",
            "{{ c.language }}",
            "{{ c.religion }}",
            "{{ c.school }}",
        ],
        widths=[2.9, 2.4, 1.2, 1.9, 2.5, 2.4, 3.7],
    )
    if details:
        b.tag("for c in children")
        b.h(level + 1, "{{ c.name }}")
        b.field("Address", "c.address")
        b.tag("if c.gp")
        b.p(
            Bold("GP: "),
            "{{ [c.gp.name, c.gp.practice]|select|join(', ') }}"
            "{% if c.gp.phone %}, phone {{ c.gp.phone }}{% endif %}",
        )
        b.tag("endif")
        b.p(
            Bold("Parental responsibility: "),
            "{{ c.pr_holders|join_and if c.pr_holders else 'Not known' }}",
        )
        b.field("Needs", "c.needs")
        b.tag("endfor")
    else:
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
        widths=[3.2, 2.8, 2.0, 3.2, 5.8],
    )


def family_table(
    b: Builder, level: int = 2, heading: str = "Parents, carers and family", household=False
):
    """Family members and who holds parental responsibility; household=True lists only those
    who live with the children (the household)."""
    loop = "m in family_members" + (" if m.lives_with_children" if household else "")
    b.tag("if family_members" + ("|selectattr('lives_with_children')|list" if household else ""))
    b.h(level, heading)
    b.table(
        "Family members who live with the children" if household else "Parents, carers and family",
        ["Name", "Relationship", "Parental responsibility for", "Lives with the children", "Phone"],
        loop,
        [
            "{{ m.name }}",
            "{{ m.relationship }}",
            "{{ m.pr_children|join_and if m.pr_children else 'No' }}",
            YES_NO.format("m.lives_with_children"),
            "{{ m.phone }}",
        ],
        widths=[3.4, 3.8, 3.8, 2.4, 3.6],
    )
    b.tag("for " + loop + (" and" if household else " if") + " m.needs_interpreter")
    b.p(
        "{{ m.name }} needs an interpreter"
        "{% if m.interpreter_language or m.language %} "
        "({{ m.interpreter_language or m.language }}){% endif %}."
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
        widths=[2.6, 3.0, 2.6, 3.4, 5.4],
    )
    b.tag("endif")


def network_table(b: Builder, level: int = 2, heading: str | None = None, heard: bool = True):
    """The family and friends in the safety network: what the children call them, their phone,
    what they do in the plan and (heard=True) when they heard the worries."""
    if heading is None:
        heading = (
            "Family and friends who help (called the safety network)"
            if b.family
            else "The safety network"
        )
    b.tag("if safety_network")
    b.h(level, heading)
    headers = ["Name", "The children call them", "Phone", "What they do in the plan"]
    cells = [
        "{{ n.name }}{% if n.relationship %} ({{ n.relationship }}){% endif %}",
        "{{ n.known_to_children_as or n.name.split(' ')[0] }}",
        "{{ n.phone }}",
        "{{ n.role_in_plan }}",
    ]
    if heard:
        headers.append("Heard the worries on")
        cells.append("{{ n.heard_worries_on|long_date if n.heard_worries_on else 'Not yet' }}")
    b.table(
        "Safety network members: what the children call them, phone numbers and their part",
        headers,
        "n in safety_network",
        cells,
        widths=[3.2, 2.6, 2.8, 5.8, 2.6][: len(headers)],
    )
    b.tag("endif")


def dates_table(b: Builder, rows: list[tuple[str, str]], level: int = 2, heading="Key dates"):
    """Key dates as (label, Jinja expression) rows, each shown only when the date is known."""
    guard = " or ".join(expr for _, expr in rows)
    b.tag(f"if {guard}")
    b.h(level, heading)
    b.rows_table(
        heading,
        ["Event", "Date"],
        [(label, expr, "{{ " + expr + "|long_date }}") for label, expr in rows],
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


def scale_scores(b: Builder, var: str, family: bool, level: int | None = None):
    """The scores in var, grouped by their question: each group shows the question, what 0
    and 10 mean, then every score with who gave it, when and why."""
    b.tag(f"for q in {var}|groupby('question')")
    if level:
        b.h(level, "{{ q.grouper }}")
    else:
        b.p(Bold("Question: "), "{{ q.grouper }}")
    b.p(
        "0 means: {{ q.list[0].zero_means.rstrip('.') }}. "
        "10 means: {{ q.list[0].ten_means.rstrip('.') }}."
    )
    role = "{% if s.rater_role %}, {{ s.rater_role }}{% endif %}"
    if family:
        lead = Bold("Score from {{ s.rater }}" + role + ": ")
    else:
        lead = Bold("{{ s.rater }}" + role + ": ")
    b.tag("for s in q.list")
    b.p(
        lead,
        "{{ s.score }} out of 10{% if s.date %} on {{ s.date|long_date }}{% endif %}"
        "{% if s.reason %}. {{ s.reason }}{% endif %}",
    )
    b.tag("endfor")
    b.tag("endfor")


def goal_and_scales(b: Builder, family: bool, with_scales: bool = True, note_gaps: bool = True):
    """Danger statement d's safety goals (d.goals) and, with_scales, its scales (d.scales),
    each scale with its question and what 0 and 10 mean."""
    b.tag("for goal in d.goals")
    b.field("What you will do" if family else "Safety goal", "goal.parents_will")
    b.field(
        "What the children will notice" if family else "What the children will experience",
        "goal.child_will_experience",
    )
    b.field(
        "What we need to see" if family else "What professionals will see",
        "goal.professionals_will_see",
    )
    b.field("For how long", "goal.for_how_long_text")
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
    b.tag("if d.scales")
    scale_scores(b, "d.scales", family)
    if note_gaps:
        b.tag("else")
        b.p("Nobody has given a score for this worry yet.")
    b.tag("endif")


def next_steps(b: Builder, family: bool, level: int, heading: str | None = None):
    """Next steps, each with who and by when."""
    b.h(level, heading or ("Who will do what, and by when" if family else "Next steps"))
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
        widths=[9, 4.5, 3.5],
    )
    b.tag("else")
    b.p("No next steps have been agreed yet.")
    b.tag("endif")


def case_scales(b: Builder, family: bool, level: int, note_gaps: bool = True):
    """The case-closure scale (`case_scales`) under its own question; note_gaps=False leaves
    the section out when nobody has given that score."""
    if not note_gaps:
        b.tag("if case_scales")
    b.h(level, "How safe things are: scores from 0 to 10" if family else "Scaling")
    b.tag("if case_scales")
    scale_scores(b, "case_scales", family)
    if note_gaps:
        b.tag("else")
        b.p(
            "Nobody has given an overall score yet."
            if family
            else "No overall (case closure) scaling has been recorded yet."
        )
    b.tag("endif")


def child_scales(b: Builder, family: bool, level: int):
    """The children's own scales (`child_scales`), each under its own question."""
    b.tag("if child_scales")
    b.h(level, "The children's own scores" if family else "The children's own scaling")
    scale_scores(b, "child_scales", family)
    b.tag("endif")


def mapping(b: Builder, family: bool = False, level: int = 2, scaling: bool = True):
    """The mapping in the framework's order: worries, working well, needs to happen, scaling.
    Each danger statement's goals and scales come with it; scaling=True adds the
    case-closure scale and the children's own scales, each under its own question."""
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
    b.h(sub + 1, worry + " {{ d.number or loop.index }}")
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
        + " {{ d.number or loop.index }}",
    )
    b.p(Bold("The worry: " if family else "Danger statement: "), "{{ d.worried_about }}")
    goal_and_scales(b, family)
    b.tag("endfor")
    b.tag("endif")
    next_steps(b, family, sub)
    if scaling:
        case_scales(b, family, level)
        child_scales(b, family, level)


def child_voice(
    b: Builder,
    level: int = 2,
    heading: str = "The children's views",
    optional: bool = False,
    explain: bool = False,
):
    """The children's Three Houses from `child_voice` (already filtered for this document's
    readers), then one sentence for each item in `voice_withheld`: the child's views were heard
    and shared with someone else. optional=True leaves the section out when there is neither;
    explain=True first says what the three houses are (for a family that may not know)."""
    if optional:
        b.tag("if child_voice or voice_withheld")
    b.h(level, heading)
    if explain:
        b.tag("if child_voice")
        b.p(
            "We use three drawings of houses to help children tell us how they feel: a house of "
            "worries, a house of good things and a house of dreams."
        )
        b.tag("endif")
    b.tag("for v in child_voice")
    name = "{{ (v.child or dict()).name or v.child_name }}"
    b.h(level + 1, name)
    b.tag("if v.date")
    b.p(
        name + " was seen on {{ v.date|long_date }}"
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
    b.tag("endfor")
    b.tag("for x in voice_withheld")
    b.p("{{ x.child }}'s views were heard and shared with {{ x.shared_with }}.")
    b.tag("endfor")
    if not optional:
        b.tag("if not (child_voice or voice_withheld)")
        b.p("The children's views have not been written down yet.")
        b.tag("endif")
    if optional:
        b.tag("endif")


def adult_views(b: Builder, level: int = 2):
    """What parents and the family network say."""
    b.tag("if vw.parents or vw.network")
    b.h(level, "What the parents and family network say")
    b.tag("for x in vw.parents")
    b.p(Bold("{{ x.who }}: "), "{{ x.view }}{% if x.date %} ({{ x.date|long_date }}){% endif %}")
    b.tag("endfor")
    b.tag("for x in vw.network")
    b.p(Bold("{{ x.who }}: "), "{{ x.view }}{% if x.date %} ({{ x.date|long_date }}){% endif %}")
    b.tag("endfor")
    b.tag("endif")


def meeting_details(b: Builder, level: int = 2, heading: str = "Meeting details"):
    """Date, time, place and chair of the document's own meeting (`mt`, bound by
    b.locals("mt")), then who was invited, who came and who sent apologies."""
    b.h(level, heading)
    b.tag("if mt.date or mt.time or mt.place or mt.how or mt.chair or mt.minute_taker")
    b.rows_table(
        heading,
        ["Detail", "Meeting"],
        [
            ("Meeting", "mt.type", "{{ " + jinja_map(MEETING_NAMES) + "[mt.type] }}"),
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
        "People invited to the meeting, who came and who sent apologies",
        ["Name", "Role", "Came to the meeting"],
        "a in mt.attendees",
        [
            "{{ a.name }}",
            "{{ a.role }}",
            "{% if a.attended %}Yes{% elif a.apologies %}No, sent apologies"
            "{% elif a.attended is defined %}No{% else %}Not recorded{% endif %}",
        ],
    )
    b.tag("endif")


def meeting_outcomes(b: Builder, level: int = 2):
    """What the meeting agreed (`mt.agreed`) and, separately, where people did not agree
    (`mt.disagreed`: who, about what): an agreement is never printed above a disagreement."""
    b.h(level, "What was agreed")
    b.tag("if mt.agreed")
    b.bullets("x in mt.agreed", "{{ x }}")
    b.tag("else")
    b.p("Nothing was recorded as agreed at this meeting.")
    b.tag("endif")
    b.tag("if mt.disagreed")
    b.h(level, "Where people did not agree")
    b.bullets("x in mt.disagreed", "{{ x.who }}: {{ x.about }}")
    b.tag("endif")


def signatures(
    b: Builder, people: str, level: int = 2, heading: str = "Signatures", dated: bool = True
):
    """A signature table: one row per person in the Jinja list `people` (each with name and,
    if dated and known, date), with room to sign by hand. dated=False leaves the date to be
    written by hand, for people whose data has no date (a meeting's attendees). The heading and
    every row keep with the next, so the block stays on one page (the service's paper layout
    lets the last row go)."""
    b.h(level, heading)
    table = b.table(
        "Signatures: name, signature and date",
        ["Name", "Signature", "Date"],
        f"x in {people}",
        ["{{ x.name }}", "", "{{ x.date|long_date if x.date else '' }}" if dated else ""],
    )
    table.rows[2].height, table.rows[2].height_rule = Cm(1.5), WD_ROW_HEIGHT_RULE.AT_LEAST
    for row in (table.rows[0], table.rows[2]):
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True


def manager_line(b: Builder):
    """'Team manager: name, phone ...' for the worker's manager (when there is one)."""
    b.tag("if worker.manager")
    b.p(
        Bold("{{ worker.manager.role or 'Their manager' }}: "),
        "{{ worker.manager.name }}{% if worker.manager.phone %}, phone "
        "{{ worker.manager.phone }}{% endif %}",
    )
    b.tag("endif")


def out_of_hours(b: Builder, emergency: bool = True):
    """The out-of-hours number and, with emergency, the 999 line (said even when there is no
    out-of-hours number); emergency=False leaves out 999 (a document that says it once)."""
    danger = "If a child is in danger, call 999."
    b.tag("if authority.out_of_hours_phone")
    b.p(
        "Outside office hours, call {{ authority.out_of_hours_phone }}."
        + (" " + danger if emergency else "")
    )
    if emergency:
        b.tag("else")
        b.p(danger)
    b.tag("endif")


def worker_contacts(
    b: Builder, level: int = 2, heading: str = "Contact details", emergency: bool = True
):
    """Under a heading: the social worker (team, phone, email each labelled), their manager
    and the out-of-hours number; emergency=False leaves out the 999 line."""
    b.h(level, heading)
    b.p(
        Bold("Social worker: "),
        "{{ worker.name }}{% if worker.team %}, {{ worker.team }}{% endif %}",
    )
    b.field("Phone", "worker.phone")
    b.field("Email", "worker.email")
    manager_line(b)
    out_of_hours(b, emergency)


def worker_lines(b: Builder, label: str = "Your social worker"):
    """The worker and their manager, each on one line (a letter's 'Who to contact')."""
    b.p(
        Bold(label + ": "),
        "{{ worker.name }}{% if worker.phone %}, phone {{ worker.phone }}{% endif %}"
        "{% if worker.email %}, email {{ worker.email }}{% endif %}",
    )
    manager_line(b)


def legal_team(b: Builder):
    """How the parent's solicitor reaches the authority's legal team (`ls`, `lg`: bound by
    b.locals("ls", "lg")), with this case's reference."""
    b.tag("if ls.name or ls.lawyer or lg.lawyer")
    b.p(
        "Your solicitor can contact our legal team: "
        "{{ [ls.lawyer or lg.lawyer, ls.name]|select|join(' at ') }}"
        "{% if ls.phone %}, phone {{ ls.phone }}{% endif %}"
        "{% if ls.email %}, email {{ ls.email }}{% endif %}"
        "{% if lg.reference %} (reference {{ lg.reference }}){% endif %}."
    )
    b.tag("endif")


def letterhead(b: Builder):
    """The authority's name, service and address, at the top of a letter or leaflet."""
    b.p("{{ authority.name }}{% if authority.service %}, {{ authority.service }}{% endif %}")
    b.tag("if authority.address")
    b.p("{{ authority.address }}")
    b.tag("endif")


def letter_top(b: Builder):
    """The top of a letter to one person (`rc`, `doc`: bound by b.locals("rc", "doc")): the
    letterhead, their name and own address (never a withheld one), the date, our reference,
    and the plain line telling them not to ignore it."""
    letterhead(b)
    b.p(Bold("To: "), "{{ rc.name }}")
    b.tag("if rc.address and not rc.address_withheld")
    b.p("{{ rc.address }}")
    b.tag("endif")
    document_date(b)
    b.field("Our reference", "doc.reference")
    b.p(Bold("PLEASE DO NOT IGNORE THIS LETTER – TAKE IT TO A SOLICITOR NOW"))


def letter_end(b: Builder, signed_by: str | None = None):
    """'Yours sincerely', who signs (the object `signed_by` when it is set, else the worker)
    and the authority, kept together on one page."""
    b.p("Yours sincerely,", keep=True)
    if signed_by:
        b.tag(f"if {signed_by}")
        b.p(
            "{{ " + signed_by + ".name }}"
            "{% if " + signed_by + ".role %}, {{ " + signed_by + ".role }}{% endif %}",
            keep=True,
        )
        b.tag("else")
    b.p("{{ worker.name }}{% if worker.role %}, {{ worker.role }}{% endif %}", keep=True)
    if signed_by:
        b.tag("endif")
    b.p("{{ authority.name }}")


def solicitors_list(b: Builder, intro: str, level: int = 2, heading: str | None = None):
    """The authority's list of local children-law solicitors (introduced by `intro`), and where
    to find others; heading=None puts it in the section the caller has opened."""
    if heading:
        b.h(level, heading)
    b.tag("if authority.solicitors")
    b.p(intro)
    b.table(
        "Local solicitors who know about children law",
        ["Solicitors", "Address", "Phone", "Email"],
        "x in authority.solicitors",
        ["{{ x.firm }}", "{{ x.address }}", "{{ x.phone }}", "{{ x.email }}"],
        widths=[3.4, 4.2, 3.6, 5.8],
    )
    b.tag("endif")
    b.p(
        "{% if authority.solicitors %}You can also find{% else %}You can find{% endif %} a "
        "solicitor who does legal aid work at " + FIND_SOLICITOR + "."
    )


def contact_line(b: Builder, label: str, var: str):
    """'Label: name, phone, email' then its `how`, for a contact object var (when set)."""
    b.tag(f"if {var}")
    b.p(
        Bold(label + ": "),
        "{{ " + var + ".name }}"
        "{% if " + var + ".phone %}, phone {{ " + var + ".phone }}{% endif %}"
        "{% if " + var + ".email %}, email {{ " + var + ".email }}{% endif %}",
    )
    b.tag(f"if {var}.address")
    b.p("{{ " + var + ".address }}")
    b.tag("endif")
    b.tag(f"if {var}.how")
    b.p("{{ " + var + ".how }}")
    b.tag("endif")
    b.tag("endif")


def complaints_advocacy(b: Builder, level: int = 2, complaints: bool = True):
    """How to get an advocate and, with complaints, how to complain about the service (not how
    to challenge a conference decision: see conference_challenge)."""
    b.h(
        level,
        "If you are not happy with our service, or want help to have your say"
        if complaints
        else "Help to have your say",
    )
    b.p(
        "You can ask for an advocate. An advocate is someone who is not part of Children's "
        "Services. They can help you say what you think and come to meetings with you."
        + (
            " You can also complain if you are not happy with the service we have given you."
            if complaints
            else ""
        )
    )
    contact_line(b, "Advocacy", "authority.advocacy")
    if complaints:
        contact_line(b, "Complaints", "authority.complaints")
        b.tag("if not (authority.advocacy or authority.complaints)")
        b.p("Ask your social worker how to get an advocate or make a complaint.")
    else:
        b.tag("if not authority.advocacy")
        b.p("Ask your social worker how to get an advocate.")
    b.tag("endif")


def conference_challenge(b: Builder, level: int = 2):
    """How to challenge a conference decision: first the chair, then the safeguarding
    partnership (`authority.conference_challenge`). Not the complaints procedure."""
    b.tag("set cc = authority.conference_challenge or dict()")
    b.h(level, "If you disagree with the conference's decision")
    b.p(
        "If you disagree with a decision the conference made, you can challenge it. "
        "This is not the same as making a complaint about our service."
    )
    b.p(
        Bold("First, ask the conference chair: "),
        "{{ cc.chair_how or 'Tell the person who chaired the conference why you disagree. You "
        "can write to them or phone them. Your social worker can give you their details.' }}",
    )
    b.p(
        Bold("Then, if you are still unhappy: "),
        "you can ask the local group that checks how children are kept safe, called the "
        "safeguarding partnership, to look at the decision"
        "{% if (cc.partnership or dict()).phone %}. Phone {{ cc.partnership.phone }}{% endif %}"
        "{% if (cc.partnership or dict()).email %}. Email {{ cc.partnership.email }}{% endif %}.",
    )
    b.tag("if (cc.partnership or dict()).how")
    b.p("{{ cc.partnership.how }}")
    b.tag("endif")


def sign_off(b: Builder, level: int = 2):
    """Who wrote the document, its date (document.date) and who checked it."""
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


def document_date(b: Builder, label: str = "Date"):
    """'Date: ...' from document.date (the date the document speaks from)."""
    b.p(Bold(label + ": "), "{{ document.date|long_date }}")
