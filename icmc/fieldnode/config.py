"""Who this field node is: its mode (environment), its identity (node.json) and its private key (a 0600 file).

ICMC_NODE_MODE=field turns an installation into a field node. `manage.py fieldnode provision BUNDLE` writes the
node's identity (node id, name, upstream URL) to ICMC_NODE_FILE and its private key to ICMC_NODE_KEY_FILE, both
readable by the owner only. ICMC_UPSTREAM_URL, when set, overrides the bundle's upstream URL.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings


class NotProvisioned(Exception):
    pass


@dataclass(frozen=True, kw_only=True)
class NodeIdentity:
    node_id: str
    name: str
    upstream_url: str
    revoked: bool = False


def is_field_node() -> bool:
    return bool(settings.ICMC_NODE_MODE == "field")


def _node_file() -> Path:
    return Path(settings.ICMC_NODE_FILE)


def _key_file() -> Path:
    return Path(settings.ICMC_NODE_KEY_FILE)


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (created 0600, never world-readable even for an instant)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    path.chmod(0o600)


def identity() -> NodeIdentity:
    """This node's identity; NotProvisioned if `fieldnode provision` has not run."""
    path = _node_file()
    if not path.exists():
        raise NotProvisioned("This field node is not provisioned: run `manage.py fieldnode provision BUNDLE`.")
    data: dict[str, Any] = json.loads(path.read_text())
    return NodeIdentity(node_id=data["node_id"], name=data.get("name", ""),
                        upstream_url=settings.ICMC_UPSTREAM_URL or data.get("upstream_url", ""),
                        revoked=bool(data.get("revoked", False)))


def provisioned() -> bool:
    return _node_file().exists()


def save_identity(*, node_id: str, name: str, upstream_url: str, revoked: bool = False) -> None:
    write_private(_node_file(), json.dumps({"node_id": node_id, "name": name, "upstream_url": upstream_url,
                                            "revoked": revoked}, indent=2))


def mark_revoked() -> None:
    current = identity()
    save_identity(node_id=current.node_id, name=current.name, upstream_url=current.upstream_url, revoked=True)


def private_key() -> str:
    path = _key_file()
    if not path.exists():
        raise NotProvisioned("The node's private key file is missing.")
    return path.read_text().strip()


def save_private_key(key: str) -> None:
    write_private(_key_file(), key + "\n")


def forget_private_key() -> None:
    _key_file().unlink(missing_ok=True)
