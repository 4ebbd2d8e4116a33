"""Case files of case model 1 still work: converted on upload, with what was chosen shown."""

import io
import json
from pathlib import Path

V1 = Path(__file__).parent / "data" / "sample_case_v1.json"


def test_a_v1_case_file_is_converted_in_the_form_with_its_warnings(users, login):
    client = login(users["practitioner"])
    upload = {"action": "upload", "case_file": (io.BytesIO(V1.read_bytes()), "old.json")}
    page = client.post("/generate/cp-conference-report", data=upload)
    html = page.get_data(as_text=True)
    assert "Check the converted case" in html
    assert "converted to version 2" in html
    assert "shared with the conference only" in html  # the child's words: the safe side
    assert 'name="children-0-id"' in html and 'value="C1"' in html


def test_a_v1_case_through_the_api_renders_with_the_conversion_warnings(users, api_headers, client):
    case = json.loads(V1.read_text())
    response = client.post(
        "/api/v1/templates/cp-conference-report/render?warnings=1",
        json=case,
        headers=api_headers(users["practitioner"]),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    codes = [w["code"] for w in response.get_json()["warnings"]]
    assert codes[0] == "converted_from_v1"
    assert "voice_share_conference_only" in codes
