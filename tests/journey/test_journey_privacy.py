"""The journey keeps no case data on the server: a sentinel typed into the case (valid and
refused answers, a saved file, a preview, a download and a pack) is found nowhere in the
instance folder, the database or the logs; and every page holding the case is no-store."""

import io
import logging
from pathlib import Path

from database_text import database_text

from clearinghouse.extensions import db

from .test_journey import _start, fill_plo_case
from .walker import Walker

SENTINEL = "Qv9Sentinel2Kx"


def _instance_bytes(app) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in Path(app.instance_path).rglob("*") if p.is_file()]


def test_the_journey_stores_and_logs_nothing_of_the_case(app, users, login, caplog):
    caplog.set_level(logging.DEBUG)
    walker = Walker(login(users["practitioner"]))
    responses = []
    original = walker.press

    def press(*args, **kwargs):
        responses.append(original(*args, **kwargs))
        return responses[-1]

    walker.press = press
    _start(walker)
    fill_plo_case(walker)
    walker.press("Children")
    walker.press("Change", nth=0)
    walker.press("Save and continue", {"name": f"Amy {SENTINEL}", "date_of_birth-day": SENTINEL})
    assert walker.response.status_code == 400  # refused, and the answer shown back only
    assert f'value="{SENTINEL}"' in walker.html
    walker.press("Save and continue", {"name": f"Amy {SENTINEL}", "date_of_birth-day": "14"})
    walker.press("Save and continue")
    assert SENTINEL not in walker.html.split('name="case_state" value="')[1][:5000]
    tasks = walker.response
    walker.press("Save the case to a file")
    assert SENTINEL.encode() in walker.response.get_data()  # the file goes to the practitioner
    walker.response = tasks
    walker.press("Check your answers", {"target": "template:plo-letter-before-proceedings"})
    assert "Who is this letter to?" in walker.text
    walker.press("Choose", {"recipient": "P2"})
    walker.press("Preview the document")
    assert SENTINEL in walker.text
    walker.press("Download the document")
    walker.response = tasks
    walker.press("Check your answers", {"target": "pack:plo-letters"})
    walker.press("Generate the pack")
    assert walker.response.headers["Content-Type"] == "application/zip"

    for response in responses:
        assert response.headers["Cache-Control"] == "no-store", response.request.path

    db.session.commit()
    db.session.remove()
    db.engine.dispose()
    needle = SENTINEL.encode()
    assert [str(p) for p, data in _instance_bytes(app) if needle in data] == []
    dump = database_text(db.engine)  # SQLite's dump, or on PostgreSQL every row read back
    assert "document_generated" in dump and SENTINEL not in dump
    assert SENTINEL not in caplog.text
    logged = "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records)
    assert SENTINEL not in logged


def test_a_case_from_another_user_or_an_ended_sign_in_is_refused(app, users, login):
    first = Walker(login(users["practitioner"]))
    _start(first)
    sealed_state = first.html.split('name="case_state" value="')[1].split('"')[0]
    other = login(users["editor"])
    response = other.post("/case/tasks", data={"case_state": sealed_state})
    assert response.status_code == 400
    assert "earlier sign-in" in response.get_data(as_text=True)
    first.client.post("/sign-out")
    again = login(users["practitioner"])
    assert again.post("/case/tasks", data={"case_state": sealed_state}).status_code == 400
    assert again.post("/case/tasks", data={"case_state": "x" * 40}).status_code == 400
    assert again.post("/case/edit", data={}).status_code == 400


def test_an_upload_that_is_not_a_case_file_is_refused_plainly(users, login):
    walker = Walker(login(users["practitioner"]))
    walker.get("/case")
    walker.press("Upload the case file", files={"case_file": (io.BytesIO(b"[1, 2]"), "c.json")})
    assert walker.response.status_code == 400
    assert "one JSON object" in walker.text
