"""Search from the header, filter with a facet, open a result."""

import re

from playwright.sync_api import expect


def test_search_filter_with_a_facet_and_open_a_result(page, sign_in, live_server, axe):
    sign_in("practitioner")
    safety = live_server.documents["kestrelford_safety"]["title"]
    guidance = live_server.documents["kestrelford_plo"]["title"]

    header_search = page.get_by_role("banner").get_by_label("Search the clearing house")
    header_search.fill("kinship")
    header_search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=kinship"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search forms, policies and guidance")
    results = page.locator(".app-search-result")
    expect(results.get_by_role("link", name=safety, exact=True)).to_be_visible()
    expect(results.get_by_role("link", name=guidance, exact=True)).to_be_visible()
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\d+ results?$"))
    total = int(page.locator("#result-count").inner_text().split()[0])
    # The matching word is marked in the snippets.
    marked = results.locator("mark").filter(has_text=re.compile("kinship", re.I))
    expect(marked.first).to_be_visible()
    axe(page, "search results")

    doc_type = page.get_by_role("group", name="Document type")
    facet = doc_type.get_by_role("checkbox", name=re.compile(r"^Safety plan \(\d+\)"))
    label = doc_type.locator("label").filter(has_text=re.compile(r"^\s*Safety plan \(\d+\)"))
    facet_count = int(re.search(r"\((\d+)\)", label.inner_text()).group(1))
    facet.check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"doc_type=safety-plan"))
    expect(facet).to_be_checked()
    expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{facet_count} results?$"))
    assert facet_count < total
    expect(results.get_by_role("link", name=guidance, exact=True)).to_have_count(0)
    axe(page, "search results filtered by document type")

    results.get_by_role("link", name=safety, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(safety)
    axe(page, "document opened from the search results")


def test_search_with_no_results_and_a_suggestion(page, sign_in, axe):
    sign_in("practitioner")
    page.goto("/search?q=kinshp")
    expect(page.locator("#result-count")).to_be_visible()
    axe(page, "search with a misspelt word")
