"""Names and phones are sealed in the database, read back in plain through the one reader, found by blind
index; erasure destroys the key; rotation rewraps the keys."""

import io

import pytest
from django.db import connection

from icmc.access.errors import PermissionDenied
from icmc.audit.models import AuditEvent
from icmc.cases.models import CaseParty, PersonName, PersonPhone
from icmc.vault.actions import rotate_master_key, shred_person_key
from icmc.vault.keyfile import new_key_line
from icmc.vault.keys import TamperedError, VaultError
from icmc.vault.models import PersonKey, SearchToken
from icmc.vault.sealed import reveal_values
from icmc.vault.search import candidate_ids, persons_by_name, persons_by_phone
from tests.factories import person_data, report_case
from tests.privacy.helpers import erase

NAME, PHONE = "Lakyntiew Syiemlieh", "+919812345678"


@pytest.fixture
def case(world):
    return report_case(world, survivors=[person_data(NAME, alias="Kyntiew", phone=PHONE)])


def _survivor(case):
    return CaseParty.objects.get(case=case, role="survivor").person


def _raw(table, column, pk):
    key = pk.hex if connection.vendor == "sqlite" else pk
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [key])  # noqa: S608 (test constants)
        return cursor.fetchone()[0]


def test_database_holds_tokens_and_the_reader_gives_plain_values(case):
    person = _survivor(case)
    name = PersonName.objects.get(person=person, is_alias=False)
    assert name.value == NAME
    assert [p.number for p in person.phones.all()] == [PHONE]
    stored = _raw("cases_personname", "value_sealed", name.pk)
    assert stored.startswith("v1:") and "Syiemlieh" not in stored
    assert "98123" not in _raw("cases_personphone", "number_sealed", person.phones.get().pk)
    assert "Syiemlieh" not in str(list(PersonName.objects.values_list("value_sealed", "value_index")))


def _alias_sealed_as_the_name(case):
    """The survivor, whose alias row now holds the sealed name of the other row (a value moved between rows)."""
    person = _survivor(case)
    alias = PersonName.objects.get(person=person, is_alias=True)
    name = PersonName.objects.get(person=person, is_alias=False)
    PersonName.objects.filter(pk=alias.pk).update(value_sealed=name.value_sealed)
    return person


def test_tampered_value_fails_loudly(case):
    person = _alias_sealed_as_the_name(case)
    with pytest.raises(TamperedError):
        list(PersonName.objects.filter(person=person))


def test_exact_lookup_by_blind_index(case, world):
    person = _survivor(case)
    report_case(world, survivors=[person_data("Somebody Else")])
    assert list(persons_by_name("  lakyntiew   SYIEMLIEH ")) == [person]
    assert list(persons_by_name("Kyntiew")) == [person]  # aliases too
    assert list(persons_by_phone(PHONE)) == [person]
    assert not persons_by_name("Lakyntiew Syiemliehh").exists()
    assert candidate_ids("Syiemlieh Lakyntiu")[:1] == [person.id]  # word order and spelling vary


def _erase(world, case, person):
    """Erasure goes through two-person approval (icmc/privacy): asked, approved, carried out."""
    erase(world, case, person)


def test_erasure_destroys_the_key_and_is_audited(case, world):
    person = _survivor(case)
    _erase(world, case, person)
    key = PersonKey.objects.get(person=person)
    assert key.wrapped == "" and key.destroyed_at is not None
    assert {n.value for n in PersonName.objects.filter(person=person)} == {"[erased]"}
    assert [p.number for p in PersonPhone.objects.filter(person=person)] == ["[erased]"]
    assert not persons_by_name(NAME).exists() and not persons_by_phone(PHONE).exists()
    assert not SearchToken.objects.filter(person=person).exists()
    event = AuditEvent.objects.get(action="person.erased")
    assert event.object_id == str(person.id) and event.role == "case_manager"
    with pytest.raises(PermissionDenied):  # already destroyed
        shred_person_key(person)


def test_erased_names_show_as_erased_on_the_case_page(case, world, client):
    _erase(world, case, _survivor(case))
    client.force_login(world.users["cm.meghalaya"])
    body = client.get(f"/cases/{case.id}/").content.decode()
    assert "[erased]" in body and "Syiemlieh" not in body and "v1:" not in body


def test_rotation_rewraps_every_key_and_the_old_key_can_go(case, world, settings):
    old = settings.ICMC_MASTER_KEYS
    old_id = old.split(":")[0]
    new = new_key_line("rotated-2")
    settings.ICMC_MASTER_KEYS = new + "\n" + old  # the new key first (active), the old one kept for unwrap
    later = report_case(world, survivors=[person_data("Written After Rotation Began")])
    assert PersonKey.objects.get(person=_survivor(later)).master_key_id == "rotated-2"
    assert rotate_master_key(new_key_id="rotated-2") >= 1
    assert set(PersonKey.objects.values_list("master_key_id", flat=True)) == {"rotated-2"}
    settings.ICMC_MASTER_KEYS = new  # the old master key removed
    assert PersonName.objects.get(person=_survivor(case), is_alias=False).value == NAME
    assert list(persons_by_name(NAME)) == [_survivor(case)]  # index tokens survive rotation
    settings.ICMC_MASTER_KEYS = old  # and with only the old key nothing opens any more
    with pytest.raises(VaultError):
        list(PersonName.objects.filter(person=_survivor(case)))
    assert old_id != "rotated-2"


