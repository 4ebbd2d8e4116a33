"""The profile through the API (/api/v1/authority/profile) and the command line."""

import json

import pytest

from clearinghouse.api.openapi import build_spec
from clearinghouse.profiles import service
from profiles.images import png


def test_get_answers_the_current_version(users, api_headers, client, full_profile):
    headers = api_headers(users["practitioner"])
    empty = client.get("/api/v1/authority/profile", headers=headers).get_json()
    assert empty == {
        "authority": "north",
        "version": 0,
        "has_logo": False,
        "can_edit": False,
        "profile": {},
    }
    service.profile_update(users["editor"], full_profile)
    body = client.get("/api/v1/authority/profile", headers=headers).get_json()
    assert (body["version"], body["profile"]) == (1, full_profile)


def test_put_saves_a_version_and_says_what_changed(users, api_headers, client, full_profile):
    headers = api_headers(users["editor"])
    response = client.put(
        "/api/v1/authority/profile", headers=headers, json={"profile": full_profile}
    )
    assert response.status_code == 200 and response.get_json()["version"] == 1
    changed = {**full_profile, "out_of_hours_phone": "0113 496 0998"}
    body = client.put(
        "/api/v1/authority/profile",
        headers=headers,
        json={"profile": changed, "base_version": 1},
    ).get_json()
    assert (body["version"], body["changed"]) == (2, ["out_of_hours_phone"])


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (None, 400, "invalid_json"),
        ([1], 400, "invalid_json"),
        ({"name": "Not wrapped"}, 400, "invalid_json"),
        ({"profile": {"name": "N"}, "base_version": "1"}, 400, "invalid_json"),
        ({"profile": {"name": ""}}, 422, "invalid_profile"),
        ({"profile": {"name": "N", "logo": "x"}}, 422, "invalid_profile"),
        ({"profile": {"name": "N\u0000"}}, 400, "invalid_text"),
        ({"profile": {"name": "N"}, "base_version": 7}, 409, "profile_changed"),
    ],
)
def test_put_refuses_bad_bodies_with_stable_codes(users, api_headers, client, body, status, code):
    response = client.put(
        "/api/v1/authority/profile",
        headers={**api_headers(users["editor"]), "Content-Type": "application/json"},
        data=json.dumps(body),
    )
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]


def test_put_by_a_reader_is_forbidden_and_an_admin_names_the_authority(
    users, api_headers, client, full_profile
):
    refused = client.put(
        "/api/v1/authority/profile",
        headers=api_headers(users["practitioner"]),
        json={"profile": full_profile},
    )
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    admin = api_headers(users["admin"])
    missing = client.get("/api/v1/authority/profile", headers=admin)
    assert missing.get_json()["error"]["code"] == "authority_required"
    response = client.put(
        "/api/v1/authority/profile?authority=south", headers=admin, json={"profile": full_profile}
    )
    assert response.status_code == 200 and response.get_json()["authority"] == "south"
    hidden = client.get(
        "/api/v1/authority/profile?authority=south", headers=api_headers(users["editor"])
    )
    assert hidden.status_code == 404


def test_openapi_lists_the_profile_endpoints():
    path = build_spec()["paths"]["/authority/profile"]
    assert set(path) == {"get", "put"}
    assert "invalid_profile" in json.dumps(path["put"]["responses"])


def test_profile_set_and_show(users, runner, tmp_path, full_profile):
    file = tmp_path / "profile.json"
    file.write_text(json.dumps(full_profile), encoding="utf-8")
    logo = tmp_path / "logo.png"
    logo.write_bytes(png())
    result = runner.invoke(args=["profile-set", "north", str(file), "--logo", str(logo)])
    assert result.exit_code == 0, result.output
    assert "as version 1" in result.output and "logo" in result.output
    shown = runner.invoke(args=["profile-show", "north"])
    body = json.loads(shown.output)
    assert (body["version"], body["profile"]) == (1, full_profile)
    file.write_text(shown.output, encoding="utf-8")  # what profile-show prints is accepted
    again = runner.invoke(args=["profile-set", "north", str(file)])
    assert "unchanged (version 1)" in again.output
    assert service.profile_logo(users["practitioner"]) == png()


def test_profile_set_reports_problems_without_a_traceback(users, runner, tmp_path):
    file = tmp_path / "profile.json"
    file.write_text(json.dumps({"service": "CS", "email": "nope"}), encoding="utf-8")
    result = runner.invoke(args=["profile-set", "north", str(file)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "/name: Enter the authority's name" in result.output
    assert "/email: Enter the service's email address" in result.output
    file.write_text("{not json", encoding="utf-8")
    assert "is not a JSON file" in runner.invoke(args=["profile-set", "north", str(file)]).output
    missing = runner.invoke(args=["profile-show", "nowhere"])
    assert missing.exit_code == 1 and "does not exist" in missing.output
