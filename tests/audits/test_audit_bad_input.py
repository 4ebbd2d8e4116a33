"""Bad input on the audit pages: a clear message by the field, never a 5xx, nothing half made."""

import io
from html import unescape

import pytest
from audit_cases import REFERENCE, start_audit

from clearinghouse.audits.models import MappingAudit
from clearinghouse.extensions import db


def _post(client, people, **fields):
    return start_audit(client, people, **fields)


@pytest.mark.parametrize(
    "fields, status, message",
    [
        ({"case_file": None}, 400, "Select a case file (.json) to upload"),
        (
            {"case_file": (io.BytesIO(b"{not json"), "c.json")},
            400,
            "The case file is not valid JSON",
        ),
        ({"case_file": (io.BytesIO(b"[1, 2]"), "c.json")}, 400, "must hold one JSON object"),
        ({"case_file": (io.BytesIO(b"\xff\xfe"), "c.json")}, 400, "not valid JSON"),
        ({"reference": "   "}, 422, "Enter the case reference"),
        ({"lead": ""}, 422, "Choose the practice lead"),
        ({"lead": "99999999999"}, 422, "Choose the practice lead"),
        ({"worker": "x"}, 422, "Choose the worker"),
        ({"worker": "²"}, 422, "Choose the worker"),
        ({"lead": "9" * 5000}, 422, "Choose the practice lead"),
        ({"after": "77"}, 404, "no mapping audit at this address"),
    ],
)
def test_the_start_page_names_the_problem(login, people, fields, status, message):
    response = _post(login(people["lead"]), people, **fields)
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == status, html[-1500:]
    assert message in html
    if status != 404:
        assert "govuk-error-summary" in html
    assert db.session.scalars(db.select(MappingAudit)).all() == []


def test_ratings_that_do_not_fit_are_named_by_the_field(login, people):
    client = login(people["lead"])
    _post(client, people)
    data = {"rating-examples": "not_met", "reason-examples": "dated_examples", "scale": "11"}
    response = client.post("/audits/1", data=data)
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert 'href="#reason-examples"' in html and "Choose a reason that fits the rating" in html
    only_rating = client.post("/audits/1", data={"rating-examples": "met"})
    assert only_rating.status_code == 422
    scale = client.post("/audits/1", data={"scale": "eleven"})
    assert scale.status_code == 422 and "Choose a scale from 0 to 10" in scale.get_data(
        as_text=True
    )
    assert db.session.get(MappingAudit, 1).ratings == []


def test_unknown_audits_and_odd_addresses_are_404(login, people):
    client = login(people["lead"])
    assert client.get("/audits/0").status_code == 404
    assert client.get(f"/audits/{2**40}").status_code == 404
    assert client.post("/audits/5/sign-off").status_code == 404


@pytest.mark.app_settings(csrf=True)
def test_every_form_needs_its_csrf_token(app, people):
    from factories import PASSWORD

    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    sign_in = {"email": people["lead"].email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/sign-in", data=sign_in).status_code == 302
    form = client.get("/audits/new").get_data(as_text=True)
    assert 'name="csrf_token"' in form
    for url in ("/audits/new", "/audits/1", "/audits/1/sign-off", "/audits/1/next-steps"):
        response = client.post(url, data={"reference": REFERENCE})
        assert response.status_code == 400, url
        assert "Your form expired" in response.get_data(as_text=True)
