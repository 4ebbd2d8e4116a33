"""A letter never holds another person's address, a child its recipient has no parental
responsibility for, or a withheld address: checked on many random families, rendered for real.

Each case is the shared sample with parental responsibility, addresses and withheld addresses
chosen at random (seeded, so a failure repeats); every letter of the plo-letters pack is read
back with python-docx.
"""

import io
import json
import random
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document

LIBRARY = Path(__file__).resolve().parents[2] / "templates_library"
CASES = 12


def _long(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def _random_case(rng: random.Random) -> dict:
    case = json.loads((LIBRARY / "schemas" / "sample_case.json").read_text(encoding="utf-8"))
    case["document"] = {"date": "2026-10-21", "meeting_id": "M-PPM"}
    children = [c["id"] for c in case["children"]]
    for number, member in enumerate(case["family_members"]):
        member["address"] = f"{number + 1} Unique{number} Street, Town{number}"
        member["address_withheld"] = rng.random() < 0.3
        member["parental_responsibility_for"] = [c for c in children if rng.random() < 0.5]
    if not any(m["parental_responsibility_for"] for m in case["family_members"]):
        case["family_members"][0]["parental_responsibility_for"] = children[:1]
    return case


@pytest.mark.parametrize("seed", range(CASES))
def test_each_letter_shows_only_its_recipient_and_their_children(client, users, api_headers, seed):
    case = _random_case(random.Random(seed))
    response = client.post(
        "/api/v1/packs/plo-letters/render?warnings=1",
        json=case,
        headers=api_headers(users["practitioner"]),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    archive = zipfile.ZipFile(io.BytesIO(__import__("base64").b64decode(body["document"])))
    letters = [n for n in archive.namelist() if n.startswith("plo-letter")]
    holders = [m for m in case["family_members"] if m["parental_responsibility_for"]]
    assert len(letters) == len(holders)
    texts = [_text(archive.read(name)) for name in letters]
    for member in holders:
        [text] = [t for t in texts if f"Dear {member['name']}" in t]
        for other in case["family_members"]:
            shown = other is member and not other["address_withheld"]
            assert (other["address"] in text) == shown, (seed, member["id"], other["id"])
        for child in case["children"]:
            if child["id"] in member["parental_responsibility_for"]:
                assert child["name"].split()[0] in text
                continue
            assert child["name"] not in text, (seed, member["id"], child["id"])
            assert _long(child["date_of_birth"]) not in text, (seed, member["id"], child["id"])
