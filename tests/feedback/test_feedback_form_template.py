"""The family feedback form (library template) carries the code and web address, and asks
the online form's four questions so a paper form can be keyed in."""

import io

from docx import Document

from clearinghouse.feedback.forms import WORDS

FEEDBACK = {
    "about": "the meeting",
    "online_code": "K7PM-3QXD",
    "online_address": "x.example/feedback",
}


def _text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    text = [p.text for p in document.paragraphs]
    text += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(text)


def _render(app, headers, feedback: dict):
    return app.test_client().post(
        "/api/v1/templates/family-feedback-form/render",
        json={"case_version": 2, "authority": {"name": "North"}, "feedback": feedback},
        headers=headers,
    )


def test_the_form_carries_the_code_and_address(app, users, api_headers):
    response = _render(app, api_headers(users["practitioner"]), FEEDBACK)
    assert response.status_code == 200, response.get_data(as_text=True)
    text = _text(response.data)
    assert "Go to x.example/feedback and type in this code: K7PM-3QXD" in text
    assert "The code works once." in text
    for question in (WORDS["plain"][key] for key in ("explained", "listened")):
        assert question in text
    assert "What helped?" in text and "What could be better?" in text


def test_without_a_code_the_form_is_paper_only(app, users, api_headers):
    response = _render(app, api_headers(users["practitioner"]), {"about": "the meeting"})
    assert response.status_code == 200
    assert "Answer online instead" not in _text(response.data)


def test_a_code_of_the_wrong_shape_is_refused(app, users, api_headers):
    response = _render(app, api_headers(users["practitioner"]), {"online_code": "my name"})
    assert response.status_code == 422
    assert "online_code" in response.get_data(as_text=True)
