"""Build the demo .docx forms in policies/<authority>/forms/ with python-docx.

Run: .venv/bin/python policies/build_forms.py   (seed-demo loads what it writes)

Every form uses Word's own heading styles (Title, Heading 1, Heading 2), tables for the
fields a practitioner fills in, and a header and footer, so extraction and comparison have
real structure to work with. All names and content are fictional.
"""

import datetime
import sys
from pathlib import Path

from docx import Document

HERE = Path(__file__).resolve().parent
FIXED_TIME = datetime.datetime(2026, 1, 1, 9, 0, 0)

AUTHORITIES = {
    "ashdown": "Ashdown County Council",
    "brackwater": "Brackwater Borough Council",
    "fernmouth": "Fernmouth City Council",
}

# Each form: (authority, file stem, title, [blocks]); a block is ("h1" | "h2" | "p", text),
# ("bullets", [text, ...]) or ("table", [[cell, ...], ...]) whose first row is the header.
PLO_LETTER_V1 = [
    ("p", "PLEASE DO NOT IGNORE THIS LETTER – TAKE IT TO A SOLICITOR NOW"),
    ("h1", "Why we are writing to you"),
    (
        "p",
        "We are very worried about [child's name]. We are thinking about asking the family "
        "court to decide what should happen. The court could decide that [child's name] "
        "should live somewhere else.",
    ),
    ("h1", "What we are worried about"),
    ("table", [["Worry (danger statement)", "Examples and dates"], ["", ""], ["", ""]]),
    ("h1", "What needs to happen"),
    ("table", [["Safety goal", "By when"], ["", ""], ["", ""]]),
    ("h1", "The help we will give you"),
    ("table", [["Support or assessment", "Why", "Who", "When"], ["", "", "", ""]]),
    ("h1", "Meeting"),
    (
        "p",
        "We invite you to a meeting on [date] at [time] at [place]. You can bring your "
        "solicitor.",
    ),
    ("h1", "Getting legal advice"),
    (
        "p",
        "Take this letter to a solicitor now. Legal advice is free for you because you have "
        "this letter, whatever your income. A list of local solicitors is attached.",
    ),
]
PLO_LETTER_V2 = PLO_LETTER_V1[:-1] + [
    (
        "p",
        "Take this letter to a solicitor now. Legal advice is free for you because you have "
        "this letter, whatever your income. A list of local children-law solicitors is "
        "attached. If you need help to find a solicitor, call the number below.",
    ),
    ("h1", "Family network meeting"),
    (
        "p",
        "We would like to help you hold a family network meeting, so the people who care "
        "about [child's name] can help. Tell your social worker who you would like to invite.",
    ),
    ("h1", "Contact details"),
    ("table", [["", "Name", "Phone"], ["Social worker", "", ""], ["Legal team", "", ""]]),
]

