"""The public feedback page: no sign-in, code then answers, easy-read words, plain refusals,
the 429 page, CSRF, and nothing of the signed-in service or the worker shown."""

from html import unescape

import pytest
from csrf_forms import csrf_client, csrf_token
from feedback_helpers import answers, in_team

from clearinghouse.extensions import db
from clearinghouse.feedback import codes
from clearinghouse.feedback.models import FeedbackResponse

ADDRESS = {"REMOTE_ADDR": "198.51.100.4"}


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _no_leaks(html: str, users) -> None:
    """Assert the page shows nothing of the signed-in service and no one's name."""
    for person in users.values():
        assert person.name not in html and person.email not in html
    for text in ("Signed in as", "Sign out", "/documents", "/search", "/admin", "/sign-in",
                 "Main menu", "Clearinghouse"):  # fmt: skip
        assert text not in html, text


def _submit(client, code, **changes):
    return client.post(
        "/feedback/answers", data={"code": code, **answers(**changes)}, environ_base=ADDRESS
    )


def test_a_family_answers_with_a_code_and_no_sign_in(client, users):
    worker = users["practitioner"]
    team = in_team(users["manager"], worker)
    code = codes.code_issue(worker).code
    start = client.get("/feedback")
    assert start.status_code == 200
    assert "Enter your code" in _text(start) or "Your code" in _text(start)
    questions = client.post("/feedback", data={"code": code}, environ_base=ADDRESS)
    html = _text(questions)
    assert questions.status_code == 200
    assert "Did we explain clearly why we were worried?" in html
    assert "0 means we did not explain at all. 10 means we explained very clearly." in html
    assert "Did you feel listened to?" in html and "What helped?" in html
    assert "Northshire County Council" in html  # the authority's name only
    _no_leaks(html, users)
    thanks = _submit(client, codes.normalise(code))
    assert thanks.status_code == 200 and "Thank you" in _text(thanks)
    _no_leaks(_text(thanks), users)
    row = db.session.scalar(db.select(FeedbackResponse))
    assert (row.authority_id, row.team_id, row.explained, row.listened, row.source) == (
        worker.authority_id, team.id, 7, "a_bit", "online",
    )  # fmt: skip
    again = _submit(client, code)
    assert again.status_code == 400 and "already been used" in _text(again)


def test_signed_in_people_see_no_menu_or_name_on_it(login, users):
    client = login(users["manager"])
    for response in (client.get("/feedback"), client.get("/feedback?easy=1")):
        assert response.status_code == 200
        _no_leaks(_text(response), users)


def test_the_easy_read_version(client, users):
    code = codes.code_issue(users["practitioner"]).code
    page = _text(client.get("/feedback?easy=1"))
    assert "There are 4 questions." in page and "standard words" in page
    questions = _text(client.post("/feedback", data={"code": code, "easy": "1"}))
    assert "Did we tell you clearly why we were worried?" in questions
    assert "Pick a number. 0 means not clear at all. 10 means very clear." in questions
    assert 'name="easy" type="hidden" value="1"' in questions
    assert "Show this page in easy-read words" in _text(client.get("/feedback"))


@pytest.mark.parametrize(
    "typed, message",
    [("AAAA-AAAA", "We could not find that code"), ("", "Type the code from your form")],
)
def test_a_wrong_code_gets_a_plain_message(client, users, typed, message):
    response = client.post("/feedback", data={"code": typed}, environ_base=ADDRESS)
    assert response.status_code == 400
    html = _text(response)
    assert message in html and "govuk-error-summary" in html


def test_missing_answers_are_named_and_the_code_kept(client, users):
    code = codes.code_issue(users["practitioner"]).code
    response = client.post("/feedback/answers", data={"code": code}, environ_base=ADDRESS)
    html = _text(response)
    assert response.status_code == 400
    assert "Choose a number from 0 to 10" in html and "Choose yes, a bit or no" in html
    assert f'name="code" type="hidden" value="{code}"' in html
    assert _submit(client, code).status_code == 200


def test_too_many_wrong_codes_get_the_429_page(client, app, users):
    app.config["CLEARINGHOUSE"]["FEEDBACK_MAX_FAILURES_PER_ADDRESS"] = 3
    for _ in range(3):
        client.post("/feedback", data={"code": "AAAA-AAAA"}, environ_base=ADDRESS)
    response = client.post("/feedback", data={"code": "AAAA-AAAA"}, environ_base=ADDRESS)
    assert response.status_code == 429
    html = _text(response)
    assert "Please wait and try again" in html and "minutes" in html
    _no_leaks(html, users)
    code = codes.code_issue(users["practitioner"]).code
    assert _submit(client, code).status_code == 429
    other = client.post(
        "/feedback", data={"code": code}, environ_base={"REMOTE_ADDR": "203.0.113.9"}
    )
    assert other.status_code == 200


@pytest.mark.app_settings(csrf=True)
def test_the_public_forms_need_their_csrf_token(app, users):
    code = codes.code_issue(users["practitioner"]).code
    client = csrf_client(app)
    assert client.post("/feedback", data={"code": code}).status_code == 400
    token = csrf_token(client.get("/feedback").get_data(as_text=True))
    page = client.post("/feedback", data={"code": code, "csrf_token": token})
    assert page.status_code == 200
    data = {"code": code, **answers()}
    assert client.post("/feedback/answers", data=data).status_code == 400
    token = csrf_token(page.get_data(as_text=True))
    assert client.post("/feedback/answers", data={**data, "csrf_token": token}).status_code == 200


def test_the_page_has_no_script_of_its_own_and_fits_the_csp(client):
    response = client.get("/feedback")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
