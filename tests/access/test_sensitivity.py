"""The sensitivity registry (icmc/access/sensitivity.py), its generated doc, and the one redaction function."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.apps import apps

from icmc.access.redaction import Clearance, case_clearance, node_clearance, redact
from icmc.access.sensitivity import (
    ALL,
    DERIVED,
    FIELDS,
    NEVER_P0,
    NO_P0,
    NOT_CASE_DATA,
    P0,
    ROLE_CEILINGS,
    UnclassifiedField,
    purpose_classes,
)
from icmc.access.sensitivity_docs import render
from icmc.accounts.reference import Role
from icmc.demo.world import World
from icmc.referrals.codes import ReferralPurpose
from icmc.sync import projection
from icmc.sync.pull import feed_page
from tests.factories import person_data, report_case
from tests.sync.conftest import register

DOC = Path(__file__).resolve().parents[2] / "docs" / "sensitivity.md"


def _served_fields(model: type) -> set[str]:
    """Every field of a model that holds a value: columns and many-to-many fields (not reverse relations)."""
    return {f.name for f in model._meta.get_fields()  # type: ignore[attr-defined]
            if ((f.concrete or f.many_to_many) and not f.auto_created) or getattr(f, "primary_key", False)}


def test_every_field_of_every_case_data_model_is_classified() -> None:
    missing, stale = [], []
    for model in apps.get_models():
        if not model.__module__.startswith("icmc."):
            continue
        label = model._meta.label
        if label in NOT_CASE_DATA:
            assert label not in FIELDS, f"{label} is both classified and listed as holding no case data"
            continue
        fields = _served_fields(model)
        classified = set(FIELDS.get(label, {}))
        missing += [f"{label}.{name}" for name in sorted(fields - classified)]
        stale += [f"{label}.{name}" for name in sorted(classified - fields)]
    assert missing == [], "fields without a sensitivity class: add them to icmc/access/sensitivity.py"
    assert stale == [], "classes for fields that no longer exist"


def test_every_listed_model_exists() -> None:
    labels = {m._meta.label for m in apps.get_models()}
    assert sorted((set(FIELDS) | set(NOT_CASE_DATA) | set(DERIVED)) - labels) == []
    for label, derived in DERIVED.items():
        assert not set(derived) & set(FIELDS[label]), f"{label}: a derived value named like a field"


def test_identity_and_whereabouts_are_p0() -> None:
    for label, field in [("cases.PersonName", "value"), ("cases.PersonPhone", "number"), ("cases.Person", "names"),
                         ("cases.Person", "phones"), ("cases.Person", "birth_date"), ("cases.CasePlace", "detail"),
                         ("pathway.RescueOperation", "place_detail"), ("pathway.Repatriation", "travel_permit_number"),
                         ("cases.PersonName", "value_sealed"), ("cases.PersonName", "value_index")]:
        assert {**FIELDS.get(label, {}), **DERIVED.get(label, {})}[field] is P0, f"{label}.{field}"


def test_every_role_has_a_ceiling_and_media_analysts_admins_never_receive_p0() -> None:
    assert set(ROLE_CEILINGS) == set(Role)
    assert {Role.MEDIA_LIAISON, Role.ANALYST, Role.ADMINISTRATOR} <= NEVER_P0


def test_every_purpose_has_classes() -> None:
    for purpose in ReferralPurpose:
        assert purpose_classes(purpose=purpose.value) in (ALL, NO_P0)
    assert purpose_classes(purpose="no-such-purpose") == frozenset()


def test_every_sync_projection_field_is_classified() -> None:
    for proj in projection.PROJECTIONS.values():
        for name in (*proj.fields, *proj.many):
            assert name in FIELDS[proj.model], f"{proj.model}.{name}"
        for name in proj.derived:
            assert name in DERIVED.get(proj.model, {}), f"{proj.model}.{name}"


def test_docs_sensitivity_matches_the_registry() -> None:
    assert DOC.read_text() == render(), (
        "docs/sensitivity.md is stale: run `python -m icmc.access.sensitivity_docs > docs/sensitivity.md`")


# --- redact -------------------------------------------------------------------------------------------------


def test_redact_withholds_what_the_clearance_lacks_and_says_so() -> None:
    values = {"names": [{"value": "Asha"}], "phones": ["+919800000001"], "birth_date": datetime.date(2010, 1, 1),
              "gender": "Feminine", "estimated_age": 15}
    shown = redact(values, model="cases.Person", clearance=Clearance(classes=NO_P0))
    assert shown == {"names": [], "phones": [], "birth_date": None, "gender": "Feminine", "estimated_age": 15}
    assert shown.withheld == {"names", "phones", "birth_date"}
    everything = redact(values, model="cases.Person", clearance=Clearance(classes=ALL))
    assert everything == values and everything.withheld == frozenset()
    assert redact({"detail": "behind the mill"}, model="cases.CasePlace",
                  clearance=Clearance(classes=frozenset()))["detail"] == ""


def test_redact_refuses_an_unclassified_key() -> None:
    with pytest.raises(UnclassifiedField):
        redact({"nickname": "x"}, model="cases.Person", clearance=Clearance(classes=ALL))
    with pytest.raises(UnclassifiedField):
        redact({"id": 1}, model="nowhere.Model", clearance=Clearance(classes=ALL))


# --- who receives what ----------------------------------------------------------------------------------------


def test_case_clearance_follows_the_role_ceiling(world: World) -> None:
    case = report_case(world, survivors=[person_data("Clearance Survivor")])
    assert case_clearance(actor=world.actor("cm.meghalaya"), case=case).classes == ALL
    for username in ("media.shillong", "analyst", "admin"):
        assert P0 not in case_clearance(actor=world.actor(username), case=case).classes


def test_a_node_whose_users_may_not_see_p0_gets_none(world: World) -> None:
    """The feed serves a P0 field (here a place detail, projected as its plain value) only to a node all of whose
    users may receive P0."""
    place_type = "cases.caseplace"
    assert "detail" in projection.PROJECTIONS[place_type].derived
    report_case(world, survivors=[person_data("Node Survivor")], source_detail="Behind the old mill")
    field_node, _ = register(world, "cm.meghalaya", name="centre kit")
    shared_node, _ = register(world, "cm.meghalaya", "analyst", name="kit shared with an analyst")
    assert node_clearance(node=field_node).classes == ALL
    assert P0 not in node_clearance(node=shared_node).classes

    def places(node: object) -> list[dict]:
        return [c["data"] for c in feed_page(node=node, after=0, limit=2000).changes  # type: ignore[arg-type]
                if c["type"] == place_type]

    assert any(d.get("detail") == "Behind the old mill" for d in places(field_node))
    shared = places(shared_node)
    assert shared and all("detail" not in d for d in shared)
