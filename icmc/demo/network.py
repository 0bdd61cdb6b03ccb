"""The whole network for synthetic data at scale: the demo world plus a centre (with a case manager) in every
north-east state and AHTUs (with an officer) in the districts that report most. Seed data like the world:
written directly, recorded as one `demo.network_loaded` audit event. Idempotent."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from icmc.accounts.models import Jurisdiction, Membership, Organisation, PillarRef, User
from icmc.accounts.reference import OrganisationKind, Pillar, Role
from icmc.audit.record import record_event
from icmc.demo.places import dc
from icmc.demo.world import World, build_world, system_actor

# state: (centre name, district of the centre, reference prefix, case manager's username)
CENTRES: dict[str, tuple[str, str, str, str]] = {
    "IN-AR": ("Impulse Partner Centre, Itanagar", dc("IN-AR", "Papum Pare"), "AR", "cm.arunachal"),
    "IN-MN": ("Impulse Partner Centre, Imphal", dc("IN-MN", "Imphal West"), "MN", "cm.manipur"),
    "IN-MZ": ("Impulse Partner Centre, Aizawl", dc("IN-MZ", "Aizawl"), "MZ", "cm.mizoram"),
    "IN-NL": ("Impulse Partner Centre, Dimapur", dc("IN-NL", "Dimapur"), "NL", "cm.nagaland"),
    "IN-SK": ("Impulse Partner Centre, Gangtok", dc("IN-SK", "Gangtok"), "SK", "cm.sikkim"),
    "IN-TR": ("Impulse Partner Centre, Agartala", dc("IN-TR", "West Tripura"), "TR", "cm.tripura"),
}
# AHTUs beyond the world's (East Khasi Hills, West Jaintia Hills, Kamrup Metropolitan, Cachar).
AHTU_DISTRICTS: tuple[tuple[str, str], ...] = (
    ("IN-ML", "Ri-Bhoi"), ("IN-ML", "West Garo Hills"), ("IN-AS", "Sonitpur"), ("IN-AS", "Dhubri"),
    ("IN-AS", "Kokrajhar"), ("IN-AS", "Nagaon"), ("IN-AS", "Tinsukia"), ("IN-TR", "West Tripura"),
    ("IN-TR", "North Tripura"), ("IN-MN", "Imphal West"), ("IN-MN", "Churachandpur"), ("IN-MZ", "Aizawl"),
    ("IN-MZ", "Champhai"), ("IN-NL", "Dimapur"), ("IN-NL", "Mon"), ("IN-AR", "Papum Pare"),
    ("IN-AR", "Changlang"), ("IN-SK", "Gangtok"), ("IN-SK", "Gyalshing"),
)
# The care and justice organisations every state has (one each), where a state has none yet: (kind, name pattern,
# username prefix, role, pillars). Shakti Sadan: the Mission Shakti homes that replaced Ujjawala and Swadhar Greh.
SERVICES: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (OrganisationKind.SHELTER_GOVERNMENT, "Shakti Sadan {town}", "shelter", Role.SHELTER_WORKER,
     (Pillar.PROTECTION,)),
    (OrganisationKind.SHELTER_NGO, "Asha Kiran Home, {town}", "ngoshelter", Role.SHELTER_WORKER,
     (Pillar.PROTECTION,)),
    (OrganisationKind.SOCIAL_WELFARE, "Social Welfare Department, {state}", "welfare", Role.WELFARE_OFFICER,
     (Pillar.PROTECTION,)),
    (OrganisationKind.CWC, "Child Welfare Committee, {district}", "cwc", Role.CWC_MEMBER, (Pillar.PROTECTION,)),
    (OrganisationKind.LEGAL_SERVICES, "District Legal Services Authority, {district}", "dlsa",
     Role.LEGAL_SERVICES_OFFICER, (Pillar.PROSECUTION, Pillar.PROTECTION)),
)
_STATE_NAMES = {"IN-AS": "Assam", "IN-AR": "Arunachal Pradesh", "IN-MN": "Manipur", "IN-ML": "Meghalaya",
                "IN-MZ": "Mizoram", "IN-NL": "Nagaland", "IN-SK": "Sikkim", "IN-TR": "Tripura"}
_TOWNS = {"IN-AS": "Guwahati", "IN-AR": "Itanagar", "IN-MN": "Imphal", "IN-ML": "Shillong", "IN-MZ": "Aizawl",
          "IN-NL": "Dimapur", "IN-SK": "Gangtok", "IN-TR": "Agartala"}


def _organisation(*, name: str, kind: str, code: str, pillars: tuple[str, ...], prefix: str = "") -> Organisation:
    now = timezone.now()
    org, created = Organisation.objects.get_or_create(
        name=name,
        defaults={"kind": kind, "jurisdiction": Jurisdiction.objects.get(code=code),
                  "is_government": kind not in (OrganisationKind.CENTRE, OrganisationKind.SHELTER_NGO),
                  "is_approved": True, "reference_prefix": prefix, "created_at": now, "updated_at": now},
    )
    if created:
        org.pillars.set([PillarRef.objects.get(code=p) for p in pillars])
    return org


class _Password:
    """Hashes the password once, and only if a user is created (Argon2 is slow on purpose)."""

    def __init__(self, password: str) -> None:
        self.password = password
        self.hashed = ""

    def __str__(self) -> str:
        self.hashed = self.hashed or make_password(self.password)
        return self.hashed


def _member(*, username: str, organisation: Organisation, role: str, password: _Password) -> Membership:
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.password = str(password)
        user.save(update_fields=["password"])
    now = timezone.now()
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, is_active=True,
        defaults={"created_at": now, "updated_at": now},
    )
    return membership


@transaction.atomic
def build_network(*, password: str) -> World:
    """The demo world plus the network's other centres and AHTUs; every new user gets `password`."""
    world = build_world(password=password)
    password_hash = _Password(password)
    for state, (name, code, prefix, username) in CENTRES.items():
        org = _organisation(name=name, kind=OrganisationKind.CENTRE, code=code, prefix=prefix,
                            pillars=(Pillar.PARTNERSHIP, Pillar.PROTECTION))
        key = f"centre_{state[3:].lower()}"
        world.organisations[key] = org
        world.memberships[username] = _member(username=username, organisation=org, role=Role.CASE_MANAGER,
                                              password=password_hash)
        world.users[username] = world.memberships[username].user
    for state, district in AHTU_DISTRICTS:
        code = dc(state, district)
        org = _organisation(name=f"AHTU {district}", kind=OrganisationKind.AHTU, code=code,
                            pillars=(Pillar.POLICING,))
        username = "ahtu." + code.removeprefix("IN-").lower().replace("-", "")[:24]
        world.organisations["ahtu_" + code.lower()] = org
        world.memberships[username] = _member(username=username, organisation=org, role=Role.AHTU_OFFICER,
                                              password=password_hash)
        world.users[username] = world.memberships[username].user
    services = 0
    for state, town in _TOWNS.items():
        centre = Organisation.objects.filter(kind=OrganisationKind.CENTRE, jurisdiction__state_id=state,
                                             jurisdiction__country="IN").order_by("created_at").first()
        place = centre.jurisdiction if centre is not None else Jurisdiction.objects.get(code=state)
        for kind, pattern, prefix, role, pillars in SERVICES:
            if Organisation.objects.filter(kind=kind, jurisdiction__state_id=state).exists():
                continue
            name = pattern.format(town=town, state=_STATE_NAMES[state], district=place.name)
            org = _organisation(name=name, kind=kind, code=place.code, pillars=pillars)
            username = f"{prefix}.{state[3:].lower()}"
            world.organisations[f"{prefix}_{state[3:].lower()}"] = org
            world.memberships[username] = _member(username=username, organisation=org, role=role,
                                                  password=password_hash)
            world.users[username] = world.memberships[username].user
            services += 1
    record_event(actor=system_actor(), action="demo.network_loaded", object_type="installation", object_id=None,
                 details={"centres": len(CENTRES), "ahtus": len(AHTU_DISTRICTS), "services": services})
    return world
