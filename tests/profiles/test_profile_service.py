"""The profile service: versions, permissions, validation, the logo and the contract functions."""

import struct
import zlib

import pytest

from clearinghouse import storage
from clearinghouse.errors import Conflict, InvalidInput, NotAuthorized, NotFound
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent, ProfileVersion
from clearinghouse.permissions import SYSTEM
from clearinghouse.profiles import service
from clearinghouse.profiles.logo import logo_check
from profiles.images import jpeg_header, png


def test_an_editor_saves_versions_numbered_from_one(users, full_profile):
    editor = users["editor"]
    assert service.profile_show(editor).number == 0
    saved, changes = service.profile_update(editor, full_profile)
    assert saved.number == 1 and "complaints/phone" in changes
    changed = {**full_profile, "complaints": {**full_profile["complaints"], "phone": "0113 1"}}
    saved, changes = service.profile_update(editor, changed, base_number=1)
    assert (saved.number, changes) == (2, ["complaints/phone"])
    assert service.profile_show(users["practitioner"]).data["complaints"]["phone"] == "0113 1"
    history = service.profile_versions(users["manager"])
    assert [(v.number, v.changed_by, v.changes) for v in history][0] == (
        2,
        editor.name,
        ["complaints/phone"],
    )


def test_saving_the_same_profile_adds_no_version(users, full_profile):
    service.profile_update(users["editor"], full_profile)
    saved, changes = service.profile_update(users["editor"], full_profile)
    assert (saved.number, changes) == (1, [])


def test_the_audit_log_names_the_fields_never_their_values(users, full_profile):
    service.profile_update(users["editor"], full_profile)
    changed = {**full_profile, "phone": "0113 496 1234"}
    service.profile_update(users["editor"], changed)
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "profile_updated")
    ).all()
    assert [e.detail["version"] for e in events] == [1, 2]
    assert events[1].detail["fields"] == ["phone"]
    assert events[1].user_id == users["editor"].id
    assert "0113 496 1234" not in repr([e.detail for e in events])


@pytest.mark.parametrize("person", ["practitioner", "manager", "south_editor"])
def test_only_its_editors_and_admins_change_a_profile(users, full_profile, person):
    user = users[person]
    with pytest.raises(NotAuthorized if person != "south_editor" else NotFound):
        service.profile_update(user, full_profile, authority_slug="north")


def test_an_admin_chooses_the_authority(users, full_profile):
    admin = users["admin"]
    with pytest.raises(InvalidInput) as caught:
        service.profile_show(admin)
    assert caught.value.code == "authority_required"
    saved, _ = service.profile_update(admin, full_profile, authority_slug="south")
    assert saved.authority_slug == "south"
    assert service.profile_for_case(users["south_editor"])["name"] == full_profile["name"]
    assert ("north", "North") in [(s, n[:5]) for s, n in service.profile_authorities(admin)]


def test_another_authority_is_not_found(users):
    with pytest.raises(NotFound):
        service.profile_show(users["south_editor"], "north")
    with pytest.raises(NotFound):
        service.profile_show(users["editor"], "nowhere")


def test_an_invalid_profile_saves_nothing_and_says_why_in_plain_words(users, full_profile):
    bad = {
        **full_profile,
        "email": "not an email",
        "complaints": {"phone": "0113 496 0100"},
        "out_of_hours_phone": "1",
    }
    with pytest.raises(InvalidInput) as caught:
        service.profile_update(users["editor"], bad)
    details = {d["path"]: d["message"] for d in caught.value.details}
    assert details == {
        "/email": "Enter the service's email address as an email address, like name@example.org",
        "/complaints/name": "Enter the complaints team's name",
        "/out_of_hours_phone": "The out-of-hours phone number must be at least 3 characters",
    }
    assert db.session.scalar(db.select(db.func.count(ProfileVersion.id))) == 0


