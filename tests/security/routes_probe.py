"""Drives every route as every persona (shared by the policy-matrix test)."""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from icmc.accounts.actions import do_create_api_token
from icmc.cases.models import Case, CaseParty
from icmc.demo.world import World
from icmc.referrals.actions import do_propose_referral, do_record_consent, do_send_referral
from icmc.referrals.inputs import ConsentInput, ProposeReferralInput
from tests.factories import person_data, report_case

PERSONAS = ("cm.meghalaya", "ahtu.ekh", "ahtu.wjh", "ahtu.kamrup", "shelter.shillong", "nodal.meghalaya",
            "nodal.assam", "media.shillong", "analyst", "partner.nepal", "admin")
SURVIVOR_NAME = "Iaineh Matrixsurvivor"
OTHER = str(uuid.UUID(int=7))  # an id that exists nowhere


def web_patterns() -> list[tuple[str, str]]:
    """(route, method) for every URL pattern outside the API: route is the pattern text."""
    found: list[str] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for item in resolver.url_patterns:
            if isinstance(item, URLResolver):
                walk(item, prefix + str(item.pattern))
            elif isinstance(item, URLPattern):
                found.append(prefix + str(item.pattern))

    walk(get_resolver(), "")
    return sorted({route for route in found if not route.startswith("api/v1/")})


def api_operations() -> list[str]:
    from icmc.api.api import api

    schema = api.get_openapi_schema()
    return sorted(f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops)


@dataclass
class Subject:
    case: Case
    survivor: CaseParty
    referral_id: str


def make_subject(world: World) -> Subject:
    """A Shillong-centre case (source AHTU East Khasi Hills), referred (sent) to the Shillong shelter."""
    case = report_case(world, survivors=[person_data(SURVIVOR_NAME, estimated_age=25)],
                       source_ahtu=str(world.organisations["ahtu_ekh"].pk),
                       destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS")
    survivor = CaseParty.objects.filter(case=case, role="survivor").first()
    assert survivor is not None
    actor = world.actor("cm.meghalaya")
    do_record_consent(case, actor=actor, data=ConsentInput(
        party=survivor, basis="survivor", response="consented",
        prompts_explained=("purpose", "uses", "access_right", "retention", "withdrawal"), purposes=("shelter",),
        reason="", given_on=datetime.date(2025, 1, 10)))
    referral = do_propose_referral(case, actor=actor, data=ProposeReferralInput(
        to_organisation=world.organisations["shelter_shillong"], purpose="shelter", party=survivor, message=""))
    do_send_referral(referral, actor=actor)
    return Subject(case=case, survivor=survivor, referral_id=str(referral.pk))


def fill(route: str, subject: Subject) -> str:
    """A concrete path for a route pattern: the subject case, its survivor and referral, else unknown ids."""
    values = {"case_id": str(subject.case.pk), "party_id": str(subject.survivor.pk),
              "person_id": str(subject.survivor.person_id),
              "referral_id": subject.referral_id, "verb": "decline",
              "object_id": str(subject.case.owner_id), "content_type_id": "1", "url": "nothing-here/",
              "rest": "nothing-here", "app_label": "accounts", "seq": "1"}
    kind = "fir" if "prosecution" in route else "shelter_stay"
    values["kind"] = kind
    path = route.replace("^", "").replace("$", "")
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values.get(m.group(1), OTHER), path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), OTHER), path)
    path = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), OTHER), path)
    return "/" + path.lstrip("/")


def outcome(status: int) -> str:
    if 200 <= status < 300:
        return "allowed"
    if 300 <= status < 400:
        return "redirect"
    return str(status)


def web_client(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def api_headers(world: World, username: str) -> dict[str, Any]:
    token = do_create_api_token(actor=world.actor(username), label="matrix")[1]
    return {"Authorization": f"Bearer {token}"}
