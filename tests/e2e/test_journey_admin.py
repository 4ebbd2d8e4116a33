"""An admin changes a role and gives a one-time password link; the person uses it and signs in;
a manager filters the audit log and downloads it. Each page through axe, at 375 px and 1280 px."""

import csv
import io
import re

from playwright.sync_api import expect

from .conftest import PASSWORD

NEW_PASSWORD = "a fresh browser password"
PERSON = {"name": "Rowan Resetwell", "email": "rowan@kestrelford.e2e.example"}


def check_page(page, axe, state: str) -> None:
    """axe finds nothing; no sideways scroll at 375 px; no taller than 3,600 px at 1280 px."""
    axe(page, state)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 3600, f"{state}: {height} px tall at 1280 px"
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= 375, f"{state}: {width} px wide at 375 px"


def add_person(page) -> None:
    page.goto("/admin/users/new")
    page.get_by_label("Full name").fill(PERSON["name"])
    page.get_by_label("Email address").fill(PERSON["email"])
    page.get_by_role("radio", name=re.compile("^Practitioner")).check()
    page.get_by_label("Authority", exact=True).select_option(label="Kestrelford Borough Council")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text(f"{PERSON['name']} ({PERSON['email']}) added")).to_be_visible()


def test_admin_changes_a_role_and_gives_a_password_link(page, browser, live_server, sign_in, axe):
    sign_in("admin")
    check_page(page, axe, "admin's home page")
    add_person(page)
    check_page(page, axe, "users list")
    page.get_by_role("link", name=PERSON["name"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PERSON["name"])
    check_page(page, axe, "a user's page")

    page.get_by_role("link", name="Change role and authority").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change role")
    check_page(page, axe, "change role form")
    page.get_by_role("radio", name=re.compile("^Editor")).check()
    page.get_by_label("Authority", exact=True).select_option(value="")
    page.get_by_role("button", name="Change role").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the authority")
    check_page(page, axe, "change role refused: no authority")
    page.get_by_label("Authority", exact=True).select_option(label="Kestrelford Borough Council")
    page.get_by_role("button", name="Change role").click()
    expect(page.get_by_text(f"{PERSON['name']} is now editor.")).to_be_visible()
    check_page(page, axe, "role changed")

    page.get_by_role("button", name="Make a link to set a new password").click()
    expect(page.get_by_role("heading", name="Link made")).to_be_visible()
    check_page(page, axe, "password link shown once")
    link = page.locator("#reset-link").inner_text().strip()
    assert link.startswith(f"{live_server.url}/account/reset/")

    context = browser.new_context(base_url=live_server.url)
    person = context.new_page()
    try:
        person.goto(link)
        expect(person.get_by_role("heading", level=1)).to_have_text("Set a new password")
        check_page(person, axe, "set a new password")
        person.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        person.get_by_label("New password again").fill("not the same password")
        person.get_by_role("button", name="Set password").click()
        expect(person.locator(".govuk-error-summary")).to_contain_text("do not match")
        check_page(person, axe, "set a new password: passwords differ")
        person.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        person.get_by_label("New password again").fill(NEW_PASSWORD)
        person.get_by_role("button", name="Set password").click()
        expect(person).to_have_url(re.compile(r"/sign-in"))
        expect(person.get_by_text("Your password has been set. Sign in with it.")).to_be_visible()
        person.get_by_label("Email address").fill(PERSON["email"])
        person.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
        person.get_by_role("button", name="Sign in").click()
        expect(person.get_by_text(f"Signed in as {PERSON['name']}")).to_be_visible()
        expect(person.get_by_text("(editor)")).to_be_visible()
        check_page(person, axe, "editor's home page after a password link")
        response = person.goto(link)
        assert response.status == 404
        expect(person.get_by_text("not valid")).to_be_visible()
        check_page(person, axe, "a used password link")
    finally:
        context.close()


def test_manager_filters_the_audit_log_and_downloads_it(page, sign_in, axe, tmp_path):
    sign_in("manager")
    check_page(page, axe, "manager's home page")
    page.locator("main").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    check_page(page, axe, "audit log")

    page.get_by_label("Action").select_option(value="signed_in")
    page.get_by_role("group", name="From").get_by_label("Year").fill("20")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    check_page(page, axe, "audit log with a date that is not real")
    page.get_by_role("group", name="From").get_by_label("Year").fill("")
    page.get_by_role("button", name="Apply filters").click()
    table = page.get_by_role("region", name="Audit events")
    expect(table).to_contain_text("signed in")
    expect(table).not_to_contain_text("document created")
    check_page(page, axe, "audit log filtered to sign-ins")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these events as CSV").click()
    download = download_info.value
    assert download.suggested_filename == "audit-log.csv"
    path = tmp_path / "audit-log.csv"
    download.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text())))
    assert rows[0][:5] == ["time", "user_email", "user_name", "authority", "action"]
    assert len(rows) > 1 and {row[4] for row in rows[1:]} == {"signed_in"}
    assert {row[3] for row in rows[1:]} == {"kestrelford"}


def test_home_pages_per_role(page, sign_in, axe):
    for who, first in [
        ("practitioner", "Generate"),
        ("editor", "Templates"),
        ("manager", "Coverage"),
        ("admin", "Administration"),
    ]:
        page.context.clear_cookies()
        sign_in(who)
        expect(page.locator("main").get_by_role("link", name=first, exact=True)).to_be_visible()
        check_page(page, axe, f"{who}'s home page")
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    check_page(page, axe, "change password")
    page.goto("/account/tokens")
    check_page(page, axe, "API tokens")
    for path in ["/admin", "/admin/authorities", "/admin/users", "/admin/doc-types"]:
        page.goto(path)
        check_page(page, axe, path)
