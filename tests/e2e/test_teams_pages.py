"""axe on the teams pages: a manager adds a team, puts a person in it and renames it; the
person's header then shows the team."""

import uuid

from playwright.sync_api import expect


def test_a_manager_manages_teams(page, sign_in, axe, people):
    sign_in("manager")
    page.goto("/teams")
    expect(page.get_by_role("heading", level=1)).to_have_text("Teams")
    axe(page, "teams")
    page.get_by_role("button", name="Add team").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page, "teams: no name")
    name = f"Assessment {uuid.uuid4().hex[:6]}"
    page.get_by_label("Team name").fill(name)
    page.get_by_role("button", name="Add team").click()
    expect(page.get_by_text(f"{name} added.")).to_be_visible()
    person = people["practitioner"]["name"]
    page.get_by_role("link", name=f"Change team of {person}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change a person's team")
    axe(page, "change a person's team")
    page.get_by_label("Team", exact=True).select_option(label=name)
    page.get_by_role("button", name="Save team").click()
    expect(page.get_by_text("Team saved.")).to_be_visible()
    page.get_by_role("link", name=f"Rename {name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rename a team")
    axe(page, "rename a team")
    page.get_by_label("New name").fill(f"{name} team")
    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_text(f"Renamed “{name}” to “{name} team”.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Clearinghouse")
    sign_in("practitioner")
    expect(page.get_by_text(f"{name} team (practitioner)")).to_be_visible()
