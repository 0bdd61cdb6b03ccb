"""Directory data: jurisdictions, organisations and code lists. Readable by any authenticated caller."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from ninja import Query, Router

from icmc.accounts.models import Jurisdiction, Organisation
from icmc.api.schemas import (
    CodesOut,
    ErrorOut,
    InvalidOut,
    JurisdictionOut,
    JurisdictionQuery,
    OrganisationOut,
    OrganisationQuery,
)
from icmc.cases.codes import CaseStage, CaseStatus, ExploitationType, Gender, PartyRole, PlaceKind, ReporterType
from icmc.cases.forms import COUNTRY_CHOICES, LANGUAGE_CHOICES

router = Router(tags=["reference"])


@router.get(
    "/jurisdictions", response={200: list[JurisdictionOut], 401: ErrorOut, 422: InvalidOut},
    summary="Jurisdictions (countries, states, districts)",
    description="Codes follow ISO 3166-1 / 3166-2; districts add a suffix. Filter by country, level, parent.",
)
def jurisdictions(request: HttpRequest, query: Query[JurisdictionQuery]) -> list[dict[str, Any]]:
    qs = Jurisdiction.objects.all()
    if query.country:
        qs = qs.filter(country=query.country.upper())
    if query.level:
        qs = qs.filter(level=query.level)
    if query.parent:
        qs = qs.filter(parent_id=query.parent)
    return [{"code": j.code, "name": j.name, "level": j.level, "parent": j.parent_id, "country": j.country}
            for j in qs.order_by("country", "level", "name")]


@router.get(
    "/organisations", response={200: list[OrganisationOut], 401: ErrorOut, 422: InvalidOut},
    summary="Active organisations of the directory",
    description="Use their ids for the AHTU and police station fields of intake and FIR.",
)
def organisations(request: HttpRequest, query: Query[OrganisationQuery]) -> list[dict[str, Any]]:
    qs = Organisation.objects.filter(is_active=True).prefetch_related("pillars").order_by("name")
    if query.kind:
        qs = qs.filter(kind=query.kind)
    return [{"id": o.id, "name": o.name, "kind": o.kind, "pillars": sorted(p.code for p in o.pillars.all()),
             "jurisdiction": o.jurisdiction_id} for o in qs]


def _codes(choices: type[models.TextChoices] | list[tuple[str, str]]) -> list[dict[str, str]]:
    pairs = choices.choices if isinstance(choices, type) else choices
    return [{"code": code, "label": str(label)} for code, label in pairs]


@router.get("/codes", response={200: CodesOut, 401: ErrorOut}, summary="Code lists used in case fields",
            description="HTCDS code lists where one exists; ISO 639-3 languages; ISO 3166-1 countries.")
def codes(request: HttpRequest) -> dict[str, Any]:
    return {
        "exploitation_types": _codes(ExploitationType), "genders": _codes(Gender),
        "reporter_types": _codes(ReporterType), "party_roles": _codes(PartyRole),
        "case_statuses": _codes(CaseStatus), "case_stages": _codes(CaseStage), "place_kinds": _codes(PlaceKind),
        "languages": _codes(LANGUAGE_CHOICES), "countries": _codes(COUNTRY_CHOICES),
    }
