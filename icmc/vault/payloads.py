"""Sync payloads kept at rest, sealed: a field node's outbox (the args of every mutation it made, names and
phones of a case reported offline among them) and a centre's inbox of mutations kept but not applied
(rejected, quarantined) hold what users typed, so neither stores it in the clear.

One AES-256-GCM key per installation, derived (HKDF, info "icmc-sync-payloads") from the vault's root secret
(icmc.vault.blind.derived_key), which is wrapped by the master key: a master key rotation keeps every payload
readable, a database dump without the master key reads none. The associated data names the row (`label`, e.g.
"outbox|17" or "mutation|<node>|17"), so a sealed payload moved to another row fails to open.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from icmc.vault.blind import derived_key
from icmc.vault.crypto import open_sealed, seal

_INFO = b"icmc-sync-payloads"


def _aad(label: str) -> bytes:
    return f"icmc-payload|{label}".encode()


def seal_payload(payload: Mapping[str, Any], *, label: str) -> str:
    """`payload` as JSON, sealed for the row named `label`."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return seal(derived_key(info=_INFO), aad=_aad(label), plaintext=text)


def open_payload(token: str, *, label: str) -> dict[str, Any]:
    """The payload sealed by `seal_payload` for the row named `label` (TamperedError if altered or moved)."""
    value = json.loads(open_sealed(derived_key(info=_INFO), aad=_aad(label), token=token))
    return dict(value)
