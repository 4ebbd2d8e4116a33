"""The case journey through the Flask test client: enter a case once, in parts, then check
answers and generate from it, with nothing of the case kept on the server."""

import io
import zipfile

import pytest
from docx import Document

from .walker import Walker


@pytest.fixture
def walker(login, users):
    return Walker(login(users["practitioner"]))


def _start(walker, target=""):
    walker.get("/case" + (f"?for={target}" if target else ""))
    assert walker.response.status_code == 200
    walker.press("Start a new case")
    assert walker.response.status_code == 200
    assert "Your case" in walker.text


def _add_child(walker, name, day, month, year):
    walker.press("Children")
    walker.press("Add a child" if "Add a child" in walker.text else "Add another child")
    assert walker.response.status_code == 200, walker.text
    walker.press(
        "Save and continue",
        {
            "name": name,
            "date_of_birth-day": day,
            "date_of_birth-month": month,
            "date_of_birth-year": year,
        },
    )


def test_a_child_added_on_its_own_page_shows_in_the_list(walker):
    _start(walker)
    _add_child(walker, "Amy Stone", "14", "6", "2017")
    assert walker.response.status_code == 200, walker.text
    assert "Amy Stone" in walker.text  # back on the part page, in the summary
    assert "C1" not in walker.text  # the id is made by the service and never shown
    walker.press("Save and continue")
    assert "Your case" in walker.text


def test_a_date_that_is_not_real_is_refused_beside_its_boxes(walker):
    _start(walker)
    walker.press("Children")
    walker.press("Add a child")
    walker.press(
        "Save and continue",
        {"name": "Amy", "date_of_birth-day": "31", "date_of_birth-month": "2",
         "date_of_birth-year": "2017"},
    )  # fmt: skip
    assert walker.response.status_code == 400
    assert "must be a real date, for example 27 3 2026" in walker.text
    assert 'href="#date_of_birth-day"' in walker.html
    assert 'value="31"' in walker.html  # what was typed is shown again


def _date(name, day, month, year) -> dict:
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def _add(walker, part, button, answers, then_save_part=True):
    """Open a part from the task list, add one item with answers, save it and the part."""
    walker.press(part)
    walker.press(button)
    walker.press("Save and continue", answers)
    assert walker.response.status_code == 200, walker.text[:2000]
    if then_save_part:
        walker.press("Save and continue")
        assert "Your case" in walker.text, walker.text[:2000]


def fill_plo_case(walker):
    """Enter, page by page, a case with what a letter before proceedings needs."""
    walker.press("Your authority's details")
    walker.press("Save and continue", {"name": "Testshire Council", "phone": "0100 000 0001"})
    assert "Your case" in walker.text, walker.text[:2000]
    walker.press("Lead social worker and key dates")
    walker.press("Answer", nth=0)  # the worker's own page
    walker.press("Save and continue", {"name": "Sam Worker", "phone": "0100 000 0000"})
    walker.press("Save and continue")
    _add(
        walker,
        "Children",
        "Add a child",
        {"name": "Amy Stone", **_date("date_of_birth", "14", "6", "2017")},
    )
    _add(walker, "Family and parental responsibility", "Add a family member",
         {"name": "Dana Stone", "relationship": "Mother", "parental_responsibility_for": "C1",
          "address": "1 Mother Street, Town"}, then_save_part=False)  # fmt: skip
    walker.press("Add another family member")
    walker.press("Save and continue", {"name": "Rob Hill", "relationship": "Father",
                                       "parental_responsibility_for": "C1",
                                       "address": "2 Father Road, Town"})  # fmt: skip
    walker.press("Save and continue")
    _add(walker, "What we are worried about", "Add a danger statement",
         {"who_is_worried": "Children's services", "worried_about": "Shouting and hitting.",
          "what_may_happen": "Amy may be hurt."})  # fmt: skip
    walker.press("What needs to happen")
    walker.press("Add a safety goal")
    assert "Shouting and hitting." in walker.text  # the danger statement is chosen by name
    walker.press("Save and continue", {"danger_statement_id": "D1",
                                       "parents_will": "Keep Amy safe from shouting."})  # fmt: skip
    walker.press("Save and continue")
    _add(walker, "Meetings", "Add a meeting",
         {"type": "pre_proceedings", **_date("date", "1", "12", "2026")})  # fmt: skip


def test_one_case_makes_the_plo_pack_the_conference_report_and_the_family_summary(walker):
    _start(walker)
    fill_plo_case(walker)
    walker.press("Check your answers", {"target": "pack:plo-letters"})
    assert walker.response.status_code == 200
    assert "Check your answers" in walker.text
    assert "Correct these" not in walker.text, walker.text[:3000]
    check_page = walker.response
    walker.press("Generate the pack")
    assert walker.response.status_code == 200, walker.text[:2000]
    assert walker.response.headers["Content-Type"] == "application/zip"
    assert walker.response.headers["Cache-Control"] == "no-store"
    made = walker.response
    with zipfile.ZipFile(io.BytesIO(made.get_data())) as archive:
        names = archive.namelist()
        letters = [Document(io.BytesIO(archive.read(n))) for n in names if "letter" in n]
    assert len(names) == 3, names  # a letter for each parent with responsibility, and the guide
    texts = ["\n".join(p.text for p in d.paragraphs) for d in letters]
    assert sum("Dana Stone" in t for t in texts) >= 1 and sum("Rob Hill" in t for t in texts) >= 1
    assert not any("1 Mother Street" in t and "2 Father Road" in t for t in texts)

    # The same case, without retyping: the conference report.
    walker.response = check_page
    walker.press("Back to your case")
    _add(walker, "Meetings", "Add another meeting",
         {"type": "initial_conference", **_date("date", "2", "12", "2026")})  # fmt: skip
    walker.press("Check your answers", {"target": "template:cp-conference-report"})
    assert "Correct these" not in walker.text, walker.text[:3000]
    report_check = walker.response
    walker.press("Preview the document")
    assert walker.response.status_code == 200
    assert "Shouting and hitting." in walker.text
    walker.press("Download the document")
    report = Document(io.BytesIO(walker.response.get_data()))
    text = "\n".join(p.text for p in report.paragraphs) + "\n".join(
        c.text for t in report.tables for r in t.rows for c in r.cells
    )
    assert "Amy Stone" in text and "Shouting and hitting." in text

    # And the conference summary written for the family, from the same case again.
    walker.response = report_check
    walker.press("Back to your case")
    walker.press("Check your answers", {"target": "template:cp-conference-summary-family"})
    assert "Correct these" not in walker.text, walker.text[:3000]
    walker.press("Download it now")
    summary = Document(io.BytesIO(walker.response.get_data()))
    text = "\n".join(p.text for p in summary.paragraphs)
    assert "Amy" in text and walker.response.headers["Cache-Control"] == "no-store"


def test_the_task_list_says_which_documents_use_each_part(walker):
    _start(walker)
    assert "Used in: " in walker.text
    court = walker.html.split('value="part:court"')[1].split("</li>")[0]
    assert "Letter before proceedings" in court


def test_a_chosen_pack_shows_the_parts_it_needs_first(walker):
    _start(walker, "pack:plo-letters")
    assert "For: Letters before proceedings" in walker.text
    needed, others = walker.html.split("Parts other documents need")
    assert 'value="part:court"' in needed  # the letter prints the pre-proceedings details
    assert 'value="/supervision"' in others and 'value="/supervision"' not in needed
