"""The practice figures page, its CSV and the sharing choice, through the test client."""

import csv
import io
import re
from html import unescape

import pytest
from factories import make_user
from figure_helpers import answers, audits, last_completed_day, team

from clearinghouse.feedback.service import quarter_label, recent_quarters
from clearinghouse.models import utcnow


@pytest.fixture
def figures_world(users):
    manager = users["manager"]
    day = last_completed_day()
    audits(manager, users["practitioner"], 5, day=day, scale=7)
    audits(manager, users["practitioner"], 1, day=day, scale=2, rating="partly")
    answers(manager.authority_id, team(manager, "Family support").id, 6, day=day, explained=9)
    answers(manager.authority_id, team(manager, "Assessment").id, 3, day=day, explained=1)
    answers(manager.authority_id, None, 2, day=day, explained=5)
    return day


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_the_page_shows_charts_each_with_its_table_and_withheld_cells_in_words(
    login, users, figures_world
):
    response = login(users["manager"]).get("/practice-figures")
    html = _text(response)
    assert response.status_code == 200
    assert html.count("<figure") == 3 and html.count("<figcaption") == 3
    assert html.count('role="img"') == 3
    assert "<script" not in html.split("<main")[1].split("</main>")[0]
    for name in ("ratings", "scales", "feedback"):
        figure = html.split(f'id="figure-{name}"')[1].split("</figure>")[0]
        assert "<svg" in figure and f'id="table-{name}"' in figure
        assert "The same figures are in the table that follows." in figure
    assert "Fewer than 5 responses: not shown, so no one can be recognised" in html
    assert "would give away the figures of teams" not in html  # 3 + 2 withheld: shown
    assert quarter_label(recent_quarters(utcnow().date())[0]) not in html  # in progress


def _rows(html: str, table_id: str) -> list[list[str]]:
    table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    rows = []
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S):
        rows.append(
            [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            ]
        )
    return rows


def _rows_with_notes(html: str, chart: str) -> list[tuple[list[str], str]]:
    """Return each row of a chart's table with the note its chart shows for the same label."""
    notes = _chart_notes(html, chart)
    return [(row, notes[notes.index(row[0]) + 1]) for row in _rows(html, f"table-{chart}")[1:]]


def _chart_notes(html: str, name: str) -> list[str]:
    svg = html.split(f'id="figure-{name}"')[1].split("</svg>")[0]
    return re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", text)


def test_each_chart_carries_the_numbers_of_its_table(login, users, figures_world):
    html = _text(login(users["manager"]).get("/practice-figures"))
    ratings = _rows(html, "table-ratings")
    notes = _chart_notes(html, "ratings")
    for row in ratings[1:]:
        label = row[0]
        note = notes[notes.index(label) + 1]
        assert _numbers(note) == row[1:4], label
    assert [r[1:4] for r in ratings[1:]] == [["5", "1", "0"]] * 12
    for row, note in _rows_with_notes(html, "scales"):
        if row[1] == "0":
            assert note == "No completed audits"
        else:
            # "0 to 3: n, 4 to 6: n, 7 to 10: n; median m"
            bands = re.findall(r": (\d+)", note) + re.findall(r"median (\S+)$", note)
            assert bands == row[2:6] and row[1] == "6"
    for row, note in _rows_with_notes(html, "feedback"):
        if row[1] == "0":
            assert note == "No responses"
        else:
            assert note == f"{row[4]} scored 7 or more; median {row[2]}"


