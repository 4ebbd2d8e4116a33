"""Markdown is rendered once, at upload, and only when its shape keeps the work bounded.

19 KB of "[" once took 48 s on every view, and a list 3,000 levels deep 107 s then a 500.
Pathological shapes are refused at upload with a 4xx saying what to change; the rest render
in work that grows with their size (counted as traced Python lines, not timed).
"""

import io
import sys
from pathlib import Path

import markdown
import nh3
import pytest

from clearinghouse.documents import markdown_html
from clearinghouse.documents.limits import MarkdownLimits, UploadLimits
from clearinghouse.documents.markdown_shape import bracket_scan, check_markdown_shape
from clearinghouse.documents.validate import check_upload
from clearinghouse.errors import InvalidInput

DEFAULT = UploadLimits(20 * 1024 * 1024, 200 * 1024 * 1024, 2000, 100)
POLICIES = Path(__file__).resolve().parents[2] / "policies"
WORK_PER_CHARACTER = 200  # traced lines; "[" x 1,000 alone costs 12,000 a character

REFUSED = {
    "open_square_brackets": ("[" * 20_000, "markdown_too_complex"),
    "open_link_parentheses": ("[](" * 5_000, "markdown_too_complex"),
    "open_images": ("![" * 10_000, "markdown_too_complex"),
    "emphasis_and_brackets": ("*[" * 10_000, "markdown_too_complex"),
    "backticks_and_brackets": ("[`" * 10_000, "markdown_too_complex"),
    "references": ("[a][" * 5_000, "markdown_too_complex"),
    "nested_brackets": ("[" * 10_000 + "]" * 10_000, "markdown_too_complex"),
    "quoted_link_titles": ("[a](x ')" * 2_500, "markdown_too_complex"),
    "open_cdata": ("<![>" * 5_000, "markdown_too_complex"),
    "open_tags": ("x<y " * 5_000, "markdown_too_complex"),
    "open_quoted_attributes": ("<a b='\n\n" * 2_500, "markdown_too_complex"),
    "deep_html": ("<div>" * 20_000, "markdown_too_complex"),
    "list_3000_deep": ("- " * 3_000 + "a\n", "markdown_too_complex"),
    "numbered_list_3000_deep": ("1. " * 3_000 + "a\n", "markdown_too_complex"),
    "indented_list_300_deep": ("".join(" " * 4 * i + "- a\n" for i in range(300)), None),
    "quote_3000_deep": ("".join(">" * i + " a\n" for i in range(1, 3_001)), None),
    "quote_3000_deep_one_line": (">" * 3_000 + " a\n", "markdown_too_complex"),
    "setext_headings_in_one_paragraph": ("a\n---\n" * 3_000, "markdown_too_complex"),
    "formatting_in_one_paragraph": ("*a" * 80_000, "markdown_too_complex"),
    "entities_in_one_paragraph": ("&amp;" * 40_000, "markdown_too_complex"),
    "too_many_lines": ("a\n\n" * 15_001, "markdown_too_complex"),
    "too_large": ("a" * (1024 * 1024 + 1), "file_too_large"),
}

ACCEPTED = {
    "asterisks": "*" * 20_000,
    "underscores": "_" * 20_000,
    "angle_brackets": "<" * 20_000,
    "backticks": "`" * 20_000,
    "parentheses": "(" * 20_000,
    "closed_links": "[x](y) " * 3_000,
    "escaped_brackets": "\\[" * 10_000,
}


