"""Need-to-know scopes, per persona: own organisation, assigned AHTU, same state other organisation, other
state, other country. Missing and forbidden are the same NotFound."""

import uuid

import pytest

from icmc.access.errors import NotFound, PermissionDenied
from icmc.access.policy import Perm
from icmc.access.queries import access_case, access_person, visible_cases
from icmc.cases.actions import do_add_party
from icmc.cases.inputs import AddPartyInput, PersonInput
from tests.factories import report_case


@pytest.fixture
def cases(world):
    orgs = world.organisations
    return {
        # Meghalaya centre, East Khasi Hills → Delhi, source AHTU East Khasi Hills.
        "ml": report_case(world, "cm.meghalaya", source_jurisdiction="IN-ML-EAST-KHASI-HILLS",
                          destination_jurisdiction="IN-DL", source_ahtu=str(orgs["ahtu_ekh"].id)),
        # Meghalaya centre, Nepal → East Khasi Hills (cross-border), no AHTU recorded.
        "cross": report_case(world, "cm.meghalaya", source_jurisdiction="NP-P3",
                             destination_jurisdiction="IN-ML-EAST-KHASI-HILLS"),
        # Meghalaya centre, a girl from Cachar (Assam) exploited in Shillong.
        "ml_from_assam": report_case(world, "cm.meghalaya", source_jurisdiction="IN-AS-CACHAR",
                                     destination_jurisdiction="IN-ML-EAST-KHASI-HILLS"),
        # Assam centre, Cachar → Maharashtra, source AHTU Cachar, destination AHTU Kamrup Metropolitan.
        "as": report_case(world, "cm.assam", source_jurisdiction="IN-AS-CACHAR", destination_jurisdiction="IN-MH",
                          source_ahtu=str(orgs["ahtu_cachar"].id), destination_ahtu=str(orgs["ahtu_kamrup"].id)),
    }


EXPECTED = {
    "cm.meghalaya": {"ml", "cross", "ml_from_assam"},  # own organisation
    "cm.assam": {"as"},  # other state's centre sees only its own
    "ahtu.ekh": {"ml"},  # assigned as source AHTU
    "ahtu.wjh": set(),  # same state, other district
    "ahtu.kamrup": {"as"},  # assigned as destination AHTU, other state
    "nodal.meghalaya": {"ml", "cross", "ml_from_assam"},  # the state's cases
    "nodal.assam": {"as", "ml_from_assam"},  # cases of Assam: owned there or with a place there
    "shelter.shillong": set(),
    "welfare.meghalaya": set(),
    "cwc.ekh": set(),
    "dlsa.ekh": set(),
    "prosecutor.ekh": set(),
    "media.shillong": set(),
    "analyst": set(),
    "partner.nepal": set(),  # other country: nothing until a cross-border referral
    "admin": set(),  # administrators never see case content
}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_persona_sees_exactly_its_cases(world, cases, username):
    actor = world.actor(username)
    seen = {key for key, case in cases.items() if visible_cases(actor=actor).filter(pk=case.pk).exists()}
    assert seen == EXPECTED[username]
    for key, case in cases.items():
        if key in EXPECTED[username]:
            assert access_case(actor=actor, case_id=case.id) == case
        else:
            with pytest.raises(NotFound):
                access_case(actor=actor, case_id=case.id)


def test_missing_and_forbidden_are_the_same_not_found(world, cases):
    actor = world.actor("ahtu.wjh")
    with pytest.raises(NotFound) as forbidden:
        access_case(actor=actor, case_id=cases["ml"].id)
    with pytest.raises(NotFound) as missing:
        access_case(actor=actor, case_id=uuid.uuid4())
    with pytest.raises(NotFound):
        access_case(actor=actor, case_id="not-a-uuid")
    assert str(forbidden.value) == str(missing.value)


def test_visible_but_not_allowed_is_permission_denied(world, cases):
    nodal = world.actor("nodal.meghalaya")
    assert access_case(actor=nodal, case_id=cases["ml"].id, perm=Perm.CASE_ADD_NOTE)
    with pytest.raises(PermissionDenied):
        do_add_party(cases["ml"], actor=nodal,
                     data=AddPartyInput(role="witness", person=PersonInput(name="W", gender="NonSpecifiedUnknown")))


def test_ended_membership_and_deactivated_user_see_nothing(world, cases):
    membership = world.memberships["cm.meghalaya"]
    membership.is_active = False
    membership.save()
    assert not visible_cases(actor=world.actor("cm.meghalaya")).exists()
    user = world.users["ahtu.ekh"]
    user.is_active = False
    user.save()
    assert not visible_cases(actor=world.actor("ahtu.ekh")).exists()


def test_persons_follow_their_cases(world, cases):
    survivor = cases["as"].parties.get(role="survivor").person
    assert access_person(actor=world.actor("cm.assam"), person_id=survivor.id) == survivor
    with pytest.raises(NotFound):
        access_person(actor=world.actor("cm.meghalaya"), person_id=survivor.id)
    with pytest.raises(NotFound):
        access_person(actor=world.actor("media.shillong"), person_id=survivor.id)


def test_a_person_linked_into_a_second_case_keeps_one_identity(world, cases):
    actor = world.actor("cm.meghalaya")
    survivor = cases["ml"].parties.get(role="survivor").person
    party = do_add_party(cases["cross"], actor=actor, data=AddPartyInput(role="survivor",
                                                                         existing_person_id=survivor.id))
    assert party.person_id == survivor.id
    assert survivor.parties.count() == 2
    # A person of another centre's case cannot be linked (NotFound, not a leak).
    other = cases["as"].parties.get(role="survivor").person
    with pytest.raises(NotFound):
        do_add_party(cases["ml"], actor=actor, data=AddPartyInput(role="witness", existing_person_id=other.id))
