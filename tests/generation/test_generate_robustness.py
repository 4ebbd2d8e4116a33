"""No input makes generation answer 5xx: random JSON to the API, random fields to the form,
and the limits refused clearly through the web form too."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from .conftest import sample_case

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["children", "name", "scales", "score", "meeting", "x", "id"])
            | st.text(max_size=5),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def test_random_json_never_5xx(gen_app, users, api_headers):
    client = gen_app.test_client()
    headers = api_headers(users["practitioner"])

    @SETTINGS
    @given(JSON)
    def check(body):
        response = client.post(
            "/api/v1/templates/test-letter/render",
            data=json.dumps(body),
            headers={**headers, "Content-Type": "application/json"},
        )
        assert response.status_code in (200, 400, 413, 422), response.get_data(as_text=True)

    check()


def test_random_form_fields_never_5xx(gen_app, users, login):
    client = login(users["practitioner"])
    names = st.sampled_from(
        [
            "children-count",
            "children-0-name",
            "children-0-seen_alone",
            "scales-count",
            "scales-0-score",
            "danger_statements-count",
            "danger_statements-0-examples",
            "meeting-how",
            "meeting-date",
            "case_json",
        ]
    )
    actions = st.sampled_from(
        ["preview", "add:children", "remove:children-0", "add:scales", "edit", "upload", "zzz"]
    )

    @SETTINGS
    @given(st.lists(st.tuples(names, st.text(max_size=12)), max_size=8), actions)
    def check(pairs, action):
        data = MultiDict([*pairs, ("action", action)])
        response = client.post("/generate/test-letter", data=data)
        assert response.status_code < 500

    check()


def test_too_long_list_refused_clearly_in_the_form(gen_app, users, login):
    gen_app.config["CLEARINGHOUSE"]["RENDER_MAX_LIST_ITEMS"] = 3
    client = login(users["practitioner"])
    case = sample_case()
    case["danger_statements"][0]["examples"] = ["a", "b", "c", "d"]
    page = client.post(
        "/generate/test-letter", data={"action": "edit", "case_json": json.dumps(case)}
    )
    assert page.status_code == 200
    response = client.post("/generate/test-letter/download", data={"case_json": json.dumps(case)})
    assert response.status_code == 413
    assert "A list has 4 items and the most allowed is 3." in response.get_data(as_text=True)


def test_too_large_case_refused_clearly_in_the_form(gen_app, users, login):
    gen_app.config["CLEARINGHOUSE"]["RENDER_MAX_INPUT_KB"] = 2
    client = login(users["practitioner"])
    case = sample_case()
    case["danger_statements"][0]["worried_about"] = "word " * 1000
    response = client.post("/generate/test-letter/download", data={"case_json": json.dumps(case)})
    assert response.status_code == 413
    assert "The case data is too large" in response.get_data(as_text=True)
