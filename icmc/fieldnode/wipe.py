"""Removing data from a field node: one record with what hangs on it (it left the node's scope), or the whole
replica (the node was revoked upstream).

A revoked node keeps nothing readable: every table is emptied (users included, so nobody can sign in), the
SQLite file is rewritten without its free pages (VACUUM, WAL truncated), and the node's vault master key file
and its sync private key are deleted, so that even an old copy of the database file cannot be unsealed
(identities are sealed under per-person keys wrapped by that master key: icmc.vault).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, models

from icmc.fieldnode.config import forget_private_key, mark_revoked
from icmc.vault.keycache import KEYS


def delete_with_dependants(row: models.Model) -> None:
    """Delete `row` after every row that points at it (depth first). Used for a record leaving the scope."""
    for relation in row._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        manager = relation.related_model._default_manager  # type: ignore[union-attr]
        for child in manager.filter(**{relation.field.name: row}):
            delete_with_dependants(child)
    row.delete()


def wipe_replica() -> None:
    """Empty this node's database and destroy its keys. Irreversible: only for a node revoked upstream."""
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("VACUUM")
    master_key_file = _master_key_file()
    if master_key_file is not None:
        master_key_file.unlink(missing_ok=True)
    forget_private_key()
    KEYS.clear()  # no unwrapped data key of the wiped replica stays in this process's memory
    mark_revoked()


def _master_key_file() -> Path | None:
    if os.environ.get("ICMC_MASTER_KEY"):
        return None  # held by the environment: the operator removes it
    return Path(os.environ.get("ICMC_MASTER_KEY_FILE", Path(settings.VAR_DIR) / "master_key"))
