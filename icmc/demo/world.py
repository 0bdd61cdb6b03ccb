"""The demo world: organisations of two Indian states and two partners abroad, and a user for every persona.

Used by `icmc demo` (make run) and by the tests as their personas. Organisations, users and memberships are
seed data written directly (like a fixture), recorded as one `demo.world_loaded` audit event; cases are
reported through the real actions.
"""

from __future__ import annotations

from base64 import b32decode
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from icmc.access.actor import Actor
from icmc.accounts.models import Jurisdiction, Membership, Organisation, PillarRef, User
from icmc.accounts.reference import COUNTRY_TIME_ZONES, OrganisationKind, Pillar, Role
from icmc.accounts.seed import ensure_reference_data
from icmc.audit.record import record_event
from icmc.demo import DEMO_TOTP_SECRET

K = OrganisationKind
P = Pillar

# key: (name, kind, jurisdiction code, pillars, government, approved, reference prefix)
ORGANISATIONS: dict[str, tuple[str, str, str, tuple[str, ...], bool, bool, str]] = {
    "centre_ml": ("Impulse Case Management Centre, Shillong", K.CENTRE, "IN-ML-EAST-KHASI-HILLS",
                  (P.PARTNERSHIP, P.PROTECTION, P.PREVENTION), False, True, "ML"),
    "centre_as": ("Impulse Partner Centre, Guwahati", K.CENTRE, "IN-AS-KAMRUP-METROPOLITAN",
                  (P.PARTNERSHIP, P.PROTECTION), False, True, "AS"),
    "ahtu_ekh": ("AHTU East Khasi Hills", K.AHTU, "IN-ML-EAST-KHASI-HILLS", (P.POLICING,), True, True, ""),
    "ahtu_wjh": ("AHTU West Jaintia Hills", K.AHTU, "IN-ML-WEST-JAINTIA-HILLS", (P.POLICING,), True, True, ""),
    "ahtu_kamrup": ("AHTU Kamrup Metropolitan", K.AHTU, "IN-AS-KAMRUP-METROPOLITAN", (P.POLICING,), True, True,
                    ""),
    "ahtu_cachar": ("AHTU Cachar", K.AHTU, "IN-AS-CACHAR", (P.POLICING,), True, True, ""),
    "ps_laitumkhrah": ("Laitumkhrah Police Station", K.POLICE_STATION, "IN-ML-EAST-KHASI-HILLS", (P.POLICING,),
                       True, True, ""),
    "ps_jowai": ("Jowai Police Station", K.POLICE_STATION, "IN-ML-WEST-JAINTIA-HILLS", (P.POLICING,), True, True,
                 ""),
    "ps_paltan": ("Paltan Bazar Police Station", K.POLICE_STATION, "IN-AS-KAMRUP-METROPOLITAN", (P.POLICING,),
                  True, True, ""),
    "police_ml": ("Meghalaya Police Headquarters (nodal)", K.STATE_POLICE, "IN-ML", (P.POLICING,), True, True, ""),
    "police_as": ("Assam Police Headquarters (nodal)", K.STATE_POLICE, "IN-AS", (P.POLICING,), True, True, ""),
    "shelter_shillong": ("Shakti Sadan Shillong", K.SHELTER_GOVERNMENT, "IN-ML-EAST-KHASI-HILLS",
                         (P.PROTECTION,), True, True, ""),
    "shelter_ngo_jowai": ("Bethany Home, Jowai", K.SHELTER_NGO, "IN-ML-WEST-JAINTIA-HILLS", (P.PROTECTION,),
                          False, True, ""),
    "welfare_ml": ("Social Welfare Department, Meghalaya", K.SOCIAL_WELFARE, "IN-ML", (P.PROTECTION,), True,
                   True, ""),
    "cwc_ekh": ("Child Welfare Committee, East Khasi Hills", K.CWC, "IN-ML-EAST-KHASI-HILLS", (P.PROTECTION,),
                True, True, ""),
    "dlsa_ekh": ("District Legal Services Authority, East Khasi Hills", K.LEGAL_SERVICES,
                 "IN-ML-EAST-KHASI-HILLS", (P.PROSECUTION, P.PROTECTION), True, True, ""),
    "prosecution_ekh": ("Public Prosecutor, East Khasi Hills", K.PROSECUTION, "IN-ML-EAST-KHASI-HILLS",
                        (P.PROSECUTION,), True, True, ""),
    "media_shillong": ("North-East Ethical Media Network", K.MEDIA, "IN-ML", (P.PRESS,), False, True, ""),
    "partner_np": ("Partner Shelter Kathmandu", K.FOREIGN_PARTNER, "NP-P3", (P.PROTECTION, P.PARTNERSHIP),
                   False, True, ""),
    "partner_bd": ("Partner Rights Centre Jashore", K.FOREIGN_PARTNER, "BD-22", (P.PROTECTION, P.PARTNERSHIP),
                   False, True, ""),
}

