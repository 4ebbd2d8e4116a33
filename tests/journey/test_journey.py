"""The case journey through the Flask test client: enter a case once, in parts, then check
answers and generate from it, with nothing of the case kept on the server."""

import io
import json

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
