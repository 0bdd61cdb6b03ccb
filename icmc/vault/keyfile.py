"""Parse master key material (no Django here: config/settings.py uses it to refuse a bad key at start-up).

Format, in ICMC_MASTER_KEY or the key file ICMC_MASTER_KEY_FILE: one key per line (or comma separated), each
`<key-id>:<base64 of 32 bytes>`. The FIRST key is the active one (new person keys are wrapped under it); the
others only unwrap, until `manage.py vault rotate-master` has rewrapped everything and they can be removed.
A single bare base64 value is accepted too, with the id given by ICMC_MASTER_KEY_ID (default "k1").
"""

from __future__ import annotations

import base64
import binascii
import re

KEY_BYTES = 32
_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


class MasterKeyError(ValueError):
    """The master key material is missing or malformed (the message never contains key material)."""


def parse_master_keys(text: str, *, default_id: str = "k1") -> dict[str, bytes]:
    """Key id -> key bytes, active key first (dicts keep insertion order)."""
    keys: dict[str, bytes] = {}
    entries = [e.strip() for e in re.split(r"[\n,]", text) if e.strip() and not e.strip().startswith("#")]
    for number, entry in enumerate(entries, start=1):
        key_id, sep, encoded = entry.partition(":")
        if not sep:
            key_id, encoded = default_id, entry
        key_id, encoded = key_id.strip(), encoded.strip()
        if not _ID.match(key_id):
            raise MasterKeyError(f"master key entry {number}: the key id must be 1-40 of A-Z a-z 0-9 _ . -")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise MasterKeyError(f"master key {key_id!r} is not valid base64") from None
        if len(raw) != KEY_BYTES:
            raise MasterKeyError(f"master key {key_id!r} must be {KEY_BYTES} bytes, not {len(raw)}")
        if key_id in keys:
            raise MasterKeyError(f"master key id {key_id!r} appears twice")
        keys[key_id] = raw
    if not keys:
        raise MasterKeyError("no master key given")
    return keys


def new_key_line(key_id: str) -> str:
    """A fresh `<key-id>:<base64>` line (for development key files and `manage.py vault new-key`)."""
    import secrets

    if not _ID.match(key_id):
        raise MasterKeyError("the key id must be 1-40 of A-Z a-z 0-9 _ . -")
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()}"
