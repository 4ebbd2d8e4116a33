"""The four templates added in issue 12 (templates_library/new_templates.py): the letter of
issue, the families' guide to the PLO, the early help plan and the supervision mapping record.

Each is built into a temporary folder with new_templates.build_new, its sample is seen through
the projection (case_view.document_view, as the generation service does) and rendered by the
app's renderer (the sandbox, in its workers); python-docx then reads what came out.
"""

import copy
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from clearinghouse import renderer
from clearinghouse.generation.case_view import document_view
from clearinghouse.vocabulary import DOC_TYPES

from .library_support import long_date
from .test_library_content import (
    ALLOWED_STYLES,
    JARGON,
    all_text,
    assert_clean,
    body_blocks,
    reading_age,
)

ROOT = Path(__file__).resolve().parents[2]
CASE_SCHEMA = ROOT / "templates_library" / "schemas" / "case.schema.json"
SLUGS = [
    "letter-of-issue",
    "plo-guide-for-families",
    "early-help-plan",
    "supervision-mapping-record",
]
SHARE_CODES = {"conference", "court", "professionals", "network", "parents"}
DEFS = {
    "letter-of-issue": {
        "document": "document",
        "authority": "authority",
        "worker": "worker",
        "children": "children",
        "family_members": "family_members",
        "court": "court",
        "legal": "legal",
        "child_voice": "child_voice",
    },
    "plo-guide-for-families": {
        "document": "document",
        "authority": "authority",
        "worker": "worker",
        "plo": "plo",
        "meetings": "meetings",
    },
    "early-help-plan": {
        "document": "document",
        "authority": "authority",
        "worker": "worker",
        "children": "children",
        "early_help": "early_help",
        "next_steps": "next_steps",
        "scales": "scales",
        "child_voice": "child_voice",
    },
    "supervision-mapping-record": {
        "document": "document",
        "authority": "authority",
        "worker": "worker",
        "children": "children",
        "supervision": "supervision",
    },
}


