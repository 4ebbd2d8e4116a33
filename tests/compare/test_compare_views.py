"""Compare, version-diff and coverage pages, and their API endpoints."""

import csv
import io

import pytest
from factories import make_version


@pytest.fixture
def docs(users, make_document, md, base_sections):
    edited = [(h, list(p)) for h, p in base_sections]
    edited[0][1][0] = edited[0][1][0].replace("families and workers", "parents and carers")
    north = make_document(
        users["editor"],
        title="North PLO guide",
        data=md(base_sections),
        filename="n.md",
        doc_type="plo-guidance-notes",
    )
    make_version(users["editor"], north.document_id, md(edited), "n.md", "Plainer words")
    south = make_document(
        users["south_editor"],
        title="South PLO guide",
        data=md(edited[:2]),
        filename="s.md",
        doc_type="plo-guidance-notes",
    )
    hidden = make_document(
        users["south_editor"],
        title="South internal guide",
        visibility="internal",
        data=md(base_sections),
        filename="h.md",
    )
    make_version(users["south_editor"], hidden.document_id, md(edited), "h.md", "Edit")
    return {"north": north.document_id, "south": south.document_id, "hidden": hidden.document_id}


def test_compare_page_lists_only_visible_documents(users, login, docs):
    page = login(users["manager"]).get("/compare").get_data(as_text=True)
    assert "North PLO guide (Northshire County Council)" in page
    assert f'value="{docs["north"]}@1"' not in page  # documents first, versions after
    assert "South PLO guide" in page
    assert "South internal guide" not in page


def test_choose_documents_then_their_versions_without_javascript(users, login, docs):
    client = login(users["manager"])
    first = client.get("/compare").get_data(as_text=True)
    assert 'formaction="/compare"' in first and 'name="step" value="versions"' in first
    step = client.get(f"/compare?first={docs['north']}&second={docs['south']}&step=versions")
    page = step.get_data(as_text=True)
    assert step.status_code == 200 and "Choose versions to compare" in page
    assert "Version of North PLO guide (Northshire County Council)" in page
    assert f'value="{docs["north"]}@1"' in page and "Latest version (version 2)" in page
    assert 'action="/compare/result"' in page
    assert 'name="third"' not in page  # only the chosen documents' selects
    back = f'href="/compare?first={docs["north"]}&amp;second={docs["south"]}"'
    assert back in page
    chosen = client.get(f"/compare/result?first={docs['north']}@1&second={docs['south']}")
    assert chosen.status_code == 200
    # Back to the first step keeps the documents, not the versions.
    again = client.get(f"/compare?first={docs['north']}@1&second={docs['south']}")
    assert f'<option value="{docs["north"]}" selected' in again.get_data(as_text=True)


def test_versions_step_needs_two_visible_documents(users, login, docs):
    client = login(users["manager"])
    assert client.get(f"/compare?first={docs['north']}&step=versions").status_code == 400
    hidden = client.get(f"/compare?first={docs['north']}&second={docs['hidden']}&step=versions")
    assert hidden.status_code == 404
    assert "South internal guide" not in hidden.get_data(as_text=True)


def test_compare_two_documents_side_by_side(users, login, docs):
    client = login(users["manager"])
    response = client.get(f"/compare/result?first={docs['north']}@1&second={docs['south']}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "% of the words are the same in both" in page
    # Two authorities' choices: each one's wording, never struck through as if deleted.
    assert "<del " not in page and "<ins " not in page
    only = '<span class="app-only"><span class="govuk-visually-hidden">[only in {}: </span>{}<'
    assert only.format("Northshire", "families") in page
    assert only.format("Southborough", "parents") in page
    assert "Only in Northshire" in page and "How differences are shown" in page


def test_compare_two_versions_of_one_document_shows_tracked_changes(users, login, docs):
    client = login(users["manager"])
    response = client.get(f"/compare/result?first={docs['north']}@1&second={docs['north']}")
    page = response.get_data(as_text=True)
    deleted = '<del class="app-diff-delete"><span class="govuk-visually-hidden">[deleted: </span>'
    assert deleted + "families<" in page and deleted + "workers<" in page
    inserted = '<ins class="app-diff-insert"><span class="govuk-visually-hidden">[inserted: </span>'
    assert inserted + "parents<" in page and inserted + "carers<" in page
    assert "How changes are shown" in page


def test_compare_form_errors(users, login, docs):
    client = login(users["manager"])
    response = client.get(f"/compare/result?first={docs['north']}&second=")
    assert response.status_code == 400
    assert "Choose the second document to compare" in response.get_data(as_text=True)
    response = client.get("/compare/result?first=abc&second=1")
    assert response.status_code == 422
    assert "must be a document number" in response.get_data(as_text=True)


def test_comparing_another_authoritys_internal_document_is_404(users, login, docs):
    client = login(users["manager"])
    assert (
        client.get(f"/compare/result?first={docs['north']}&second={docs['hidden']}").status_code
        == 404
    )
    assert client.get(f"/documents/{docs['hidden']}/diff?from=1&to=2").status_code == 404
    assert (
        login(users["south_practitioner"]).get(f"/documents/{docs['hidden']}/diff").status_code
        == 200
    )


def test_three_documents_give_a_table(users, login, docs):
    client = login(users["manager"])
    page = client.get(
        f"/compare/result?first={docs['north']}@1&second={docs['north']}&third={docs['south']}"
    ).get_data(as_text=True)
    assert "Who covers what" in page and "Not covered" in page


def test_version_diff_page(users, login, docs):
    client = login(users["practitioner"])
    page = client.get(f"/documents/{docs['north']}/diff").get_data(as_text=True)
    assert "Changes from version 1 to version 2" in page
    assert "Plainer words" in page
    assert "[deleted: </span>families<" in page and "[inserted: </span>parents<" in page
    response = client.get(f"/documents/{docs['north']}/diff?from=x&to=2")
    assert response.status_code == 422
    assert client.get(f"/documents/{docs['south']}/diff").status_code == 422
    assert client.get(f"/documents/{docs['north']}/diff?from=1&to=9").status_code == 404
    assert client.get("/documents/99999999999999999999/diff").status_code == 404


def test_coverage_page_and_csv(users, login, docs):
    client = login(users["manager"])
    page = client.get("/coverage").get_data(as_text=True)
    assert "Pre-proceedings (PLO)" in page
    assert f'href="/documents/{docs["north"]}"' in page
    assert "South internal guide" not in page
    assert client.get("/coverage?stage=nope").status_code == 422
    response = client.get("/coverage.csv?stage=pre-proceedings")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["stage"] for r in rows} == {"pre-proceedings"}
    north = next(
        r for r in rows if r["authority"] == "north" and r["doc_type"] == "plo-guidance-notes"
    )
    assert north["version_count"] == "2"
    assert north["url"].endswith(f"/documents/{docs['north']}")


