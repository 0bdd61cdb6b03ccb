"""The kinds of record of the pathway and prosecution tracks, declared once: model, form, permission, how a
record reaches its case. Pages, API and actions read this registry (field sensitivity: icmc/access/sensitivity.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from icmc.access.errors import InvalidInput, NotFound
from icmc.access.policy import Perm
from icmc.cases.models import Case
from icmc.pathway import forms as pf
from icmc.pathway import models as pm
from icmc.pathway.formbase import CaseRecordForm, validated
from icmc.prosecution import forms as xf
from icmc.prosecution import models as xm

UNKNOWN_FIELD = _("Unknown field.")


@dataclass(frozen=True, kw_only=True)
class RecordKind:
    key: str
    label: StrOrPromise
    model: type[Model]
    form: type[CaseRecordForm]
    perm: Perm
    track: str  # "pathway" or "prosecution"
    case_path: str  # lookup from the record to its case
    creatable: bool = True

    def records(self, *, case: Case) -> QuerySet[Any]:
        return self.model.objects.filter(**{self.case_path: case})  # type: ignore[attr-defined]


_P, _X = "pathway", "prosecution"
KINDS: dict[str, RecordKind] = {k.key: k for k in (
    RecordKind(key="rescue_operation", label=_("Rescue operation"), model=pm.RescueOperation,
               form=pf.RescueOperationForm, perm=Perm.RESCUE_RECORD, track=_P, case_path="case"),
    RecordKind(key="cwc_production", label=_("CWC production"), model=pm.CwcProduction, form=pf.CwcProductionForm,
               perm=Perm.RESCUE_RECORD, track=_P, case_path="party__case"),
    RecordKind(key="shelter_stay", label=_("Shelter stay"), model=pm.ShelterStay, form=pf.ShelterStayForm,
               perm=Perm.PATHWAY_RECORD, track=_P, case_path="party__case"),
    RecordKind(key="support_service", label=_("Support service"), model=pm.SupportService,
               form=pf.SupportServiceForm, perm=Perm.PATHWAY_RECORD, track=_P, case_path="party__case"),
    RecordKind(key="care_plan", label=_("Individual care plan"), model=pm.CarePlan, form=pf.CarePlanForm,
               perm=Perm.PATHWAY_RECORD, track=_P, case_path="party__case"),
    RecordKind(key="home_investigation", label=_("Home investigation report"), model=pm.HomeInvestigation,
               form=pf.HomeInvestigationForm, perm=Perm.PATHWAY_RECORD, track=_P, case_path="party__case"),
    RecordKind(key="repatriation", label=_("Repatriation"), model=pm.Repatriation, form=pf.RepatriationForm,
               perm=Perm.PATHWAY_RECORD, track=_P, case_path="party__case"),
    RecordKind(key="placement", label=_("Long-term placement"), model=pm.LongTermPlacement,
               form=pf.LongTermPlacementForm, perm=Perm.PATHWAY_RECORD, track=_P, case_path="party__case"),
    RecordKind(key="follow_up_visit", label=_("Follow-up visit"), model=pm.FollowUpVisit,
               form=pf.FollowUpVisitForm, perm=Perm.PATHWAY_RECORD, track=_P, case_path="plan__party__case"),
    RecordKind(key="follow_up_plan", label=_("End follow-up early"), model=pm.FollowUpPlan,
               form=pf.FollowUpEndForm, perm=Perm.PATHWAY_RECORD, track=_P, case_path="party__case",
               creatable=False),
    RecordKind(key="compensation_claim", label=_("Compensation claim"), model=pm.CompensationClaim,
               form=pf.CompensationClaimForm, perm=Perm.PATHWAY_RECORD, track=_P, case_path="party__case"),
    RecordKind(key="fir", label=_("FIR"), model=xm.FIR, form=xf.FirRecordForm, perm=Perm.PROSECUTION_RECORD,
               track=_X, case_path="case"),
    RecordKind(key="charge", label=_("Charge"), model=xm.Charge, form=xf.ChargeForm, perm=Perm.PROSECUTION_RECORD,
               track=_X, case_path="fir__case"),
    RecordKind(key="accused", label=_("Accused"), model=xm.Accused, form=xf.AccusedForm,
               perm=Perm.PROSECUTION_RECORD, track=_X, case_path="case"),
    RecordKind(key="chargesheet", label=_("Chargesheet"), model=xm.Chargesheet, form=xf.ChargesheetForm,
               perm=Perm.PROSECUTION_RECORD, track=_X, case_path="accused__case"),
    RecordKind(key="hearing", label=_("Hearing"), model=xm.Hearing, form=xf.HearingForm,
               perm=Perm.PROSECUTION_RECORD, track=_X, case_path="case"),
    RecordKind(key="verdict", label=_("Verdict and sentence"), model=xm.Verdict, form=xf.VerdictForm,
               perm=Perm.PROSECUTION_RECORD, track=_X, case_path="accused__case"),
)}


def record_kind(*, key: str, track: str | None = None) -> RecordKind:
    kind = KINDS.get(key)
    if kind is None or (track is not None and kind.track != track):
        raise NotFound
    return kind


def get_record(*, kind: RecordKind, case: Case, record_id: Any) -> Any:
    """The record of this kind on this (already access-checked) case; NotFound otherwise."""
    try:
        return kind.records(case=case).get(pk=record_id)
    except (kind.model.DoesNotExist, ValueError) as exc:  # type: ignore[attr-defined]
        raise NotFound from exc
    except Exception as exc:  # a malformed id
        if exc.__class__.__name__ == "ValidationError":
            raise NotFound from exc
        raise


@dataclass(frozen=True, kw_only=True)
class RecordInput:
    kind: RecordKind
    form: CaseRecordForm  # validated, bound to the case (and, for a correction, to the record)


def parse_record(*, kind: RecordKind, case: Case, data: Mapping[str, Any], record: Any = None,
                 strict: bool = False) -> RecordInput:
    """Validate a record's data (a page's POST or an API body); InvalidInput with messages by field.
    `strict` (the API): a field the kind does not have is refused, not ignored (no mass assignment)."""
    form = kind.form(data=data, case=case, instance=record)
    unknown = sorted(set(data) - set(form.fields)) if strict else []
    if unknown:
        raise InvalidInput({name[:64]: [str(UNKNOWN_FIELD)] for name in unknown[:20]})
    validated(form)
    return RecordInput(kind=kind, form=form)
