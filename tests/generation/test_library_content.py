"""The built-in template library: folders, schemas, samples and what each template renders.

Renders each template as the service does, through the projection (case_view.document_view,
with the template's shares_as and recipient), then with plain docxtpl in a sandbox with
autoescape and the renderer's three filters (see library_support.py), so these tests check the
library's content, not the generation service.
"""

import io
import json
import re
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from docx import Document
from docx.oxml.ns import qn
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from clearinghouse.vocabulary import DOC_TYPES

from .library_support import LIBRARY, all_text, context_for, load, long_date, render

CASE_ID = "urn:clearinghouse:case"
FOLDERS = sorted(p for p in LIBRARY.iterdir() if p.is_dir() and (p / "meta.json").exists())
SLUGS = [p.name for p in FOLDERS]
REQUIRED_SLUGS = {
    "plo-letter-before-proceedings": "plo-letter-before-proceedings",
    "plo-planning-meeting-record": "plo-planning-meeting-report",
    "cp-conference-report": "cp-conference-report",
    "cp-conference-summary-family": "cp-conference-summary-family",
    "single-assessment": "single-assessment",
    "family-network-meeting-record": "family-network-meeting",
    "safety-plan": "safety-plan",
    "multi-agency-referral": "multi-agency-referral-form",
    "agency-report-to-conference": "agency-report-to-conference",
    "family-feedback-form": "family-feedback-form",
}
STRAY = re.compile(r"\(\s*\)|\s[,.;:]|,,|\.\.(?!\.)|,\s*\.|:\s*[,.]|^\s*[,.;:–-]|[,;–-]\s*$")
GREETING = re.compile(r"^(Dear .+|Yours sincerely),$")
ALLOWED_STYLES = {"Normal", "List Bullet", "List Number"} | {f"Heading {n}" for n in range(1, 5)}
SHARE_CODES = {
    "conference",
    "court",
    "professionals",
    "network",
    "parents",
}  # parents: every person with parental responsibility
META_KEYS = {
    "title", "doc_type", "audience", "purpose", "version", "about_child", "shares_as",
    "meeting_types",
}  # fmt: skip


def recipient_of(folder: Path, data: dict) -> str | None:
    """For a letter to one person, the first person with parental responsibility in data."""
    if load(folder, "meta.json").get("recipient") != "pr_holder":
        return None
    chosen = (data.get("document") or {}).get("recipient_id")
    holders = [
        m["id"] for m in data.get("family_members", []) if m.get("parental_responsibility_for")
    ]
    return chosen if chosen in holders else (holders[0] if holders else None)


# --- helpers ---------------------------------------------------------------------------------


@cache
def case_schema() -> dict:
    return json.loads((LIBRARY / "schemas" / "case.schema.json").read_text(encoding="utf-8"))


def validator(schema: dict) -> jsonschema.Draft202012Validator:
    resource = Resource.from_contents(case_schema(), default_specification=DRAFT202012)
    registry = Registry().with_resource(CASE_ID, resource)
    return jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=jsonschema.FormatChecker()
    )


def resolve(schema: dict) -> dict:
    """Merge a schema with its $ref target (one level per call; sibling keywords win)."""
    while "$ref" in schema:
        target = schema["$ref"]
        pointer = target.split("#", 1)[1] if "#" in target else ""
        node = case_schema()
        for part in [p for p in pointer.split("/") if p]:
            node = node[part]
        merged = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
        if "required" in node and "required" in schema:
            merged["required"] = sorted(set(node["required"]) | set(schema["required"]))
        if "properties" in node and "properties" in schema:
            props = dict(node["properties"])
            for key, sub in schema["properties"].items():
                props[key] = {**resolve(props[key]), **sub} if key in props else sub
            merged["properties"] = props
        schema = merged
    return schema


def item_schema(schema: dict) -> dict:
    """Return an array's item schema, also requiring what its `contains` requires."""
    items = dict(resolve(schema.get("items", {})))
    contains = schema.get("contains", {})
    items["required"] = sorted(set(items.get("required", [])) | set(contains.get("required", [])))
    return items


def minimal(schema: dict, data):
    """Keep only what the schema requires (arrays keep their minimum number of items)."""
    schema = resolve(schema)
    if isinstance(data, dict):
        keep = set(schema.get("required", []))
        props = schema.get("properties", {})
        return {k: minimal(props.get(k, {}), v) for k, v in data.items() if k in keep}
    if isinstance(data, list):
        return [minimal(item_schema(schema), v) for v in data[: schema.get("minItems", 0)]]
    return data


