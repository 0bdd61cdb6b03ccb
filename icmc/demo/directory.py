"""Which organisations synthetic cases go to: the centre owning a state's cases (and its case manager), the
AHTU of a district, the police station of a district. Read from the database once, used by both writers."""

from __future__ import annotations

from dataclasses import dataclass, field

from icmc.access.actor import Actor
from icmc.accounts.models import Jurisdiction, Membership, Organisation
from icmc.accounts.reference import OrganisationKind, Role
from icmc.demo.specs import CaseSpec
from icmc.prosecution.models import Offence


class NoCentre(Exception):
    """No case management centre (with a reference prefix and a case manager) covers the spec's state."""


@dataclass(frozen=True, kw_only=True)
class Centre:
    organisation: Organisation
    membership: Membership  # the case manager who registers the centre's synthetic cases

    def actor(self) -> Actor:
        return Actor(user=self.membership.user, membership=self.membership, via="cli")


@dataclass(kw_only=True)
class Directory:
    centres: dict[str, Centre] = field(default_factory=dict)  # state code -> centre
    ahtus: dict[str, Organisation] = field(default_factory=dict)  # district code -> AHTU
    stations: dict[str, Organisation] = field(default_factory=dict)  # district code -> police station or AHTU
    # (organisation kind, state code) -> the first organisation of that kind there (shelters, CWC, welfare, DLSA)
    services: dict[tuple[str, str], Organisation] = field(default_factory=dict)
    members: dict[object, Membership] = field(default_factory=dict)  # organisation id -> its first active member
    states: dict[str, str | None] = field(default_factory=dict)  # jurisdiction code -> its state code
    stations_by_id: dict[object, Organisation] = field(default_factory=dict)
    ahtus_by_state: dict[str, Organisation] = field(default_factory=dict)  # state code -> its first AHTU
    offences: dict[str, Offence] = field(default_factory=dict)
    # The partner organisations of a set of states (icmc.referrals.proposals.partners_in), as the writers ask.
    partners: dict[frozenset[str], list[Organisation]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Directory:
        directory = cls()
        managers = (
            Membership.objects.filter(role=Role.CASE_MANAGER, is_active=True, user__is_active=True,
                                      organisation__kind=OrganisationKind.CENTRE, organisation__is_active=True)
            .exclude(organisation__reference_prefix="")
            .select_related("user", "organisation", "organisation__jurisdiction")
            .order_by("organisation__created_at", "organisation__name", "created_at")
        )
        for membership in managers:
            state = membership.organisation.jurisdiction.state_id
            if state and state not in directory.centres:
                directory.centres[state] = Centre(organisation=membership.organisation, membership=membership)
        kinds = [OrganisationKind.AHTU, OrganisationKind.POLICE_STATION]
        police = list(Organisation.objects.filter(is_active=True, kind__in=kinds).order_by("created_at", "name"))
        # For FIRs, a district's police station is preferred to its AHTU.
        for org in sorted(police, key=lambda o: o.kind != OrganisationKind.POLICE_STATION):
            directory.stations.setdefault(org.jurisdiction_id, org)
            if org.kind == OrganisationKind.AHTU:
                directory.ahtus.setdefault(org.jurisdiction_id, org)
        for org in Organisation.objects.filter(is_active=True).select_related("jurisdiction").order_by(
                "created_at", "name"):
            if org.jurisdiction.state_id:
                directory.services.setdefault((org.kind, org.jurisdiction.state_id), org)
        for membership in (Membership.objects.filter(is_active=True, user__is_active=True)
                           .select_related("user", "organisation").order_by("created_at", "id")):
            directory.members.setdefault(membership.organisation_id, membership)
        directory.states = dict(Jurisdiction.objects.values_list("code", "state_id"))
        directory.stations_by_id = {org.id: org for org in police}
        for code, org in directory.ahtus.items():
            directory.ahtus_by_state.setdefault(directory.states.get(code) or "", org)
        directory.offences = {o.code: o for o in Offence.objects.all()}
        return directory

    def service(self, kind: str, state: str) -> Organisation | None:
        """The organisation of `kind` in `state`, else the first one anywhere (None if there is none)."""
        found = self.services.get((kind, state))
        if found is None:
            found = next((org for (k, _s), org in self.services.items() if k == kind), None)
        return found

    def centre(self, spec: CaseSpec) -> Centre:
        try:
            return self.centres[spec.state]
        except KeyError as exc:
            raise NoCentre(f"No case management centre with a case manager for {spec.state}.") from exc

    def source_ahtu(self, spec: CaseSpec) -> Organisation | None:
        return self.ahtus.get(spec.source.code)

    def destination_ahtu(self, spec: CaseSpec) -> Organisation | None:
        """The AHTU where the survivors were taken, else where they passed through."""
        for place in (spec.destination, spec.transit):
            if place is not None and place.code in self.ahtus:
                return self.ahtus[place.code]
        return None

    def police_station(self, district: str) -> Organisation | None:
        return self.stations.get(district)
