"""Pulled identity values sealed with this node's own keys (device protection): names and phones under a
per-person data key, place details under a per-case data key, both wrapped by this node's master key, exactly
as a centre stores them (icmc.vault). The upstream sends the plain value only to a node cleared for P0, over
TLS; the node never stores it in the clear (icmc.fieldnode.materialise strips it from the Replica copy, so a
held-back row picks up a newer name only with its next change)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models

from icmc.vault.crypto import unwrap_data_key
from icmc.vault.identity import new_case_key, new_person_key, seal_field, sealer_for
from icmc.vault.models import CaseKey, PersonKey, SearchToken
from icmc.vault.sealed import key_kind, sealed_fields


def sealed_in(model: type[models.Model], data: dict[str, Any]) -> dict[str, str]:
    """The plain values of the model's sealed fields present in a pulled change."""
    return {name: str(data[name] or "") for name in sealed_fields(model) if name in data}


def seal_row(row: Any, *, model: type[models.Model], values: dict[str, str]) -> None:
    """Seal `values` into `row` (which has its id and owner set) under this node's key for its owner."""
    if key_kind(model) == "person":
        person_id = uuid.UUID(str(row.person_id))
        if not PersonKey.objects.filter(person_id=person_id).exists():
            key, _sealer = new_person_key(person_id=person_id)
            key.save()
        sealer = sealer_for(person_id=person_id)
        for name, value in values.items():
            if name == "value":
                sealer.name(row, value)
                SearchToken.objects.bulk_create(sealer.tokens([value]), ignore_conflicts=True)
            else:
                sealer.phone(row, value)
        return
    case_id = uuid.UUID(str(row.case_id))
    case_key = CaseKey.objects.filter(case_id=case_id).first()
    if case_key is None:
        case_key, _case_sealer = new_case_key(case_id=case_id)
        case_key.save()
    data_key = unwrap_data_key(owner_id=case_id, wrapped=case_key.wrapped, master_key_id=case_key.master_key_id,
                               kind="case")
    for name, value in values.items():
        seal_field(row, field=name, value=value, owner_id=case_id, data_key=data_key)
