"""A small template library in a tmp folder, so generation tests do not depend on the real one."""

import json

import pytest
from docx_builder import make_docx

CASE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:clearinghouse:case",
    "$defs": {
        "text": {"type": "string", "minLength": 1, "maxLength": 5000},
        "short_text": {"type": "string", "minLength": 1, "maxLength": 200},
        "date": {"type": "string", "format": "date"},
        "id": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"},
        "document": {
            "type": "object",
            "properties": {
                "date": {"$ref": "#/$defs/date", "title": "Date of the document"},
                "meeting_id": {"$ref": "#/$defs/id", "title": "The meeting"},
            },
            "additionalProperties": False,
        },
        "child": {
            "type": "object",
            "required": ["id", "name"],
            "properties": {
                "id": {"$ref": "#/$defs/id"},
                "name": {"$ref": "#/$defs/short_text", "title": "Child's name"},
                "date_of_birth": {"$ref": "#/$defs/date", "title": "Date of birth"},
                "seen_alone": {"type": "boolean", "title": "Seen alone"},
            },
            "additionalProperties": False,
        },
        "danger_statement": {
            "type": "object",
            "required": ["id", "worried_about"],
            "properties": {
                "id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$"},
                "worried_about": {"$ref": "#/$defs/text", "title": "What we are worried about"},
                "examples": {"type": "array", "items": {"$ref": "#/$defs/text"}},
            },
        },
        "safety_goal": {
            "type": "object",
            "required": ["danger_statement_id", "parents_will"],
            "properties": {
                "danger_statement_id": {"type": "string"},
                "parents_will": {"$ref": "#/$defs/text", "title": "What the parents will do"},
            },
        },
        "scale": {
            "type": "object",
            "required": ["rater", "score"],
            "properties": {
                "danger_statement_id": {"type": "string"},
                "rater": {"$ref": "#/$defs/short_text", "title": "Who rated"},
                "score": {"type": "integer", "minimum": 0, "maximum": 10, "title": "Score"},
                "reason": {"$ref": "#/$defs/text", "title": "Reason"},
            },
        },
        "next_step": {
            "type": "object",
            "required": ["action"],
            "properties": {
                "action": {"$ref": "#/$defs/text"},
                "who": {"$ref": "#/$defs/short_text"},
                "by_when": {"$ref": "#/$defs/date"},
            },
        },
        "voice": {
            "type": "object",
            "required": ["child_id"],
            "properties": {
                "child_id": {"$ref": "#/$defs/id", "title": "Child"},
                "worries": {"type": "array", "items": {"$ref": "#/$defs/text"}},
                "share_with": {"type": "array", "items": {"type": "string"}},
            },
        },
        "meeting": {
            "type": "object",
            "required": ["id", "type", "date"],
            "properties": {
                "id": {"$ref": "#/$defs/id"},
                "type": {"enum": ["pre_proceedings", "family_network"], "title": "Type"},
                "date": {"$ref": "#/$defs/date", "title": "Meeting date"},
                "how": {"enum": ["in person", "video", "phone"], "title": "How"},
            },
        },
    },
}


def _array(ref: str, **extra) -> dict:
    return {"type": "array", "items": {"$ref": f"urn:clearinghouse:case#/$defs/{ref}"}, **extra}


LETTER_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["children", "danger_statements"],
    "properties": {
        "children": _array("child", minItems=1, title="Children"),
        "danger_statements": _array("danger_statement", title="Worries"),
        "safety_goals": _array("safety_goal", title="Safety goals"),
        "scales": _array("scale", title="Scales"),
        "next_steps": _array("next_step", title="Next steps"),
        "child_voice": _array("voice", title="Child's voice"),
        "meetings": _array("meeting", title="Meetings"),
        "document": {"$ref": "urn:clearinghouse:case#/$defs/document", "title": "This document"},
        "case_version": {"const": 2},
    },
}

