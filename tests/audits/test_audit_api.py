"""/api/v1/audits: the same life cycle as JSON, with stable error codes for bad input."""

import pytest
from audit_cases import REFERENCE, every_rating, sample_case


def _create(client, headers, people, **extra):
    body = {
        "case": sample_case(),
        "reference": REFERENCE,
        "lead_id": people["lead"].id,
        "worker_id": people["worker"].id,
        **extra,
    }
    return client.post("/api/v1/audits", json=body, headers=headers)


def test_the_life_cycle_through_the_api(client, api_headers, people):
    lead, worker = api_headers(people["lead"]), api_headers(people["worker"])
    created = _create(client, worker, people)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    audit_id = body["id"]
    assert body["status"] == "in_progress" and body["lead"]["id"] == people["lead"].id
    assert [f["element"] for f in body["pre_assessment"]][0] == "family_understand"
    # The pre-assessment is given once: reading the audit again has none.
    again = client.get(f"/api/v1/audits/{audit_id}", headers=lead).get_json()
    assert "pre_assessment" not in again and len(again["still_to_rate"]) == 13
    patched = client.patch(
        f"/api/v1/audits/{audit_id}",
        json={"ratings": every_rating("partly"), "scale": 5},
        headers=lead,
    )
    assert patched.status_code == 200 and patched.get_json()["still_to_rate"] == []
    assert client.post(f"/api/v1/audits/{audit_id}/sign-off", headers=lead).status_code == 200
    twice = client.post(f"/api/v1/audits/{audit_id}/sign-off", headers=lead)
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "already_signed"
    done = client.post(f"/api/v1/audits/{audit_id}/sign-off", headers=worker).get_json()
    assert done["status"] == "signed_off" and done["completed_at"]
    refused = client.patch(f"/api/v1/audits/{audit_id}", json={"scale": 9}, headers=worker)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "audit_signed_off"
    review = _create(client, lead, people, reference=None, previous_id=audit_id)
    assert review.status_code == 201 and review.get_json()["previous_id"] == audit_id
    listed = client.post("/api/v1/audits/find", json={"reference": " ncc/cs/48213 "}, headers=lead)
    assert [a["id"] for a in listed.get_json()["audits"]] == [review.get_json()["id"], audit_id]
    other = client.post("/api/v1/audits/find", json={"reference": "NCC/CS/48214"}, headers=lead)
    assert other.get_json()["audits"] == []


def test_the_api_is_in_the_openapi_description(client, api_headers, people):
    spec = client.get("/api/v1/openapi.json", headers=api_headers(people["lead"])).get_json()
    assert {"get", "post"} <= set(spec["paths"]["/audits"])
    assert {"get", "patch"} <= set(spec["paths"]["/audits/{audit_id}"])
    assert "post" in spec["paths"]["/audits/{audit_id}/sign-off"]


@pytest.mark.parametrize(
    "change, status, code",
    [
        ({"case": "not an object"}, 400, "invalid_case_file"),
        ({"case": None}, 400, "invalid_case_file"),
        ({"reference": ""}, 422, "invalid_reference"),
        ({"reference": "x" * 61}, 422, "invalid_reference"),
        ({"reference": 12}, 422, "invalid_reference"),
        ({"lead_id": "1"}, 400, "invalid_json"),
        ({"lead_id": 10**12}, 422, "invalid_audit"),
        ({"worker_id": None}, 422, "invalid_audit"),
        ({"previous_id": 999}, 404, "not_found"),
        ({"case": {"children": [{"name": "x" * 600_000}]}}, 413, None),
    ],
)
def test_bad_input_to_create_is_a_clear_4xx(client, api_headers, people, change, status, code):
    response = _create(client, api_headers(people["lead"]), people, **change)
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert error["message"]
    if code:
        assert error["code"] == code


def test_a_bad_reference_type_is_refused_not_crashed(client, api_headers, people):
    response = _create(client, api_headers(people["lead"]), people, reference=["a"])
    assert response.status_code == 422


