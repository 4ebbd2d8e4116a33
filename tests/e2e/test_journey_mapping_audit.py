"""A practice lead and a worker audit a mapping: the lead uploads the case file, sees the
service's checks, meets an error, agrees every rating and signs off; the worker signs off too
and finds the audit fixed, by typing the case reference. Every state is checked with axe."""

import json
import re

from playwright.sync_api import expect

from clearinghouse.audits.elements import elements
from clearinghouse.paths import PROJECT_ROOT

REFERENCE = "KBC/E2E/1001"


def _case_file() -> dict:
    case = json.loads((PROJECT_ROOT / "templates_library/schemas/sample_case.json").read_text())
    case["danger_statements"][0]["examples"] = []
    return {"name": "case.json", "mimeType": "application/json",
            "buffer": json.dumps(case).encode()}  # fmt: skip


def test_a_lead_and_a_worker_audit_a_mapping(page, sign_in, people, axe):
    sign_in("manager")
    page.goto("/audits")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mapping audits")
    axe(page, "audit list, empty")
    page.get_by_role("link", name="Start a mapping audit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a mapping audit")
    axe(page, "start an audit")
    page.get_by_role("button", name="Check the case file and start").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    axe(page, "start an audit with an error")

    page.get_by_label("Case file (.json)").set_input_files(_case_file())
    page.get_by_label("Case reference").fill(REFERENCE)
    page.get_by_label("The case's worker").select_option(label=people["practitioner"]["name"])
    page.get_by_role("button", name="Check the case file and start").click()
    expect(page.get_by_text("Danger statement 1 has no examples.").first).to_be_visible()
    axe(page, "audit with the checks on the case file")

    for element in elements():
        page.locator(f"#rating-{element.code}").check()
        page.locator(f"#reason-{element.code}").select_option(element.reasons[1].code)
    page.locator("#scale").select_option("6")
    page.get_by_role("button", name="Save the ratings").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    axe(page, "ratings with errors")
    for element in elements():
        met = next(r.code for r in element.reasons if "met" in r.fits)
        page.locator(f"#reason-{element.code}").select_option(met)
    page.get_by_role("button", name="Save the ratings").click()
    expect(page.get_by_text("Ratings saved.")).to_be_visible()
    page.get_by_role("button", name="Sign off as the practice lead").click()
    expect(page.get_by_text("Signed off.", exact=True)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Clearinghouse")

    sign_in("practitioner")
    page.goto("/audits")
    page.get_by_label("Find a case's audits by its reference").fill(REFERENCE.lower())
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("table", name="Audits of that case")).to_be_visible()
    assert REFERENCE.lower() not in page.url  # the reference is never in an address
    axe(page, "audits found by reference")
    # The one audit of this case, whatever its number (other journeys may have made audits).
    page.get_by_role("link", name=re.compile(r"^Audit \d+$")).click()
    page.get_by_role("button", name="Sign off as the worker").click()
    expect(page.get_by_text("Both have signed: the audit is complete.")).to_be_visible()
    expect(page.get_by_role("link", name="Start a new audit for a later review")).to_be_visible()
    axe(page, "signed-off audit")
    page.get_by_role("link", name="Start a new audit for a later review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a later review")
    axe(page, "start a later review")


def test_a_worker_audits_the_case_they_entered_without_a_file(page, sign_in, people, axe, tmp_path):
    sign_in("practitioner")
    case_file = tmp_path / "case.json"
    case_file.write_bytes(_case_file()["buffer"])
    page.goto("/case")
    page.get_by_label("Case file (.json)").set_input_files(str(case_file))
    page.locator("main").get_by_role("button", name="Upload the case file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your case")
    # By keyboard, as a worker who does not use a mouse would.
    page.get_by_role("button", name="Audit this mapping").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a mapping audit")
    expect(page.get_by_label("Case file (.json)")).to_have_count(0)
    axe(page, "start an audit of the entered case")
    page.get_by_role("button", name="Check the case and start").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    axe(page, "start an audit of the entered case with an error")
    page.get_by_label("Case reference").fill("KBC/E2E/2002")
    page.get_by_label("Practice lead").select_option(label=people["manager"]["name"])
    page.get_by_role("button", name="Check the case and start").click()
    expect(page.get_by_text("Danger statement 1 has no examples.").first).to_be_visible()
    axe(page, "audit with the checks on the entered case")
    page.get_by_role("button", name="Back to your case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your case")
