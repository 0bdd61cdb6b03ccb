"""Declared once: organisation kinds, the 6P pillars and the roles (the brief's personas)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    CENTRE = "centre", _("Case management centre")
    AHTU = "ahtu", _("Anti-Human Trafficking Unit")
    POLICE_STATION = "police_station", _("Police station")
    STATE_POLICE = "state_police", _("State police headquarters")
    NGO = "ngo", _("NGO")
    SHELTER_GOVERNMENT = "shelter_government", _("Shelter home (government)")
    SHELTER_NGO = "shelter_ngo", _("Shelter home (registered NGO)")
    SOCIAL_WELFARE = "social_welfare", _("Social welfare department")
    CWC = "cwc", _("Child Welfare Committee")
    LEGAL_SERVICES = "legal_services", _("Legal Services Authority (DLSA/SLSA)")
    PROSECUTION = "prosecution", _("Prosecution")
    COURT = "court", _("Court")
    MEDIA = "media", _("Media")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    FOREIGN_PARTNER = "foreign_partner", _("Foreign partner")


POLICE_KINDS = frozenset({OrganisationKind.AHTU, OrganisationKind.POLICE_STATION, OrganisationKind.STATE_POLICE})


class Pillar(models.TextChoices):
    PARTNERSHIP = "partnership", _("Partnership")
    PREVENTION = "prevention", _("Prevention")
    PROTECTION = "protection", _("Protection")
    POLICING = "policing", _("Policing")
    PRESS = "press", _("Press")
    PROSECUTION = "prosecution", _("Prosecution")


class Role(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager")
    AHTU_OFFICER = "ahtu_officer", _("AHTU officer")
    SHELTER_WORKER = "shelter_worker", _("Shelter worker")
    WELFARE_OFFICER = "welfare_officer", _("Welfare officer")
    CWC_MEMBER = "cwc_member", _("CWC member")
    LEGAL_SERVICES_OFFICER = "legal_services_officer", _("Legal services officer")
    PROSECUTION_LIAISON = "prosecution_liaison", _("Prosecution liaison")
    MEDIA_LIAISON = "media_liaison", _("Media liaison")
    PARTNER_NGO = "partner_ngo", _("Partner NGO abroad")
    STATE_NODAL_OFFICER = "state_nodal_officer", _("State nodal officer")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


class JurisdictionLevel(models.TextChoices):
    COUNTRY = "country", _("Country")
    STATE = "state", _("State / province / division")
    DISTRICT = "district", _("District")


# Countries the network works in (ISO 3166-1 alpha-2).
NETWORK_COUNTRIES = ("IN", "NP", "BD", "MM")

# IANA time zone per country of the network; deadlines and dates are shown in the organisation's zone.
COUNTRY_TIME_ZONES = {
    "IN": "Asia/Kolkata",
    "NP": "Asia/Kathmandu",
    "BD": "Asia/Dhaka",
    "MM": "Asia/Yangon",
}