def test_pages_need_sign_in(client):
    pages = ("/compare", "/compare/result", "/coverage", "/coverage.csv", "/documents/1/diff")
    for url in (*pages, "/compare/saved", "/compare/saved/1"):
        assert client.get(url).status_code == 302
    assert client.post("/compare/saved").status_code == 302


def test_api_diff_shape(users, api_headers, client, docs):
    headers = api_headers(users["practitioner"])
    response = client.get(f"/api/v1/documents/{docs['north']}/diff?from=1&to=2", headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert 0 <= body["similarity"] <= 1
    for section in body["sections"]:
        assert set(section) == {"left", "right", "status", "changes"}
        assert section["status"] in {"same", "changed", "only_left", "only_right"}
        assert all(set(c) == {"op", "text"} for c in section["changes"])
    changed = [s for s in body["sections"] if s["status"] == "changed"]
    assert [s["left"] for s in changed] == ["Purpose"]
    assert [c for c in changed[0]["changes"] if c["op"] != "equal"] == [
        {"op": "delete", "text": " families"},
        {"op": "insert", "text": " parents"},
        {"op": "delete", "text": " workers"},
        {"op": "insert", "text": " carers"},
    ]
    assert body["summary"]["sections_changed"] == 1


def test_api_compare_shape_and_errors(users, api_headers, client, docs):
    headers = api_headers(users["manager"])
    response = client.get(
        f"/api/v1/compare?left={docs['north']}@1&right={docs['south']}", headers=headers
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["left"]["version"] == 1 and body["right"]["authority"] == "south"
    assert {s["status"] for s in body["sections"]} >= {"changed", "only_left"}
    cases = [
        ("/api/v1/compare?left=1", 400, "missing_parameter"),
        ("/api/v1/compare?left=x&right=1", 422, "invalid_parameter"),
        (f"/api/v1/compare?left={docs['north']}&right={docs['hidden']}", 404, "not_found"),
        (f"/api/v1/documents/{docs['hidden']}/diff", 404, "not_found"),
        (f"/api/v1/documents/{docs['north']}/diff?from=0", 422, "invalid_parameter"),
        (f"/api/v1/documents/{docs['south']}/diff", 422, "no_earlier_version"),
        ("/api/v1/compare/table?documents=1", 422, "invalid_document_count"),
        ("/api/v1/coverage?stage=x", 422, "unknown_stage"),
    ]
    for url, status, code in cases:
        response = client.get(url, headers=headers)
        assert (response.status_code, response.get_json()["error"]["code"]) == (status, code), url
    assert client.get("/api/v1/compare?left=1&right=2").status_code == 401


def test_api_table_and_coverage(users, api_headers, client, docs):
    headers = api_headers(users["manager"])
    refs = f"{docs['north']}@1,{docs['north']}@2,{docs['south']}"
    body = client.get(f"/api/v1/compare/table?documents={refs}", headers=headers).get_json()
    assert len(body["documents"]) == 3
    assert all(len(row["cells"]) == 3 for row in body["rows"])
    matrix = client.get("/api/v1/coverage?stage=pre-proceedings", headers=headers).get_json()
    north = next(r for r in matrix["rows"] if r["authority"] == "north")
    cell = next(c for c in north["cells"] if c["doc_type"] == "plo-guidance-notes")
    assert (cell["status"], cell["document_id"], cell["version_count"]) == (
        "shared",
        docs["north"],
        2,
    )
    assert "South internal guide" not in repr(matrix)
    spec = client.get("/api/v1/openapi.json", headers=headers).get_json()
    assert {"/compare", "/documents/{document_id}/diff", "/coverage"} <= set(spec["paths"])