def linking(key: str) -> bool:
    """Keys that tie parts together or say what kind a part is (required only conditionally)."""
    return key in ("id", "about", "type") or key.endswith(("_id", "_ids"))


def bare(schema: dict, data):
    """Keep every list, object and link but drop each optional text, date, number or yes/no."""
    schema = resolve(schema)
    if isinstance(data, dict):
        keep = set(schema.get("required", [])) | {k for k in data if linking(k)}
        for alternative in schema.get("anyOf", [])[:1]:  # keep what the first choice requires
            keep |= set(alternative.get("required", []))
        props = schema.get("properties", {})
        return {
            k: bare(props.get(k, {}), v)
            for k, v in data.items()
            if k in keep or isinstance(v, dict | list)
        }
    if isinstance(data, list):
        return [bare(item_schema(schema), v) for v in data]
    return data


def is_part_of(part, whole) -> bool:
    """Return whether part is whole with some object keys and list items left out."""
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(
            k in whole and is_part_of(v, whole[k]) for k, v in part.items()
        )
    if isinstance(part, list):
        return isinstance(whole, list) and all(any(is_part_of(p, w) for w in whole) for p in part)
    return part == whole


def body_blocks(document: Document):
    """Yield ('p', style, text) and ('tbl', None, '') in body order."""
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            style = child.find(qn("w:pPr") + "/" + qn("w:pStyle"))
            style_id = style.get(qn("w:val")) if style is not None else None
            name = document.styles.get_by_id(style_id, 1).name if style_id else "Normal"
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            yield "p", name, text
        elif child.tag == qn("w:tbl"):
            yield "tbl", None, ""


def assert_clean(document: Document, slug: str):
    """No None, no template syntax, no empty headings or bullets, no stray punctuation."""
    text = all_text(document)
    assert "None" not in text, slug
    assert "{{" not in text and "{%" not in text and "}}" not in text, slug
    blocks = list(body_blocks(document))
    for i, (kind, style, line) in enumerate(blocks):
        if kind != "p":
            continue
        if style.startswith("Heading") or style.startswith("List"):
            assert line.strip(), f"{slug}: empty {style} paragraph"
        assert GREETING.match(line) or not STRAY.search(line), f"{slug}: stray punctuation {line!r}"
        if style.startswith("Heading"):
            level = int(style.split()[-1])
            rest = [b for b in blocks[i + 1 :] if b[0] == "tbl" or b[2].strip()]
            assert rest, f"{slug}: heading {line!r} ends the document"
            nxt = rest[0]
            if nxt[0] == "p" and nxt[1].startswith("Heading"):
                assert int(nxt[1].split()[-1]) > level, f"{slug}: empty section {line!r}"
        if line.rstrip().endswith(":"):
            rest = [b for b in blocks[i + 1 :] if b[0] == "tbl" or b[2].strip()]
            assert rest and (rest[0][0] == "tbl" or rest[0][1].startswith("List")), (
                f"{slug}: label without a value {line!r}"
            )
    for table in document.tables:
        assert len(table.rows) > 1, f"{slug}: a table with only its header row"
        for row in table.rows:
            for cell in row.cells:
                assert not STRAY.search(cell.text), f"{slug}: stray punctuation {cell.text!r}"


# --- tests -----------------------------------------------------------------------------------


def test_the_library_has_every_required_template():
    for slug, doc_type in REQUIRED_SLUGS.items():
        assert slug in SLUGS
        assert load(LIBRARY / slug, "meta.json")["doc_type"] == doc_type


@pytest.mark.parametrize("folder", FOLDERS, ids=SLUGS)
def test_folder_has_four_files_and_valid_meta(folder):
    for name in ("template.docx", "schema.json", "sample.json", "meta.json"):
        assert (folder / name).is_file(), name
    meta = load(folder, "meta.json")
    assert META_KEYS <= set(meta) <= META_KEYS | {"recipient", "meeting_role"}
    assert meta["doc_type"] in {slug for slug, _, _ in DOC_TYPES}
    assert meta["audience"] in ("professional", "family")
    assert meta["title"].strip() and meta["purpose"].strip().endswith(".")
    assert re.fullmatch(r"\d+(\.\d+)+", meta["version"])
    assert isinstance(meta["about_child"], bool)
    assert set(meta["shares_as"]) <= SHARE_CODES
    meeting_types = resolve({"$ref": CASE_ID + "#/$defs/meeting"})["properties"]["type"]["enum"]
    assert set(meta["meeting_types"]) <= set(meeting_types)
    assert meta.get("recipient") in (None, "pr_holder")
    assert meta.get("meeting_role") in (None, "records", "announces", "reports_to")


