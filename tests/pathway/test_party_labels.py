"""Person pickers of the pathway and prosecution record forms (docs/security.md item 9): every option naming a
party goes through the one redaction function (icmc.pathway.labels.PartyLabels). A reader cleared for P0 sees
"Survivor 1: <name> (minor)"; a reader who sees the case without P0 sees "Survivor 1 (minor)" and no name.

No demo role today holds a record permission on a case without also holding `person.view_identity` there, so
the reader without P0 is made by taking `person.view_identity` away from the case manager's role for the test
(the situation a new role, or a narrowed referral purpose, would create)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from icmc.access.policy import POLICY, Perm
from icmc.accounts.reference import Role
from icmc.cases.models import Case
from icmc.demo.world import World
from icmc.pathway.forms import CwcProductionForm
from icmc.pathway.records import KINDS
from tests.api.conftest import Api
from tests.pathway.conftest import survivors, suspects

pytestmark = pytest.mark.django_db

NAMES = ("Minor Testgirl", "Adult Testwoman", "First Testsuspect", "Second Testsuspect")


@pytest.fixture
def case_with_accused(two_survivor_case: Case, api_as: Callable[[str], Api]) -> Case:
    cm = api_as("cm.meghalaya")
    party = str(suspects(two_survivor_case)[0].id)
    response = cm.post(f"/cases/{two_survivor_case.id}/prosecution/accused",
                       {"party": party, "bail_status": "not_arrested"})
    assert response.status_code == 201, response.json()
    return two_survivor_case


def record_pages(case: Case) -> list[str]:
    pages = []
    for kind in KINDS.values():
        if kind.creatable:
            name = "web:pathway_add" if kind.track == "pathway" else "web:prosecution_add"
            pages.append(reverse(name, kwargs={"case_id": case.id, "kind": kind.key}))
    return pages


def test_a_reader_cleared_for_identity_sees_names_in_the_pickers(
        case_with_accused: Case, client_as: Callable[[str], Client]) -> None:
    client = client_as("cm.meghalaya")
    seen: set[str] = set()
    for url in record_pages(case_with_accused):
        response = client.get(url)
        assert response.status_code == 200, url
        seen |= {name for name in NAMES if name in response.content.decode()}
    assert seen == set(NAMES)
    cwc = client.get(reverse("web:pathway_add", kwargs={"case_id": case_with_accused.id, "kind": "cwc_production"}))
    assert "Survivor 1: Minor Testgirl (minor)" in cwc.content.decode()
    assert "Survivor 2: Adult Testwoman" in cwc.content.decode()


def test_a_reader_without_identity_gets_no_name_in_any_picker(
        case_with_accused: Case, client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch) -> None:
    role = dict(POLICY[Role.CASE_MANAGER])
    del role[Perm.PERSON_VIEW_IDENTITY]
    monkeypatch.setitem(POLICY, Role.CASE_MANAGER, role)
    client = client_as("cm.meghalaya")
    labels_seen = set()
    for url in record_pages(case_with_accused):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for name in NAMES:
            for word in name.split():
                assert word not in body, url
        labels_seen |= {label for label in ("Survivor 1 (minor)", "Survivor 2", "Suspect 1", "Suspect 2")
                        if label in body}
    assert labels_seen == {"Survivor 1 (minor)", "Survivor 2", "Suspect 1", "Suspect 2"}
    # The case page's panels agree: positions, no names.
    page = client.get(reverse("web:case_detail", kwargs={"case_id": case_with_accused.id})).content.decode()
    assert not any(name in page for name in NAMES)


def test_a_form_built_without_a_readers_clearance_names_nobody(two_survivor_case: Case, world: World) -> None:
    form = CwcProductionForm(case=two_survivor_case)
    labels = [label for _value, label in form.fields["party"].choices][1:]
    assert labels == ["Survivor 1", "Survivor 2"]  # not even the minor flag: nothing is cleared
    assert [p.id for p in survivors(two_survivor_case)] == [v.value for v, _l in
                                                            list(form.fields["party"].choices)[1:]]