def test_the_csv_withholds_what_the_page_withholds(login, users, figures_world):
    client = login(users["manager"])
    html = _text(client.get("/practice-figures"))
    response = client.get("/practice-figures/figures.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["figure", "quarter", "group", "measure", "value"]
    withheld = {(r[1], r[2]) for r in rows if r[3] == "withheld"}
    label = quarter_label(recent_quarters(utcnow().date(), 2)[1])
    assert withheld == {(label, "Assessment"), (label, "No team recorded")}
    assert all(
        not _numbers(r[4]) or r[4].startswith("Fewer than 5") for r in rows if r[3] == "withheld"
    )
    shown = {(r[2], r[3]): r[4] for r in rows if r[1] == label}
    assert shown[("Family support", "responses")] == "6"
    assert shown[("All teams", "responses")] == "11"  # the withheld teams hold 5 together
    assert shown[("All completed audits", "audits")] == "6"
    assert shown[("Scale 0 to 3", "audits")] == "1" and shown[("Scale 7 to 10", "audits")] == "5"
    for (group, measure), value in shown.items():
        if measure != "withheld" and group in ("Family support", "All teams"):
            assert value in html, (group, measure, value)


def test_a_team_named_like_a_formula_is_not_run_by_a_spreadsheet(login, users):
    manager = users["manager"]
    answers(manager.authority_id, team(manager, "=HYPERLINK(1)").id, 5, day=last_completed_day())
    body = login(manager).get("/practice-figures/figures.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in body and "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_with_no_data_the_page_says_so(login, users):
    html = _text(login(users["manager"]).get("/practice-figures"))
    assert "No completed audits in this quarter." in html
    assert "No responses in these quarters." in html
    assert "No completed audits" in html.split('id="figure-scales"')[1]


def test_sharing_is_off_by_default_and_a_manager_turns_it_on(login, users, figures_world):
    south = make_user("manager", "south", name="South manager")
    south_client = login(south)
    assert south_client.get("/practice-figures?authority=north").status_code == 404
    assert south_client.get("/practice-figures/figures.csv?authority=north").status_code == 404
    assert "Northshire" not in _text(south_client.get("/practice-figures")).split("<main")[1]
    client = login(users["manager"])
    response = client.post("/practice-figures/sharing", data={"sharing": "shared"})
    assert response.status_code == 302
    page = _text(south_client.get("/practice-figures"))
    assert 'href="/practice-figures?authority=north"' in page
    shared = _text(south_client.get("/practice-figures?authority=north"))
    assert "Northshire County Council" in shared and 'name="sharing"' not in shared
    mine = _text(client.get("/practice-figures"))
    for table in ("table-scales", "table-feedback"):
        assert _rows(shared, table) == _rows(mine, table)
    csv_body = south_client.get("/practice-figures/figures.csv?authority=north").get_data()
    assert csv_body == client.get("/practice-figures/figures.csv").get_data()
    assert b"Kind words" not in csv_body and b"Kind words" not in shared.encode()


def test_the_share_choice_must_be_made(login, users):
    response = login(users["manager"]).post("/practice-figures/sharing", data={})
    assert response.status_code == 400
    assert "Choose who can see your authority's practice figures." in _text(response)


@pytest.mark.parametrize("person", ["practitioner", "editor", "south_editor"])
def test_practitioners_and_editors_are_refused_and_have_no_link(login, users, person):
    client = login(users[person])
    for url in ("/practice-figures", "/practice-figures?authority=north",
                "/practice-figures/figures.csv"):  # fmt: skip
        assert client.get(url).status_code == 403
    assert client.post("/practice-figures/sharing", data={"sharing": "shared"}).status_code == 403
    assert "Practice figures" not in _text(client.get("/"))


def test_managers_and_admins_have_the_link(login, users):
    assert 'href="/practice-figures"' in _text(login(users["manager"]).get("/"))
    admin = login(users["admin"])
    assert 'href="/practice-figures"' in _text(admin.get("/"))
    chooser = _text(admin.get("/practice-figures"))
    assert "Choose an authority" in chooser and "?authority=south" in chooser
    assert admin.post("/practice-figures/sharing", data={"sharing": "shared"}).status_code == 403


@pytest.mark.parametrize(
    "url, status, words",
    [
        ("/practice-figures?authority=nowhere", 404, "There is no authority with that name"),
        ("/practice-figures/figures.csv?authority=nowhere", 404, "There is no authority"),
        ("/practice-figures?quarter=2026-Q9", 400, "Choose one of the quarters listed"),
        ("/practice-figures?quarter=" + "9" * 5000, 400, "Choose one of the quarters listed"),
        ("/practice-figures?authority=%00", 400, "cannot be used"),
    ],
)
def test_bad_addresses_are_clear_4xx(login, users, url, status, words):
    response = login(users["manager"]).get(url)
    assert response.status_code == status
    assert words in _text(response)


def test_the_self_assessment_history_is_charted_for_its_own_authority_only(login, users):
    from clearinghouse.self_assessment.service import self_assessment_record, self_assessment_share

    manager = users["manager"]
    for scale in (3, 5, 6):
        self_assessment_record(manager, scale, f"Why {scale}")
    self_assessment_share(manager, True)
    client = login(manager)
    html = _text(client.get("/practice-figures"))
    rows = _rows(html, "table-self-assessment")
    assert [r[1] for r in rows[1:]] == ["3", "5", "6"]  # oldest first
    notes = _chart_notes(html, "self-assessment")
    assert [notes[notes.index(r[0], i * 2) + 1] for i, r in enumerate(rows[1:])] == [
        "3 out of 10", "5 out of 10", "6 out of 10"]  # fmt: skip
    assert "Why 5" not in html  # the notes stay on the self-assessment page
    csv_body = client.get("/practice-figures/figures.csv").get_data(as_text=True)
    assert csv_body.count("Implementation self-assessment (0 to 10)") == 3
    client.post("/practice-figures/sharing", data={"sharing": "shared"})
    south = login(make_user("manager", "south", name="South manager"))
    other = _text(south.get("/practice-figures?authority=north"))
    assert "self-assessment history stays within the authority" in other
    assert 'id="table-self-assessment"' not in other
    other_csv = south.get("/practice-figures/figures.csv?authority=north").get_data(as_text=True)
    assert "Implementation self-assessment" not in other_csv