# username: (first name, last name, organisation key, role)
USERS: dict[str, tuple[str, str, str, str]] = {
    "cm.meghalaya": ("Ibapyntngen", "Kharkongor", "centre_ml", Role.CASE_MANAGER),
    "cm.assam": ("Rupjyoti", "Baruah", "centre_as", Role.CASE_MANAGER),
    "ahtu.ekh": ("Bankit", "Lyngdoh", "ahtu_ekh", Role.AHTU_OFFICER),
    "ahtu.wjh": ("Dawan", "Suchiang", "ahtu_wjh", Role.AHTU_OFFICER),
    "ahtu.kamrup": ("Pranab", "Deka", "ahtu_kamrup", Role.AHTU_OFFICER),
    "shelter.shillong": ("Wanda", "Marbaniang", "shelter_shillong", Role.SHELTER_WORKER),
    "welfare.meghalaya": ("Esther", "Sangma", "welfare_ml", Role.WELFARE_OFFICER),
    "cwc.ekh": ("Hamebha", "Nongrum", "cwc_ekh", Role.CWC_MEMBER),
    "dlsa.ekh": ("Teibor", "Rymbai", "dlsa_ekh", Role.LEGAL_SERVICES_OFFICER),
    "prosecutor.ekh": ("Kyrsoibor", "Pyrtuh", "prosecution_ekh", Role.PROSECUTION_LIAISON),
    "media.shillong": ("Arki", "Nongbri", "media_shillong", Role.MEDIA_LIAISON),
    "partner.nepal": ("Sita", "Gurung", "partner_np", Role.PARTNER_NGO),
    "partner.bangladesh": ("Farida", "Rahman", "partner_bd", Role.PARTNER_NGO),
    "nodal.meghalaya": ("Idashisha", "Nongrang", "police_ml", Role.STATE_NODAL_OFFICER),
    "nodal.assam": ("Gyanendra", "Pratap", "police_as", Role.STATE_NODAL_OFFICER),
    "analyst": ("Meera", "Iyer", "centre_ml", Role.ANALYST),
    "admin": ("System", "Administrator", "centre_ml", Role.ADMINISTRATOR),
}

SYSTEM_USERNAME = "icmc-system"


@dataclass
class World:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    memberships: dict[str, Membership] = field(default_factory=dict)

    def actor(self, username: str, *, via: str = "cli") -> Actor:
        return Actor(user=self.users[username], membership=self.memberships[username], via=via)


def system_actor() -> Actor:
    """The actor for work the installation does itself (loading seed data); it holds no membership."""
    user, _ = User.objects.get_or_create(username=SYSTEM_USERNAME, defaults={"is_active": False})
    if user.has_usable_password():
        user.set_unusable_password()
        user.save()
    return Actor(user=user, membership=None, via="cli")


def demo_totp_key() -> str:
    """The demo second-factor key in the hex form django-otp stores."""
    return b32decode(DEMO_TOTP_SECRET).hex()


@transaction.atomic
def build_world(*, password: str) -> World:
    """Create (or find) the demo organisations and persona users. Idempotent."""
    ensure_reference_data()
    world = World()
    now = timezone.now()
    for key, (name, kind, code, pillars, gov, approved, prefix) in ORGANISATIONS.items():
        jurisdiction = Jurisdiction.objects.get(code=code)
        org, created = Organisation.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "jurisdiction": jurisdiction, "is_government": gov, "is_approved": approved,
                      "reference_prefix": prefix, "time_zone": COUNTRY_TIME_ZONES[jurisdiction.country],
                      "created_at": now, "updated_at": now},
        )
        if created:
            org.pillars.set([PillarRef.objects.get(code=p) for p in pillars])
        world.organisations[key] = org
    password_hash = None
    for username, (first, last, org_key, role) in USERS.items():
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            if password_hash is None:
                user.set_password(password)
                password_hash = user.password
            else:
                user.password = password_hash
            user.save()
        membership, _ = Membership.objects.get_or_create(
            user=user, organisation=world.organisations[org_key], role=role, is_active=True,
            defaults={"created_at": now, "updated_at": now},
        )
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="demo authenticator", key=demo_totp_key(), confirmed=True)
        world.users[username] = user
        world.memberships[username] = membership
    record_event(actor=system_actor(), action="demo.world_loaded", object_type="installation", object_id=None,
                 details={"organisations": len(world.organisations), "users": len(world.users)})
    return world
