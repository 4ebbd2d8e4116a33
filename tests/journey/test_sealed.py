"""The sealed case: readable only by the same user in the same sign-in, for a limited time."""

import base64
import os
import zlib

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from clearinghouse.journey import sealed
from clearinghouse.journey.sealed import CaseExpired, case_open, case_seal

KEY = "a secret key for the tests"
# Long, unusual words: a two-letter needle turns up by chance in random ciphertext.
NAME = "Amelia Quillstonebridge"
STATE = {"case": {"children": [{"id": "child-Qv7", "name": NAME}]}, "target": None}


def _open(text, **changes):
    args = {"secret_key": KEY, "user_id": 7, "sign_in": "abc", "max_age_seconds": 3600}
    return case_open(text, **(args | changes))


def test_a_sealed_case_opens_for_the_same_user_and_sign_in():
    text = case_seal(STATE, secret_key=KEY, user_id=7, sign_in="abc")
    raw = base64.urlsafe_b64decode(text)
    for word in ("Quillstonebridge", "child-Qv7"):  # encrypted, not merely encoded or compressed
        assert word not in text and word.encode() not in raw
    assert _open(text) == STATE


@pytest.mark.parametrize(
    "changes",
    [{"user_id": 8}, {"sign_in": "another sign-in"}, {"secret_key": "another server key"}],
    ids=["another user", "after signing out and in", "another service"],
)
def test_a_sealed_case_does_not_open_for_anyone_else(changes):
    text = case_seal(STATE, secret_key=KEY, user_id=7, sign_in="abc")
    with pytest.raises(CaseExpired):
        _open(text, **changes)


def test_a_changed_byte_is_refused():
    raw = bytearray(base64.urlsafe_b64decode(case_seal(STATE, secret_key=KEY, user_id=7,
                                                       sign_in="abc")))  # fmt: skip
    raw[-5] ^= 1
    with pytest.raises(CaseExpired):
        _open(base64.urlsafe_b64encode(bytes(raw)).decode())


def test_an_old_case_expires():
    text = case_seal(STATE, secret_key=KEY, user_id=7, sign_in="abc", now=1_000_000)
    assert _open(text, now=1_000_000 + 3599) == STATE
    with pytest.raises(CaseExpired, match="expired"):
        _open(text, now=1_000_000 + 3601)


@pytest.mark.parametrize("text", ["", "not base64 at all!", "YWJj", "é"])
def test_rubbish_is_refused_plainly(text):
    with pytest.raises(CaseExpired) as caught:
        _open(text)
    assert caught.value.status == 400 and caught.value.code == "case_expired"


def test_a_case_that_inflates_beyond_the_limit_is_refused():
    # Only the service can seal (it needs the key), but the limit holds regardless.
    bomb = zlib.compress(b'{"t":1,"s":{"x":"' + b"a" * (sealed.MAX_INFLATED + 10) + b'"}}')
    nonce = os.urandom(sealed.NONCE_BYTES)
    body = AESGCM(sealed._key(KEY)).encrypt(nonce, bomb, sealed._bound_to(7, "abc"))
    text = base64.urlsafe_b64encode(sealed.VERSION + nonce + body).decode()
    with pytest.raises(CaseExpired, match="too large"):
        _open(text)
