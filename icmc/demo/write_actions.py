"""Writer (a): synthetic cases through the real write path, exactly as a person would report them.

Each spec becomes the data a case report page would post; it is validated by icmc.cases.forms.parse_report and
registered by do_report_case as the owning centre's case manager, then its notes are added by do_add_note. So
every case and note is permission-checked, audited and on the change feed. Used by `icmc demo` and by tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from icmc.cases.actions import do_add_note, do_report_case
from icmc.cases.forms import parse_report
from icmc.cases.models import Case
from icmc.demo.directory import Directory
from icmc.demo.specs import CaseSpec, PersonSpec


def person_data(person: PersonSpec) -> dict[str, Any]:
    """A person entry as the report page posts it."""
    return {
        "name": person.name,
        "alias": person.alias,
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "estimated_age": "" if person.estimated_age is None else str(person.estimated_age),
        "citizenship": list(person.citizenship),
        "languages": list(person.languages),
        "phone": person.phone,
    }


def report_data(spec: CaseSpec, *, directory: Directory) -> dict[str, Any]:
    """The case part of the report, as the report page posts it (organisations by their ids)."""
    source_ahtu = directory.source_ahtu(spec)
    destination_ahtu = directory.destination_ahtu(spec)
    data: dict[str, Any] = {
        "reported_at": spec.reported_at.isoformat(),
        "reporter_type": spec.reporter_type,
        "reporter_name": spec.reporter.name if spec.reporter else "",
        "reporter_phone": spec.reporter.phone if spec.reporter else "",
        "summary": spec.summary,
        "exploitation_types": list(spec.exploitation_types),
        "source_jurisdiction": spec.source.code,
        "source_detail": spec.source.detail,
        "transit_jurisdiction": spec.transit.code if spec.transit else "",
        "transit_detail": spec.transit.detail if spec.transit else "",
        "destination_jurisdiction": spec.destination.code,
        "destination_detail": spec.destination.detail,
        "source_ahtu": str(source_ahtu.pk) if source_ahtu else "",
        "destination_ahtu": str(destination_ahtu.pk) if destination_ahtu else "",
    }
    if spec.fir is not None:
        station = directory.police_station(spec.fir.district)
        data.update({
            "fir_police_station": str(station.pk) if station else "",
            "fir_police_station_name": "" if station else spec.fir.station_name,
            "fir_number": spec.fir.number,
            "fir_date": spec.fir.registered_on.isoformat(),
        })
    return data


def report_spec(spec: CaseSpec, *, directory: Directory) -> Case:
    """Report one synthetic case and add its notes, as the owning centre's case manager."""
    actor = directory.centre(spec).actor()
    parsed = parse_report(
        data=report_data(spec, directory=directory),
        survivors=[person_data(p) for p in spec.survivors],
        suspects=[person_data(p) for p in spec.suspects],
    )
    case = do_report_case(parsed, actor=actor)
    for note in spec.notes:
        do_add_note(case, actor=actor, body=note.body)
    return case


def report_specs(specs: Iterable[CaseSpec], *, directory: Directory | None = None) -> list[Case]:
    directory = directory or Directory.load()
    return [report_spec(spec, directory=directory) for spec in specs]
