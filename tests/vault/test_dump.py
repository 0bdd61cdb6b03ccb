"""A dump of the database after the demo data is loaded holds none of the demo people's names or phones, nor
the place detail of a rescue operation recorded through the one write path.

The plaintexts come from the generator's specs (what was fed in), never from the database."""

import subprocess

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from icmc.access.actor import Actor
from icmc.accounts.models import Membership, Organisation
from icmc.accounts.reference import OrganisationKind
from icmc.cases.codes import CaseStatus, PartyRole
from icmc.cases.models import Case, CaseParty
from icmc.demo.management.commands.demo import DEMO_CASES, DEMO_YEARS, load_demo
from icmc.demo.synth import iter_specs
from icmc.demo.world import USERS
from icmc.pathway.actions import do_add_record
from icmc.pathway.models import RescueOperation
from icmc.pathway.records import KINDS, parse_record

SEED = 2026


def _demo_plaintexts() -> set[bytes]:
    today = timezone.localdate()
    values: set[str] = set()
    for offset, (state, cases) in enumerate(DEMO_CASES.items()):
        for spec in iter_specs(seed=SEED + offset, count=cases, anchor=today, years=DEMO_YEARS,
                               state_weights={state: 1.0}):
            for person in [*spec.survivors, *spec.suspects, *([spec.reporter] if spec.reporter else [])]:
                values |= {v for v in (person.name, person.alias, person.phone) if len(v) >= 6}
    # The demo personas' own names are in the user table, in plain (they are logins, not case data): a generated
    # alias that happens to be one of them ("Esther") is not a leak.
    personas = {part for first, last, _org, _role in USERS.values() for part in (first, last)}
    return {v.encode() for v in values - personas}


def _leaked(dump: bytes, plaintexts: set[bytes]) -> int:
    """How many plaintexts appear in the dump (a count: the values themselves are never printed)."""
    return sum(p in dump for p in plaintexts)


def _dump(tmp_path) -> bytes:
    if connection.vendor == "sqlite":
        target = tmp_path / "dump.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(target)])
        return target.read_bytes()
    db = settings.DATABASES["default"]
    command = ["pg_dump", "--no-owner", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432),
               "-U", db["USER"] or "postgres", connection.settings_dict["NAME"]]
    return subprocess.run(command, capture_output=True, check=True,  # noqa: S603
                          timeout=120).stdout


@pytest.mark.django_db(transaction=True)
def test_database_dump_has_no_names_or_phones_in_plaintext(tmp_path):
    plaintexts = _demo_plaintexts()
    assert len(plaintexts) > 100
    assert load_demo(seed=SEED) == sum(DEMO_CASES.values())
    rescue_place = _record_rescue_with_place_detail()
    dump = _dump(tmp_path)
    assert len(dump) > 100_000
    assert b"v1:" in dump  # the sealed values are there
    assert _leaked(dump, plaintexts) == 0
    assert _leaked(dump, {rescue_place.encode()}) == 0


def _record_rescue_with_place_detail() -> str:
    """A rescue operation with a place detail (whereabouts, P0) on a demo case, through the one write path."""
    membership = Membership.objects.select_related("user", "organisation").get(user__username="cm.meghalaya")
    actor = Actor(user=membership.user, membership=membership, via="cli")
    case = Case.objects.filter(owner=membership.organisation, status=CaseStatus.ACTIVE,
                               parties__role=PartyRole.SURVIVOR).order_by("reference").first()
    assert case is not None
    survivor = CaseParty.objects.filter(case=case, role=PartyRole.SURVIVOR).order_by("created_at").first()
    assert survivor is not None
    lead = Organisation.objects.filter(kind=OrganisationKind.AHTU).order_by("name").first()
    assert lead is not None
    place = "Godown 12 behind the Polo Bazar petrol pump"
    kind = KINDS["rescue_operation"]
    data = parse_record(kind=kind, case=case, data={
        "rescued_on": timezone.localdate().isoformat(), "jurisdiction": "IN-ML-EAST-KHASI-HILLS",
        "place_detail": place, "lead_ahtu": str(lead.id), "survivors": [str(survivor.id)]})
    record = do_add_record(case, actor=actor, data=data)
    assert RescueOperation.objects.get(pk=record.pk).place_detail == place
    return place
