"""Writing sealed values: a person's data key, and the helpers that seal a name or phone row and compute its
blind index and blocking tokens; a case's data key, and the helper that seals a place detail. Used by
icmc.cases.actions and the bulk writer icmc.demo.bulk."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from icmc.vault import blind
from icmc.vault.crypto import field_aad, label_of, new_data_key, seal, unwrap_data_key, wrap_data_key
from icmc.vault.keys import VaultError
from icmc.vault.models import CaseKey, PersonKey, SearchToken


def seal_field(row: Any, *, field: str, value: str, owner_id: uuid.UUID, data_key: bytes) -> None:
    """Set `<field>_sealed` of `row` (which needs its id) and its plain attribute."""
    aad = field_aad(owner_id=owner_id, label=label_of(row, field), row_id=row.pk)
    setattr(row, f"{field}_sealed", seal(data_key, aad=aad, plaintext=value) if value else "")
    setattr(row, field, value)


@dataclass(frozen=True)
class Sealer:
    """Seals the values of one person: their data key and the blind index key."""

    person_id: uuid.UUID
    data_key: bytes
    index_key: bytes

    def _seal(self, row: Any, field: str, value: str, index: str) -> None:
        aad = field_aad(owner_id=self.person_id, label=label_of(row, field), row_id=row.pk)
        setattr(row, f"{field}_sealed", seal(self.data_key, aad=aad, plaintext=value))
        setattr(row, f"{field}_index", index)
        setattr(row, field, value)

    def name(self, row: Any, value: str) -> None:
        """Seal PersonName.value (the row needs its id and person)."""
        self._seal(row, "value", value, blind.name_index(self.index_key, value))

    def phone(self, row: Any, value: str) -> None:
        """Seal PersonPhone.number."""
        self._seal(row, "number", value, blind.phone_index(self.index_key, value))

    def tokens(self, names: Iterable[str]) -> list[SearchToken]:
        """Unsaved blocking tokens for the person's names."""
        pairs: set[tuple[str, str]] = set()
        for value in names:
            pairs |= blind.name_tokens(self.index_key, value)
        return [SearchToken(person_id=self.person_id, kind=kind, token=token) for kind, token in sorted(pairs)]


def new_person_key(*, person_id: uuid.UUID, index_key: bytes | None = None,
                   now: datetime.datetime | None = None) -> tuple[PersonKey, Sealer]:
    """A fresh data key for a new person: the (unsaved) PersonKey row and a Sealer. Pass `index_key` (from
    icmc.vault.blind.index_key()) when creating many people."""
    data_key = new_data_key()
    master_key_id, wrapped = wrap_data_key(data_key, owner_id=person_id)
    row = PersonKey(person_id=person_id, wrapped=wrapped, master_key_id=master_key_id,
                    created_at=now or timezone.now())
    return row, Sealer(person_id=person_id, data_key=data_key, index_key=index_key or blind.index_key())


def sealer_for(*, person_id: uuid.UUID) -> Sealer:
    """The Sealer of an existing person (to add a name or phone later)."""
    key = PersonKey.objects.filter(person_id=person_id).first()
    if key is None or not key.wrapped:
        raise VaultError(f"person {person_id} has no usable key (never created, or destroyed)")
    data_key = unwrap_data_key(owner_id=person_id, wrapped=key.wrapped, master_key_id=key.master_key_id)
    return Sealer(person_id=person_id, data_key=data_key, index_key=blind.index_key())


@dataclass(frozen=True)
class CaseSealer:
    """Seals the whereabouts of one case (CasePlace.detail) under the case's data key."""

    case_id: uuid.UUID
    data_key: bytes

    def place(self, row: Any, value: str) -> None:
        """Seal CasePlace.detail (the row needs its id); an empty detail stays empty."""
        seal_field(row, field="detail", value=value, owner_id=self.case_id, data_key=self.data_key)

    def rescue_place(self, row: Any, value: str) -> None:
        """Seal RescueOperation.place_detail (the row needs its id); an empty detail stays empty."""
        seal_field(row, field="place_detail", value=value, owner_id=self.case_id, data_key=self.data_key)


def new_case_key(*, case_id: uuid.UUID, now: datetime.datetime | None = None) -> tuple[CaseKey, CaseSealer]:
    """A fresh data key for a case: the (unsaved) CaseKey row and a CaseSealer."""
    data_key = new_data_key()
    master_key_id, wrapped = wrap_data_key(data_key, owner_id=case_id, kind="case")
    row = CaseKey(case_id=case_id, wrapped=wrapped, master_key_id=master_key_id, created_at=now or timezone.now())
    return row, CaseSealer(case_id=case_id, data_key=data_key)


def case_sealer_for(*, case_id: uuid.UUID) -> CaseSealer | None:
    """The CaseSealer of an existing case, its key made (and saved) if the case has none yet; None once the key
    was destroyed (every survivor of the case erased: no new whereabouts may be sealed under it)."""
    key = CaseKey.objects.filter(case_id=case_id).first()
    if key is None:
        row, sealer = new_case_key(case_id=case_id)
        row.save()
        return sealer
    if not key.wrapped:
        return None
    return CaseSealer(case_id=case_id, data_key=unwrap_data_key(owner_id=case_id, wrapped=key.wrapped,
                                                                master_key_id=key.master_key_id, kind="case"))
