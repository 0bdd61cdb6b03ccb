"""Validation of prosecution records and of closing a case, shared by the pages and the API."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from icmc.accounts.reference import POLICE_KINDS
from icmc.accounts.reference import OrganisationKind as K
from icmc.cases.codes import PartyRole
from icmc.cases.forms import TextField
from icmc.pathway.formbase import CaseRecordForm
from icmc.prosecution import models as m
from icmc.prosecution.codes import ClosureOutcome, VerdictResult
from icmc.prosecution.law import LawRegime, law_regime

# Acts that belong to one regime; the special Acts (ITPA, POCSO, JJ, BLSA) apply under both.
REGIME_ACTS = {LawRegime.IPC_CRPC: "IPC", LawRegime.BNS_BNSS: "BNS"}


class FirRecordForm(CaseRecordForm):
    org_kinds = {"police_station": sorted(POLICE_KINDS)}
    past_dates = ("registered_on",)

    class Meta:
        model = m.FIR
        fields = ["police_station", "police_station_name", "number", "registered_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].required = True
        self.fields["registered_on"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("police_station") or data.get("police_station_name")):
            self.add_error("police_station", _("Say at which police station the FIR was registered."))
        return data


class ChargeForm(CaseRecordForm):
    class Meta:
        model = m.Charge
        fields = ["fir", "offence"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["fir"]).queryset = m.FIR.objects.filter(case=self.case)
        self.fields["fir"].error_messages["invalid_choice"] = _("Not an FIR of this case.")
        self.fields["offence"].error_messages["invalid_choice"] = _("Unknown offence.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fir, offence = data.get("fir"), data.get("offence")
        if fir is not None and offence is not None:
            if fir.registered_on is None:
                self.add_error("fir", _("Give the FIR's date first: it decides which law applies."))
            else:
                regime = law_regime(registered_on=fir.registered_on)
                other = {a for r, a in REGIME_ACTS.items() if r != regime}
                if offence.act in other:
                    self.add_error("offence", _("This FIR falls under %(regime)s: choose an offence of that "
                                                "law.") % {"regime": regime.value})
            if m.Charge.objects.filter(fir=fir, offence=offence).exclude(pk=self.instance.pk).exists():
                self.add_error("offence", _("This FIR already carries this charge."))
        return data


class AccusedForm(CaseRecordForm):
    party_role = PartyRole.SUSPECT
    party_label = _("Suspect")
    past_dates = ("arrested_on", "bail_on")

    class Meta:
        model = m.Accused
        fields = ["party", "arrested_on", "bail_status", "bail_on"]

    def clean_party(self) -> Any:
        party = super().clean_party()
        if party is not None and not self.is_correction and m.Accused.objects.filter(party=party).exists():
            raise forms.ValidationError(_("This suspect is already recorded as accused."))
        return party


class _AccusedChoice(CaseRecordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["accused"])
        field.queryset = m.Accused.objects.filter(case=self.case).select_related("party__person").prefetch_related(
            "party__person__names")
        field.error_messages["invalid_choice"] = _("Not an accused of this case.")
        labels = self.party_labels
        field.label_from_instance = lambda a: labels.label(a.party)  # type: ignore[method-assign,assignment]
        if self.is_correction:
            field.disabled = True


class ChargesheetForm(_AccusedChoice):
    past_dates = ("filed_on",)

    class Meta:
        model = m.Chargesheet
        fields = ["accused", "filed_on", "number", "is_supplementary"]


class HearingForm(CaseRecordForm):
    org_kinds = {"court": (K.COURT,)}

    class Meta:
        model = m.Hearing
        fields = ["held_on", "court", "court_name", "purpose", "outcome"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("court") or data.get("court_name")):
            self.add_error("court", _("Say which court."))
        return data


class VerdictForm(_AccusedChoice):
    past_dates = ("decided_on",)

    class Meta:
        model = m.Verdict
        fields = ["accused", "decided_on", "result", "sentence_years", "fine"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        accused = data.get("accused")
        if accused is not None and not self.is_correction and m.Verdict.objects.filter(accused=accused).exists():
            self.add_error("accused", _("This accused already has a verdict: correct it instead."))
        if data.get("result") != VerdictResult.CONVICTED and (data.get("sentence_years") or data.get("fine")):
            self.add_error("sentence_years", _("Only a conviction carries a sentence or fine."))
        for name in ("sentence_years", "fine"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("This cannot be negative."))
        return data


class CloseCaseForm(forms.Form):
    outcome = forms.ChoiceField(choices=ClosureOutcome.choices, label=_("Outcome"))
    reason = TextField(max_length=5000, label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReopenCaseForm(forms.Form):
    reason = TextField(max_length=5000, required=True, label=_("Why reopen the case"),
                       widget=forms.Textarea(attrs={"rows": 3}))
