"""The home page per role: what the role is for first, and no link the role cannot follow."""

import re
from datetime import datetime

import pytest

from clearinghouse.extensions import db
from clearinghouse.models import record_audit

LIBRARY = "plo-letter-before-proceedings"


def _main(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def _links(main: str) -> dict[str, str]:
    found = re.findall(r'<a class="govuk-link" href="([^"]+)">([^<]+)</a>', main)
    return {label: href for href, label in found}


def _first(main: str) -> list[str]:
    section = main.split("For you", 1)[1].split("<h2", 1)[0]
    return list(_links(section))


def _generated(user, action, object_id, at, **detail):
    event = record_audit(user, action, "template", object_id, **detail)
    event.at = at
    db.session.commit()


EXPECTED_FIRST = {
    "practitioner": ["Enter a case", "Generate"],
    "editor": ["Documents", "Templates", "Authority profile"],
    "manager": ["Coverage", "Compare", "Audit log"],
    "admin": ["Administration", "Audit log"],
}
NEVER = {
    "practitioner": {"Administration", "Audit log", "Authority profile"},
    "editor": {"Administration", "Audit log"},
    "manager": {"Administration", "Authority profile"},
    "admin": {"Enter a case", "Generate", "Authority profile"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED_FIRST))
def test_each_role_sees_its_own_first_and_nothing_it_cannot_do(app, users, login, role):
    client = login(users[role])
    main = _main(client)
    assert _first(main) == EXPECTED_FIRST[role]
    links = _links(main)
    assert not NEVER[role] & set(links), NEVER[role] & set(links)
    for label, href in links.items():
        assert client.get(href).status_code == 200, (label, href)  # every tile leads somewhere


def test_editors_documents_tile_opens_their_authoritys_documents(users, login):
    links = _links(_main(login(users["editor"])))
    assert links["Documents"] == "/documents?authority=north"


def test_practitioner_sees_the_kinds_of_document_they_generated(users, login):
    me, other = users["practitioner"], users["south_practitioner"]
    for who, slug, at in [
        (me, LIBRARY, datetime(2026, 11, 2, 10)),
        (me, LIBRARY, datetime(2026, 11, 3, 11)),
        (other, "safety-plan", datetime(2026, 11, 4)),
    ]:
        _generated(who, "document_generated", slug, at, source="library", library_slug=slug)
    _generated(me, "pack_generated", "plo-letters", datetime(2026, 11, 1, 9), pack="plo-letters")
    main = _main(login(me))
    recent = main.split("Documents you generated recently", 1)[1].split("</ul>", 1)[0]
    assert recent.count("<li>") == 2
    assert "Letter before proceedings" in recent and "03 November 2026 at 11:00" in recent
    assert "Letters before proceedings</span> (pack)" in recent
    assert "Safety" not in recent  # someone else's


def test_practitioner_with_nothing_generated_is_told_so(users, login):
    assert "You have not generated any documents yet" in _main(login(users["practitioner"]))
    assert "generated recently" not in _main(login(users["manager"]))


def test_change_password_is_linked_and_works(users, login):
    client = login(users["practitioner"])
    page = client.get("/").get_data(as_text=True)
    assert page.count('href="/account/password"') == 2  # the header, and the home page
    response = client.post(
        "/account/password",
        data={
            "current": "correct horse battery",
            "new": "a different long password",
            "new_again": "a different long password",
        },
    )
    assert response.status_code == 302
