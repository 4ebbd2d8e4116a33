"""Every document for an authority starts from its profile: the next document after an editor's
change shows it, a practitioner's change for one case wins for that case only, and the logo
goes in the letterhead of a downloaded document."""

import io

from docx import Document
from profiles.images import png

from clearinghouse.extensions import db
from clearinghouse.profiles import service as profiles

from .test_journey import _start
from .walker import Walker

PROFILE = {
    "name": "Northshire County Council",
    "phone": "0100 555 0100",
    "complaints": {"name": "Complaints Team", "phone": "0100 555 0111"},
}


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    text = [p.text for p in document.paragraphs]
    text += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(text)


def _feedback_form(walker) -> str:
    """Generate the family feedback form from the case in hand; return its text."""
    walker.press("Check your answers", {"target": "template:family-feedback-form"})
    assert "Correct these" not in walker.text, walker.text[:2000]
    walker.press("Download it now")
    assert walker.response.status_code == 200, walker.text[:1000]
    return _docx_text(walker.response.get_data())


def test_the_next_document_shows_the_profile_as_it_now_is(users, login):
    profiles.profile_update(users["editor"], PROFILE)
    db.session.commit()
    walker = Walker(login(users["practitioner"]))
    _start(walker)
    assert "From your profile" in walker.text
    tasks = walker.response
    assert "0100 555 0111" in _feedback_form(walker)

    profiles.profile_update(
        users["editor"],
        {**PROFILE, "complaints": {"name": "Complaints Team", "phone": "0100 555 0222"}},
    )
    db.session.commit()
    walker.response = tasks  # the same case in progress, started before the change
    text = _feedback_form(walker)
    assert "0100 555 0222" in text and "0100 555 0111" not in text


def test_a_change_for_one_case_wins_for_that_case_only(users, login):
    profiles.profile_update(users["editor"], PROFILE)
    db.session.commit()
    walker = Walker(login(users["practitioner"]))
    _start(walker)
    walker.press("Your authority's details")
    assert 'value="0100 555 0100"' in walker.html  # the profile's value, to change
    walker.press("Change complaints")
    assert 'value="0100 555 0111"' in walker.html
    walker.press("Save and continue", {"phone": "0100 999 9999"})
    walker.press("Save and continue")
    assert "Your case" in walker.text
    assert "0100 999 9999" in _feedback_form(walker)
    other = Walker(login(users["practitioner"]))
    _start(other)
    assert "0100 999 9999" not in _feedback_form(other)


def test_the_logo_goes_in_the_letterhead(users, login):
    profiles.profile_update(users["editor"], PROFILE, logo=png(200, 80))
    db.session.commit()
    walker = Walker(login(users["practitioner"]))
    _start(walker)
    walker.press("Check your answers", {"target": "template:family-feedback-form"})
    walker.press("Download it now")
    document = Document(io.BytesIO(walker.response.get_data()))
    header = document.sections[0].header
    assert header._element.xpath(".//pic:pic"), "no picture in the letterhead"


def test_the_api_fills_the_authority_from_the_profile_too(app, users, api_headers):
    profiles.profile_update(users["editor"], PROFILE)
    db.session.commit()
    client = app.test_client()
    response = client.post(
        "/api/v1/templates/family-feedback-form/render",
        json={"case_version": 2},
        headers=api_headers(users["practitioner"]),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    text = _docx_text(response.data)
    assert "0100 555 0111" in text
    own_complaints = {"name": "Own", "phone": "0100 1"}
    own = {"case_version": 2, "authority": {"name": "North", "complaints": own_complaints}}
    response = client.post(
        "/api/v1/templates/family-feedback-form/render",
        json=own,
        headers=api_headers(users["practitioner"]),
    )
    assert response.status_code == 200
    assert "0100 555 0111" not in _docx_text(response.data)


def test_a_group_of_details_is_merged_detail_by_detail(users, login):
    profiles.profile_update(users["editor"], PROFILE)
    db.session.commit()
    walker = Walker(login(users["practitioner"]))
    _start(walker)
    walker.press("Your authority's details")
    walker.press("Change complaints")
    walker.press("Save and continue", {"phone": "0100 999 9999"})
    walker.press("Save and continue")
    tasks = walker.response
    # The editor renames the complaints team: the case keeps its phone, and takes the name.
    renamed = {**PROFILE, "complaints": {"name": "Feedback Team", "phone": "0100 555 0111"}}
    profiles.profile_update(users["editor"], renamed)
    db.session.commit()
    walker.response = tasks
    text = _feedback_form(walker)
    assert "Feedback Team" in text and "0100 999 9999" in text


def test_a_logo_that_cannot_be_placed_never_stops_a_document(users, login):
    from clearinghouse.generation import sources

    profiles.profile_update(users["editor"], PROFILE)
    db.session.commit()
    sources.register_authority_details(
        sources.AuthorityDetails(profiles.profile_for_case, lambda user: b"\x89PNG not really")
    )
    try:
        walker = Walker(login(users["practitioner"]))
        _start(walker)
        assert "0100 555 0111" in _feedback_form(walker)  # made, without the logo
    finally:
        sources.register_authority_details(
            sources.AuthorityDetails(profiles.profile_for_case, profiles.profile_logo)
        )