def _load_module():
    path = ROOT / "templates_library" / "new_templates.py"
    spec = importlib.util.spec_from_file_location("new_templates", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nt = _load_module()
bt = importlib.import_module("build_templates")  # on the path new_templates puts it on


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The four template folders, built once for this module."""
    root = tmp_path_factory.mktemp("new-templates")
    assert set(SLUGS) <= set(bt.build(root))
    yield root
    renderer.shutdown()


def load(folder: Path, name: str):
    return json.loads((folder / name).read_text(encoding="utf-8"))


def render(built: Path, slug: str, case: dict | None = None, **view) -> Document:
    """See the case (the sample by default) through the projection, render it, open the result."""
    folder = built / slug
    meta = load(folder, "meta.json")
    case = load(folder, "sample.json") if case is None else case
    if meta.get("recipient") == "pr_holder" and "recipient_id" not in view:
        view["recipient_id"] = (case.get("document") or {}).get("recipient_id")
    view.setdefault("family", meta["audience"] == "family")
    context, _ = document_view(copy.deepcopy(case), shares_as=meta["shares_as"], **view)
    limits = renderer.RenderLimits.from_settings()
    made = renderer.render_docx((folder / "template.docx").read_bytes(), context, limits)
    return Document(io.BytesIO(made))


def text_of(built: Path, slug: str, case: dict | None = None, **view) -> str:
    return all_text(render(built, slug, case, **view))


def sample(built: Path, slug: str) -> dict:
    return load(built / slug, "sample.json")


# --- what each document must contain, in DOMAIN.md's terms -----------------------------------


def interpreting_line(s: dict) -> str:
    """What the letter says about interpreting, for the person it goes to."""
    to = next(m for m in s["family_members"] if m["id"] == s["document"]["recipient_id"])
    if to.get("needs_interpreter"):
        return f"We will give you an interpreter who speaks {to['interpreter_language']}."
    return "in another language, in large print or read to you"


def letter_must(s: dict) -> list[str]:
    court, authority = s["court"], s["authority"]
    decided, applied = long_date(court["decision_date"]), long_date(court["application_date"])
    assert court["application_date"] <= s["document"]["date"]  # sent before this letter
    return [
        "PLEASE DO NOT IGNORE THIS LETTER – TAKE IT TO A SOLICITOR NOW",  # the plain warning
        f"On {decided}, {authority['name']} decided to ask the family court",  # decision
        court["reasons"],  # and why
        f"We sent our application to {court['court']} on {applied}",  # the application
        f"The first hearing is on {long_date(court['first_hearing_date'])} at {court['court']}",
        court["what_happens_next"],
        "Please take this letter to a solicitor now.",
        "It is not means-tested",  # legal aid for parents in care proceedings
        "called care proceedings",  # the term explained
        *[x["firm"] for x in authority["solicitors"]],  # the solicitors list
        authority["legal_services"]["name"],  # the legal team
        authority["legal_services"]["phone"],
        s["worker"]["name"],
        s["worker"]["phone"],  # the social worker
        authority["advocacy"]["name"],  # advocacy
        interpreting_line(s),  # interpreting offered
        "Dear Jason Price,",
    ]


def guide_must(s: dict) -> list[str]:
    return [
        "called the PLO",  # the term explained
        "Please do not ignore the letter. Take it to a solicitor straight away.",
        "free whatever your income",
        "called Legal Help",
        "Your meeting is on 4 November 2026 at 10:00",  # the family's own meeting
        "up to 16 weeks",  # the timetable
        "review meeting",
        "called a viability assessment",
        "called a kinship assessment",
        "called a family group conference",
        "called a safety network",
        "Things are better. We stop these steps.",  # step down
        "more time is needed. We carry on",  # continue
        "We ask the family court to decide",  # court
        "we may go to court straight away",  # more worried: court at once
        "Family Rights Group",
        "0808 801 0366",
        "https://frg.org.uk",
        *[x["firm"] for x in s["authority"]["solicitors"]],
        s["worker"]["name"],
        s["worker"]["phone"],
    ]


def early_help_must(s: dict) -> list[str]:
    eh = s["early_help"]
    scale = s["scales"][0]
    for_network = [v for v in s["child_voice"] if "network" in v["share_with"]]
    return [
        f"You agreed to have early help on {long_date(eh['consent_date'])}",  # consent and date
        *eh["family_worries"],
        *eh["family_strengths"],
        *eh["family_goals"],
        *[x["who"] for x in eh["who_helps"]],
        *[x["with_what"] for x in eh["who_helps"]],
        *eh["how_we_will_know"],
        *[x["action"] for x in s.get("next_steps", [])],
        scale["question"],  # the scale with its question and what 0 and 10 mean
        "10 means " + scale["ten_means"],
        "0 means " + scale["zero_means"],
        *[x["reason"] for x in s["scales"]],
        *[v["own_words"] for v in for_network],  # the words she shared with the family network
        f"We will meet to look at this plan again on {long_date(eh['review_date'])}.",
        s["worker"]["phone"],
    ]


def supervision_must(s: dict) -> list[str]:
    sv = s["supervision"]
    return [
        *[x["name"] for x in sv["attendees"]],
        long_date(sv["date"]),
        sv["case_question"],
        "What are we worried about?",
        "What's working well?",
        "What needs to happen?",
        *sv["worries"],
        *sv["working_well"],
        *sv["needs_to_happen"],
        nt.CASE_SCALE_QUESTION,  # the standard question, which says what 0 and 10 mean
        "3 out of 10",
        sv["scale"]["reason"],
        *[x["action"] for x in sv["worker_next_steps"]],
        *[long_date(x["by_when"]) for x in sv["worker_next_steps"]],
        sv["supervisor_decision"],
    ]


MUST_CONTAIN = {
    "letter-of-issue": letter_must,
    "plo-guide-for-families": guide_must,
    "early-help-plan": early_help_must,
    "supervision-mapping-record": supervision_must,
}


# --- meta and schema -------------------------------------------------------------------------


def test_the_table_holds_the_four_templates():
    assert list(nt.TEMPLATES) == SLUGS
    for slug, (make, _meta, properties, required) in nt.TEMPLATES.items():
        assert callable(make) and set(required) <= set(properties), slug


@pytest.mark.parametrize("slug", SLUGS)
def test_meta_says_who_reads_it(built, slug):
    meta = load(built / slug, "meta.json")
    assert meta["doc_type"] in {code for code, _, _ in DOC_TYPES}
    assert meta["audience"] in ("family", "professional")
    assert bt.version_key(meta["version"]) >= (1, 0) and isinstance(meta["about_child"], bool)
    assert meta["title"].strip() and meta["purpose"].strip().endswith(".")
    assert set(meta["shares_as"]) <= SHARE_CODES
    expected = {
        "letter-of-issue": ("family", [], "pr_holder"),
        "plo-guide-for-families": ("family", [], None),
        "early-help-plan": ("family", ["network", "parents"], None),
        "supervision-mapping-record": ("professional", ["professionals"], None),
    }[slug]
    assert (meta["audience"], meta["shares_as"], meta.get("recipient")) == expected
    assert meta["meeting_types"] == (
        ["pre_proceedings"] if slug == "plo-guide-for-families" else []
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_schema_points_at_the_case_model(built, slug):
    schema = load(built / slug, "schema.json")
    assert schema["$id"] == f"urn:clearinghouse:template:{slug}"
    refs = {k: v["$ref"] for k, v in schema["properties"].items()}
    # Every sample says it is case model 2, so the schema (and the web form) holds case_version.
    assert refs.pop("case_version") == "urn:clearinghouse:case#/properties/case_version"
    assert refs == {k: f"urn:clearinghouse:case#/$defs/{v}" for k, v in DEFS[slug].items()}
    assert set(schema["required"]) <= set(schema["properties"])
    assert set(sample(built, slug)) <= set(schema["properties"])


@pytest.mark.parametrize("slug", SLUGS)
def test_sample_matches_its_schema(built, slug):
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    case_schema = json.loads(CASE_SCHEMA.read_text(encoding="utf-8"))
    missing = set(DEFS[slug].values()) - set(case_schema.get("$defs", {}))
    if missing:
        pytest.xfail(f"the case schema has no {sorted(missing)} yet (case model v2, i12-schema)")
    resource = Resource.from_contents(case_schema, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:clearinghouse:case", resource)
    schema = load(built / slug, "schema.json")
    check = jsonschema.Draft202012Validator(schema, registry=registry)
    assert [e.message for e in check.iter_errors(sample(built, slug))] == []


@pytest.mark.parametrize("slug", SLUGS)
def test_sample_speaks_from_its_own_date(built, slug):
    meta = load(built / slug, "meta.json")
    _, warnings = document_view(sample(built, slug), shares_as=meta["shares_as"])
    assert warnings == []


# --- rendering -------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_renders_what_it_must_contain(built, slug):
    document = render(built, slug)
    text = all_text(document)
    missing = [item for item in MUST_CONTAIN[slug](sample(built, slug)) if item not in text]
    assert missing == []
    assert_clean(document, slug)
    assert document.core_properties.title == load(built / slug, "meta.json")["title"]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_renderer_finds_no_problem(built, slug):
    template = (built / slug / "template.docx").read_bytes()
    report = renderer.template_inspect(template, renderer.RenderLimits.from_settings())
    assert report["problems"] == []


@pytest.mark.parametrize("slug", SLUGS)
def test_template_is_well_formed_word(built, slug):
    document = Document(built / slug / "template.docx")
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2"} <= styles <= ALLOWED_STYLES
    for table in document.tables:
        tbl_pr = table._tbl.tblPr
        assert tbl_pr.find(qn("w:tblCaption")) is not None
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
    assert 'w:instr="PAGE"' in document.sections[0].footer._element.xml
    assert document.core_properties.title == nt.TEMPLATES[slug][1]["title"]


MINIMAL = {
    "letter-of-issue": {
        "document": {"date": "2027-02-12", "recipient_id": "P1"},
        "authority": {"name": "Testshire Council"},
        "worker": {"name": "Sam Worker"},
        "children": [{"id": "C1", "name": "Amy Stone"}],
        "family_members": [
            {
                "id": "P1",
                "name": "Dana Stone",
                "relationship": "Mother",
                "parental_responsibility_for": ["C1"],
            }
        ],
        "court": {"decision_date": "2027-02-05", "reasons": "We are still very worried."},
    },
    "plo-guide-for-families": {
        "authority": {"name": "Testshire Council"},
        "worker": {"name": "Sam Worker"},
    },
    "early-help-plan": {
        "authority": {"name": "Testshire Council"},
        "worker": {"name": "Sam Worker"},
        "children": [{"id": "C1", "name": "Amy Stone"}],
        "early_help": {"consent_given": True},
    },
    "supervision-mapping-record": {
        "authority": {"name": "Testshire Council"},
        "worker": {"name": "Sam Worker"},
        "children": [{"id": "C1", "name": "Amy Stone"}],
        "supervision": {
            "date": "2026-10-07",
            "case_question": "Is the plan working?",
            "supervisor_decision": "Carry on.",
        },
    },
}


@pytest.mark.parametrize("slug", SLUGS)
def test_minimal_data_leaves_no_gaps(built, slug):
    schema = load(built / slug, "schema.json")
    assert set(schema["required"]) <= set(MINIMAL[slug])
    document = render(built, slug, MINIMAL[slug])
    assert_clean(document, slug)
    text = all_text(document)
    assert "Testshire Council" in text and "Sam Worker" in text


FAMILY = [slug for slug in SLUGS if nt.TEMPLATES[slug][1]["audience"] == "family"]


@pytest.mark.parametrize("slug", FAMILY)
def test_family_documents_are_plain(built, slug):
    document = render(built, slug)
    lines = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    text = " ".join(line if line[-1] in ".?!:" else line + "." for line in lines)
    assert reading_age(text) <= 12, slug
    terms = [e["term"] for e in json.loads(JARGON.read_text(encoding="utf-8"))["terms"]]
    terms += ["viability assessment", "kinship assessment", "family group conference"]
    terms += ["safety network", "emotional abuse"]
    for term in terms:
        flags = 0 if term.isupper() or any(c.isdigit() for c in term) else re.IGNORECASE
        for match in re.finditer(r"\b" + re.escape(term) + r"\b", text, flags):
            before = text[max(0, match.start() - 12) : match.start()].lower()
            assert re.search(r"called (the |a )?$", before), f"{slug}: unexplained {term!r}"


# --- the letter of issue ---------------------------------------------------------------------


def test_letter_of_issue_shows_only_the_recipients_address_and_children(built):
    case = sample(built, "letter-of-issue")  # to Jason Price, who holds PR for Mia only
    text = text_of(built, "letter-of-issue", case)
    assert "Flat 2, 7 Station Road, Southby, SB2 9QT" in text
    for other in case["family_members"]:
        if other["id"] != "P3":
            assert other["address"] not in text
    assert "Mia Carter" in text and "Leo Carter" not in text
    case["document"]["recipient_id"] = "P1"  # Danielle: both children
    text = text_of(built, "letter-of-issue", case)
    assert "Dear Danielle Carter," in text and "Mia Carter and Leo Carter" in text
    assert "14 Willow Close" in text and "Station Road" not in text


def test_letter_of_issue_leaves_out_a_withheld_address(built):
    case = sample(built, "letter-of-issue")
    jason = next(m for m in case["family_members"] if m["id"] == "P3")
    jason["address_withheld"] = True
    text = text_of(built, "letter-of-issue", case)
    assert "Station Road" not in text and "Willow Close" not in text
    assert "To: Jason Price" in text


def test_letter_of_issue_says_legal_aid_is_free_and_not_means_tested(built):
    text = text_of(built, "letter-of-issue")
    assert "Legal aid is free for parents in this kind of court case." in text
    assert "It is not means-tested: it does not matter how much money you earn or have." in text


def test_letter_of_issue_keeps_a_childs_words_unless_shared_with_the_recipient(built):
    case = sample(built, "letter-of-issue")
    text = text_of(built, "letter-of-issue", case)
    voice = next(
        v for v in case["child_voice"] if v["child_id"] == "C1" and "court" in v["share_with"]
    )
    words = voice["own_words"]  # Mia shared these with the conference and court, not her dad
    assert words not in text
    assert "Mia's views were heard and shared with the conference and the court." in text
    voice["share_with"].append("P3")  # now Mia agreed her dad may read them
    text = text_of(built, "letter-of-issue", case)
    assert words in text and f"Mia Carter was seen on {long_date(voice['date'])}" in text


def test_letter_of_issue_offers_an_interpreter(built):
    case = sample(built, "letter-of-issue")
    jason = next(m for m in case["family_members"] if m["id"] == "P3")
    jason.update(needs_interpreter=True, interpreter_language="Polish")
    text = text_of(built, "letter-of-issue", case)
    assert "We will give you an interpreter who speaks Polish." in text
    assert case["authority"]["interpreting"]["name"] in text


def test_letter_of_issue_before_the_application_is_sent(built):
    case = sample(built, "letter-of-issue")
    case["court"]["application_date"] = "2027-02-20"
    assert case["document"]["date"] < "2027-02-20"
    del case["court"]["first_hearing_date"]
    text = text_of(built, "letter-of-issue", case)
    assert f"We will send our application to {case['court']['court']} on 20 February 2027" in text
    assert "The court will tell you the date of the first hearing." in text


# --- the families' guide to the PLO ----------------------------------------------------------


def test_plo_guide_has_the_family_rights_group_line(built):
    text = text_of(built, "plo-guide-for-families")
    assert "Family Rights Group advice line: 0808 801 0366. The call is free." in text
    assert "https://frg.org.uk" in text


def test_plo_guide_uses_the_authoritys_own_family_rights_group_contact(built):
    case = sample(built, "plo-guide-for-families")
    case["authority"]["family_rights_group"] = {
        "name": "Family Rights Group advice line",
        "phone": "0808 801 0366",
        "how": "Open Monday to Friday. Calls are free.",
    }
    text = text_of(built, "plo-guide-for-families", case)
    assert "Free advice: Family Rights Group advice line, phone 0808 801 0366" in text
    assert "Open Monday to Friday. Calls are free." in text


def test_plo_guide_follows_the_authoritys_timetable(built):
    case = sample(built, "plo-guide-for-families")
    case["plo"]["timetable_weeks"] = 12
    assert "up to 12 weeks" in text_of(built, "plo-guide-for-families", case)


# --- the early help plan ---------------------------------------------------------------------


def test_early_help_plan_shows_consent_and_review_date(built):
    eh = sample(built, "early-help-plan")["early_help"]
    text = text_of(built, "early-help-plan")
    assert f"You agreed to have early help on {long_date(eh['consent_date'])}." in text
    assert "You can change your mind at any time." in text
    assert f"We will meet to look at this plan again on {long_date(eh['review_date'])}." in text


def test_early_help_plan_without_consent_says_so(built):
    case = sample(built, "early-help-plan")
    case["early_help"]["consent_given"] = False
    del case["early_help"]["review_date"]
    text = text_of(built, "early-help-plan", case)
    assert "You have not agreed to early help yet." in text
    assert "You agreed" not in text
    assert "We will agree a date to look at this plan again." in text


def test_early_help_plan_leaves_out_words_not_shared_with_the_family(built):
    case = sample(built, "early-help-plan")
    words = case["child_voice"][0]["own_words"]
    assert words in text_of(built, "early-help-plan", case)
    case["child_voice"][0]["share_with"] = ["professionals"]
    text = text_of(built, "early-help-plan", case)
    assert words not in text
    assert "Mia's views were heard" in text


# --- the supervision mapping record ----------------------------------------------------------


def test_supervision_record_has_the_mapping_in_three_columns(built):
    document = render(built, "supervision-mapping-record")
    mapping = [t for t in document.tables if len(t.columns) == 3]
    assert len(mapping) == 1
    table = mapping[0]
    headers = [c.text for c in table.rows[0].cells]
    assert headers == [
        "What are we worried about?",
        "What's working well?",
        "What needs to happen?",
    ]
    sv = sample(built, "supervision-mapping-record")["supervision"]
    for cell, key in zip(
        table.rows[1].cells, ("worries", "working_well", "needs_to_happen"), strict=True
    ):
        assert [p.text for p in cell.paragraphs] == sv[key]
        assert {p.style.name for p in cell.paragraphs} == {"List Bullet"}
    header_row = table.rows[0]._tr.trPr
    assert header_row is not None and header_row.find(qn("w:tblHeader")) is not None


def test_supervision_record_shows_an_empty_column_in_words(built):
    case = sample(built, "supervision-mapping-record")
    del case["supervision"]["working_well"]
    document = render(built, "supervision-mapping-record", case)
    table = next(t for t in document.tables if len(t.columns) == 3)
    assert table.rows[1].cells[1].text == "Nothing recorded."


def test_supervision_record_prints_a_score_of_zero(built):
    case = sample(built, "supervision-mapping-record")
    case["supervision"]["scale"]["score"] = 0
    assert "0 out of 10" in text_of(built, "supervision-mapping-record", case)


def test_supervision_record_holds_no_childs_words(built):
    case = sample(built, "supervision-mapping-record")
    case["child_voice"] = [
        {"child_id": "C1", "own_words": "MIA-WORDS", "share_with": ["professionals"]}
    ]
    document = render(built, "supervision-mapping-record", case)
    assert "MIA-WORDS" not in all_text(document)
    headings = [t for _, style, t in body_blocks(document) if style and style.startswith("Head")]
    assert not any("views" in h or "told us" in h for h in headings)
