"""Vault operations: crypto-shredding a person (for the erasure action of icmc.privacy) and rotating the master
key."""

from __future__ import annotations

import base64
import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icmc.access.errors import NotFound, PermissionDenied
from icmc.cases.codes import PartyRole
from icmc.cases.models import CaseParty, Person, PersonName, PersonPhone
from icmc.vault.blind import INDEX_KEY_NAME
from icmc.vault.crypto import KeyKind, forget_data_keys, key_context, unwrap_data_key
from icmc.vault.keys import provider
from icmc.vault.models import CaseKey, IndexKey, PersonKey, SearchToken


def shred_person_key(person: Person) -> dict[str, int]:
    """Crypto-shredding: destroy the person's data key, so every name and phone of theirs (in this database, its
    replicas and its backups made from now on) becomes unreadable and reads "[erased]"; blank the blind index
    and blocking tokens. When no survivor of one of their cases is left unerased, that case's key is destroyed
    too (its place details read "[erased]"). Returns the counts for the audit event.

    No permission check and no audit event of its own: it is called only by the erasure action
    icmc.privacy.actions.do_erase_person (two-person approval, legal holds, step-up, audit), inside its
    transaction. NotFound for a person without a key; PermissionDenied if the key is already destroyed."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("shred_person_key must run inside the erasure's transaction")
    key = PersonKey.objects.select_for_update().filter(person=person).first()
    if key is None:
        raise NotFound()
    if key.destroyed_at is not None:
        raise PermissionDenied(_("This person has already been erased."))
    case_ids = list(CaseParty.objects.filter(person=person).values_list("case_id", flat=True).distinct())
    key.wrapped, key.master_key_id, key.destroyed_at = "", "", timezone.now()
    key.save(update_fields=["wrapped", "master_key_id", "destroyed_at"])
    names = PersonName.objects.filter(person=person).update(value_index="")
    phones = PersonPhone.objects.filter(person=person).update(number_index="")
    tokens, _deleted = SearchToken.objects.filter(person=person).delete()
    case_keys = _destroy_keys_of_cases_without_survivors(case_ids=case_ids, now=key.destroyed_at)
    # No unwrapped copy of a destroyed key stays in this process's memory (icmc.vault.keycache): forgotten now and
    # again at commit (a read running meanwhile may have remembered it).
    forget_data_keys(kind="person", owner_ids=[person.pk])
    transaction.on_commit(lambda: forget_data_keys(kind="person", owner_ids=[person.pk]))
    return {"name_rows": names, "phone_rows": phones, "tokens": tokens, "case_keys": case_keys}


def is_erased(*, person_id: uuid.UUID) -> bool:
    return PersonKey.objects.filter(person_id=person_id, destroyed_at__isnull=False).exists()


def _destroy_keys_of_cases_without_survivors(*, case_ids: list[uuid.UUID], now: datetime.datetime | None) -> int:
    """Destroy the key of every case among `case_ids` whose survivors are all erased; how many."""
    survivors_left = set(
        CaseParty.objects.filter(case_id__in=case_ids, role=PartyRole.SURVIVOR,
                                 person__vault_key__destroyed_at__isnull=True).values_list("case_id", flat=True))
    keys = CaseKey.objects.filter(case_id__in=set(case_ids) - survivors_left, destroyed_at__isnull=True)
    destroyed = list(keys.values_list("case_id", flat=True))
    count = keys.update(wrapped="", master_key_id="", destroyed_at=now)
    forget_data_keys(kind="case", owner_ids=destroyed)
    transaction.on_commit(lambda: forget_data_keys(kind="case", owner_ids=destroyed))
    return count


def rotate_master_key(*, new_key_id: str, batch_size: int = 1000) -> int:
    """Rewrap every live person and case key (and the blind index root) under master key `new_key_id`; the
    data keys and so every ciphertext and index token stay as they are. Idempotent: keys already under
    `new_key_id` are skipped, so an interrupted run can simply be run again. Returns how many keys were
    rewrapped."""
    keys = provider()
    if new_key_id not in keys.key_ids():
        raise ValueError(f"master key {new_key_id!r} is not configured")
    done = _rewrap(PersonKey, kind="person", new_key_id=new_key_id, batch_size=batch_size)
    done += _rewrap(CaseKey, kind="case", new_key_id=new_key_id, batch_size=batch_size)
    with transaction.atomic():
        root = IndexKey.objects.select_for_update().filter(name=INDEX_KEY_NAME).first()
        if root is not None and root.master_key_id != new_key_id:
            context = b"icmc-index-root"
            secret = keys.unwrap(base64.b64decode(root.wrapped), key_id=root.master_key_id, context=context)
            _used, wrapped = keys.wrap(secret, context=context, key_id=new_key_id)
            root.wrapped, root.master_key_id, root.rotated_at = (base64.b64encode(wrapped).decode(), new_key_id,
                                                                 timezone.now())
            root.save(update_fields=["wrapped", "master_key_id", "rotated_at"])
    return done


def _rewrap(model: type[PersonKey] | type[CaseKey], *, kind: KeyKind, new_key_id: str, batch_size: int) -> int:
    keys, owner, done = provider(), f"{kind}_id", 0
    while True:
        with transaction.atomic():
            batch: list[Any] = list(model.objects.select_for_update()  # type: ignore[attr-defined]
                                    .filter(destroyed_at__isnull=True).exclude(master_key_id=new_key_id)
                                    .order_by(owner)[:batch_size])
            if not batch:
                return done
            now = timezone.now()
            for row in batch:
                owner_id = getattr(row, owner)
                data_key = unwrap_data_key(owner_id=owner_id, wrapped=row.wrapped, master_key_id=row.master_key_id,
                                           kind=kind)
                _used, wrapped = keys.wrap(data_key, context=key_context(kind=kind, owner_id=owner_id),
                                           key_id=new_key_id)
                row.wrapped, row.master_key_id, row.rotated_at = base64.b64encode(wrapped).decode(), new_key_id, now
            model.objects.bulk_update(batch, ["wrapped", "master_key_id", "rotated_at"])  # type: ignore[attr-defined]
            done += len(batch)


def key_usage() -> dict[str, int]:
    """How many live person and case keys each master key wraps (for `vault status`: is the old key still
    needed?)."""
    usage: dict[str, int] = {}
    for model in (PersonKey, CaseKey):
        for key_id in model.objects.filter(destroyed_at__isnull=True).values_list(  # type: ignore[attr-defined]
                "master_key_id", flat=True):
            usage[key_id] = usage.get(key_id, 0) + 1
    root = IndexKey.objects.filter(name=INDEX_KEY_NAME).first()
    if root is not None:
        usage[root.master_key_id] = usage.get(root.master_key_id, 0) + 1
    return usage


def rebuild_search_tokens(*, batch_size: int = 1000) -> int:
    """Recompute every live person's blocking tokens from their decrypted names (after the token rules change,
    e.g. sound keys for Devanagari and Bengali-Assamese names). Each batch is one transaction; safe to rerun.
    Returns how many people were re-indexed."""
    from icmc.vault import blind

    index_key = blind.index_key()
    done, last = 0, None
    while True:
        people = PersonKey.objects.filter(destroyed_at__isnull=True).order_by("person_id")
        ids = list((people.filter(person_id__gt=last) if last else people)
                   .values_list("person_id", flat=True)[:batch_size])
        if not ids:
            return done
        with transaction.atomic():
            names: dict[object, list[str]] = {}
            for row in PersonName.objects.filter(person_id__in=ids):
                names.setdefault(row.person_id, []).append(row.value)
            SearchToken.objects.filter(person_id__in=ids).delete()
            SearchToken.objects.bulk_create([
                SearchToken(person_id=pid, kind=kind, token=token)
                for pid in ids
                for kind, token in sorted({pair for value in names.get(pid, []) for pair in
                                           blind.name_tokens(index_key, value)})])
        done += len(ids)
        last = ids[-1]
