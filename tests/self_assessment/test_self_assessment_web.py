"""Self-assessment pages and coverage beside them: what each person sees, recording with the
form (CSRF on), the error summary for bad input, and sharing on and off."""

import csv
import io
import re
from html import unescape

import pytest
from factories import PASSWORD, make_user
from flask import g, request_started

from clearinghouse.self_assessment import service


@pytest.fixture
def south_manager(users):
    return make_user("manager", "south", name="South manager")


def _forget_csrf_token(sender, **extra):
    g.pop("csrf_token", None)  # the tests' one app context would keep the signed-out one


@pytest.fixture
def fresh_csrf(app):
    """Give each request its own CSRF token, as separate requests to a server would have."""
    request_started.connect(_forget_csrf_token, app)
    yield
    request_started.disconnect(_forget_csrf_token, app)


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _main(response) -> str:
    """Return the words of the page's main part, without markup."""
    main = _text(response).split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split()).replace(" ,", ",").replace(" .", ".")


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


@pytest.mark.app_settings(csrf=True)
def test_a_manager_records_with_the_form_and_the_history_shows_it(app, users, fresh_csrf):
    client = app.test_client()
    token = _csrf(client.get("/sign-in").get_data(as_text=True))
    sign_in = {"email": users["manager"].email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/sign-in", data=sign_in).status_code == 302
    page = client.get("/self-assessment")
    assert page.status_code == 200
    assert "No self-assessment has been recorded yet." in _text(page)
    assert "Leaders live the principles" in _text(page)  # what the scale means
    form = client.get("/self-assessment/new")
    assert form.status_code == 200
    assert "0: barely begun" in _text(form) and "10: fully implemented" in _text(form)
    token = _csrf(form.get_data(as_text=True))
    saved = client.post(
        "/self-assessment/new",
        data={"csrf_token": token, "scale": "6", "note": "Supervision aligned; forms not yet."},
    )
    assert saved.status_code == 302, _main(saved)[:3000]
    page = _main(client.get("/self-assessment"))
    assert "Self-assessment recorded: 6 out of 10." in page
    assert "Latest: 6 out of 10" in page
    assert "Supervision aligned; forms not yet." in page
    refused = client.post("/self-assessment/new", data={"scale": "6", "note": "No token."})
    assert refused.status_code == 400 and "form expired" in _text(refused)
    refused = client.post("/self-assessment/sharing", data={"sharing": "shared"})
    assert refused.status_code == 400 and "form expired" in _text(refused)
    assert len(service.self_assessment_overview(users["manager"]).history) == 1


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"scale": "11", "note": "Too high."}, "11 is not on it"),
        ({"scale": "-1", "note": "Too low."}, "Choose a whole number on the scale from 0 to 10"),
        ({"note": "No number."}, "Choose a whole number on the scale from 0 to 10"),
        ({"scale": "4", "note": ""}, "Say why your authority chose this number."),
        ({"scale": "4", "note": "z" * 2001}, "The note must be 2000 characters or fewer"),
    ],
)
def test_bad_input_is_shown_in_the_error_summary_and_nothing_is_saved(
    users, login, fields, message
):
    response = login(users["manager"]).post("/self-assessment/new", data=fields)
    assert response.status_code == 422
    html = _text(response)
    assert "govuk-error-summary" in html and message in html
    assert html.count(message) >= 2  # in the summary and on the field
    assert "<title>Error: " in html
    assert service.self_assessment_overview(users["manager"]).history == []


def test_readers_see_the_history_but_no_form(users, login):
    service.self_assessment_record(users["manager"], 5, "Halfway.")
    for person in ("practitioner", "editor"):
        client = login(users[person])
        page = _main(client.get("/self-assessment"))
        assert "Latest: 5 out of 10" in page and "Halfway." in page
        assert "Record a self-assessment" not in page
        assert "Save who can see it" not in page
        assert client.get("/self-assessment/new").status_code == 403
        assert (
            client.post("/self-assessment/new", data={"scale": "9", "note": "x"}).status_code == 403
        )
        assert (
            client.post("/self-assessment/sharing", data={"sharing": "shared"}).status_code == 403
        )
    assert len(service.self_assessment_overview(users["manager"]).history) == 1


def test_sharing_on_and_off_and_what_another_authority_sees(users, login, south_manager):
    service.self_assessment_record(users["manager"], 3, "North's first.")
    service.self_assessment_record(users["manager"], 4, "North's reasons, latest.")
    south = login(users["south_practitioner"])
    assert "North's reasons" not in _main(south.get("/self-assessment"))

    manager = login(users["manager"])
    response = manager.post("/self-assessment/sharing", data={"sharing": "shared"})
    assert response.status_code == 302
    assert "Other authorities now see" in _text(manager.get("/self-assessment"))
    page = _main(south.get("/self-assessment"))
    assert "Northshire County Council" in page and "North's reasons, latest." in page
    assert "North's first." not in page  # only the latest is shared

    manager.post("/self-assessment/sharing", data={"sharing": "internal"})
    assert "North's reasons" not in _main(south.get("/self-assessment"))


def test_a_sharing_choice_must_be_made(users, login):
    response = login(users["manager"]).post("/self-assessment/sharing", data={"sharing": "maybe"})
    assert response.status_code == 400
    html = _text(response)
    assert "govuk-error-summary" in html
    assert "Choose who can see your authority's self-assessment." in html


def test_an_admin_chooses_an_authority_then_records_for_it(users, login):
    client = login(users["admin"])
    choose = _main(client.get("/self-assessment"))
    assert "Choose an authority" in choose and "Northshire County Council" in choose
    assert client.get("/self-assessment/new").status_code == 302
    response = client.post(
        "/self-assessment/new?authority=north", data={"scale": "2", "note": "At their request."}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/self-assessment?authority=north")
    assert "Latest: 2 out of 10" in _main(client.get("/self-assessment?authority=north"))


def _coverage_row(html: str, name: str) -> str:
    rows = re.findall(r'<th scope="row" class="govuk-table__header">(.*?)</th>', html, re.S)
    return next(row for row in rows if row.startswith(name))


def test_coverage_shows_own_scale_always_and_others_only_when_shared(
    users, login, south_manager, make_document
):
    make_document(
        users["editor"], title="North PLO letter", doc_type="plo-letter-before-proceedings"
    )
    service.self_assessment_record(users["manager"], 4, "North.")
    service.self_assessment_record(south_manager, 8, "South.")
    north = login(users["practitioner"])
    html = _text(north.get("/coverage"))
    assert "Self-assessment: 4 out of 10" in _coverage_row(html, "Northshire")
    assert "Self-assessment" not in _coverage_row(html, "Southborough")

    service.self_assessment_share(south_manager, True)
    html = _text(north.get("/coverage"))
    assert "Self-assessment: 8 out of 10" in _coverage_row(html, "Southborough")
    rows = list(csv.DictReader(io.StringIO(north.get("/coverage.csv").get_data(as_text=True))))
    assert {r["self_assessment_scale"] for r in rows if r["authority"] == "south"} == {"8"}
    assert {r["self_assessment_scale"] for r in rows if r["authority"] == "north"} == {"4"}

    service.self_assessment_share(south_manager, False)
    html = _text(login(users["editor"]).get("/coverage"))
    assert "Self-assessment" not in _coverage_row(html, "Southborough")
    rows = list(csv.DictReader(io.StringIO(north.get("/coverage.csv").get_data(as_text=True))))
    assert {r["self_assessment_scale"] for r in rows if r["authority"] == "south"} == {""}