def _work(function, *args) -> int:
    """Return how many Python lines, calls and returns function runs: work, not time."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += 1
        return tracer

    sys.settrace(tracer)
    try:
        function(*args)
    finally:
        sys.settrace(None)
    return count


def _old_render(text: str) -> str:
    """Render exactly as reading.version_html did on every view before issue 10."""
    rendered = markdown.markdown(text, extensions=["tables", "sane_lists"])
    return nh3.clean(
        rendered,
        tags=markdown_html.ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_pathological_markdown_is_refused_at_upload(name):
    text, code = REFUSED[name]
    code = code or "markdown_too_complex"
    with pytest.raises(InvalidInput) as refused:
        check_upload(text.encode(), "policy.md", DEFAULT)
    assert refused.value.code in {code, "file_too_large"}
    assert 400 <= refused.value.status < 500
    assert refused.value.details == [{"path": "file", "message": refused.value.message}]
    assert "Markdown" in refused.value.message and len(refused.value.message) < 260


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_other_long_runs_render_in_bounded_work(name):
    text = ACCEPTED[name]
    check_upload(text.encode(), "policy.md", DEFAULT)
    assert _work(markdown_html.markdown_to_html, text) < WORK_PER_CHARACTER * len(text)


def test_the_work_measure_sees_the_quadratic_shape():
    text = "[" * 1_000
    assert _work(markdown_html.markdown_to_html, text) > WORK_PER_CHARACTER * 10 * len(text)


def test_messages_say_the_limit_and_where():
    def message(text: str) -> str:
        with pytest.raises(InvalidInput) as refused:
            check_markdown_shape(text, MarkdownLimits.from_settings())
        return refused.value.message

    assert "more than 20 levels deep (line 3)" in message("# T\n\n" + "> " * 21 + "a\n")
    assert "the first on line 3" in message("# T\n\n" + "[" * 2_000)
    assert "more than 1,000 lines without a blank line (from line 3)" in message(
        "# T\n\n" + "a\n" * 1_001
    )
    assert "more than 1,000 HTML tags" in message("<br>" * 1_001)
    assert "too long for all its formatting" in message("# T\n\n" + "\\*" * 60_000)
    assert "more than 30,000 lines" in message("\n" * 30_000)


def test_limits_ordinary_policies_never_reach_are_settings():
    limits = MarkdownLimits.from_settings({"MARKDOWN_MAX_DEPTH": 2})
    with pytest.raises(InvalidInput):
        check_markdown_shape("- a\n    - b\n        - c\n", limits)
    check_markdown_shape("- a\n    - b\n        - c\n", MarkdownLimits.from_settings())
    assert UploadLimits.from_settings({"MARKDOWN_MAX_KB": 2}).markdown.max_bytes == 2048


def test_bracket_scan_counts_what_link_parsing_scans():
    assert bracket_scan("[a](b) and [c](d)") == (2 + 2 + 2 + 2, None)
    assert bracket_scan("see [a") == (2, 4)
    assert bracket_scan("\\[ escaped \\(") == (0, None)
    cost, first = bracket_scan('[a](x "t") then text')
    assert first == 3 and cost >= len('(x "t") then text')


def _ordinary_policy() -> str:
    return (
        "# Supervision policy\n\nSupervision happens **every month**, see "
        '[the guidance](https://example.org/guidance "Guidance") and *Working Together*.\n\n'
        "## Who\n\n- Practitioners\n- Managers\n    - Team managers\n    - Service managers\n"
        "\n1. Book it\n2. Record it\n\n> A quote from the standards.\n\n"
        "| Role | How often |\n|------|-----------|\n| Practitioner | Monthly |\n"
        "| Student | Fortnightly |\n\nCode `x < y` and <br> a break, and a <script>x</script>.\n"
    )


def test_ordinary_policies_render_the_same_html_as_before():
    texts = [_ordinary_policy()] + [p.read_text() for p in sorted(POLICIES.rglob("*.md"))]
    for text in texts:
        check_markdown_shape(text, MarkdownLimits.from_settings())
        assert markdown_html.markdown_to_html(text) == _old_render(text)
    assert "<table>" in markdown_html.markdown_to_html(_ordinary_policy())


def test_viewing_a_version_does_not_render_markdown_again(app, users, login, monkeypatch):
    from clearinghouse.documents.service import document_create

    text = _ordinary_policy()
    version = document_create(
        users["editor"],
        title="Supervision",
        doc_type="policy",
        visibility="shared",
        data=text.encode(),
        filename="supervision.md",
    )
    calls = []
    real = markdown.markdown
    monkeypatch.setattr(markdown, "markdown", lambda *a, **k: calls.append(1) or real(*a, **k))
    client = login(users["practitioner"])
    for _ in range(3):
        response = client.get(f"/documents/{version.document_id}/versions/1")
        assert response.status_code == 200
        assert "<table>" in response.get_data(as_text=True)
    assert calls == []


def test_older_versions_without_html_are_rendered_within_the_same_bounds(
    app, users, login, monkeypatch
):
    from clearinghouse.documents.service import document_create
    from clearinghouse.extensions import db
    from clearinghouse.models import DocumentVersion

    good = document_create(
        users["editor"],
        title="Old",
        doc_type="policy",
        visibility="shared",
        data=b"# Old\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        filename="old.md",
    )
    row = db.session.scalar(
        db.select(DocumentVersion).where(DocumentVersion.document_id == good.document_id)
    )
    row.html = None
    db.session.commit()
    client = login(users["practitioner"])
    page = client.get(f"/documents/{good.document_id}/versions/1").get_data(as_text=True)
    assert "<table>" in page
    # An old row holding a shape that is now refused is shown as text, never rendered.
    from clearinghouse import storage

    hostile = b"[" * 20_000
    row.sha256 = storage.put_blob(hostile)
    db.session.commit()
    calls = []
    monkeypatch.setattr(markdown, "markdown", lambda *a, **k: calls.append(1))
    response = client.get(f"/documents/{good.document_id}/versions/1")
    assert response.status_code == 200 and calls == []
    assert "too complex to show as a page" in response.get_data(as_text=True)


def test_pathological_upload_page_answers_422(app, users, login):
    client = login(users["editor"])
    response = client.post(
        "/documents/new",
        data={
            "title": "Brackets",
            "doc_type": "policy",
            "visibility": "internal",
            "file": (io.BytesIO(b"[" * 20_000), "brackets.md"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "never closed" in response.get_data(as_text=True)
