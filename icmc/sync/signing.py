"""Signed requests (Ed25519) and signed cursors (HMAC from SECRET_KEY). See docs/sync.md."""

from __future__ import annotations

import base64
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core import signing

SCHEME = b"ICMC-SYNC-1"
HEADER_NODE = "X-ICMC-Node"
HEADER_TIME = "X-ICMC-Time"
HEADER_SIGNATURE = "X-ICMC-Signature"
_CURSOR_SALT = "icmc.sync.cursor"


class BadCursor(Exception):
    pass


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_key_pair() -> tuple[str, str]:
    """(private key, public key), both raw 32 bytes in base64url. The private key is shown once and kept by
    the node; upstream stores only the public key."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return b64(private.private_bytes_raw()), b64(public)


def string_to_sign(*, method: str, path: str, query: str, time: str, body: bytes) -> bytes:
    return b"\n".join([SCHEME, method.upper().encode(), path.encode(), query.encode(), time.encode(),
                       hashlib.sha256(body).hexdigest().encode()])


def sign(*, private_key: str, message: bytes) -> str:
    return b64(Ed25519PrivateKey.from_private_bytes(unb64(private_key)).sign(message))


def verify(*, public_key: str, message: bytes, signature: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(unb64(public_key)).verify(unb64(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def make_cursor(*, node_id: str, seq: int, page: int = 0) -> str:
    return signing.dumps({"n": node_id, "s": seq, "p": page}, salt=_CURSOR_SALT)


def read_cursor(*, node_id: str, cursor: str) -> tuple[int, int]:
    """(feed position, page number) in a cursor given to this node; (0, 0) for an empty cursor. BadCursor if it
    was altered, or given to another node."""
    if not cursor:
        return 0, 0
    try:
        value = signing.loads(cursor, salt=_CURSOR_SALT)
    except signing.BadSignature as exc:
        raise BadCursor from exc
    if not isinstance(value, dict) or value.get("n") != node_id or not isinstance(value.get("s"), int) \
            or not isinstance(value.get("p", 0), int):
        raise BadCursor
    return int(value["s"]), int(value.get("p", 0))
