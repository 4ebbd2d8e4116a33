"""Compare two authorities' letters before proceedings: re-pair and unpair sections with the
keyboard alone, save the comparison and open it, and see several documents by purpose; axe on
every page state.
"""

import re

from playwright.sync_api import expect

from .keyboard import assert_focus_visible, by_id, by_text, tab_to

ASHDOWN_LETTER = "Letter before proceedings (Ashdown County Council)"
FERNMOUTH_LETTER = "Letter before proceedings (Fernmouth City Council)"


def _compare_letters(page) -> None:
    page.goto("/compare")
    page.get_by_label("First document").select_option(label=ASHDOWN_LETTER)
    page.get_by_label("Second document").select_option(label=FERNMOUTH_LETTER)
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comparison")


def _section_number(page, heading: str) -> int:
    """Return the number of Ashdown's section with this heading, read from its block's id."""
    block = page.locator("section.app-diff-section").filter(
        has=page.get_by_role("heading", level=2, name=re.compile(re.escape(heading)))
    )
    anchor = block.first.get_attribute("id")
    assert anchor.startswith("section-left-"), anchor
    return int(anchor.rsplit("-", 1)[1])


def _choose_by_keyboard(page, option_text: str) -> str:
    """On the focused select, move with the arrow keys to the option whose text ends so."""
    options = page.evaluate("() => [...document.activeElement.options].map(o => [o.value, o.text])")
    target = next(value for value, text in options if text.endswith(option_text))
    for _ in range(len(options) + 1):
        state = page.evaluate(
            "() => [document.activeElement.value, document.activeElement.selectedIndex]"
        )
        if state[0] == target:
            return target
        wanted = [value for value, _text in options].index(target)
        page.keyboard.press("ArrowDown" if wanted > state[1] else "ArrowUp")
        assert_focus_visible(page)
    raise AssertionError(f"Could not reach “{option_text}” with the arrow keys")


def _repair_by_keyboard(page, axe, number: int, option_text: str) -> str:
    """Open section number's "Change the pairing", choose the option, press Pair: all keys."""
    tab_to(page, by_text(f"Change the pairing of section {number} of Ashdown"), limit=200)
    page.keyboard.press("Enter")
    tab_to(page, by_id(f"pair-left-{number}"), limit=3)
    axe(page, f"change the pairing of section {number}, open")
    value = _choose_by_keyboard(page, option_text)
    tab_to(page, by_text("Pair section"), limit=3)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    return value


def test_repair_and_unpair_by_keyboard_only(page, sign_in, axe):
    sign_in("manager")
    _compare_letters(page)
    main = page.locator("main")
    expect(main).to_contain_text("How differences are shown")
    expect(main.locator("del, ins")).to_have_count(0)
    axe(page, "comparison across two authorities, paired automatically")

    worries = _section_number(page, "What we are worried about")
    value = _repair_by_keyboard(page, axe, worries, "Our worries")
    expect(page).to_have_url(re.compile(rf"pairs={value}#section-left-{worries}$"))
    block = page.locator(f"#section-left-{worries}")
    expect(block.get_by_role("heading", level=2)).to_contain_text(
        "What we are worried about / Our worries"
    )
    expect(block).to_contain_text("Paired by you")
    expect(block.locator(".app-only").first).to_contain_text("only in Ashdown")
    axe(page, "comparison after re-pairing by keyboard")

    contacts = _section_number(page, "Contact details")
    _repair_by_keyboard(page, axe, contacts, "None: leave it only in Ashdown")
    block = page.locator(f"#section-left-{contacts}")
    expect(block).to_contain_text("Left unpaired by you")
    expect(block).to_contain_text("Only in Ashdown")
    expect(page.locator(f"#section-left-{worries}")).to_contain_text("Paired by you")
    axe(page, "comparison after unpairing by keyboard")

    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the re-paired comparison is {width} px wide on a phone"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Go back to the automatic pairing").click()
    page.wait_for_url(lambda url: "pairs=" not in url)
    expect(page.get_by_text("Paired by you")).to_have_count(0)


def test_bad_pairs_in_the_address_are_explained(page, sign_in, axe):
    sign_in("manager")
    _compare_letters(page)
    page.goto(page.url + "&pairs=banana")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("paired automatically")
    axe(page, "comparison with pairs it cannot use")


def test_save_share_and_delete_a_comparison(page, browser, live_server, sign_in, people, axe):
    sign_in("manager")
    _compare_letters(page)
    worries = _section_number(page, "What we are worried about")
    page.goto(page.url + f"&pair={worries}:1")
    page.get_by_role("button", name="Save comparison").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter a name for the comparison")
    axe(page, "save a comparison without a name")

    page.get_by_label("Name this comparison").fill("Letters before proceedings: Ashdown, Fernmouth")
    page.get_by_role("button", name="Save comparison").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Letters before proceedings: Ashdown, Fernmouth"
    )
    expect(page.locator("main")).to_contain_text("Comparison saved as")
    expect(page.locator(f"#section-left-{worries}")).to_contain_text("Paired by you")
    link = page.url
    assert re.search(r"/compare/saved/\d+$", link)
    axe(page, "a saved comparison")

    page.get_by_role("link", name="Saved comparisons").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved comparisons")
    expect(page.get_by_role("link", name="Letters before proceedings: Ashdown")).to_be_visible()
    axe(page, "saved comparisons of the authority")

    for who, visible in (("practitioner", True), ("wren_editor", False)):
        context = browser.new_context(base_url=live_server.url)
        other = context.new_page()
        other.goto("/sign-in")
        other.get_by_label("Email address").fill(people[who]["email"])
        other.get_by_label("Password", exact=True).fill(people[who]["password"])
        other.get_by_role("button", name="Sign in").click()
        other.wait_for_url(lambda url: "/sign-in" not in url)
        response = other.goto(link)
        assert response.status == (200 if visible else 404), who
        if visible:
            expect(other.get_by_role("button", name="Delete this saved comparison")).to_have_count(
                0
            )
        context.close()

    page.goto(link)
    page.get_by_role("button", name="Delete this saved comparison").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved comparisons")
    expect(page.locator("main")).to_contain_text("Deleted the saved comparison")
    axe(page, "saved comparisons after deleting one")


def test_several_documents_by_purpose(page, sign_in, live_server, axe):
    sign_in("manager")
    page.goto("/compare")
    page.get_by_label("First document").select_option(label=ASHDOWN_LETTER)
    page.get_by_label("Second document").select_option(label=FERNMOUTH_LETTER)
    guidance = live_server.documents["kestrelford_plo"]
    page.get_by_label("Third document (optional)").select_option(str(guidance["id"]))
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Sections by"))
    table = page.get_by_role("table", name="Who covers what")
    expect(table.get_by_role("columnheader")).to_have_count(4)
    expect(table.get_by_text("Not covered").first).to_be_visible()
    axe(page, "several documents by purpose, with gaps")
