"""Reading sealed values: the ONE place where P0 values are decrypted.

Models with sealed fields (a `<name>_sealed` column holding the token, a `<name>_index` blind index column, and
a plain `<name>` attribute that is not a column) use SealedManager as their default manager. Every queryset of
them (including prefetch_related, which goes through the default manager) carries the person's wrapped key in
the same query (a join; no extra query) and sets the plain attribute on each row as it is fetched. A destroyed
key reads as "[erased]"; a tampered value raises TamperedError. `.values()` and `.values_list()` return tokens,
never plaintext.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import models
from django.db.models.query import ModelIterable
from django.utils.translation import gettext

from icmc.vault.crypto import field_aad, label_of, open_sealed, unwrap_data_key
from icmc.vault.keys import VaultError

_WRAPPED, _MASTER = "vault_wrapped", "vault_master_key_id"


def erased_text() -> str:
    return gettext("[erased]")


@functools.cache
def sealed_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The plain names of a model's sealed fields ("value" for a `value_sealed` column)."""
    return tuple(f.name.removesuffix("_sealed") for f in model._meta.concrete_fields if f.name.endswith("_sealed"))


def reveal(rows: list[Any]) -> None:
    """Decrypt the sealed fields of `rows` in place (rows of one model, each with a person_id)."""
    if not rows:
        return
    fields = sealed_fields(type(rows[0]))  # type: ignore[arg-type]
    missing = [r for r in rows if not hasattr(r, _WRAPPED)]
    if missing:  # fetched without the manager's annotation: one query for their keys
        from icmc.vault.models import PersonKey

        keys = {k.person_id: k for k in PersonKey.objects.filter(person_id__in={r.person_id for r in missing})}
        for row in missing:
            key = keys.get(row.person_id)
            setattr(row, _WRAPPED, key.wrapped if key else None)
            setattr(row, _MASTER, key.master_key_id if key else None)
    for row in rows:
        wrapped = getattr(row, _WRAPPED)
        for field in fields:
            token = getattr(row, f"{field}_sealed")
            if not token:
                setattr(row, field, "")
            elif wrapped is None:
                raise VaultError(f"{row._meta.label} {row.pk} has a sealed value but its person has no key")
            elif wrapped == "":
                setattr(row, field, erased_text())
            else:
                data_key = unwrap_data_key(person_id=row.person_id, wrapped=wrapped,
                                           master_key_id=getattr(row, _MASTER))
                aad = field_aad(person_id=row.person_id, label=label_of(row, field), row_id=row.pk)
                setattr(row, field, open_sealed(data_key, aad=aad, token=token))


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
    def get_queryset(self) -> SealedQuerySet:
        return SealedQuerySet(self.model, using=self._db).annotate(**{
            _WRAPPED: models.F("person__vault_key__wrapped"),
            _MASTER: models.F("person__vault_key__master_key_id"),
        })