FORMS = [
    ("ashdown", "plo-letter-before-proceedings-v1", "Letter before proceedings", PLO_LETTER_V1),
    ("ashdown", "plo-letter-before-proceedings-v2", "Letter before proceedings", PLO_LETTER_V2),
    (
        "ashdown",
        "safety-plan",
        "Our safety plan",
        [
            ("p", "This plan belongs to the family and their safety network."),
            ("h1", "The worries"),
            ("p", "In our own words, what the professionals are worried might happen:"),
            ("table", [["Danger statement"], [""], [""]]),
            ("h1", "Our safety rules"),
            ("table", [["Rule", "Who makes sure it happens", "Phone"], ["", "", ""]]),
            ("h1", "Warning signs"),
            ("bullets", ["What we will look out for", "What we will do if we see it"]),
            ("h1", "Our safety network"),
            ("table", [["Name", "Relationship", "Phone"], ["", "", ""], ["", "", ""]]),
        ],
    ),
    (
        "brackwater",
        "cp-conference-summary-family",
        "Your child protection conference: what was decided",
        [
            ("h1", "The decision"),
            ("p", "The conference decided: [decision in plain words]."),
            ("h1", "What we are worried about"),
            ("p", "[The danger statements, in the family's words.]"),
            ("h1", "What is working well"),
            ("p", "[Strengths and existing safety.]"),
            ("h1", "What needs to happen"),
            ("table", [["What", "Who", "By when"], ["", "", ""]]),
            ("h1", "Scaling"),
            ("table", [["Who", "Score (0 to 10)", "Why"], ["", "", ""]]),
            ("h1", "What happens next"),
            ("bullets", ["Core group meeting: [date]", "Review conference: [date]"]),
            ("h2", "If you are unhappy"),
            ("p", "You can ask for an advocate or make a complaint. Call [number]."),
        ],
    ),
    (
        "brackwater",
        "multi-agency-referral-form",
        "Multi-agency referral form",
        [
            ("h1", "About the referrer"),
            ("table", [["Name", ""], ["Agency", ""], ["Phone", ""], ["Email", ""]]),
            ("h1", "Consent"),
            ("p", "Have the parents agreed to this referral? If not, say why you are referring."),
            ("table", [["Parents' views", ""], ["Child's views", ""], ["Not to share", ""]]),
            ("h1", "The child"),
            ("table", [["Name", ""], ["Date of birth or due date", ""], ["Language", ""]]),
            ("h1", "Worries"),
            ("p", "What has happened, and what are you worried might happen?"),
        ],
    ),
    (
        "fernmouth",
        "family-network-meeting-record",
        "Family network meeting record",
        [
            ("h1", "Who came"),
            ("table", [["Name", "Relationship to the child"], ["", ""], ["", ""]]),
            ("h1", "What we are worried about"),
            ("p", "[Danger statements agreed at the meeting.]"),
            ("h1", "Safety goals"),
            ("p", "[What everyone will see when the child is safe enough.]"),
            ("h1", "The safety plan"),
            ("table", [["Rule", "Who checks", "How"], ["", "", ""]]),
            ("h2", "Next meeting"),
            ("p", "Date: [date]"),
        ],
    ),
    (
        "fernmouth",
        "plo-letter-before-proceedings",
        "Letter before proceedings",
        [
            ("p", "PLEASE DO NOT IGNORE THIS LETTER – TAKE IT TO A SOLICITOR NOW"),
            ("h1", "We are thinking about going to court"),
            (
                "p",
                "Fernmouth City Council is considering care proceedings for [child's name]. "
                "This means a judge could decide where [child's name] lives.",
            ),
            ("h1", "Our worries"),
            ("bullets", ["[Danger statement 1, with dates]", "[Danger statement 2]"]),
            ("h1", "What must change"),
            ("bullets", ["[Safety goal 1, by date]", "[Safety goal 2, by date]"]),
            ("h1", "Your meeting"),
            ("p", "Date, time and place: [details]. Your solicitor can come with you."),
            ("h1", "Free legal advice"),
            ("p", "You can get free legal advice with this letter. Solicitors are listed."),
        ],
    ),
    (
        "fernmouth",
        "supervision-record",
        "Case supervision record",
        [
            ("table", [["Social worker", ""], ["Supervisor", ""], ["Date", ""]]),
            ("h1", "Mapping"),
            ("h2", "What are we worried about?"),
            ("p", ""),
            ("h2", "What's working well?"),
            ("p", ""),
            ("h2", "What needs to happen?"),
            ("p", ""),
            ("h1", "Scaling"),
            ("table", [["Social worker's scale", "Supervisor's scale", "Reason"], ["", "", ""]]),
            ("h1", "Actions"),
            ("table", [["Action", "Who", "By when"], ["", "", ""]]),
        ],
    ),
]


def build_form(authority: str, title: str, blocks: list) -> Document:
    """Return a python-docx Document for one form."""
    document = Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{AUTHORITIES[authority]} – Children's Services"
    section.footer.paragraphs[0].text = "Fictional demonstration content. In Signs of Safety format."
    document.add_heading(title, level=0)
    for kind, content in blocks:
        if kind == "h1":
            document.add_heading(content, level=1)
        elif kind == "h2":
            document.add_heading(content, level=2)
        elif kind == "p":
            document.add_paragraph(content)
        elif kind == "bullets":
            for item in content:
                document.add_paragraph(item, style="List Bullet")
        elif kind == "table":
            table = document.add_table(rows=len(content), cols=len(content[0]))
            table.style = "Table Grid"
            for r, row in enumerate(content):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    properties = document.core_properties
    properties.author = AUTHORITIES[authority]
    properties.title = title
    properties.created = properties.modified = FIXED_TIME
    properties.last_modified_by = AUTHORITIES[authority]
    properties.revision = 1
    return document


def build_all(root: Path = HERE) -> list[Path]:
    """Write every demo form under root; return the paths written."""
    written = []
    for authority, stem, title, blocks in FORMS:
        path = root / authority / "forms" / f"{stem}.docx"
        path.parent.mkdir(parents=True, exist_ok=True)
        build_form(authority, title, blocks).save(str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(written_path)
