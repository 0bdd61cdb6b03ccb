"""Place details (whereabouts, P0) are sealed under a per-case key: ciphertext in the database, plain through the
one reader, tamper fails loudly, erasing the last survivor shreds them, rotation rewraps the case keys, and the
migration seals rows written before it (and opens them again when migrated back)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from icmc.cases.models import CaseParty, CasePlace
from icmc.vault.actions import rotate_master_key
from icmc.vault.keyfile import new_key_line
from icmc.vault.keys import TamperedError
from icmc.vault.models import CaseKey
from tests.factories import person_data, report_case
from tests.privacy.helpers import erase

SOURCE, DESTINATION = "Umsning tea garden, line 7", "Hotel Bluebird behind Paltan Bazar"


@pytest.fixture
def case(world):
    return report_case(world, source_detail=SOURCE, destination_detail=DESTINATION,
                       survivors=[person_data("Iaishah Nongrum"), person_data("Badaplin Lyngdoh")])


def _raw_details(case) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT detail_sealed FROM cases_caseplace WHERE case_id = %s ORDER BY position",
                       [case.pk.hex if connection.vendor == "sqlite" else case.pk])
        return [row[0] for row in cursor.fetchall()]


def test_database_holds_tokens_and_the_reader_gives_plain_details(case):
    stored = _raw_details(case)
    assert len(stored) == 2 and all(s.startswith("v1:") for s in stored)
    assert not any("Umsning" in s or "Bluebird" in s for s in stored)
    assert [p.detail for p in case.places.all()] == [SOURCE, DESTINATION]
    assert [p.detail for p in CasePlace.objects.filter(case=case)] == [SOURCE, DESTINATION]
    assert CaseKey.objects.filter(case=case, destroyed_at__isnull=True).count() == 1
    # The bare manager (filters, lists) decrypts nothing.
    assert {p.detail for p in CasePlace.bare.filter(case=case)} == {""}


def test_a_case_without_place_details_gets_no_key(world):
    case = report_case(world)
    assert not CaseKey.objects.filter(case=case).exists()
    assert {p.detail for p in case.places.all()} == {""}


def test_tampered_or_moved_detail_fails_loudly(case, world):
    source, destination = CasePlace.objects.filter(case=case)
    CasePlace.objects.filter(pk=destination.pk).update(detail_sealed=source.detail_sealed)  # copied onto a row
    with pytest.raises(TamperedError):
        list(CasePlace.objects.filter(case=case))
    other = report_case(world, source_detail="somewhere else entirely")
    CasePlace.objects.filter(case=other, position=0).update(detail_sealed=source.detail_sealed)  # other case
    with pytest.raises(TamperedError):
        list(CasePlace.objects.filter(case=other))


def test_erasing_the_last_survivor_shreds_the_place_details(case, world):
    first, second = [p.person for p in CaseParty.objects.filter(case=case, role="survivor").order_by("created_at")]
    erase(world, case, first)
    assert [p.detail for p in case.places.all()] == [SOURCE, DESTINATION]  # one survivor left
    erase(world, case, second)
    assert [p.detail for p in case.places.all()] == ["[erased]", "[erased]"]
    assert CaseKey.objects.get(case=case).destroyed_at is not None


def test_rotation_rewraps_the_case_keys(case, settings):
    settings.ICMC_MASTER_KEYS = new_key_line("rotated-3") + "\n" + settings.ICMC_MASTER_KEYS
    assert rotate_master_key(new_key_id="rotated-3") >= 3  # two survivors + the case
    assert CaseKey.objects.get(case=case).master_key_id == "rotated-3"
    settings.ICMC_MASTER_KEYS = settings.ICMC_MASTER_KEYS.splitlines()[0]  # the old key is gone
    assert [p.detail for p in CasePlace.objects.filter(case=case)] == [SOURCE, DESTINATION]


def _plain_column(case) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT detail FROM cases_caseplace WHERE case_id = %s ORDER BY position",
                       [case.pk.hex if connection.vendor == "sqlite" else case.pk])
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_existing_details_and_opens_them_when_reversed(world):
    case = report_case(world, source_detail=SOURCE, destination_detail=DESTINATION)
    before = [("cases", "0005_synced_ids"), ("vault", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    assert _plain_column(case) == [SOURCE, DESTINATION]  # reversed: plaintext again, no case keys table
    call_command("migrate", verbosity=0)
    assert all(s.startswith("v1:") for s in _raw_details(case))
    assert [p.detail for p in CasePlace.objects.filter(case=case)] == [SOURCE, DESTINATION]
