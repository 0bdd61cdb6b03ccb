"""`icmc demo` and `icmc generate`: refused in production, idempotent, audited, and they never print names."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from icmc.access.actor import Actor
from icmc.access.queries import visible_cases
from icmc.accounts.models import Membership, Organisation
from icmc.audit.models import AuditEvent
from icmc.cases.models import Case, PersonName
from icmc.demo import DEMO_PASSWORD
from icmc.demo.management.commands.demo import DEMO_CASES


def _run(name: str, **options: object) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(name, stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


def _names_printed(output: str) -> int:
    """How many generated names appear in `output` (a count, so that no name is ever shown)."""
    return sum(name.value in output for name in PersonName.objects.all())  # plain values via icmc.vault


def _actor(username: str) -> Actor:
    membership = Membership.objects.select_related("user", "organisation__jurisdiction").get(
        user__username=username, is_active=True)
    return Actor(user=membership.user, membership=membership, via="cli")


@pytest.mark.django_db
def test_demo_is_refused_in_production(settings):
    settings.ICMC_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="disabled"):
        _run("demo")
    with pytest.raises(CommandError, match="disabled"):
        _run("generate", cases=5, no_progress=True)
    assert not Case.objects.exists()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_demo_loads_audited_cases_once_and_prints_the_logins(settings):
    output = _run("demo")
    assert Case.objects.count() == sum(DEMO_CASES.values())
    assert AuditEvent.objects.filter(action="case.reported", via="cli").count() == Case.objects.count()
    ml = visible_cases(actor=_actor("cm.meghalaya"))
    assam = visible_cases(actor=_actor("cm.assam"))
    assert (ml.count(), assam.count()) == (DEMO_CASES["IN-ML"], DEMO_CASES["IN-AS"])
    ekh = set(visible_cases(actor=_actor("ahtu.ekh")).values_list("pk", flat=True))
    wjh = set(visible_cases(actor=_actor("ahtu.wjh")).values_list("pk", flat=True))
    assert ekh and wjh and not ekh & wjh
    for username in ("cm.meghalaya", "cm.assam", "ahtu.ekh", "ahtu.wjh", "admin"):
        assert username in output
    assert DEMO_PASSWORD in output
    assert _names_printed(output) == 0

    again = _run("demo")
    assert Case.objects.count() == sum(DEMO_CASES.values())
    assert "cm.meghalaya" in again and "no demo data loaded" in again
    assert _names_printed(again) == 0


@pytest.mark.django_db
def test_demo_logins_work_with_the_printed_password(client, settings):
    _run("demo")
    assert client.login(username="ahtu.ekh", password=DEMO_PASSWORD)


@pytest.mark.django_db
def test_generate_builds_the_network_and_writes_cases_in_bulk():
    output = _run("generate", cases=40, seed=5, batch=15, no_progress=True)
    assert "Generated 40 cases" in output
    assert Case.objects.count() == 40
    centres = Organisation.objects.filter(kind="centre").exclude(reference_prefix="")
    assert centres.count() == 8  # one per north-east state
    assert AuditEvent.objects.filter(action="case.reported").count() == 40
    assert _names_printed(output) == 0
    _run("generate", cases=10, seed=6, no_progress=True)  # adds to what is there, references continue
    assert Case.objects.count() == 50
    assert Case.objects.values("reference").distinct().count() == 50
