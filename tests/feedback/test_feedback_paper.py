"""Paper feedback forms: keyed in on a signed-in page, or imported from a CSV file."""

from datetime import date, timedelta
from html import unescape

import pytest
from feedback_helpers import answers, in_team

from clearinghouse.errors import InvalidInput
from clearinghouse.extensions import db
from clearinghouse.feedback import codes, service
from clearinghouse.feedback.models import FeedbackCode, FeedbackResponse
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
    saved = client.post("/feedback/paper", data=answers())
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
    response = client.post("/feedback/paper", data={"explained": "12", "helped": "x" * 1001})
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
    # Stored in the quarter they are imported, whenever they came back: a quarter that is
    # over never changes, so no family's answer can be read from a before and an after.
    now = service.quarter_of(utcnow().date())
    assert [(r.quarter, r.explained, r.listened, r.source) for r in rows] == [
        (now, 8, "yes", "paper"), (now, 3, "a_bit", "paper"), (now, 10, "no", "paper"),
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


def _used(code: str) -> bool:
    return db.session.scalar(
        db.select(FeedbackCode.used).where(FeedbackCode.code_hash == codes.code_hash(code))
    )


def test_a_paper_form_uses_its_code_and_counts_for_the_team_that_gave_it(users, login):
    manager, worker = users["manager"], users["practitioner"]
    giver = in_team(manager, worker, "Family support")
    code = codes.code_issue(worker).code
    keyer = users["editor"]
    in_team(manager, keyer, "Business support")
    client = login(keyer)
    saved = client.post("/feedback/paper", data={"code": code, **answers()})
    assert saved.status_code == 302
    assert db.session.scalar(db.select(FeedbackResponse.team_id)) == giver.id
    assert _used(code)
    # The family then tries online: the code is spent, so they are not counted twice.
    with pytest.raises(InvalidInput) as spent:
        service.feedback_submit(code, answers(), "10.0.0.2")
    assert spent.value.code == "code_used" and _count() == 1


def test_a_paper_form_whose_code_was_answered_online_is_not_saved(users, login):
    worker = users["practitioner"]
    code = codes.code_issue(worker).code
    service.feedback_submit(code, answers(), "10.0.0.3")
    client = login(worker)
    refused = client.post("/feedback/paper", data={"code": code, **answers()})
    assert refused.status_code == 422
    page = unescape(refused.get_data(as_text=True))
    assert "already answered with this form's code" in page and 'href="#code"' in page
    assert _count() == 1


@pytest.mark.parametrize("typed", ["AAAA-AAAA", "not a code", "south"])
def test_a_paper_form_with_a_code_not_of_the_authority_is_refused(users, typed):
    if typed == "south":
        typed = codes.code_issue(users["south_practitioner"]).code
    with pytest.raises(InvalidInput) as refused:
        service.paper_enter(users["practitioner"], answers(), code=typed)
    assert refused.value.code == "code_not_valid" and _count() == 0


def test_a_paper_form_that_comes_back_late_still_uses_its_code(users):
    worker = users["practitioner"]
    code = codes.code_issue(worker, now=utcnow() - timedelta(days=60)).code
    service.paper_enter(worker, answers(), code=code)
    assert _used(code) and _count() == 1


def test_a_csv_uses_each_rows_code_and_refuses_used_or_repeated_ones(runner, users, tmp_path):
    worker = users["practitioner"]
    fresh, answered, twice = (codes.code_issue(worker).code for _ in range(3))
    service.feedback_submit(answered, answers(), "10.0.0.4")
    header = "received,explained,listened,code\n"
    bad = header + (
        f"2026-10-02,8,yes,{fresh}\n2026-10-02,8,yes,{answered}\n"
        f"2026-10-02,8,yes,{twice}\n2026-10-02,8,yes,{twice.lower()}\n"
    )
    result = _import(runner, tmp_path, bad)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "row 3, code: the family has already answered with this form's code" in result.output
    assert "row 5, code: the same code is on row 4" in result.output
    assert _count() == 1 and not _used(fresh) and not _used(twice)
    result = _import(runner, tmp_path, header + f"2026-10-02,8,yes,{fresh}\n2026-10-03,6,no,\n")
    assert result.exit_code == 0, result.output
    assert _count() == 3 and _used(fresh)
