"""Sign in and out, and the home page's links to every area."""

import re

from playwright.sync_api import expect

from .keyboard import by_id, by_text, tab_to

AREAS = ["Search", "Documents", "Generate", "Compare", "Coverage", "Templates"]


def test_sign_in_shows_errors_then_signs_in_and_out(page, people, axe):
    person = people["practitioner"]
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Clearinghouse")
    axe(page, "sign-in form")

    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter your email address")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe(page, "sign-in with empty fields")

    page.get_by_label("Email address").fill(person["email"])
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a correct email address and password"
    )
    axe(page, "sign-in with a wrong password")

    page.get_by_label("Password", exact=True).fill(person["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {person['name']}")).to_be_visible()
    axe(page, "home page")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in"))
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    axe(page, "signed out")
    page.goto("/documents")
    expect(page).to_have_url(re.compile(r"/sign-in"))


def test_home_links_to_every_area(page, sign_in, axe):
    sign_in("practitioner")
    main = page.locator("main")
    for area in AREAS:
        link = main.get_by_role("link", name=area, exact=True)
        expect(link).to_be_visible()
        href = link.get_attribute("href")
        response = page.request.get(href)
        assert response.status == 200, f"{area} link {href} answered {response.status}"
    header_nav = page.get_by_role("navigation", name="Main menu")
    for area in AREAS:
        expect(header_nav.get_by_role("link", name=area, exact=True)).to_be_visible()
    expect(page.get_by_role("search")).to_be_visible()


def test_service_is_not_govuk(page, sign_in):
    sign_in("practitioner")
    expect(page.locator(".govuk-header__logotype, .govuk-logo-dot")).to_have_count(0)
    header = page.get_by_role("banner")
    expect(header).to_contain_text("Clearinghouse")
    expect(header).not_to_contain_text("GOV.UK")
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert font.lower().startswith("arial"), font


def test_sign_in_with_the_keyboard_only(page, people, axe):
    person = people["practitioner"]
    page.goto("/sign-in")
    # The skip link comes first, and shows when focused.
    state = tab_to(page, by_text("Skip to main content"), limit=1)
    assert state["tag"] == "A"
    tab_to(page, by_id("email"))
    page.keyboard.type(person["email"])
    tab_to(page, by_id("password"))
    page.keyboard.type(person["password"])
    tab_to(page, by_text("Sign in"))
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Signed in as {person['name']}")).to_be_visible()
    # Every link and button in the header can be reached and shows its focus.
    tab_to(page, by_text("Sign out"))
    # The skip link takes keyboard users past the header to the main content.
    page.goto("/")
    tab_to(page, by_text("Skip to main content"), limit=1)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(page, by_text("Search"), limit=3)
