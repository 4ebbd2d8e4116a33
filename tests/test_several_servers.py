"""Two app servers sharing one PostgreSQL database: blobs and search in it, nothing on disk.

Each server is gunicorn with its own instance folder (as on another machine), both on one
throw-away PostgreSQL database with CLEARINGHOUSE_BLOB_STORE=database and
CLEARINGHOUSE_SEARCH_ENGINE=postgres. What one server stores, the other finds, shows and
serves at once; new versions of one document sent through both at the same moment get
consecutive numbers; a sign-in on one is a sign-in on the other.
"""

import os
import re
import secrets
import sys
import threading
import urllib.parse
from pathlib import Path

import pg_cluster
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from soak_server import Instance, call, multipart, sha256  # noqa: E402

from clearinghouse.documents.cli import DEMO_PASSWORD  # noqa: E402

EDITOR = "editor@ashdown.example"
PRACTITIONER = "practitioner@fernmouth.example"


@pytest.fixture(scope="module")
def servers():
    """Start two gunicorn servers on one database (once for the module); return them, tokens."""
    try:
        postgres_url = pg_cluster.cluster().create_database()
    except pg_cluster.ClusterUnavailable as error:
        if os.environ.get("CLEARINGHOUSE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here but would not start: {error}")
        pytest.skip(f"PostgreSQL is not available: {error}")
    shared = {
        "CLEARINGHOUSE_DATABASE_URL": postgres_url,
        "CLEARINGHOUSE_BLOB_STORE": "database",
        "CLEARINGHOUSE_SEARCH_ENGINE": "postgres",
        "CLEARINGHOUSE_SECRET_KEY": secrets.token_hex(32),
    }
    pair = [Instance(), Instance()]
    try:
        for server in pair:
            server.env.update(shared)
        tokens = pair[0].prepare([EDITOR, PRACTITIONER])
        for server in pair:
            server.start(workers=2, threads=4)
        for server in pair:
            server.wait_ready(tokens[PRACTITIONER])
        yield pair, tokens
    finally:
        for server in pair:
            server.close()
        pg_cluster.drop_database(postgres_url)


def _upload(port: int, token: str, word: str) -> dict:
    body, ctype = multipart(
        {"title": f"Shared {word}", "doc_type": "policy", "visibility": "shared", "tags": ""},
        "policy.md",
        f"# Policy\n\nThe {word} procedure.\n".encode(),
    )
    reply = call(port, "POST", "/api/v1/documents", token, body, ctype)
    assert reply.status == 201, reply.body[:500]
    return reply.json()


def test_what_one_server_stores_the_other_finds_shows_and_serves(servers):
    (one, two), tokens = servers
    data = b"# Policy\n\nThe xylophonic procedure, word for word.\n"
    body, ctype = multipart(
        {"title": "Xylophonic policy", "doc_type": "policy", "visibility": "shared", "tags": ""},
        "policy.md",
        data,
    )
    made = call(one.port, "POST", "/api/v1/documents", tokens[EDITOR], body, ctype)
    assert made.status == 201, made.body[:500]
    document_id = made.json()["id"]
    found = call(two.port, "GET", "/api/v1/search?q=xylophonic", tokens[PRACTITIONER])
    assert found.status == 200
    assert [hit["document_id"] for hit in found.json()["results"]] == [document_id]
    shown = call(two.port, "GET", f"/api/v1/documents/{document_id}", tokens[PRACTITIONER])
    assert shown.status == 200 and shown.json()["title"] == "Xylophonic policy"
    path = f"/api/v1/documents/{document_id}/versions/1/file"
    served = call(two.port, "GET", path, tokens[PRACTITIONER])
    assert served.status == 200 and sha256(served.body) == sha256(data)


def test_versions_sent_through_both_servers_at_once_are_numbered_in_turn(servers):
    (one, two), tokens = servers
    document_id = _upload(one.port, tokens[EDITOR], "concurrent")["id"]
    replies: list = []
    lock = threading.Lock()

    def send(port: int, count: int) -> None:
        for n in range(count):
            body, ctype = multipart(
                {"change_note": f"From {port}, {n}"}, "v.md", f"# V\n\n{port} {n}\n".encode()
            )
            path = f"/api/v1/documents/{document_id}/versions"
            reply = call(port, "POST", path, tokens[EDITOR], body, ctype)
            with lock:
                replies.append(reply)

    threads = [threading.Thread(target=send, args=(s.port, 6)) for s in (one, two, one, two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status for r in replies] == [201] * 24, [r.body[:200] for r in replies]
    numbers = sorted(r.json()["number"] for r in replies)
    assert numbers == list(range(2, 26))  # no number twice, none skipped
    shown = call(two.port, "GET", f"/api/v1/documents/{document_id}", tokens[EDITOR]).json()
    assert sorted(v["number"] for v in shown["versions"]) == list(range(1, 26))


def _cookies(headers: dict) -> str:
    found = []
    for name, value in headers.items():
        if name.lower() == "set-cookie":
            found.append(value.split(";", 1)[0])
    return "; ".join(found)


def test_a_sign_in_on_one_server_is_a_sign_in_on_the_other(servers):
    """The session cookie is signed with the shared key and read by either server."""
    import http.client

    (one, two), _tokens = servers

    def request(port, method, path, cookie="", body=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()

    status, headers, page = request(one.port, "GET", "/sign-in")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert status == 200 and token, page[:300]
    form = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "email": PRACTITIONER, "password": DEMO_PASSWORD}
    )
    status, headers, _ = request(one.port, "POST", "/sign-in", _cookies(headers), form)
    assert status == 302, headers
    signed_in = _cookies(headers)
    status, _headers, page = request(two.port, "GET", "/search?q=policy", signed_in)
    assert status == 200 and "Sign out" in page
