"""Paper feedback forms: keyed in on a signed-in page, or imported from a CSV file."""

from datetime import date
from html import unescape

import pytest
from feedback_helpers import answers, in_team

from clearinghouse.extensions import db
from clearinghouse.feedback import service
from clearinghouse.feedback.models import FeedbackResponse
from clearinghouse.models import AuditEvent, utcnow

HEADER = "team,received,explained,listened,helped,better\n"


def _count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(FeedbackResponse))


def test_a_practitioner_keys_in_a_paper_form(users, login):
    worker = users["practitioner"]
    team = in_team(users["manager"], worker)
    client = login(worker)
    page = client.get("/feedback/paper")
    assert page.status_code == 200
    quarter = service.quarter_of(utcnow().date())
    assert service.quarter_label(quarter) in unescape(page.get_data(as_text=True))
    saved = client.post("/feedback/paper", data={"quarter": quarter, **answers()})
    assert saved.status_code == 302
    row = db.session.scalar(db.select(FeedbackResponse))
    assert (row.team_id, row.quarter, row.source, row.helped) == (
        team.id, quarter, "paper", "The plan",
    )  # fmt: skip
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "feedback_paper_entered")
    )
    assert event.user_id == worker.id and event.detail == {}  # no answers in the audit log


def test_the_paper_form_names_each_problem(users, login):
    client = login(users["practitioner"])
    response = client.post(
        "/feedback/paper", data={"quarter": "1999-Q1", "explained": "12", "helped": "x" * 1001}
    )
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and "govuk-error-summary" in html
    assert "Not a valid choice" in html or "Choose when the form came back" in html
    assert "Choose yes, a bit or no" in html and "1000 characters or fewer" in html
    assert _count() == 0


@pytest.mark.parametrize("person", ["admin"])
def test_paper_forms_are_for_people_of_an_authority(users, login, person):
    client = login(users[person])
    assert client.get("/feedback/paper").status_code == 403
    assert client.post("/feedback/paper", data=answers(quarter="2026-Q4")).status_code == 403
    assert client.get("/feedback/codes").status_code == 403
    assert client.post("/feedback/codes").status_code == 403


def test_a_practitioner_gets_a_code_shown_once(users, login):
    client = login(users["practitioner"])
    page = unescape(client.get("/feedback/codes").get_data(as_text=True))
    assert "localhost/feedback" in page
    issued = unescape(client.post("/feedback/codes").get_data(as_text=True))
    assert 'id="feedback-code"' in issued and "Works until" in issued
    again = unescape(client.get("/feedback/codes").get_data(as_text=True))
    assert 'id="feedback-code"' not in again


@pytest.mark.app_settings(FEEDBACK_ADDRESS="ourcouncil.example/feedback")
def test_the_printed_address_can_be_set(users, login):
    page = login(users["practitioner"]).get("/feedback/codes").get_data(as_text=True)
    assert "ourcouncil.example/feedback" in page


def _import(runner, tmp_path, text: str, authority: str = "north"):
    path = tmp_path / "forms.csv"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=["import-feedback", str(path), "--authority", authority])


def test_a_good_csv_is_imported(runner, users, tmp_path):
    in_team(users["manager"], users["practitioner"], "Family support")
    text = HEADER + (
        "Family support,2026-10-02,8,yes,They listened,\n"
        ',2026-07-15,3,A bit,,"Tell us, sooner"\n'
        "family SUPPORT,2026-11-20,10,no,,\n"
    )
    result = _import(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    assert "Imported 3 paper feedback forms." in result.output
    rows = db.session.scalars(db.select(FeedbackResponse).order_by(FeedbackResponse.id)).all()
    assert [(r.quarter, r.explained, r.listened, r.source) for r in rows] == [
        ("2026-Q4", 8, "yes", "paper"), ("2026-Q3", 3, "a_bit", "paper"),
        ("2026-Q4", 10, "no", "paper"),
    ]  # fmt: skip
    assert rows[1].team_id is None and rows[1].better == "Tell us, sooner"


def test_a_csv_with_bad_rows_imports_nothing_and_names_each(runner, users, tmp_path):
    text = HEADER + (
        ",2026-10-02,8,yes,,\n"
        "Nowhere team,2026-10-02,8,yes,,\n"
        ",02/10/2026,11,maybe,,\n"
        ",2999-01-01,5,no,,\n"
        ",0026-10-02,²,yes,,\n"
    )
    result = _import(runner, tmp_path, text)
    assert result.exit_code == 1
    out = result.output
    assert "Traceback" not in out and "nothing was imported" in out
    assert "row 3, team: Northshire County Council has no team called 'Nowhere team'" in out
    assert "row 4, received: write the date as YYYY-MM-DD" in out
    assert "row 4, explained: choose a number from 0 to 10" in out
    assert "row 4, listened: choose yes, a bit or no" in out
    assert "row 5, received: the date is in the future" in out
    assert "row 6, received: the date is before 2000: check the year" in out
    assert "row 6, explained: choose a number from 0 to 10" in out
    assert "row 2" not in out
    assert _count() == 0


@pytest.mark.parametrize(
    "text, message",
    [
        ("received,explained\n2026-10-01,5\n", "Missing: listened"),
        ("received,explained,listened,name\n2026-10-01,5,yes,Jo\n", "not known: name"),
        (HEADER, "no forms in it"),
        (HEADER + ",2026-10-01,5,yes,,,extra\n", "row 2: it has more cells than columns"),
        ("", "Missing: received, explained, listened"),
    ],
)
def test_a_csv_of_the_wrong_shape_is_refused(runner, users, tmp_path, text, message):
    result = _import(runner, tmp_path, text)
    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output and _count() == 0


def test_import_refusals_without_a_file_or_authority(runner, users, tmp_path):
    result = _import(runner, tmp_path, HEADER + ",2026-10-01,5,yes,,\n", authority="nowhere")
    assert result.exit_code == 1 and "no authority called nowhere" in result.output
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(HEADER.encode() + b",2026-10-01,5,yes,caf\xe9,\n")
    result = runner.invoke(args=["import-feedback", str(bad), "--authority", "north"])
    assert result.exit_code == 1 and "CSV UTF-8" in result.output


def test_quarters(app):
    assert service.quarter_of(date(2026, 12, 31)) == "2026-Q4"
    assert service.quarter_of(date(2027, 1, 1)) == "2027-Q1"
    assert service.recent_quarters(date(2027, 2, 1)) == ["2027-Q1", "2026-Q4", "2026-Q3", "2026-Q2"]
    assert service.quarter_label("2026-Q3") == "July to September 2026"
