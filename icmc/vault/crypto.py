"""Field encryption: AES-256-GCM under a data key of the value's owner (a person's identity, or a case's
whereabouts), with the owner id, the field (model.field) and the row id as associated data. Tokens read
`v1:<nonce>:<ciphertext>` (standard base64). A token that was altered, or copied onto another owner, field or
row, fails loudly with TamperedError.
"""

from __future__ import annotations

import base64
import binascii
import os
import uuid
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from icmc.vault.keycache import KEYS
from icmc.vault.keys import NONCE_BYTES, TamperedError, VaultError, provider

VERSION = "v1"
DATA_KEY_BYTES = 32


# Whose data keys there are: a person's (names, phones) and a case's (place details).
KeyKind = Literal["person", "case"]


def _canonical(value: uuid.UUID | str) -> str:
    """An id's canonical text (a uuid object writes its own; text is parsed, so any spelling gives the same)."""
    return str(value) if isinstance(value, uuid.UUID) else str(uuid.UUID(str(value)))


def field_aad(*, owner_id: uuid.UUID | str, label: str, row_id: uuid.UUID | str) -> bytes:
    """Associated data of one value: whose key seals it (person or case id), which field, which row."""
    return f"icmc-field/{VERSION}|{_canonical(owner_id)}|{label}|{_canonical(row_id)}".encode()


def key_context(*, kind: KeyKind, owner_id: uuid.UUID | str) -> bytes:
    """Associated data when wrapping the data key of a person or of a case."""
    return f"icmc-{kind}-key|{uuid.UUID(str(owner_id))}".encode()


def new_data_key() -> bytes:
    return os.urandom(DATA_KEY_BYTES)


def seal(data_key: bytes, *, aad: bytes, plaintext: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext.encode(), aad)
    return f"{VERSION}:{base64.b64encode(nonce).decode()}:{base64.b64encode(ciphertext).decode()}"


def open_sealed(data_key: bytes, *, aad: bytes, token: str) -> str:
    return open_with(AESGCM(data_key), aad=aad, token=token)


def open_with(cipher: AESGCM, *, aad: bytes, token: str) -> str:
    """open_sealed with the data key's cipher made once (for many values under one key: a page of names)."""
    try:
        version, nonce_b64, ct_b64 = token.split(":")
        if version != VERSION:
            raise ValueError(version)
        nonce, ciphertext = base64.b64decode(nonce_b64, validate=True), base64.b64decode(ct_b64, validate=True)
    except (ValueError, binascii.Error):
        raise TamperedError("a sealed value is malformed") from None
    try:
        return cipher.decrypt(nonce, ciphertext, aad).decode()
    except (InvalidTag, ValueError):
        raise TamperedError("a sealed value failed authentication (altered, moved or wrong key)") from None


def wrap_data_key(data_key: bytes, *, owner_id: uuid.UUID | str, kind: KeyKind = "person",
                  key_id: str | None = None) -> tuple[str, str]:
    """(master key id, base64 wrapped key)."""
    used, wrapped = provider().wrap(data_key, context=key_context(kind=kind, owner_id=owner_id), key_id=key_id)
    return used, base64.b64encode(wrapped).decode()


def unwrap_data_key(*, owner_id: uuid.UUID | str, wrapped: str, master_key_id: str,
                    kind: KeyKind = "person") -> bytes:
    """Unwrap a stored data key. Remembered in this process's memory for a few minutes (icmc.vault.keycache), so
    that each key is unwrapped once per page or search, not once per value."""
    if not wrapped:
        raise VaultError(f"the {kind}'s key has been destroyed")
    owner = str(uuid.UUID(str(owner_id)))
    keys = provider()
    data_key = KEYS.get(kind=kind, owner_id=owner, wrapped=wrapped, master_key_id=master_key_id, provider=keys)
    if data_key is None:
        try:
            raw = base64.b64decode(wrapped, validate=True)
        except (ValueError, binascii.Error):
            raise TamperedError("a wrapped key is malformed") from None
        data_key = keys.unwrap(raw, key_id=master_key_id, context=key_context(kind=kind, owner_id=owner))
        KEYS.put(kind=kind, owner_id=owner, wrapped=wrapped, master_key_id=master_key_id, provider=keys,
                 data_key=data_key)
    return data_key


def forget_data_keys(*, kind: KeyKind, owner_ids: list[uuid.UUID] | list[str]) -> None:
    """Drop these owners' unwrapped keys from this process's memory (their keys were just destroyed)."""
    KEYS.forget(kind=kind, owner_ids=[str(uuid.UUID(str(o))) for o in owner_ids])


def label_of(row: Any, field: str) -> str:
    return f"{row._meta.label}.{field}"
