"""The Content-Security-Policy in a real browser: GOV.UK Frontend still runs, nothing is refused."""

from playwright.sync_api import expect

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""

PAGES = [
    "/",
    "/search?q=family",
    "/documents",
    "/documents/new",
    "/generate",
    "/compare",
    "/templates",
    "/account/password",
    "/account/tokens",
    "/no-such-page",
    "/search?q=%00",
]


def _watch(page) -> list[str]:
    messages = []
    page.on(
        "console",
        lambda msg: (
            messages.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    return messages


def _assert_clean(page, messages, where):
    violations = page.evaluate("window.__cspViolations")
    assert violations == [] and messages == [], f"{where}: {violations} {messages}"


def test_no_page_breaks_the_policy_and_govuk_frontend_runs(page, sign_in):
    messages = _watch(page)
    page.goto("/sign-in")
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    _assert_clean(page, messages, "/sign-in")
    sign_in("editor")
    for url in PAGES:
        page.goto(url)
        body = page.locator("body")
        expect(body).to_have_class("govuk-template__body js-enabled govuk-frontend-supported")
        # GOV.UK Frontend (an external module) initialised the page's buttons.
        expect(page.locator("[data-module='govuk-button']").first).to_have_attribute(
            "data-govuk-button-init", ""
        )
        _assert_clean(page, messages, url)


def test_the_go_back_link_returns_to_the_form(page, sign_in):
    messages = _watch(page)
    sign_in("practitioner")
    page.goto("/search?q=family")
    page.goto("/search?q=%00", referer=page.url)
    expect(page.locator("#problem-message")).to_contain_text("cannot be used")
    page.get_by_role("link", name="Go back").click()
    page.wait_for_url("**/search?q=family")
    _assert_clean(page, messages, "go back")
