"""Families' feedback in the browser: a practitioner gets a code; a family, signed out on a
phone (375 px), answers with it in plain or easy-read words; axe on every state."""

import pytest
from playwright.sync_api import expect

PHONE = {"width": 375, "height": 800}


def _fits(page, state: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{state}: the page is {width} px wide at 375 px"


def _code(page, sign_in, axe) -> str:
    """Sign in as the practitioner on a phone and get a feedback code; return it."""
    page.set_viewport_size(PHONE)
    sign_in("practitioner")
    page.goto("/feedback/codes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get a feedback code")
    axe(page, "get a feedback code")
    page.get_by_role("button", name="Get a feedback code").click()
    code = page.locator("#feedback-code").inner_text().strip()
    axe(page, "a feedback code shown")
    _fits(page, "a feedback code shown")
    return code


@pytest.fixture
def family(browser, live_server):
    """A page of its own (no sign-in cookies) the size of a phone."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_family_answers_on_a_phone(page, sign_in, axe, family):
    code = _code(page, sign_in, axe)
    family.goto("/feedback")
    expect(family.get_by_role("heading", level=1)).to_have_text("Tell us what you think")
    expect(family.get_by_text("Signed in as")).to_have_count(0)
    axe(family, "feedback: enter your code")
    _fits(family, "feedback: enter your code")
    family.get_by_role("button", name="Continue").click()
    expect(family.locator(".govuk-error-summary")).to_be_visible()
    axe(family, "feedback: no code typed")
    family.get_by_label("Your code").fill(code.lower())
    family.get_by_role("button", name="Continue").click()
    expect(family.get_by_text("Did we explain clearly why we were worried?")).to_be_visible()
    axe(family, "feedback: the questions")
    _fits(family, "feedback: the questions")
    family.get_by_role("button", name="Send your answers").click()
    expect(family.locator(".govuk-error-summary")).to_be_visible()
    axe(family, "feedback: questions not answered")
    _fits(family, "feedback: questions not answered")
    family.get_by_label("8", exact=True).check()
    family.get_by_label("A bit").check()
    family.get_by_label("What helped?").fill("The safety plan was written with us.")
    family.get_by_role("button", name="Send your answers").click()
    expect(family.get_by_role("heading", name="Thank you")).to_be_visible()
    axe(family, "feedback: thank you")
    family.goto("/feedback")
    family.get_by_label("Your code").fill(code)
    family.get_by_role("button", name="Continue").click()
    expect(family.get_by_text("This code has already been used.").first).to_be_visible()


def test_the_easy_read_version_on_a_phone(page, sign_in, axe, family):
    code = _code(page, sign_in, axe)
    family.goto("/feedback")
    family.get_by_role("link", name="Show this page in easy-read words").click()
    expect(family.get_by_text("There are 4 questions.")).to_be_visible()
    axe(family, "feedback, easy read: your code")
    _fits(family, "feedback, easy read: your code")
    family.get_by_label("Your code").fill(code)
    family.get_by_role("button", name="Continue").click()
    expect(family.get_by_text("Did we tell you clearly why we were worried?")).to_be_visible()
    axe(family, "feedback, easy read: the questions")
    _fits(family, "feedback, easy read: the questions")


def test_keying_in_a_paper_form(page, sign_in, axe):
    sign_in("practitioner")
    page.goto("/feedback/paper")
    axe(page, "key in a paper feedback form")
    page.get_by_role("button", name="Save the answers").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page, "paper feedback form: not answered")


def _forms_came_back(instance) -> None:
    """Store paper forms for Kestrelford in the last quarter that is over: five with no team
    (their words shown) and two in a team (withheld)."""
    from datetime import date

    from clearinghouse import create_app
    from clearinghouse.extensions import db
    from clearinghouse.feedback import service
    from clearinghouse.models import Authority, utcnow
    from clearinghouse.permissions import SYSTEM
    from clearinghouse.teams import service as teams

    app = create_app({"ENV": "development", "INSTANCE_PATH": str(instance), "SECRET_KEY": "e2e"})
    with app.app_context():
        authority = db.session.scalar(db.select(Authority).where(Authority.slug == "kestrelford"))
        team = teams.team_find(authority.id, "Edge of care") or teams.team_create(
            SYSTEM, authority.id, "Edge of care"
        )
        year, number = service.completed_quarters(utcnow().date(), 1)[0].split("-Q")
        day = date(int(year), 3 * int(number) - 1, 15)
        said = ["The plan was ours", "Being listened to", "Help at weekends", "", "Honesty"]
        rows = [
            (n, None, day, {"explained": "7", "listened": "yes", "helped": text, "better": ""})
            for n, text in enumerate(said, start=1)
        ]
        rows += [(9, team.id, day, {"explained": "3", "listened": "no"}) for _ in range(2)]
        service.paper_import(authority.id, rows, today=day)
        db.session.remove()
        db.engine.dispose()


def test_a_manager_reads_what_families_told_us(page, sign_in, axe, live_server):
    _forms_came_back(live_server.instance)
    sign_in("manager")
    page.goto("/")
    page.get_by_role("link", name="What families told us").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What families told us")
    expect(page.get_by_text("Being listened to")).to_be_visible()
    expect(page.get_by_text("Fewer than 5 responses: their words are not shown.")).to_be_visible()
    axe(page, "what families told us")
    page.set_viewport_size(PHONE)
    _fits(page, "what families told us")
    axe(page, "what families told us, on a phone")