def test_unknown_fields_and_a_missing_name_are_refused(users):
    with pytest.raises(InvalidInput) as caught:
        service.profile_update(users["editor"], {"service": "CS", "colour": "red"})
    messages = [d["message"] for d in caught.value.details]
    assert "Enter the authority's name" in messages
    assert any("colour" in m for m in messages)


def test_a_stale_change_is_refused(users, full_profile):
    service.profile_update(users["editor"], full_profile)
    service.profile_update(users["editor"], {**full_profile, "phone": "0113 496 7777"})
    with pytest.raises(Conflict):
        stale = {**full_profile, "phone": "0113 496 9999"}
        service.profile_update(users["editor"], stale, base_number=1)
    assert service.profile_show(users["editor"]).number == 2


def test_logo_is_stored_by_its_hash_and_kept_until_removed(users, full_profile):
    image = png()
    saved, changes = service.profile_update(users["editor"], full_profile, logo=image)
    assert saved.has_logo and changes[-1] == "logo"
    version = db.session.scalar(db.select(ProfileVersion))
    assert version.logo_sha256 == storage.sha256_of(image)
    assert storage.get_blob(version.logo_sha256) == image
    service.profile_update(users["editor"], {**full_profile, "phone": "0113 496 4444"})
    assert service.profile_logo(users["practitioner"]) == image
    saved, changes = service.profile_update(users["editor"], full_profile, logo=None)
    assert not saved.has_logo and "logo" in changes
    assert service.profile_logo(users["practitioner"]) is None
    assert storage.sha256_of(image) in storage.referenced_digests()  # old versions keep it


def _with_chunk(image: bytes, kind: bytes, body: bytes) -> bytes:
    """Return the PNG with one more chunk after its header."""
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    chunk = struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)
    return image[:33] + chunk + image[33:]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "logo_empty"),
        (b"GIF89a" + b"\x00" * 40, "logo_not_image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo_not_image"),
        (png(5000, 10), "logo_size"),
        (png(4, 4), "logo_size"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 10, "logo_damaged"),
        (b"\xff\xd8\xff\xe0\x00\x01", "logo_damaged"),
        (png() + b"\x00" * (201 * 1024), "logo_too_large"),
        # Headers that look right but that documents could not place (found in review):
        (png()[:33], "logo_damaged"),  # IHDR alone
        (_with_chunk(png(), b"pHYs", struct.pack(">IIB", 1, 1, 1)), "logo_damaged"),  # 0 dpi
        (jpeg_header(300, 100).replace(b"\xff\xe0", b"\xff\xee", 1), "logo_damaged"),  # APP14
    ],
)
def test_a_logo_must_be_a_small_png_or_jpeg(data, code):
    with pytest.raises(InvalidInput) as caught:
        logo_check(data)
    assert caught.value.code == code


def test_png_and_jpeg_headers_are_read():
    assert logo_check(png()) == "image/png"
    assert logo_check(jpeg_header(300, 100)) == "image/jpeg"


def test_a_bad_logo_saves_nothing(users, full_profile):
    with pytest.raises(InvalidInput):
        service.profile_update(users["editor"], full_profile, logo=b"not an image")
    assert service.profile_show(users["editor"]).number == 0


def test_profile_for_case_is_the_authority_object_or_empty(users, full_profile):
    assert service.profile_for_case(users["practitioner"]) == {}
    assert service.profile_for_case(users["admin"]) == {}
    assert service.profile_logo(users["admin"]) is None
    service.profile_update(users["editor"], full_profile)
    got = service.profile_for_case(users["practitioner"])
    assert got == full_profile
    got["name"] = "changed"  # a copy: the caller cannot change the stored version
    assert service.profile_for_case(users["practitioner"])["name"] == full_profile["name"]
    assert service.profile_for_case(users["south_practitioner"]) == {}


def test_the_command_line_acts_as_system(users, full_profile):
    saved, _ = service.profile_update(SYSTEM, full_profile, authority_slug="north")
    assert service.profile_versions(users["editor"])[0].changed_by == "The site operator"
    assert saved.number == 1