@pytest.mark.parametrize(
    "body, status, path",
    [
        ({"ratings": {"nonsense": {"rating": "met", "reason": "x"}}}, 422, "ratings/nonsense"),
        ({"ratings": {"examples": {"rating": "great", "reason": "dated_examples"}}}, 422,
         "ratings/examples/rating"),
        ({"ratings": {"examples": {"rating": "not_met", "reason": "dated_examples"}}}, 422,
         "ratings/examples/reason"),
        ({"ratings": {"examples": "met"}}, 422, "ratings/examples/rating"),
        ({"ratings": ["met"]}, 422, "ratings"),
        ({"scale": 11}, 422, "scale"),
        ({"scale": -1}, 422, "scale"),
        ({"scale": "5"}, 400, None),
        ({"scale": True}, 400, None),
    ],
)  # fmt: skip
def test_bad_ratings_name_the_path(client, api_headers, people, body, status, path):
    headers = api_headers(people["worker"])
    audit_id = _create(client, headers, people).get_json()["id"]
    response = client.patch(f"/api/v1/audits/{audit_id}", json=body, headers=headers)
    assert response.status_code == status, response.get_json()
    if path:
        assert response.get_json()["error"]["details"][0]["path"] == path


def test_a_body_that_is_not_json_is_400(client, api_headers, people):
    headers = api_headers(people["worker"])
    assert client.post("/api/v1/audits", data="x", headers=headers).status_code == 400
    audit_id = _create(client, headers, people).get_json()["id"]
    response = client.patch(f"/api/v1/audits/{audit_id}", data="[", headers=headers)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_json"


def test_unusable_text_in_the_json_is_named(client, api_headers, people):
    headers = api_headers(people["lead"])
    body = '{"case": {"children": [{"name": "Mia\\u0000"}]}, "reference": "R\\ud800"}'
    response = client.post(
        "/api/v1/audits", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_text"


def test_the_next_steps_document_through_the_api(client, api_headers, people):
    import io

    from docx import Document

    headers = api_headers(people["worker"])
    audit_id = _create(client, headers, people).get_json()["id"]
    url = f"/api/v1/audits/{audit_id}/next-steps"
    made = client.post(url, json={"next_steps": ["Visit school", "Ring Nana"]}, headers=headers)
    assert made.status_code == 200
    text = [p.text for p in Document(io.BytesIO(made.data)).paragraphs]
    assert "Visit school" in text and "Ring Nana" in text
    wrong = client.post(url, json={"next_steps": "Visit", "reference": "X/1"}, headers=headers)
    assert wrong.status_code == 422
    assert wrong.get_json()["error"]["code"] == "reference_mismatch"
    bad = client.post(url, json={"next_steps": 5}, headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_json"
    stranger = api_headers(people["other_worker"])
    assert client.post(url, json={"next_steps": "x"}, headers=stranger).status_code == 404


ODD_IDS = [
    {"views": {"parents": [{"family_member_id": {}, "view": "We are worried too."}]}},
    {"children": [{"id": [], "name": "A"}]},
    {"family_members": [{"id": {"a": 1}, "name": "B"}]},
    {"danger_statements": [{"id": [1], "statement": "x"}], "safety_goals": [{"id": "g"}]},
    {"safety_goals": [{"danger_statement_id": {}, "goal": "y"}]},
    {"child_voice": [{"child_id": [], "words": "z"}]},
]


@pytest.mark.parametrize("odd", ODD_IDS)
def test_ids_of_odd_shapes_are_pre_assessed_not_crashed(client, api_headers, people, odd):
    """Ids that are lists or objects are taken as missing: the audit starts, nothing is a 5xx."""
    response = _create(client, api_headers(people["lead"]), people, case={**sample_case(), **odd})
    assert response.status_code == 201, response.get_json()
    assert len(response.get_json()["pre_assessment"]) == 12


def test_a_case_is_found_by_the_reference_in_the_body_never_the_address(
    client, api_headers, people
):
    lead = api_headers(people["lead"])
    assert _create(client, lead, people).status_code == 201
    found = client.post("/api/v1/audits/find", json={"reference": " ncc/cs/48213 "}, headers=lead)
    assert found.status_code == 200 and len(found.get_json()["audits"]) == 1
    other = client.post("/api/v1/audits/find", json={"reference": "NCC/CS/1"}, headers=lead)
    assert other.status_code == 200 and other.get_json()["audits"] == []
    wrong = client.post("/api/v1/audits/find", json={"reference": 5}, headers=lead)
    assert wrong.status_code == 422 and wrong.get_json()["error"]["code"] == "invalid_reference"
    in_address = client.get("/api/v1/audits?reference=NCC/CS/48213", headers=lead)
    assert in_address.status_code == 400
    assert in_address.get_json()["error"]["code"] == "reference_in_address"
