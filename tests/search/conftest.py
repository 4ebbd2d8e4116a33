"""Search fixtures: documents with known words in two authorities."""

import pytest


@pytest.fixture
def corpus(users, make_document):
    """Upload shared and internal documents in north and south; return their ids by name."""

    def md(title, text):
        return f"# {title}\n\n{text}\n".encode()

    made = {}
    specs = [
        (
            "north_shared",
            "editor",
            "Danger statements guidance",
            "shared",
            "practice-guidance",
            "Write each danger statement in plain language. The safety goal answers it.",
        ),
        (
            "north_internal",
            "editor",
            "Northshire supervision policy",
            "internal",
            "supervision",
            "Reflective supervision with the zanzibar escalation route for managers.",
        ),
        (
            "south_shared",
            "south_editor",
            "Letter before proceedings template",
            "shared",
            "plo-letter-before-proceedings",
            "PLEASE DO NOT IGNORE THIS LETTER. Take it to a solicitor now. Legal help is free.",
        ),
        (
            "south_internal",
            "south_editor",
            "Southborough secret escalation",
            "internal",
            "procedure",
            "The quokkaroute escalation for danger statements stays internal to Southborough.",
        ),
    ]
    for name, editor, title, visibility, doc_type, text in specs:
        version = make_document(
            users[editor],
            title=title,
            doc_type=doc_type,
            visibility=visibility,
            data=md(title, text),
            filename="doc.md",
        )
        made[name] = version.document_id
    return made
