"""Reading sealed values: the ONE place where P0 values are decrypted.

Models with sealed fields (a `<name>_sealed` column holding the token, optionally a `<name>_index` blind index
column, and a plain `<name>` attribute that is not a column) use SealedManager (values under a person's key:
names, phones) or CaseSealedManager (values under a case's key: place details) as their default manager.
Every queryset of them (including prefetch_related, which goes through the default manager) carries the
owner's wrapped key in the same query (a join; no extra query) and sets the plain attribute on each row as it
is fetched. A destroyed key reads as "[erased]"; a tampered value raises TamperedError. `.values()` and
`.values_list()` return tokens, never plaintext.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.db import models
from django.db.models.query import ModelIterable
from django.utils.translation import gettext

from icmc.lib.idlists import id_in
from icmc.vault.crypto import KeyKind, field_aad, label_of, open_with, unwrap_data_key
from icmc.vault.keys import VaultError

_WRAPPED, _MASTER = "vault_wrapped", "vault_master_key_id"
_KEY_MODELS: dict[str, str] = {"person": "PersonKey", "case": "CaseKey"}


def erased_text() -> str:
    return gettext("[erased]")


@functools.cache
def sealed_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The plain names of a model's sealed fields ("value" for a `value_sealed` column)."""
    return tuple(f.name.removesuffix("_sealed") for f in model._meta.concrete_fields if f.name.endswith("_sealed"))


def key_kind(model: type[models.Model]) -> KeyKind:
    """Whose key seals the model's values: "person" (rows with a person_id) or "case" (rows with a case_id)."""
    return getattr(model._meta.default_manager, "key_kind", "person")


def reveal(rows: list[Any]) -> None:
    """Decrypt the sealed fields of `rows` in place (rows of one model)."""
    if not rows:
        return
    model = type(rows[0])
    fields, kind = sealed_fields(model), key_kind(model)  # type: ignore[arg-type]
    owner = f"{kind}_id"
    missing = [r for r in rows if not hasattr(r, _WRAPPED)]
    if missing:  # fetched without the manager's annotation: one query for their keys
        key_model = apps.get_model("vault", _KEY_MODELS[kind])
        keys = {getattr(k, owner): k for k in key_model.objects.filter(pk__in={getattr(r, owner) for r in missing})}
        for row in missing:
            key = keys.get(getattr(row, owner))
            setattr(row, _WRAPPED, key.wrapped if key else None)
            setattr(row, _MASTER, key.master_key_id if key else None)
    labels = {field: label_of(rows[0], field) for field in fields}
    # Each owner's key unwrapped (or taken from the key cache) once for these rows, and its cipher made once: a
    # person's names and phone, a case's places, share it.
    ciphers: dict[tuple[Any, str, str], AESGCM] = {}
    for row in rows:
        wrapped, owner_id = getattr(row, _WRAPPED), getattr(row, owner)
        for field in fields:
            token = getattr(row, f"{field}_sealed")
            if not token:
                setattr(row, field, "")
            elif wrapped is None:
                raise VaultError(f"{row._meta.label} {row.pk} has a sealed value but its {kind} has no key")
            elif wrapped == "":
                setattr(row, field, erased_text())
            else:
                master = getattr(row, _MASTER)
                cipher = ciphers.get((owner_id, wrapped, master))
                if cipher is None:
                    cipher = ciphers[(owner_id, wrapped, master)] = AESGCM(unwrap_data_key(
                        owner_id=owner_id, wrapped=wrapped, master_key_id=master, kind=kind))
                aad = field_aad(owner_id=owner_id, label=labels[field], row_id=row.pk)
                setattr(row, field, open_with(cipher, aad=aad, token=token))


def reveal_values(model: type[models.Model], rows: Sequence[tuple[Any, Any, Sequence[str]]]) -> list[list[str]]:
    """The plain values of rows of `model` read as columns, without a model instance per row (a sync snapshot
    reads tens of thousands): each row given as (row id, owner id, its `<field>_sealed` tokens in
    `sealed_fields(model)` order), the answer in the same order. As `reveal`: "" for an empty token, "[erased]"
    under a destroyed key, VaultError for a value with no key, TamperedError for an altered one. The owners'
    wrapped keys are read in one query; each is unwrapped (or taken from the key cache) once."""
    if not rows:
        return []
    fields, kind = sealed_fields(model), key_kind(model)
    labels = [label_of(model, field) for field in fields]
    key_model = apps.get_model("vault", _KEY_MODELS[kind])
    owners = id_in(key_model.objects.all(), column="pk", ids={str(owner_id) for _, owner_id, _ in rows})
    keys = {str(pk): (wrapped, master) for pk, wrapped, master in owners.values_list("pk", "wrapped", "master_key_id")}
    ciphers: dict[str, AESGCM] = {}
    out = []
    for row_id, owner_id, tokens in rows:
        owner = str(owner_id)
        wrapped, master = keys.get(owner, (None, None))
        values = []
        for label, token in zip(labels, tokens, strict=True):
            if not token:
                values.append("")
            elif wrapped is None:
                raise VaultError(f"{model._meta.label} {row_id} has a sealed value but its {kind} has no key")
            elif wrapped == "":
                values.append(erased_text())
            else:
                cipher = ciphers.get(owner)
                if cipher is None:
                    cipher = ciphers[owner] = AESGCM(unwrap_data_key(owner_id=owner, wrapped=wrapped,
                                                                     master_key_id=master, kind=kind))
                values.append(open_with(cipher, aad=field_aad(owner_id=owner, label=label, row_id=row_id),
                                        token=token))
        out.append(values)
    return out


class _RevealIterable(ModelIterable):
    def __iter__(self):  # type: ignore[no-untyped-def]
        rows = list(super().__iter__())
        reveal(rows)
        return iter(rows)


class SealedQuerySet(models.QuerySet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._iterable_class = _RevealIterable


class SealedManager(models.Manager):
    """Values sealed under the row's person's key."""

    key_kind: KeyKind = "person"

    def get_queryset(self) -> SealedQuerySet:
        # A copy of the model's annotated query, built once per process: Django asks for a new queryset for every
        # row's related manager when it prefetches (names and phones of each person of a case page), and building
        # the two subqueries each time cost more than the query itself.
        return SealedQuerySet(self.model, query=_keyed_query(self.model, self.key_kind).chain(), using=self._db)


@functools.cache
def _keyed_query(model: type[models.Model], kind: KeyKind) -> Any:
    """The query of `model`'s rows with their owner's wrapped key (never run itself: SealedManager copies it).
    The owner's key by its primary key (a correlated subquery: one index probe per row). A join through the
    owner's table (person__vault_key) let PostgreSQL hash-join the whole person table for a few hundred names
    (person search)."""
    key_model = apps.get_model("vault", _KEY_MODELS[kind])
    key = key_model.objects.filter(pk=models.OuterRef(f"{kind}_id"))
    return SealedQuerySet(model).annotate(**{
        _WRAPPED: models.Subquery(key.values("wrapped")[:1]),
        _MASTER: models.Subquery(key.values("master_key_id")[:1]),
    }).query


class CaseSealedManager(SealedManager):
    """Values sealed under the row's case's key."""

    key_kind: KeyKind = "case"
