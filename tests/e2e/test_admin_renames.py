"""Renaming a document type in the browser: the form, its error state and the list after, by axe."""

from playwright.sync_api import expect


def test_rename_a_document_type(page, sign_in, axe):
    sign_in("admin")
    page.goto("/admin/doc-types")
    page.get_by_role("link", name="Rename Aide-memoire", exact=True).click()
    expect(page.get_by_label("New name")).to_have_value("Aide-memoire")
    axe(page, "rename a document type")
    page.get_by_label("New name").fill("")
    page.get_by_role("button", name="Rename").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    axe(page, "rename a document type with an error")
    page.get_by_label("New name").fill("Aide-memoire for practitioners")
    page.get_by_role("button", name="Rename").click()
    expect(
        page.get_by_role("cell", name="Aide-memoire for practitioners", exact=True)
    ).to_be_visible()
    axe(page, "document types after a rename")
    # Put the name back: the server is shared with the other browser tests.
    page.goto("/admin/doc-types/rename?target=aide-memoire")
    page.get_by_label("New name").fill("Aide-memoire")
    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_role("cell", name="Aide-memoire", exact=True)).to_be_visible()
