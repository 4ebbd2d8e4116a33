"""The authority's case reference, kept only as a keyed hash (HMAC-SHA256).

The key is never in the database: for each authority it is derived with HKDF from
AUDIT_REFERENCE_KEY (or, when that is not set, the service's SECRET_KEY) and the authority's
id. Case references are short and guessable (often a few digits), so a key stored beside the
hashes, such as a random column in the authority's row, would let anyone with a copy of the
database try every reference; with the key outside it they cannot. Each authority's key
differs, so the same reference in two authorities hashes differently. Keeping a separate
AUDIT_REFERENCE_KEY lets the SECRET_KEY be rotated without losing the way back to old audits.
"""

import hashlib
import hmac
import re
import unicodedata

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from ..errors import InvalidInput

MAX_REFERENCE = 60
SALT = b"clearinghouse mapping audit case reference"
SPACE = re.compile(r"\s+")


def normalised(reference) -> str:
    """Return the reference as it is hashed: NFKC, no spaces, upper case (InvalidInput if bad)."""
    given = reference if isinstance(reference, str) else ""
    text = SPACE.sub("", unicodedata.normalize("NFKC", given)).upper()
    problem = None
    if reference is not None and not isinstance(reference, str):
        problem = "The case reference must be text, such as NCC/CS/48213"
    elif not text:
        problem = "Enter the case reference, as it is in your case records"
    elif len(text) > MAX_REFERENCE:
        problem = f"The case reference must be {MAX_REFERENCE} characters or fewer"
    elif not text.isprintable():
        problem = "The case reference must be letters, numbers and signs such as / or -"
    if problem:
        raise InvalidInput(
            "invalid_reference", problem, details=[{"path": "reference", "message": problem}]
        )
    return text


def _key(authority_id: int) -> bytes:
    settings = current_app.config["CLEARINGHOUSE"]
    secret = settings.get("AUDIT_REFERENCE_KEY") or current_app.config.get("SECRET_KEY")
    if not secret:
        raise RuntimeError("A SECRET_KEY (or AUDIT_REFERENCE_KEY) is needed to hash references")
    info = f"authority:{authority_id}".encode()
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT, info=info)
    return hkdf.derive(str(secret).encode("utf-8"))


def case_key(authority_id: int, reference) -> str:
    """Return the hex HMAC-SHA256 of the normalised reference under the authority's key."""
    message = normalised(reference).encode("utf-8")
    return hmac.new(_key(authority_id), message, hashlib.sha256).hexdigest()
