"""Property (security.md item 26, hypothesis): whatever the record, the role and the referral purposes, no P0 value
ever leaves `redact` for a reader without P0; what is allowed passes unchanged."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from icmc.access.redaction import Clearance, redact
from icmc.access.sensitivity import (
    ALL,
    FIELDS,
    NEVER_P0,
    P0,
    Sensitivity,
    classes_of,
    purposes_classes,
    role_ceiling,
)
from icmc.accounts.reference import Role
from icmc.referrals.codes import ReferralPurpose
from icmc.referrals.sharing import SHARES

MODELS = sorted(FIELDS)
SECRET = "SECRET-"  # every generated value carries it, so a leak is found in the output whatever its shape

values = st.one_of(
    st.text(min_size=1, max_size=20).map(lambda t: SECRET + t),
    st.lists(st.text(max_size=10).map(lambda t: SECRET + t), min_size=1, max_size=3),
    st.lists(st.fixed_dictionaries({"value": st.text(max_size=10).map(lambda t: SECRET + t)}), min_size=1,
             max_size=2),
)


@st.composite
def records(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    model = draw(st.sampled_from(MODELS))
    keys = sorted(classes_of(model))
    chosen = draw(st.lists(st.sampled_from(keys), min_size=1, unique=True))
    return model, {key: draw(values) for key in chosen}


def _leaks(value: Any) -> bool:
    return SECRET in repr(value)


@settings(max_examples=300, deadline=None)
@given(record=records(), classes=st.frozensets(st.sampled_from(list(Sensitivity))))
def test_a_class_the_reader_lacks_never_leaves(record: tuple[str, dict[str, Any]],
                                               classes: frozenset[Sensitivity]) -> None:
    model, data = record
    shown = redact(data, model=model, clearance=Clearance(classes=classes))
    assert set(shown) == set(data)
    for key, value in shown.items():
        cls = classes_of(model)[key]
        if cls in classes:
            assert value == data[key] and key not in shown.withheld
        else:
            assert not _leaks(value) and key in shown.withheld


@settings(max_examples=300, deadline=None)
@given(record=records(), role=st.sampled_from(list(Role)),
       purposes=st.frozensets(st.sampled_from([p.value for p in ReferralPurpose])), through_referral=st.booleans(),
       identity_perm=st.booleans())
def test_no_p0_for_a_role_or_purpose_without_it(record: tuple[str, dict[str, Any]], role: Role,
                                                purposes: frozenset[str], through_referral: bool,
                                                identity_perm: bool) -> None:
    """The classes are combined as icmc.access.redaction.case_clearance combines them; whenever the role's
    ceiling, the missing permission or the purposes lack P0, no P0 value is in the output."""
    classes = role_ceiling(role=role.value)
    if not identity_perm:
        classes -= {P0}
    if through_referral:
        classes &= purposes_classes(purposes)
    model, data = record
    shown = redact(data, model=model, clearance=Clearance(classes=classes))
    p0_keys = [key for key in data if classes_of(model)[key] is P0]
    no_p0 = role in NEVER_P0 or not identity_perm or (
        through_referral and not any(SHARES[p].identity for p in purposes))
    if no_p0:
        assert all(not _leaks(shown[key]) for key in p0_keys)
        assert P0 not in classes
    elif classes == ALL:
        assert all(shown[key] == data[key] for key in p0_keys)
