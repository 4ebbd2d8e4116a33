"""A manager's practice figures in the browser: with figures, with withheld cells in words, and
with no data; sharing them with another authority's manager. axe on every state, no sideways
scroll at 375 px; the charts are inline SVG images, each followed by its table."""

import re
from datetime import date, datetime

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, SECRET_KEY

PEOPLE = {
    "lark_manager": ("manager@larkhill.e2e.example", "Lee Manager", "larkhill"),
    "lark_worker": ("worker@larkhill.e2e.example", "Lou Worker", "larkhill"),
    "fern_manager": ("manager@fernby.e2e.example", "Fay Manager", "fernby"),
}


def _last_completed(today: date) -> date:
    """Return a day in the last quarter ended before today."""
    index = (today.month - 1) // 3
    year, index = (today.year - 1, 3) if index == 0 else (today.year, index - 1)
    return date(year, index * 3 + 2, 10)


@pytest.fixture(scope="module")
def figure_people(live_server):
    """Make two authorities of their own (so no other journey's data moves their figures):
    Larkhill with completed audits and feedback, Fernby with nothing."""
    from factories import make_authority, make_user

    from clearinghouse import create_app
    from clearinghouse.audits.elements import elements
    from clearinghouse.audits.models import MappingAudit, MappingAuditRating
    from clearinghouse.extensions import db
    from clearinghouse.feedback import service as feedback
    from clearinghouse.models import utcnow
    from clearinghouse.teams import service as teams

    app = create_app(
        {"ENV": "development", "INSTANCE_PATH": str(live_server.instance), "SECRET_KEY": SECRET_KEY}
    )
    people = {}
    with app.app_context():
        make_authority("larkhill", "Larkhill Borough Council")
        make_authority("fernby", "Fernby District Council")
        made = {}
        for key, (email, name, authority) in PEOPLE.items():
            role = "manager" if "manager" in key else "practitioner"
            made[key] = make_user(role, authority, email=email, name=name, password=PASSWORD)
            people[key] = {"email": email, "password": PASSWORD}
        manager, worker = made["lark_manager"], made["lark_worker"]
        day = _last_completed(utcnow().date())
        ratings = ["met", "met", "partly", "not_met", "met"]
        for n, (rating, scale) in enumerate(zip(ratings, (8, 7, 5, 2, 9), strict=True)):
            signed = datetime(day.year, day.month, day.day, 12)
            row = MappingAudit(authority_id=manager.authority_id, case_key=f"lark-{n}",
                               lead_id=manager.id, worker_id=worker.id, audit_date=day,
                               scale=scale, lead_signed_at=signed, worker_signed_at=signed,
                               completed_at=signed)  # fmt: skip
            row.ratings = [MappingAuditRating(element=e.code, rating=rating, reason="x")
                           for e in elements()]  # fmt: skip
            db.session.add(row)
        db.session.commit()
        support = teams.team_create(manager, manager.authority_id, "Family support")
        assess = teams.team_create(manager, manager.authority_id, "Assessment")
        raw = {"explained": "8", "listened": "yes", "helped": "", "better": ""}
        rows = [(n, support.id, day, raw) for n in range(6)]
        rows += [(n, assess.id, day, {**raw, "explained": "3"}) for n in range(3)]
        feedback.paper_import(manager.authority_id, rows, today=day)
        db.session.remove()
        db.engine.dispose()
    return people


def _sign_in(page, person: dict) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(person["email"])
    page.get_by_label("Password", exact=True).fill(person["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def _check(page, axe, state: str) -> None:
    axe(page, state)
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= 375, f"{state}: {width} px wide at 375 px"


def test_a_manager_reads_the_figures_and_shares_them(page, browser, live_server, figure_people,
                                                     axe):  # fmt: skip
    _sign_in(page, figure_people["lark_manager"])
    page.get_by_role("link", name="Practice figures").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice figures")
    for name in ("Ratings by element", "Mapping scales", "Share of families scoring 7"):
        expect(page.locator("figcaption", has_text=name)).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile("^Bar chart of how many audits"))
    ).to_be_visible()
    ratings = page.locator("#table-ratings")
    expect(ratings.get_by_role("row").nth(1)).to_contain_text("3")  # met 3 of 5
    expect(page.locator("#table-feedback-teams")).to_contain_text("Fewer than 5 responses")
    expect(page.locator("#table-feedback")).to_contain_text("would give away the figures")
    _check(page, axe, "practice figures with figures and withheld cells")
    page.get_by_role("link", name=re.compile("^April|^July|^October|^January")).first.click()
    expect(page.get_by_text("No completed audits in this quarter.")).to_be_visible()
    _check(page, axe, "practice figures, a quarter with no audits")

    page.get_by_role("radio", name=re.compile("^Share them")).check()
    page.get_by_role("button", name="Save who can see them").click()
    expect(page.get_by_text("The other authorities' managers can now see")).to_be_visible()
    _check(page, axe, "practice figures shared")

    other = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    fern = other.new_page()
    try:
        _sign_in(fern, figure_people["fern_manager"])
        fern.goto("/practice-figures")
        expect(fern.get_by_text("No completed audits in this quarter.")).to_be_visible()
        expect(fern.get_by_text("No responses in these quarters.")).to_be_visible()
        _check(fern, axe, "practice figures with no data")
        fern.get_by_role("link", name="Larkhill Borough Council").click()
        expect(fern.locator(".govuk-caption-l")).to_have_text("Larkhill Borough Council")
        expect(fern.locator("#table-scales")).to_contain_text("7")
        expect(fern.get_by_role("button", name="Save who can see them")).to_have_count(0)
        _check(fern, axe, "another authority's shared figures")
    finally:
        other.close()