SAMPLE = {
    "case_version": 2,
    "document": {"date": "2026-11-20", "meeting_id": "M1"},
    "children": [
        {"id": "C1", "name": "Amara Okafor", "date_of_birth": "2018-04-02", "seen_alone": True}
    ],
    "meetings": [{"id": "M1", "type": "pre_proceedings", "date": "2026-12-01", "how": "in person"}],
    "danger_statements": [
        {
            "id": "D1",
            "worried_about": "Adults shouting and hitting at home when Amara is there.",
            "examples": [
                "On 3 May 2026 Amara hid under the table.",
                "Amara told her teacher she is scared when the grown-ups shout at night. "
                "She cannot sleep well before school.",
            ],
        }
    ],
    "safety_goals": [{"danger_statement_id": "D1", "parents_will": "Keep Amara away from fights."}],
    "scales": [{"danger_statement_id": "D1", "rater": "Mum", "score": 4, "reason": "Some calm."}],
    "next_steps": [{"action": "Plan meeting", "who": "Social worker", "by_when": "2026-12-05"}],
    "child_voice": [{"child_id": "C1", "worries": ["Loud voices"], "share_with": ["conference"]}],
}

PARAGRAPHS = [
    "Letter about {% for c in children %}{{ c.name }}{% if not loop.last %}, {% endif %}"
    "{% endfor %}",
    "{%p for d in danger_statements %}",
    "Worry {{ d.id }}: {{ d.worried_about }}",
    "{%p for e in d.examples or [] %}",
    "Example: {{ e }}",
    "{%p endfor %}",
    "{%p endfor %}",
    "{%p for goal in safety_goals or [] %}",
    "Goal: {{ goal.parents_will }}",
    "{%p endfor %}",
    "{%p for s in scales or [] %}",
    "Scale: {{ s.rater }} {{ s.score }}",
    "{%p endfor %}",
    "{%p if meeting and meeting.date %}",
    "Meeting on {{ meeting.date }}",
    "{%p endif %}",
]


def template_docx(paragraphs=PARAGRAPHS) -> bytes:
    """Return a .docx whose paragraphs hold docxtpl tags."""
    return make_docx(paragraphs, heading="Test letter")


def write_template(root, slug, schema, sample, meta, docx=None):
    """Write one library template folder."""
    folder = root / slug
    folder.mkdir(parents=True)
    (folder / "schema.json").write_text(json.dumps(schema))
    (folder / "sample.json").write_text(json.dumps(sample))
    (folder / "meta.json").write_text(json.dumps(meta))
    (folder / "template.docx").write_bytes(docx or template_docx())
    return folder


@pytest.fixture
def library_root(tmp_path):
    """Build a two-template library: a family letter and a professional report."""
    root = tmp_path / "library"
    (root / "schemas").mkdir(parents=True)
    (root / "schemas" / "case.schema.json").write_text(json.dumps(CASE_SCHEMA))
    write_template(
        root,
        "test-letter",
        LETTER_SCHEMA,
        SAMPLE,
        {
            "title": "Test letter for the family",
            "doc_type": "plo-letter-before-proceedings",
            "audience": "family",
            "purpose": "Tell the family about the worries.",
            "version": "1.0",
            "about_child": True,
        },
    )
    write_template(
        root,
        "test-report",
        LETTER_SCHEMA,
        SAMPLE,
        {
            "title": "Test conference report",
            "doc_type": "cp-conference-report",
            "audience": "professional",
            "purpose": "Report to conference.",
            "version": "2.1",
            "about_child": True,
        },
    )
    (root / "packs").mkdir()
    pack = {
        "title": "Test pack",
        "description": "The conference report and the letter.",
        "items": [{"template": "test-report", "per": None}, {"template": "test-letter"}],
    }
    (root / "packs" / "test-pack.json").write_text(json.dumps(pack))
    return root


@pytest.fixture
def gen_app(app, library_root):
    """Return the app using the tmp library."""
    app.config["CLEARINGHOUSE"]["TEMPLATES_LIBRARY_PATH"] = str(library_root)
    return app


def sample_case() -> dict:
    """Return a fresh copy of the fixture sample."""
    return json.loads(json.dumps(SAMPLE))
