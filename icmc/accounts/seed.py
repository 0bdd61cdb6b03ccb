"""Reference data every installation has (normally loaded by the data migrations).

`ensure_reference_data()` loads whatever is missing; it is cheap when everything is there. Tests that flush
the database (transactional tests, the live server) call it through the demo world.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import transaction

from icmc.accounts.jurisdictions import load_jurisdictions
from icmc.accounts.models import Jurisdiction, PillarRef
from icmc.accounts.reference import Pillar
from icmc.audit.models import AuditChainHead
from icmc.cases.codes import ExploitationType
from icmc.cases.models import ExploitationTypeRef


@transaction.atomic
def ensure_reference_data() -> None:
    if not Jurisdiction.objects.exists():
        load_jurisdictions(model=Jurisdiction)
    for pillar in Pillar.values:
        PillarRef.objects.get_or_create(code=pillar)
    for code in ExploitationType.values:
        ExploitationTypeRef.objects.get_or_create(code=code)
    AuditChainHead.objects.get_or_create(id=1)
    offence = apps.get_model("prosecution", "Offence")
    if not offence.objects.exists():  # the offences' data migration, again (its list is the one source)
        importlib.import_module("icmc.prosecution.migrations.0003_offences").load(apps, None)