def test_case_schema_is_valid_and_the_shared_case_fills_it():
    jsonschema.Draft202012Validator.check_schema(case_schema())
    assert case_schema()["$id"] == CASE_ID
    sample = load(LIBRARY / "schemas", "sample_case.json")
    assert not list(validator(case_schema()).iter_errors(sample))
    assert set(sample) == set(case_schema()["properties"])  # the shared case fills every part


@pytest.mark.parametrize("folder", FOLDERS, ids=SLUGS)
def test_schema_is_valid_and_the_sample_matches_it(folder):
    schema, sample = load(folder, "schema.json"), load(folder, "sample.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [f"{e.json_path}: {e.message}" for e in validator(schema).iter_errors(sample)]
    assert not errors
    shared = load(LIBRARY / "schemas", "sample_case.json")
    assert sample["case_version"] == 2 and sample["document"]["date"]
    assert is_part_of({k: v for k, v in sample.items() if k != "document"}, shared)
    assert not list(validator(schema).iter_errors(shared))  # the one case fills every template
    for name, sub in schema["properties"].items():
        if name == "case_version":
            assert sub == {"$ref": CASE_ID + "#/properties/case_version"}
            continue
        assert sub["$ref"].startswith(CASE_ID + "#/$defs/")
        # The web form merges a $ref with its siblings shallowly: never override these.
        target = resolve({"$ref": sub["$ref"]})
        assert "properties" not in sub and "items" not in sub
        assert "required" not in sub or "required" not in target


def test_a_schema_refuses_bad_case_data():
    schema = load(LIBRARY / "plo-letter-before-proceedings", "schema.json")
    sample = load(LIBRARY / "plo-letter-before-proceedings", "sample.json")
    sample["children"][0]["date_of_birth"] = "14/06/2017"
    sample["scales"] = [{"rater": "A", "score": 11}]
    del sample["meetings"][0]["date"]
    paths = {e.json_path for e in validator(schema).iter_errors(sample)}
    assert {"$.children[0].date_of_birth", "$.meetings[0]"} <= paths


@pytest.mark.parametrize("folder", FOLDERS, ids=SLUGS)
def test_template_renders_its_sample(folder):
    sample = load(folder, "sample.json")
    context = context_for(folder, sample, recipient_of(folder, sample))
    document = render(folder, sample, recipient_of(folder, sample))
    text = all_text(document)
    for child in context.get("children", []):
        assert child["name"] in text or child.get("known_as") in text
    for danger in context.get("danger_statements", []):
        assert danger["worried_about"] in text
        for goal in danger["goals"]:
            assert goal["parents_will"] in text
    assert sample["authority"]["name"] in text
    assert_clean(document, folder.name)
    assert document.core_properties.title == load(folder, "meta.json")["title"]


def with_recipient(folder: Path, data: dict) -> str | None:
    """Give a letter's reduced data one person with parental responsibility; return their id."""
    if load(folder, "meta.json").get("recipient") != "pr_holder":
        return None
    member = data["family_members"][0]
    member.setdefault("parental_responsibility_for", [data["children"][0]["id"]])
    return recipient_of(folder, data)


@pytest.mark.parametrize("folder", FOLDERS, ids=SLUGS)
def test_minimal_data_leaves_no_gaps(folder):
    schema = load(folder, "schema.json")
    data = minimal(schema, load(folder, "sample.json"))
    assert not list(validator(schema).iter_errors(data))
    document = render(folder, data, with_recipient(folder, data))
    assert_clean(document, folder.name)


@pytest.mark.parametrize("folder", FOLDERS, ids=SLUGS)
def test_optional_details_left_out_leave_no_gaps(folder):
    schema = load(folder, "schema.json")
    shared = load(LIBRARY / "schemas", "sample_case.json")
    data = bare(schema, {k: v for k, v in shared.items() if k in schema["properties"]})
    assert not list(validator(schema).iter_errors(data))
    assert_clean(render(folder, data, with_recipient(folder, data)), folder.name)


@pytest.mark.parametrize("folder", FOLDERS, ids=SLUGS)
def test_template_is_well_formed_word(folder):
    document = Document(folder / "template.docx")
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2"} <= styles
    assert styles <= ALLOWED_STYLES
    assert not any("  " in p.text or "\t" in p.text for p in document.paragraphs)
    assert document.core_properties.title
    for table in document.tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
    footer = document.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer
    langs = {el.get(qn("w:val")) for el in document.styles.element.iter(qn("w:lang"))}
    assert langs == {"en-GB"}


def test_mapping_comes_in_the_frameworks_order_with_goals_beside_worries():
    folder = LIBRARY / "cp-conference-report"
    sample = load(folder, "sample.json")
    headings = [t for kind, s, t in body_blocks(render(folder, sample)) if s == "Heading 2"]
    order = ["What are we worried about?", "What's working well?", "What needs to happen?"]
    assert [h for h in headings if h in order + ["Scaling"]] == order + ["Scaling"]
    lines = [t for _, _, t in body_blocks(render(folder, sample))]
    for danger in context_for(folder, sample)["danger_statements"]:
        at = lines.index("Danger statement: " + danger["worried_about"])
        end = next(
            (n for n in range(at + 1, len(lines)) if lines[n].startswith("Danger statement: ")),
            len(lines),
        )
        nearby = "\n".join(lines[at:end])
        for goal in danger["goals"]:
            assert goal["parents_will"] in nearby
        for rating in danger["scales"]:
            assert rating["reason"] in nearby and rating["question"] in nearby


FAMILY = [f for f in FOLDERS if load(f, "meta.json")["audience"] == "family"]
JARGON = Path(__file__).resolve().parents[2] / "clearinghouse" / "generation" / "jargon.json"


def reading_age(text: str) -> float:
    """Flesch-Kincaid grade + 5, each paragraph counted as at least one sentence."""
    words = re.findall(r"[A-Za-z]+(?:'[a-z]+)?", text)
    sentences = max(1, len(re.findall(r"[.!?:]+(?:\s|$)", text)))
    syllables = sum(max(1, len(re.findall(r"[aeiouy]+", w.lower()))) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59 + 5


@pytest.mark.parametrize("folder", FAMILY, ids=[f.name for f in FAMILY])
def test_family_documents_are_plain(folder):
    sample = load(folder, "sample.json")
    document = render(folder, sample, recipient_of(folder, sample))
    lines = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    text = " ".join(line if line[-1] in ".?!:" else line + "." for line in lines)
    assert reading_age(text) <= 12, folder.name
    for entry in json.loads(JARGON.read_text(encoding="utf-8"))["terms"]:
        term = entry["term"]
        flags = 0 if term.isupper() or any(c.isdigit() for c in term) else re.IGNORECASE
        for match in re.finditer(r"\b" + re.escape(term) + r"\b", text, flags):
            before = text[max(0, match.start() - 12) : match.start()].lower()
            explained = re.search(r"called (the |a )?$", before)
            assert explained, f"{folder.name}: unexplained {term!r}"


def test_plo_letter_says_what_the_law_requires():
    folder = LIBRARY / "plo-letter-before-proceedings"
    sample = load(folder, "sample.json")
    text = all_text(render(folder, sample))
    assert "PLEASE DO NOT IGNORE THIS LETTER – TAKE IT TO A SOLICITOR NOW" in text
    assert "Please take this letter to a solicitor now." in text
    assert "free whatever your income" in text
    assert "You can bring your solicitor to the meeting." in text
    assert "family court" in text and "live somewhere else" not in text  # the sample's own words
    assert sample["plo"]["what_could_happen"] in text
    meeting = next(m for m in sample["meetings"] if m["id"] == sample["document"]["meeting_id"])
    assert f"{long_date(meeting['date'])} at {meeting['time']}" in text
    assert meeting["place"] in text
    for solicitor in sample["authority"]["solicitors"]:
        assert solicitor["firm"] in text  # "Lim & Co" comes out as typed
    assert sample["authority"]["legal_services"]["phone"] in text
    assert sample["worker"]["phone"] in text
    assert "family network meeting or a meeting called a family group conference" in text
    assert "30 May 2026" in text  # worries with dates
    for offer in sample["plo"]["support_offered"]:
        assert offer["what"] in text and offer["why"] in text


def test_conference_report_handles_initial_and_review():
    folder = LIBRARY / "cp-conference-report"
    sample = load(folder, "sample.json")
    text = all_text(render(folder, sample))
    assert "Initial child protection conference report" in text
    review = load(LIBRARY / "cp-conference-summary-family", "sample.json")
    text = all_text(render(folder, review))
    assert "Review child protection conference report" in text
    assert "Emotional abuse" in text or "emotional abuse" in text


def test_child_not_yet_seen_is_shown_as_a_gap():
    folder = LIBRARY / "cp-conference-report"
    sample = load(folder, "sample.json")
    sample["children"][1].pop("seen")
    text = all_text(render(folder, sample))
    first_seen = sample["children"][0]["seen"][0]["date"]
    assert "Not yet seen" in text and long_date(first_seen) in text


def test_case_text_comes_out_as_typed():
    folder = LIBRARY / "safety-plan"
    sample = load(folder, "sample.json")
    sample["safety_plan"]["rules"][0]["rule"] = "Tom & Jerry <w:p> {{ 7*7 }} isn't 49"
    text = all_text(render(folder, sample))
    assert "Tom & Jerry <w:p> {{ 7*7 }} isn't 49" in text


def test_unborn_baby_and_a_score_of_zero():
    folder = LIBRARY / "multi-agency-referral"
    sample = load(folder, "sample.json")
    sample["children"].append(
        {"id": "C9", "name": "Unborn baby Carter", "expected_date_of_delivery": "2027-03-01"}
    )
    text = all_text(render(folder, sample))
    assert "Expected 1 March 2027" in text
    folder = LIBRARY / "cp-conference-summary-family"
    sample = load(folder, "sample.json")
    scale = next(s for s in sample["scales"] if s.get("about") == "danger_statement")
    scale["score"] = 0
    assert f"Score from {scale['rater']}" in all_text(render(folder, sample))
    assert ": 0 out of 10" in all_text(render(folder, sample))


# The quality warnings a sample is meant to show, each with its reason; any other warning from a
# sample is a fault in the sample (or in a check). Jason Price (family_members[2]) holds parental
# responsibility for Mia and needs Polish: every family document he receives must be translated
# or explained to him, and the service must say so.
JASON_NEEDS_POLISH = ("interpreter_needed", "/family_members/2")
MEANT_WARNINGS = {
    "letter-of-issue": {JASON_NEEDS_POLISH},  # the sample letter goes to Jason
    "cp-conference-summary-family": {JASON_NEEDS_POLISH},  # read by every parent with PR
    "family-network-meeting-record": {JASON_NEEDS_POLISH},  # Jason is in the network
    "safety-plan": {JASON_NEEDS_POLISH},  # Jason makes sure of one of its rules
    "words-and-pictures": {JASON_NEEDS_POLISH},  # the parents agree the story before Mia hears it
}


def test_every_sample_goes_through_the_web_form_and_the_service(app, users):
    from werkzeug.datastructures import MultiDict

    from clearinghouse.generation import library, service
    from clearinghouse.generation.schema_form import SchemaForm

    from .helpers import form_fields

    lib = library.library_get()
    warnings = {}
    for slug in SLUGS:
        entry = lib.entries[slug]
        form = SchemaForm(entry.schema, lib.registry)
        posted = form.data(MultiDict(form_fields(form.fields(entry.sample))))
        assert posted == entry.sample, slug  # the form holds every part of the sample
        made = service.document_generate(users["practitioner"], slug, posted)
        found = {(w["code"], w.get("path")) for w in made.warnings}
        if found != MEANT_WARNINGS.get(slug, set()):
            warnings[slug] = {
                "unexpected": sorted(found - MEANT_WARNINGS.get(slug, set())),
                "missing": sorted(MEANT_WARNINGS.get(slug, set()) - found),
            }
        text = all_text(Document(io.BytesIO(made.content)))
        assert entry.sample["authority"]["name"] in text and "None" not in text
    # The samples pass every check but the ones they are meant to show.
    assert not warnings, json.dumps(warnings, indent=1)
