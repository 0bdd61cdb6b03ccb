"""Master keys: they wrap the per-person data keys and never enter the database.

`MasterKeyProvider` is the interface a KMS (or HSM) adapter implements: wrap a data key under the active master
key, unwrap one under the key id it was wrapped with. The default, `LocalMasterKeys`, holds the keys read by
config/settings.py from ICMC_MASTER_KEY or the key file ICMC_MASTER_KEY_FILE (see icmc/vault/keyfile.py).
Wrapping is AES-256-GCM with the person id and the master key id as associated data, so a wrapped key copied
onto another person does not unwrap.
"""

from __future__ import annotations

import os
import threading
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from icmc.vault.keyfile import parse_master_keys

NONCE_BYTES = 12


class VaultError(Exception):
    """Something is wrong with keys or ciphertext. Messages name records by id only, never values."""


class TamperedError(VaultError):
    """A ciphertext or wrapped key failed authentication: altered, moved to another record, or wrong key."""


class MasterKeyProvider(Protocol):
    @property
    def active_key_id(self) -> str: ...

    def key_ids(self) -> list[str]: ...

    def wrap(self, data_key: bytes, *, context: bytes, key_id: str | None = None) -> tuple[str, bytes]:
        """Wrap under `key_id` (default: the active key); returns (key id used, wrapped bytes)."""
        ...

    def unwrap(self, wrapped: bytes, *, key_id: str, context: bytes) -> bytes: ...


class LocalMasterKeys:
    """Master keys held in process memory (the embedded default)."""

    def __init__(self, keys: dict[str, bytes]) -> None:
        if not keys:
            raise VaultError("no master key")
        self._aead = {key_id: AESGCM(raw) for key_id, raw in keys.items()}
        self._active = next(iter(keys))

    @property
    def active_key_id(self) -> str:
        return self._active

    def key_ids(self) -> list[str]:
        return list(self._aead)

    def wrap(self, data_key: bytes, *, context: bytes, key_id: str | None = None) -> tuple[str, bytes]:
        key_id = key_id or self._active
        if key_id not in self._aead:
            raise VaultError(f"master key {key_id!r} is not configured")
        nonce = os.urandom(NONCE_BYTES)
        return key_id, nonce + self._aead[key_id].encrypt(nonce, data_key, _wrap_aad(key_id, context))

    def unwrap(self, wrapped: bytes, *, key_id: str, context: bytes) -> bytes:
        if key_id not in self._aead:
            raise VaultError(f"master key {key_id!r} is not configured (was it removed before rotation?)")
        try:
            return self._aead[key_id].decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:],
                                              _wrap_aad(key_id, context))
        except InvalidTag:
            raise TamperedError("a wrapped key failed authentication") from None


def _wrap_aad(key_id: str, context: bytes) -> bytes:
    return b"icmc-wrap/v1|" + key_id.encode() + b"|" + context


_lock = threading.Lock()
_cached: tuple[str, MasterKeyProvider] | None = None


def provider() -> MasterKeyProvider:
    """The configured provider (rebuilt when settings.ICMC_MASTER_KEYS changes, e.g. in tests)."""
    global _cached
    text = settings.ICMC_MASTER_KEYS
    cached = _cached
    if cached is not None and cached[0] == text:
        return cached[1]
    with _lock:
        built = LocalMasterKeys(parse_master_keys(text))
        _cached = (text, built)
        return built
