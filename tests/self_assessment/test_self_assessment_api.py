"""GET and POST /api/v1/self-assessments, coverage's API beside them, the OpenAPI description
and the self-assessments command."""

import pytest
from factories import make_user

from clearinghouse.self_assessment import service


@pytest.fixture
def south_manager(users):
    return make_user("manager", "south", name="South manager")


def _post(client, headers, body, **kwargs):
    return client.post("/api/v1/self-assessments", json=body, headers=headers, **kwargs)


def test_a_manager_records_and_reads_the_history(client, users, api_headers):
    headers = api_headers(users["manager"])
    first = _post(client, headers, {"scale": 3, "note": "Training started."})
    assert first.status_code == 201
    assert first.get_json()["scale"] == 3 and first.get_json()["recorded_at"].endswith("Z")
    _post(client, headers, {"scale": 5, "note": "Supervision aligned."})
    body = client.get("/api/v1/self-assessments", headers=api_headers(users["practitioner"]))
    assert body.status_code == 200
    data = body.get_json()
    assert data["authority"] == "north" and data["shared"] is False and not data["can_record"]
    assert [r["scale"] for r in data["history"]] == [5, 3]
    assert data["history"][0]["recorded_by"] == "North manager"


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"scale": 11, "note": "x"}, 422, "scale_out_of_range"),
        ({"scale": -3, "note": "x"}, 422, "scale_out_of_range"),
        ({"scale": "high", "note": "x"}, 422, "invalid_scale"),
        ({"scale": "²", "note": "x"}, 422, "invalid_scale"),
        ({"scale": "9" * 5000, "note": "x"}, 422, "invalid_scale"),
        ({"note": "x"}, 422, "invalid_scale"),
        ({"scale": 5}, 422, "note_required"),
        ({"scale": 5, "note": "n" * 2001}, 422, "note_too_long"),
        ({"scale": 5, "note": ["x"]}, 422, "invalid_note"),
        ({"scale": 5, "note": "x", "shared": "yes"}, 422, "invalid_shared"),
        ({"scale": 5, "note": "bad\u0000"}, 400, "invalid_text"),
        ([5], 400, "invalid_json"),
    ],
)
def test_bad_bodies_get_a_stable_code_and_nothing_is_saved(
    client, users, api_headers, body, status, code
):
    response = _post(client, api_headers(users["manager"]), body)
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert service.self_assessment_overview(users["manager"]).history == []


def test_a_body_that_is_not_json_is_refused(client, users, api_headers):
    response = client.post(
        "/api/v1/self-assessments",
        data=b"scale=5",
        headers=api_headers(users["manager"]),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("person", ["practitioner", "editor", "south_editor"])
def test_only_managers_may_post(client, users, api_headers, person):
    response = _post(client, api_headers(users[person]), {"scale": 5, "note": "x"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_another_authority_sees_only_the_latest_shared_one(
    client, users, api_headers, south_manager
):
    north = api_headers(users["manager"])
    _post(client, north, {"scale": 2, "note": "First."})
    _post(client, north, {"scale": 4, "note": "Latest.", "shared": True})
    south = client.get("/api/v1/self-assessments", headers=api_headers(users["south_editor"]))
    data = south.get_json()
    assert data["authority"] == "south" and data["history"] == []
    assert [(r["authority"], r["scale"], r["note"]) for r in data["others"]] == [
        ("north", 4, "Latest.")
    ]
    coverage = client.get("/api/v1/coverage", headers=api_headers(users["south_editor"]))
    rows = {r["authority"]: r["self_assessment"] for r in coverage.get_json()["rows"]}
    assert rows["north"]["scale"] == 4 and rows["south"] is None

    _post(client, north, {"scale": 4, "note": "Stop sharing.", "shared": False})
    data = client.get("/api/v1/self-assessments", headers=api_headers(users["south_editor"]))
    assert data.get_json()["others"] == []
    coverage = client.get("/api/v1/coverage", headers=api_headers(users["south_editor"]))
    assert all(r["self_assessment"] is None for r in coverage.get_json()["rows"])


def test_an_admin_names_the_authority(client, users, api_headers):
    headers = api_headers(users["admin"])
    refused = _post(client, headers, {"scale": 5, "note": "x"})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "authority_required"
    made = client.post(
        "/api/v1/self-assessments?authority=north", json={"scale": 5, "note": "x"}, headers=headers
    )
    assert made.status_code == 201 and made.get_json()["authority"] == "north"
    data = client.get("/api/v1/self-assessments", headers=headers).get_json()
    assert data["authority"] is None and data["history"] == []
    unknown = client.get("/api/v1/self-assessments?authority=nowhere", headers=headers)
    assert unknown.status_code == 404 and unknown.get_json()["error"]["code"] == "not_found"


def test_another_authoritys_history_is_not_found(client, users, api_headers):
    response = client.get(
        "/api/v1/self-assessments?authority=north", headers=api_headers(users["south_editor"])
    )
    assert response.status_code == 404


def test_the_api_is_described(client, users, api_headers):
    spec = client.get("/api/v1/openapi.json", headers=api_headers(users["practitioner"]))
    path = spec.get_json()["paths"]["/self-assessments"]
    assert set(path) == {"get", "post"}
    assert "scale_out_of_range" in path["post"]["responses"]["422"]["description"]
    assert "note_too_long" in path["post"]["responses"]["422"]["description"]


def test_the_command_lists_the_history(runner, users):
    service.self_assessment_record(users["manager"], 3, "Three.\nSecond line.")
    service.self_assessment_record(users["manager"], 7, "Seven.", shared=True)
    result = runner.invoke(args=["self-assessments", "north"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        lines[0] == "Northshire County Council: 2 self-assessments, shared with other authorities."
    )
    assert " 7/10  North manager: Seven." in lines[1]
    assert " 3/10  North manager: Three. Second line." in lines[2]
    as_json = runner.invoke(args=["self-assessments", "north", "--json"])
    assert '"scale": 7' in as_json.output
    missing = runner.invoke(args=["self-assessments", "nowhere"])
    assert missing.exit_code == 1
    assert "That authority does not exist" in missing.output and "Traceback" not in missing.output
