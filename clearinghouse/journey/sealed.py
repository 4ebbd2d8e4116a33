"""The case in progress, sealed for the browser to carry: encrypted, signed and bound.

No case data is kept on the server between pages. Each page of the journey posts the case back
as one opaque field: zlib-compressed JSON encrypted with AES-256-GCM. The key is derived (HKDF)
from the service's secret key, so any app server can open it; the associated data binds it to
the signed-in user and to this sign-in (a random value kept in the session cookie), so a copy
is useless to anyone else and after signing out; and it carries the time it was sealed, so an
old one expires.
"""

import base64
import json
import os
import time
import zlib

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..errors import InvalidInput

VERSION = b"c1"
NONCE_BYTES = 12
MAX_INFLATED = 4 * 1024 * 1024  # a sealed case never opens to more than this


class CaseExpired(InvalidInput):
    """The sealed case cannot be opened: too old, another user's, or from an ended sign-in."""

    def __init__(self, message: str):
        super().__init__("case_expired", message, status=400)


def _key(secret_key: str | bytes) -> bytes:
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"clearinghouse case v1")
    return hkdf.derive(secret)


def _bound_to(user_id: int, sign_in: str) -> bytes:
    return VERSION + b"|" + str(int(user_id)).encode() + b"|" + sign_in.encode()


def case_seal(
    state: dict, *, secret_key: str | bytes, user_id: int, sign_in: str, now: float | None = None
) -> str:
    """Return the journey state (the case and where it is going) sealed as URL-safe text."""
    body = json.dumps(
        {"t": int(now if now is not None else time.time()), "s": state},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_key(secret_key)).encrypt(
        nonce, zlib.compress(body, 6), _bound_to(user_id, sign_in)
    )
    return base64.urlsafe_b64encode(VERSION + nonce + sealed).decode("ascii")


def case_open(
    text: str,
    *,
    secret_key: str | bytes,
    user_id: int,
    sign_in: str,
    max_age_seconds: float,
    now: float | None = None,
) -> dict:
    """Return the journey state from sealed text (CaseExpired when it cannot be trusted)."""
    try:
        raw = base64.urlsafe_b64decode(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise CaseExpired(
            "The case could not be read. Start again or upload your case file."
        ) from None
    if not raw.startswith(VERSION) or len(raw) < len(VERSION) + NONCE_BYTES + 16:
        raise CaseExpired("The case could not be read. Start again or upload your case file.")
    nonce = raw[len(VERSION) : len(VERSION) + NONCE_BYTES]
    try:
        packed = AESGCM(_key(secret_key)).decrypt(
            nonce, raw[len(VERSION) + NONCE_BYTES :], _bound_to(user_id, sign_in)
        )
    except InvalidTag:
        raise CaseExpired(
            "This case belongs to an earlier sign-in and can no longer be opened. Start again "
            "or upload your case file."
        ) from None
    inflater = zlib.decompressobj()
    body = inflater.decompress(packed, MAX_INFLATED)
    if inflater.unconsumed_tail:
        raise CaseExpired("The case is too large to open.")
    opened = json.loads(body)
    age = (now if now is not None else time.time()) - opened["t"]
    if age > max_age_seconds or age < -300:
        raise CaseExpired(
            "This case has expired: cases in progress last for the working day. Upload your "
            "saved case file, or start again."
        )
    return opened["s"]
