"""The synthetic case generator: deterministic, realistic proportions, only real jurisdiction codes."""

from __future__ import annotations

import datetime

from icmc.accounts.jurisdictions import jurisdiction_rows
from icmc.cases.codes import ExploitationType, Gender, PlaceKind, ReporterType
from icmc.demo import places
from icmc.demo.synth import generate_specs
from icmc.lib.scripts import detect_script

ANCHOR = datetime.date(2026, 3, 1)


def test_same_seed_gives_the_same_specs_and_another_seed_others():
    first = generate_specs(seed=11, count=40, anchor=ANCHOR)
    assert first == generate_specs(seed=11, count=40, anchor=ANCHOR)
    other = generate_specs(seed=12, count=40, anchor=ANCHOR)
    assert [s.summary for s in first] != [s.summary for s in other]
    assert [s.survivors for s in first] != [s.survivors for s in other]


def test_proportions_follow_the_domain_facts():
    specs = generate_specs(seed=3, count=500, anchor=ANCHOR, years=10)
    survivors = [(spec, p) for spec in specs for p in spec.survivors]
    minors = sum(1 for spec, p in survivors if p.age_on(spec.reported_on) < 18)
    assert all(p.age_on(spec.reported_on) is not None for spec, p in survivors)
    assert 0.35 <= minors / len(survivors) <= 0.55
    assert 0.08 <= sum(s.cross_border for s in specs) / len(specs) <= 0.22
    assert {len(s.survivors) for s in specs} == {1, 2, 3}
    assert sum(len(s.survivors) >= 2 for s in specs) / len(specs) >= 0.6
    assert sum(p.gender == Gender.FEMININE for _, p in survivors) / len(survivors) >= 0.6
    assert 0.6 <= sum(s.fir is not None for s in specs) / len(specs) <= 0.8
    assert {len(s.suspects) for s in specs} == {0, 1, 2}
    assert {len(s.notes) for s in specs} == {0, 1, 2, 3}
    assert set(places.NE_STATES) == {s.state for s in specs}
    assert {s.reporter_type for s in specs} == set(ReporterType.values)


def test_dates_fall_in_the_period_and_the_fir_after_the_report():
    specs = generate_specs(seed=5, count=300, anchor=ANCHOR, years=3)
    start = ANCHOR - datetime.timedelta(days=int(3 * 365.25) + 1)
    for spec in specs:
        assert start <= spec.reported_on < ANCHOR
        if spec.fir is not None:
            assert spec.reported_on <= spec.fir.registered_on <= ANCHOR
        for person in spec.survivors:
            assert person.birth_date is None or person.birth_date < spec.reported_on
    dates = [s.reported_at for s in specs]
    assert dates[0] < dates[len(dates) // 2] < dates[-1]  # oldest first, so references follow time


def test_every_code_used_is_a_real_jurisdiction_and_exploitation_type():
    codes = {row["code"] for row in jurisdiction_rows()}
    specs = generate_specs(seed=8, count=1500, anchor=ANCHOR)
    used = {p.code for s in specs for p in s.places} | {s.fir.district for s in specs if s.fir}
    assert used <= codes
    tables = (set(places.METROS) | set(places.NE_TOWNS) | set(places.DISTRICT_WEIGHTS) | set(places.TRANSIT_HUBS)
              | {c for ds in places.BORDER_DISTRICTS.values() for c in ds}
              | {c for ps in places.FOREIGN_PLACES.values() for c in ps})
    assert tables <= codes
    assert {"NP", "BD", "MM"} <= {code.split("-")[0] for code in used}
    assert {t for s in specs for t in s.exploitation_types} <= set(ExploitationType.values)
    assert all(s.source.kind == PlaceKind.RECRUITMENT and s.destination.kind == PlaceKind.EXPLOITATION
               for s in specs)


def test_names_come_in_several_scripts_with_spelling_variants():
    specs = generate_specs(seed=21, count=1500, anchor=ANCHOR)
    people = [p for s in specs for p in (*s.survivors, *s.suspects)]
    alias_scripts = {detect_script(text=p.alias) for p in people if p.alias}
    assert {"Latn", "Deva", "Beng"} <= alias_scripts
    assert any(detect_script(text=p.name) == "Beng" for p in people)
    # Spelling variants of one name: the same people's names are written differently across cases.
    words = {w for p in people for w in (p.name + " " + p.alias).split()}
    assert {"Mohammad", "Mohammed"} <= words or {"Md.", "Mohammad"} <= words
    assert {"Lakshmi", "Laxmi"} <= words
    # Two people of one case never carry the same written name (counted, so that no name is printed).
    names = [[p.name for p in (*s.survivors, *s.suspects)] for s in specs]
    assert sum(len(n) != len(set(n)) for n in names) == 0


def test_summaries_name_nobody():
    specs = generate_specs(seed=2, count=300, anchor=ANCHOR)
    leaks = 0
    for spec in specs:
        texts = [spec.summary, *(note.body for note in spec.notes)]
        for person in (*spec.survivors, *spec.suspects, *([spec.reporter] if spec.reporter else [])):
            leaks += sum(person.name in text for text in texts)
    assert leaks == 0