def test_reading_names_costs_no_extra_query(case, django_assert_num_queries):
    person = _survivor(case)
    with django_assert_num_queries(1):
        assert len([n.value for n in PersonName.objects.filter(person=person)]) == 2


def test_reindex_tokens_rebuilds_what_the_writer_wrote(world):
    from django.core.management import call_command

    report_case(world, survivors=[person_data("Lakshmi Devi"), person_data("লক্ষ্মী দেবী")])
    before = sorted(SearchToken.objects.values_list("person_id", "kind", "token"))
    SearchToken.objects.filter(kind="sound").delete()  # as if indexed under older rules
    call_command("vault", "reindex-tokens", stdout=io.StringIO())
    assert sorted(SearchToken.objects.values_list("person_id", "kind", "token")) == before


def test_candidates_sharing_more_words_then_rarer_tokens_come_first(world):
    """Everybody sharing the surname shares fewer of the name's words than the one sharing both; among those who
    share one word, the holders of the rare given name come before the many holders of the surname."""
    report_case(world, survivors=[person_data(f"{given} Lyngdoh") for given in ("Iohbha", "Banri", "Wanda")])
    report_case(world, survivors=[person_data(f"{given} Lyngdoh") for given in ("Daphimon", "Larisa")])
    report_case(world, survivors=[person_data("Kitboklang Marbaniang"), person_data("Kitboklang Lyngdoh")])
    people = {row.value: row.person_id for row in PersonName.objects.filter(is_alias=False)}
    ranked = candidate_ids("Kitboklang Lyngdoh")
    assert ranked[:2] == [people["Kitboklang Lyngdoh"], people["Kitboklang Marbaniang"]]
    assert set(ranked[2:]) == {people[f"{g} Lyngdoh"] for g in ("Iohbha", "Banri", "Wanda", "Daphimon", "Larisa")}
    # Another spelling of a word still shares the word (by its sound key).
    assert candidate_ids("Kitboklang Lyngdo")[:2] == [people["Kitboklang Lyngdoh"], people["Kitboklang Marbaniang"]]


def _columns(model, fields):
    """Rows as reveal_values takes them: (row id, owner id, tokens) from `.values_list()` (no instances)."""
    return [(pk, owner, tokens) for pk, owner, *tokens in model.objects.values_list(
        "pk", "person_id", *(f"{f}_sealed" for f in fields))]


def test_reveal_values_opens_what_reveal_opens(case, world):
    other = report_case(world, survivors=[person_data("Second Survivor", phone="+919800000001")])
    _erase(world, other, _survivor(other))
    for model, field in ((PersonName, "value"), (PersonPhone, "number")):
        rows = _columns(model, [field])
        by_instance = {row.pk: getattr(row, field) for row in model.objects.all()}
        assert {pk: values[0] for (pk, _, _), values in zip(rows, reveal_values(model, rows), strict=True)} \
            == by_instance
        assert "[erased]" in by_instance.values() and len(set(by_instance.values())) > 1


def test_reveal_values_fails_loudly_on_a_moved_token(case):
    _alias_sealed_as_the_name(case)
    with pytest.raises(TamperedError):
        reveal_values(PersonName, _columns(PersonName, ["value"]))


def test_a_sound_key_a_final_n_apart_shares_the_word_but_weighs_less(world):
    """The search also looks for each word's sound key with the final n dropped or added (Borbhuiya "brb",
    Barbhuyan "brbn"): the one holder of the variant shares both words of "Rina Borbhuiya", but ranks below the
    holders of the spelling or sound searched for, though her variant token is rarer than their sound token
    (icmc.vault.search.VARIANT_SHARE)."""
    report_case(world, survivors=[person_data(n) for n in ("Rina Borbhuiya", "Rina Barbhuiya", "Rina Barbhuyan")])
    report_case(world, survivors=[person_data(n) for n in ("Anwar Barbhuiya", "Salma Barbhuiya", "Anwar Borbhuiya")])
    # Without the variant, the one holder of the rarer surname would outrank her (her given name is more common).
    report_case(world, survivors=[person_data(f"Rina {n}") for n in ("Lyngdoh", "Syiem", "Marak")])
    people = {row.value: row.person_id for row in PersonName.objects.filter(is_alias=False)}
    assert candidate_ids("Rina Borbhuiya")[:3] == [people[n] for n in ("Rina Borbhuiya", "Rina Barbhuiya",
                                                                          "Rina Barbhuyan")]
    ranked = candidate_ids("Rina Barbhuyan")  # and the other way round: "brbn" looks for "brb" too
    assert ranked[0] == people["Rina Barbhuyan"]
    assert set(ranked[1:3]) == {people["Rina Borbhuiya"], people["Rina Barbhuiya"]}


def test_a_variant_that_is_another_searched_word_does_not_count_twice(world):
    """Rahima "rm" and Rahman "rmn" are each other's final-n variant: a search for "Rahima Rahman" does not look for
    the variants, else Rahima Hussain's one token "rm" would share both words, and her rare given name would put
    her before Rehima Rehman, who shares both words by their sounds."""
    report_case(world, survivors=[person_data(n) for n in ("Rehima Rehman", "Rahima Hussain", "Anwar Rahman",
                                                            "Salma Rahman")])
    people = {row.value: row.person_id for row in PersonName.objects.filter(is_alias=False)}
    assert candidate_ids("Rahima Rahman")[0] == people["Rehima Rehman"]
