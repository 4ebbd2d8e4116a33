"""Content-Security-Policy on every answer; no page runs a script or style the policy forbids."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from clearinghouse.web import CONTENT_SECURITY_POLICY

TEMPLATES = Path(__file__).resolve().parent.parent / "clearinghouse" / "templates"


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {p.split()[0]: " ".join(p.split()[1:]) for p in header.split("; ")}


class _Inline(HTMLParser):
    """Collect inline scripts, style elements and attributes, handlers and javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.scripts, self.problems = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs:
            self.scripts.append(attrs.get("nonce"))
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs.items():
            if name == "style" or name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name in ("href", "src", "action") and (value or "").lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"{tag} {name}=javascript:")


def _check_page(response):
    policy = _policy(response)
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"]).group(1)
    parser = _Inline()
    parser.feed(response.get_data(as_text=True))
    assert parser.problems == []
    assert parser.scripts, "the GOV.UK js-enabled snippet is expected"
    assert set(parser.scripts) == {nonce}
    return nonce


def test_policy_is_strict():
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY
    for part in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert part in CONTENT_SECURITY_POLICY


PAGES = [
    (None, "/sign-in"),
    ("practitioner", "/"),
    ("practitioner", "/search?q=plan"),
    ("practitioner", "/documents"),
    ("practitioner", "/generate"),
    ("practitioner", "/generate/safety-plan?sample=1"),
    ("practitioner", "/compare"),
    ("practitioner", "/templates"),
    ("practitioner", "/account/tokens"),
    ("practitioner", "/account/password"),
    ("editor", "/documents/new"),
    ("admin", "/admin"),
    ("admin", "/admin/users/new"),
    ("practitioner", "/no-such-page"),
    ("practitioner", "/search?q=%00"),
]


@pytest.mark.parametrize("who, url", PAGES)
def test_pages_carry_the_policy_and_only_nonced_scripts(client, login, users, who, url):
    response = (login(users[who]) if who else client).get(url)
    assert response.status_code < 500
    _check_page(response)


def test_the_preview_and_error_pages_too(login, users):
    client = login(users["practitioner"])
    preview = client.post("/generate/safety-plan", data={"action": "preview"})
    _check_page(preview)
    problem = client.post("/generate/safety-plan/download", data={"case_json": "[1"})
    _check_page(problem)


def test_each_page_gets_its_own_nonce(client):
    assert _check_page(client.get("/sign-in")) != _check_page(client.get("/sign-in"))


def test_api_and_static_answers_carry_the_policy(client, users, api_headers):
    api = client.get("/api/v1/templates", headers=api_headers(users["practitioner"]))
    assert api.status_code == 200
    assert _policy(api)["script-src"] == "'self'"
    refused = client.get("/api/v1/templates")
    assert refused.status_code == 401 and "frame-ancestors" in _policy(refused)
    static = client.get("/static/app.js")
    assert "default-src" in _policy(static)


def test_no_template_has_inline_script_style_or_handlers():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)",
            r"<style",
            r"\sstyle=",
            r"\son[a-z]+=",
            "javascript:",
        ):
            if re.search(pattern, text, re.IGNORECASE):
                found.append(f"{path.relative_to(TEMPLATES)}: {pattern}")
    assert found == []
