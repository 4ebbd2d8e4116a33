"""Profile pages through the test client: summary, section pages, solicitors, logo, history."""

import io
import re

import pytest

from clearinghouse.profiles import service
from profiles.images import png


@pytest.fixture
def saved(users, full_profile):
    """Save the full profile for north as its editor (version 1)."""
    return service.profile_update(users["editor"], full_profile)[0]


def _section_form(full_profile) -> dict:
    complaints, advocacy = full_profile["complaints"], full_profile["advocacy"]
    form = {f"complaints_{k}": v for k, v in complaints.items()}
    form |= {f"advocacy_{k}": v for k, v in advocacy.items()}
    return {**form, "base_number": "1"}


def test_the_summary_shows_each_section_with_change_links(users, login, saved, full_profile):
    page = login(users["editor"]).get("/authority/profile").get_data(as_text=True)
    assert "Version 1, saved by North editor" in page
    for title in (
        "Service and contacts",
        "Complaints and advocacy",
        "Legal services",
        "Interpreting and translation",
        "Challenging a conference decision",
        "Local children-law solicitors",
        "Letterhead logo",
    ):
        assert title in page
    assert full_profile["complaints"]["phone"] in page
    assert "/authority/profile/complaints" in page and "/authority/profile/history" in page


def test_a_practitioner_reads_but_sees_no_change_links(users, login, saved):
    client = login(users["practitioner"])
    page = client.get("/authority/profile").get_data(as_text=True)
    assert "Complaints and advocacy" in page and "/authority/profile/complaints" not in page
    assert client.get("/authority/profile/complaints").status_code == 403
    assert client.post("/authority/profile/complaints", data={}).status_code == 403


def test_an_editor_changes_the_complaints_phone(users, login, saved, full_profile):
    client = login(users["editor"])
    page = client.get("/authority/profile/complaints").get_data(as_text=True)
    assert full_profile["complaints"]["phone"] in page and 'name="base_number"' in page
    form = _section_form(full_profile) | {"complaints_phone": "0113 496 0123"}
    response = client.post("/authority/profile/complaints", data=form)
    assert response.status_code == 302 and response.location.endswith("/authority/profile")
    shown = service.profile_show(users["editor"])
    assert (shown.number, shown.data["complaints"]["phone"]) == (2, "0113 496 0123")
    assert shown.data["legal_services"] == full_profile["legal_services"]  # other parts kept
    history = client.get("/authority/profile/history").get_data(as_text=True)
    assert "Complaints team&#39;s phone number" in history and "North editor" in history


