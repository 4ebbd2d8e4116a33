"""Search fixtures: documents with known words in two authorities; one contract, two engines.

The modules in ENGINE_CONTRACT test search only through the service, the pages and the API,
so each of their tests runs on both engines: Whoosh, and PostgreSQL full-text search.
"""

import pytest

ENGINE_CONTRACT = {"test_service", "test_web_api", "test_did_you_mean", "test_judged_queries"}


def pytest_generate_tests(metafunc):
    """Run each test of the contract modules on both search engines."""
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if module in ENGINE_CONTRACT and "app" in metafunc.fixturenames:
        metafunc.parametrize(
            "app",
            [{"SEARCH_ENGINE": "whoosh"}, {"SEARCH_ENGINE": "postgres"}],
            indirect=True,
            ids=["whoosh", "postgres"],
        )


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
