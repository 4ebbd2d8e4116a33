"""Helpers for tests that post forms with CSRF protection on: read a page's token, sign in."""

import re

from factories import PASSWORD
from flask import g, request_started


def _forget_csrf_token(sender, **extra):
    g.pop("csrf_token", None)  # the tests' one app context would keep a signed-out token


def csrf_token(html: str) -> str:
    """Return the CSRF token of the page's first form."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def csrf_client(app, user=None):
    """Return a client of an app with CSRF on, signed in as the user through the form."""
    request_started.connect(_forget_csrf_token, app)
    client = app.test_client()
    if user is not None:
        token = csrf_token(client.get("/sign-in").get_data(as_text=True))
        data = {"email": user.email, "password": PASSWORD, "csrf_token": token}
        assert client.post("/sign-in", data=data).status_code == 302
    return client
