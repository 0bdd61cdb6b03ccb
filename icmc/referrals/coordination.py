"""Who does what on a case: every organisation active on it, its pillars, what it does and its open work, with
flags for overlap (two organisations giving the same survivor the same service) and gaps (a rescued survivor with
no shelter, a minor with no production before the Child Welfare Committee).

Read-only and derived on read from the records (referrals, pathway records, tasks): nothing is stored. Survivors
are named by their position on the case ("Survivor 2"), never by name.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, prefetch_related_objects
from django.utils.translation import gettext as _

from icmc.accounts.models import Organisation
from icmc.accounts.reference import Pillar
from icmc.cases.codes import CaseStage
from icmc.cases.models import Case, CaseParty
from icmc.cases.people import is_minor
from icmc.deadlines.models import Task, TaskState
from icmc.pathway import models as pm
from icmc.pathway.codes import ServiceKind, ServiceStatus
from icmc.pathway.queries import case_pathway
from icmc.referrals.codes import ReferralPurpose, ReferralState
from icmc.referrals.models import Referral

# Referrals in these states mean the receiving organisation is (or was) working on the case.
ACTIVE_REFERRAL_STATES = (ReferralState.SENT, ReferralState.ACCEPTED, ReferralState.COMPLETED)
OPEN_SERVICE_STATES = (ServiceStatus.PLANNED, ServiceStatus.ONGOING)
# Stages at which a survivor needs a place to stay (after rescue, before return or long-term placement).
SHELTER_NEEDED_AT = (CaseStage.RESCUED, CaseStage.REHABILITATION)


@dataclass
class ActiveOrganisation:
    organisation: Organisation
    pillars: list[str]
    roles: list[str] = field(default_factory=list)
    open_tasks: int = 0


@dataclass(frozen=True, kw_only=True)
class Flag:
    kind: str  # overlap | gap
    survivor: int  # position of the survivor on the case (1-based)
    message: str


def who_does_what(*, case: Case, today: datetime.date,
                  referrals: list[Referral] | None = None) -> tuple[list[ActiveOrganisation], list[Flag]]:
    """The organisations active on `case` (owner first) and the overlap and gap flags, in a fixed number of
    queries. `referrals`: every referral of the case, oldest first, when the caller has them (the case page)."""
    # Who does what, as (organisation id, role) pairs, and the organisations fetched with those rows.
    fetched: dict[object, Organisation] = {}
    _fetched(case, ("owner", "source_ahtu", "destination_ahtu"), into=fetched)
    doing: list[tuple[object, str]] = [(case.owner_id, _("Owns the case"))]
    if case.source_ahtu_id:
        doing.append((case.source_ahtu_id, _("AHTU of the source")))
    if case.destination_ahtu_id:
        doing.append((case.destination_ahtu_id, _("AHTU of the destination")))
    if referrals is None:
        referrals = list(Referral.objects.filter(case=case, state__in=ACTIVE_REFERRAL_STATES)
                         .select_related("to_organisation").order_by("created_at", "id"))
    for referral in referrals:
        if referral.state not in ACTIVE_REFERRAL_STATES:
            continue
        _fetched(referral, ("to_organisation",), into=fetched)
        doing.append((referral.to_organisation_id, _("Referral: %(purpose)s (%(state)s)") % {
            "purpose": ReferralPurpose(referral.purpose).label, "state": ReferralState(referral.state).label}))

    pathway = case_pathway(case=case)  # the rows the pathway panels of the same page read
    survivors = pathway.survivors
    position = {party.id: i for i, party in enumerate(survivors, start=1)}
    doing += [(op.lead_ahtu_id, _("Led a rescue")) for op in pathway.operations]
    stays: list[pm.ShelterStay] = pathway.records["shelter_stay"]
    doing += [(stay.shelter_id, _("Shelter")) for stay in stays]
    services: list[pm.SupportService] = pathway.records["support_service"]
    doing += [(service.provider_id, _("Service: %(kind)s") % {"kind": ServiceKind(service.kind).label})
              for service in services]
    cwc_parties = set()
    for production in pathway.records["cwc_production"]:
        doing.append((production.cwc_id, _("Child Welfare Committee")))
        cwc_parties.add(production.party_id)
    doing += [(claim.authority_id, _("Compensation claim")) for claim in pathway.records["compensation_claim"]]
    for op in pathway.operations:
        _fetched(op, ("lead_ahtu",), into=fetched)
    for kind, field_name in (("shelter_stay", "shelter"), ("support_service", "provider"),
                             ("cwc_production", "cwc"), ("compensation_claim", "authority")):
        for row in pathway.records[kind]:
            _fetched(row, (field_name,), into=fetched)

    # The organisations not fetched with their rows in one query, then the pillars of all in one more.
    wanted = {org_id for org_id, _role in doing if org_id}
    missing = wanted - set(fetched)
    orgs = {org_id: fetched[org_id] for org_id in wanted & set(fetched)}
    orgs.update(Organisation.objects.in_bulk(list(missing)) if missing else {})
    prefetch_related_objects(list(orgs.values()), "pillars")
    active: dict[object, ActiveOrganisation] = {}
    for org_id, role in doing:
        org = orgs.get(org_id) if org_id else None
        if org is None:
            continue
        if org.id not in active:
            active[org.id] = ActiveOrganisation(organisation=org, pillars=[
                str(Pillar(p.code).label) for p in org.pillars.all()])
        if role not in active[org.id].roles:
            active[org.id].roles.append(role)

    tasks = (Task.objects.filter(case=case, state=TaskState.OPEN).values("owner_organisation_id")
             .annotate(n=Count("id")))
    for row in tasks:
        if row["owner_organisation_id"] in active:
            active[row["owner_organisation_id"]].open_tasks = row["n"]

    flags = _overlaps(stays=stays, services=services, position=position)
    flags += _gaps(survivors=survivors, stays=stays, cwc_parties=cwc_parties, position=position, today=today)
    return list(active.values()), flags


def _fetched(row: Any, names: tuple[str, ...], *, into: dict[object, Organisation]) -> None:
    """Put the organisations that `row` already holds (fetched with it: select_related) in `into`, by id."""
    for name in names:
        if row._meta.get_field(name).is_cached(row):
            org = getattr(row, name)
            if org is not None:
                into.setdefault(org.pk, org)


def _overlaps(*, stays: list[pm.ShelterStay], services: list[pm.SupportService],
              position: Mapping[Any, int]) -> list[Flag]:
    flags: list[Flag] = []
    open_stays: dict[object, set[object]] = defaultdict(set)
    for stay in stays:
        if stay.ended_on is None and stay.shelter_id:
            open_stays[stay.party_id].add(stay.shelter_id)
    for party_id, shelters in open_stays.items():
        if len(shelters) > 1:
            flags.append(Flag(kind="overlap", survivor=position[party_id], message=_(
                "Survivor %(n)d is admitted to %(count)d shelters at once.") % {
                "n": position[party_id], "count": len(shelters)}))
    providers: dict[tuple[object, str], set[object]] = defaultdict(set)
    for service in services:
        if service.status in OPEN_SERVICE_STATES and service.provider_id:
            providers[(service.party_id, service.kind)].add(service.provider_id)
    for (party_id, kind), orgs in sorted(providers.items(), key=lambda item: (position[item[0][0]], item[0][1])):
        if len(orgs) > 1:
            flags.append(Flag(kind="overlap", survivor=position[party_id], message=_(
                "Survivor %(n)d gets %(kind)s from %(count)d organisations at once.") % {
                "n": position[party_id], "kind": ServiceKind(kind).label, "count": len(orgs)}))
    return flags


def _gaps(*, survivors: list[CaseParty], stays: list[pm.ShelterStay], cwc_parties: set[object],
          position: Mapping[Any, int], today: datetime.date) -> list[Flag]:
    flags: list[Flag] = []
    sheltered = {stay.party_id for stay in stays if stay.ended_on is None}
    for party in survivors:
        pathway = getattr(party, "pathway", None)
        stage = pathway.stage if pathway else CaseStage.REPORTED
        n = position[party.id]
        if stage in SHELTER_NEEDED_AT and party.id not in sheltered:
            flags.append(Flag(kind="gap", survivor=n, message=_(
                "Survivor %(n)d was rescued and has no shelter.") % {"n": n}))
        if (stage != CaseStage.REPORTED and is_minor(person=party.person, on=today) is not False
                and party.id not in cwc_parties):
            flags.append(Flag(kind="gap", survivor=n, message=_(
                "Survivor %(n)d is (or may be) a child and has not been produced before the Child Welfare "
                "Committee.") % {"n": n}))
    return flags