def test_errors_show_a_summary_and_messages_on_the_fields(users, login, saved, full_profile):
    client = login(users["editor"])
    form = _section_form(full_profile) | {"complaints_name": "", "advocacy_email": "nope"}
    response = client.post("/authority/profile/complaints", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "govuk-error-summary" in page and page.count("Enter the complaints team") >= 2
    assert 'href="#complaints_name"' in page and 'href="#advocacy_email"' in page
    assert "nope" in page  # the answer stays in the field to correct it
    assert service.profile_show(users["editor"]).number == 1


def test_emptying_a_contact_removes_it(users, login, saved, full_profile):
    client = login(users["editor"])
    form = {f"interpreting_{k}": "" for k in ("name", "phone", "email", "address", "how")}
    client.post("/authority/profile/interpreting", data={**form, "base_number": "1"})
    assert "interpreting" not in service.profile_show(users["editor"]).data


def test_a_stale_form_is_refused(users, login, saved, full_profile):
    client = login(users["editor"])
    service.profile_update(users["editor"], {**full_profile, "phone": "0113 496 1111"})
    response = client.post("/authority/profile/complaints", data=_section_form(full_profile))
    assert response.status_code == 409
    assert "Someone else saved the profile" in response.get_data(as_text=True)


def test_solicitors_are_added_changed_and_removed_one_per_page(users, login, saved, full_profile):
    client = login(users["editor"])
    listing = client.get("/authority/profile/solicitors").get_data(as_text=True)
    assert "Lim &amp; Co Family Law" in listing and "Add another solicitor" in listing
    new = {"firm": "Okoro Family Law", "phone": "0113 496 0704", "base_number": "1"}
    assert client.post("/authority/profile/solicitors/new", data=new).status_code == 302
    firms = [s["firm"] for s in service.profile_show(users["editor"]).data["solicitors"]]
    assert firms[-1] == "Okoro Family Law" and len(firms) == 4
    edit = client.get("/authority/profile/solicitors/4").get_data(as_text=True)
    assert "Okoro Family Law" in edit
    changed = {"firm": "Okoro & Co", "address": "1 Quay, Northtown", "base_number": "2"}
    client.post("/authority/profile/solicitors/4", data=changed)
    assert service.profile_show(users["editor"]).data["solicitors"][3] == {
        "firm": "Okoro & Co",
        "address": "1 Quay, Northtown",
    }
    client.post("/authority/profile/solicitors", data={"remove": "1", "base_number": "3"})
    firms = [s["firm"] for s in service.profile_show(users["editor"]).data["solicitors"]]
    assert firms == ["Harper Solicitors", "Northtown Law Centre", "Okoro & Co"]
    assert client.get("/authority/profile/solicitors/9").status_code == 404


def test_a_solicitor_needs_a_firm(users, login, saved):
    client = login(users["editor"])
    response = client.post("/authority/profile/solicitors/new", data={"base_number": "1"})
    assert response.status_code == 422
    assert "Enter the firm&#39;s name (solicitor 4)" in response.get_data(as_text=True)


def test_logo_upload_show_and_remove(users, login, saved):
    client = login(users["editor"])
    image = png()
    response = client.post(
        "/authority/profile/logo",
        data={"logo": (io.BytesIO(image), "logo.png"), "base_number": "1"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    reader = login(users["practitioner"])
    assert 'class="app-profile__logo"' in reader.get("/authority/profile").get_data(as_text=True)
    got = reader.get("/authority/profile/logo/image")
    assert (got.status_code, got.mimetype, got.data) == (200, "image/png", image)
    assert login(users["south_editor"]).get("/authority/profile/logo/image").status_code == 404
    client.post("/authority/profile/logo", data={"remove": "1", "base_number": "2"})
    assert reader.get("/authority/profile/logo/image").status_code == 404


def test_a_bad_logo_is_refused_on_the_field(users, login, saved):
    client = login(users["editor"])
    response = client.post(
        "/authority/profile/logo",
        data={"logo": (io.BytesIO(b"GIF89a..."), "x.gif"), "base_number": "1"},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "must be a PNG or JPEG image" in page
    assert 'href="#logo"' in page


def test_an_admin_chooses_an_authority_and_edits_it(users, login, saved):
    client = login(users["admin"])
    page = client.get("/authority/profile").get_data(as_text=True)
    assert "Choose an authority" in page and "/authority/profile?authority=south" in page
    assert client.get("/authority/profile/complaints").status_code == 302
    page = client.get("/authority/profile?authority=north").get_data(as_text=True)
    assert "/authority/profile/complaints?authority=north" in page
    form = {"name": "North Council", "base_number": "1"}
    response = client.post("/authority/profile/service?authority=north", data=form)
    assert response.status_code == 302 and "authority=north" in response.location
    assert service.profile_show(users["editor"]).data["name"] == "North Council"


def test_another_authoritys_profile_is_not_found(users, login, saved):
    client = login(users["south_editor"])
    assert client.get("/authority/profile?authority=north").status_code == 404
    assert client.get("/authority/profile/complaints?authority=north").status_code == 404


@pytest.mark.app_settings(csrf=True)
def test_every_profile_form_needs_its_csrf_token(app, users, saved):
    from factories import PASSWORD

    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    sign_in = {"email": users["editor"].email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/sign-in", data=sign_in).status_code == 302
    page = client.get("/authority/profile/complaints").get_data(as_text=True)
    assert re.search(r'name="csrf_token"', page)
    for path in ("complaints", "solicitors", "solicitors/new", "solicitors/1", "logo"):
        response = client.post(f"/authority/profile/{path}", data={"base_number": "1"})
        assert response.status_code == 400, path
        assert "form expired" in response.get_data(as_text=True)
    assert service.profile_show(users["editor"]).number == 1
