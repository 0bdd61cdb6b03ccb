"""A node process for the drills, run as `python tests/drills/node.py MODE` with the database chosen by the
environment (DATABASE_URL, ICMC_VAR_DIR): `setup` (migrate, demo organisations and users), `write N` (report N
cases through the one write path, printing each case id once its transaction has committed), `verify IDS_FILE`
(every printed case is there whole, every case in the database is whole and audited, the audit chain verifies,
and on SQLite `PRAGMA integrity_check` is ok; prints one JSON line)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

PASSWORD = "drill-password-2026"


def setup() -> None:
    from icmc.demo.world import build_world

    call_command("migrate", verbosity=0, interactive=False)
    build_world(password=PASSWORD)
    print("ready", flush=True)


def write(count: int) -> None:
    from icmc.cases.actions import do_report_case
    from icmc.cases.forms import parse_report
    from icmc.demo.world import build_world

    actor = build_world(password=PASSWORD).actor("cm.meghalaya")
    for n in range(count):
        data = {"reported_at": timezone.now().replace(microsecond=0).isoformat(), "reporter_type": "family",
                "reporter_name": "", "reporter_phone": "", "summary": f"Drill case {n}: a girl left for work.",
                "exploitation_types": ["SexualExploitation"], "source_jurisdiction": "IN-ML-EAST-KHASI-HILLS",
                "source_detail": "near the weekly market", "destination_jurisdiction": "IN-AS-KAMRUP-METROPOLITAN",
                "destination_detail": "a hotel"}
        survivors = [{"name": f"Drill Survivor {n}", "gender": "Feminine", "estimated_age": 15},
                     {"name": f"Drill Sister {n}", "gender": "Feminine", "estimated_age": 13}]
        case = do_report_case(parse_report(data=data, survivors=survivors, suspects=[]), actor=actor)
        print(case.id, flush=True)  # after the commit: this case must survive whatever happens next


def verify(ids_file: str) -> None:
    from icmc.audit.chain import verify as verify_chain
    from icmc.audit.models import AuditEvent
    from icmc.cases.models import Case, CaseParty, CasePlace

    committed = {line.strip() for line in Path(ids_file).read_text().splitlines() if line.strip()}
    cases = {str(pk) for pk in Case.objects.values_list("pk", flat=True)}
    audited = {str(e) for e in AuditEvent.objects.filter(action="case.reported").values_list("case_id", flat=True)}
    parties = {}
    for case_id in CaseParty.objects.values_list("case_id", flat=True):
        parties[str(case_id)] = parties.get(str(case_id), 0) + 1
    places = {str(c) for c in CasePlace.objects.values_list("case_id", flat=True)}
    drill = {str(pk) for pk in Case.objects.filter(summary__startswith="Drill case").values_list("pk", flat=True)}
    result = {
        "committed": len(committed),
        "lost": len(committed - cases),
        "cases": len(drill),
        "partial": sorted(c for c in drill if parties.get(c) != 2 or c not in places),
        "unaudited": sorted(drill - audited),
        "chain_problems": [str(p) for p in verify_chain()],
        "events": AuditEvent.objects.count(),
        "integrity": None,
    }
    # The sealed place details still decrypt (raises on a torn or tampered value).
    result["details_readable"] = all(p.detail for p in CasePlace.objects.filter(case_id__in=list(drill)[:50]))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            result["integrity"] = cursor.execute("PRAGMA integrity_check").fetchone()[0]
            result["journal_mode"] = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "setup":
        setup()
    elif mode == "write":
        write(int(sys.argv[2]))
    elif mode == "verify":
        verify(sys.argv[2])
    else:
        raise SystemExit(f"unknown mode {mode}")
