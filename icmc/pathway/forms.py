"""Validation of pathway records, shared by the pages and the API (one form per kind of record)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icmc.accounts.reference import OrganisationKind as K
from icmc.cases.codes import PartyRole
from icmc.cases.forms import TextField
from icmc.cases.people import is_minor
from icmc.pathway import models as m
from icmc.pathway.codes import CROSS_BORDER_STEPS, PRE_RESCUE_CHECKLIST, ClaimStatus
from icmc.pathway.formbase import CaseRecordForm, PartyChoiceField, PartyMultipleChoiceField, parties

SHELTERS = (K.SHELTER_GOVERNMENT, K.SHELTER_NGO)
INVESTIGATORS = (K.SOCIAL_WELFARE, K.CENTRE, K.NGO, K.CWC, K.FOREIGN_PARTNER, K.AHTU, K.POLICE_STATION)
ANY_ORG = tuple(K.values)


class RescueOperationForm(CaseRecordForm):
    org_kinds = {"lead_ahtu": (K.AHTU, K.POLICE_STATION, K.STATE_POLICE), "partner_organisations": ANY_ORG}
    past_dates = ("rescued_on",)
    checklist = forms.MultipleChoiceField(choices=list(PRE_RESCUE_CHECKLIST.items()), required=False,
                                          widget=forms.CheckboxSelectMultiple, label=_("Pre-rescue checklist"))
    # Whereabouts (P0): sealed under the case's key by the action (icmc.pathway.actions), not a model column.
    place_detail = TextField(max_length=500, required=False, label=_("Place detail"))

    class Meta:
        model = m.RescueOperation
        fields = ["rescued_on", "jurisdiction", "place_detail", "lead_ahtu", "partner_organisations", "checklist",
                  "post_rescue_needs"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        survivors = self.fields["survivors"] = PartyMultipleChoiceField(
            queryset=parties(self.case, PartyRole.SURVIVOR), labels=self.party_labels, label=_("Persons rescued"),
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": _("Not a survivor of this case.")})
        survivors.help_text = _("Add a new survivor to the case first (People) if she or he is not listed. "
                                "Persons already recorded stay recorded.")
        if self.is_correction:
            survivors.required = False
            self.initial["survivors"] = [r.party_id for r in self.instance.rescued.all()]
            self.initial.setdefault("place_detail", self.instance.place_detail)
        if self.reader_without_identity:
            # A reader the one redaction withholds P0 from neither sees nor changes the sealed detail.
            del self.fields["place_detail"]


class CwcProductionForm(CaseRecordForm):
    org_kinds = {"cwc": (K.CWC,)}
    past_dates = ("produced_at",)

    class Meta:
        model = m.CwcProduction
        fields = ["party", "produced_at", "cwc", "outcome", "order_text"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        party = data.get("party")
        if party is not None and is_minor(person=party.person, on=timezone.localdate()) is False:
            self.add_error("party", _("Only children are produced before the Child Welfare Committee."))
        return data


class ShelterStayForm(CaseRecordForm):
    org_kinds = {"shelter": SHELTERS}
    past_dates = ("admitted_on", "ended_on")
    transfer_from = forms.ModelChoiceField(
        queryset=m.ShelterStay.objects.none(), required=False, label=_("Transfer from the stay"),
        help_text=_("Choose the current stay to close it as transferred on the admission date."))

    class Meta:
        model = m.ShelterStay
        fields = ["party", "shelter", "admitted_on", "reason_not_government", "ended_on", "end_reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["transfer_from"]).queryset = m.ShelterStay.objects.filter(
            party__case=self.case, ended_on__isnull=True)
        if self.is_correction:
            del self.fields["transfer_from"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shelter, party = data.get("shelter"), data.get("party")
        if shelter is not None and shelter.kind == K.SHELTER_NGO:
            if not shelter.is_approved:
                self.add_error("shelter", _("This NGO shelter is not registered and approved."))
            if not (data.get("reason_not_government") or "").strip():
                self.add_error("reason_not_government",
                               _("Say why no government shelter was chosen (a government shelter comes first)."))
        if bool(data.get("ended_on")) != bool(data.get("end_reason")):
            self.add_error("end_reason", _("Give both the end date and how the stay ended."))
        source = data.get("transfer_from")
        if source is not None and party is not None and source.party_id != party.id:
            self.add_error("transfer_from", _("That stay is another survivor's."))
        if not self.is_correction and party is not None and source is None and m.ShelterStay.objects.filter(
                party=party, ended_on__isnull=True).exists():
            self.add_error("transfer_from", _("This survivor is still in a shelter: transfer from that stay or "
                                              "record the discharge first."))
        if source is not None and data.get("admitted_on") and data["admitted_on"] < source.admitted_on:
            self.add_error("admitted_on", _("The transfer cannot be before the admission it ends."))
        return data


class SupportServiceForm(CaseRecordForm):
    org_kinds = {"provider": ANY_ORG}
    past_dates = ("ended_on",)

    class Meta:
        model = m.SupportService
        fields = ["party", "kind", "provider", "started_on", "ended_on", "status"]


class CarePlanForm(CaseRecordForm):
    class Meta:
        model = m.CarePlan
        fields = ["party", "long_term_goal", "text"]

    def clean_party(self) -> m.CaseParty:
        party = super().clean_party()
        if party is not None and not self.is_correction and m.CarePlan.objects.filter(party=party).exists():
            raise forms.ValidationError(_("This survivor already has a care plan: correct it instead."))
        return party


class HomeInvestigationForm(CaseRecordForm):
    org_kinds = {"organisation": INVESTIGATORS}
    past_dates = ("investigated_on",)
    is_safe = forms.NullBooleanField(label=_("Safe to return home?"), widget=forms.NullBooleanSelect)

    class Meta:
        model = m.HomeInvestigation
        fields = ["party", "organisation", "investigated_on", "findings", "is_safe", "recommendation"]

    def clean_is_safe(self) -> bool:
        value = self.cleaned_data.get("is_safe")
        if value is None:
            raise forms.ValidationError(_("Say whether it is safe for the survivor to return home."))
        return bool(value)


class _OnHirForm(CaseRecordForm):
    hir_safe: bool = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["home_investigation"]).queryset = (
            m.HomeInvestigation.objects.filter(party__case=self.case))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hir, party = data.get("home_investigation"), data.get("party")
        if hir is not None and party is not None and hir.party_id != party.id:
            self.add_error("home_investigation", _("That report is about another survivor."))
        elif hir is not None and hir.is_safe != self.hir_safe:
            self.add_error("home_investigation", _("Return home needs a report that found home safe.")
                           if self.hir_safe else _("Long-term placement follows a report that found home unsafe."))
        return data


class RepatriationForm(_OnHirForm):
    past_dates = ("repatriated_on",)
    steps_done = forms.MultipleChoiceField(choices=list(CROSS_BORDER_STEPS.items()), required=False,
                                           widget=forms.CheckboxSelectMultiple, label=_("Cross-border steps done"))

    class Meta:
        model = m.Repatriation
        fields = ["party", "home_investigation", "repatriated_on", "escort", "destination", "is_cross_border",
                  "steps_done", "travel_permit_number", "travel_permit_expires_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        destination, cross = data.get("destination"), data.get("is_cross_border")
        if destination is not None and cross and destination.code.startswith("IN"):
            self.add_error("destination", _("A cross-border repatriation goes to a place outside India."))
        if destination is not None and not cross and not destination.code.startswith("IN"):
            self.add_error("is_cross_border", _("The destination is outside India: mark it cross-border."))
        steps = data.get("steps_done") or []
        if "travel_permit_issued" in steps and not (data.get("travel_permit_number")
                                                    and data.get("travel_permit_expires_on")):
            self.add_error("travel_permit_number", _("Give the travel permit's number and expiry date."))
        if cross and data.get("repatriated_on") and "border_handover" not in steps:
            self.add_error("steps_done", _("Record the hand-over at the border before the repatriation date."))
        return data


class LongTermPlacementForm(_OnHirForm):
    hir_safe = False
    org_kinds = {"welfare_department": (K.SOCIAL_WELFARE,)}
    past_dates = ("placed_on",)

    class Meta:
        model = m.LongTermPlacement
        fields = ["party", "home_investigation", "welfare_department", "placed_on", "plan_kind", "plan"]


class FollowUpVisitForm(CaseRecordForm):
    """Records a scheduled visit (a correction of the scheduled row) or an extra one (a new record)."""

    past_dates = ("visited_on",)

    class Meta:
        model = m.FollowUpVisit
        fields = ["party", "visited_on", "mode", "outcome", "risk_signs", "discreet"]

    party = forms.Field(required=False)  # replaced in __init__

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("visited_on", "mode", "outcome"):
            self.fields[name].required = True
        if self.is_correction:
            self.initial["party"] = self.instance.plan.party_id

    def clean_party(self) -> m.CaseParty:
        if self.is_correction:
            return self.instance.plan.party  # type: ignore[no-any-return]
        party = self.cleaned_data.get("party")
        if party is not None and not m.FollowUpPlan.objects.filter(party=party).exists():
            raise forms.ValidationError(_("This survivor has no follow-up plan yet (it starts at re-integration)."))
        return party  # type: ignore[return-value]


class FollowUpEndForm(CaseRecordForm):
    past_dates = ("ended_early_on",)

    class Meta:
        model = m.FollowUpPlan
        fields = ["ended_early_on", "end_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("ended_early_on"):
            self.add_error("ended_early_on", _("Give the date the follow-up ended."))
        if not (data.get("end_reason") or "").strip():
            self.add_error("end_reason", _("Ending follow-up early needs a reason."))
        return data


class CompensationClaimForm(CaseRecordForm):
    org_kinds = {"authority": (K.LEGAL_SERVICES,)}
    past_dates = ("applied_on", "interim_on", "awarded_on", "paid_on")

    class Meta:
        model = m.CompensationClaim
        fields = ["party", "claimant", "scheme", "authority", "applied_on", "amount_claimed", "interim_amount",
                  "interim_on", "amount_awarded", "awarded_on", "amount_paid", "paid_on", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        claimant = PartyChoiceField(queryset=m.CaseParty.objects.filter(case=self.case).exclude(
            role=PartyRole.SUSPECT).select_related("person").prefetch_related("person__names"), required=False,
            labels=self.party_labels, label=_("Claimant (if not the survivor)"),
            help_text=_("E.g. the family of a survivor who died: add them to the case first."),
            error_messages={"invalid_choice": _("Not a person of this case.")})
        self.fields["claimant"] = claimant
        for name in ("amount_claimed", "interim_amount", "amount_awarded", "amount_paid"):
            cast(forms.DecimalField, self.fields[name]).min_value = 0
            self.fields[name].validators.append(_non_negative)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("status")
        if status == ClaimStatus.PAID and not (data.get("amount_paid") and data.get("paid_on")):
            self.add_error("amount_paid", _("A paid claim needs the amount paid and the date."))
        if status in (ClaimStatus.AWARDED, ClaimStatus.PAID) and data.get("amount_awarded") is None:
            self.add_error("amount_awarded", _("Give the amount awarded."))
        if data.get("claimant") is not None and data.get("claimant") == data.get("party"):
            self.add_error("claimant", _("Leave the claimant empty when the survivor claims."))
        return data


def _non_negative(value: Any) -> None:
    if value is not None and value < 0:
        raise forms.ValidationError(_("An amount cannot be negative."))

