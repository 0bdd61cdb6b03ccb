"""Validation of referral and consent input, shared by the pages and the API (same messages for both)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icmc.access.errors import InvalidInput
from icmc.accounts.models import Organisation
from icmc.cases.codes import PartyRole
from icmc.cases.models import Case, CaseParty
from icmc.referrals.codes import (
    CONSENT_PROMPTS,
    REQUIRED_PROMPTS,
    ConsentBasis,
    ConsentResponse,
    ReferralPurpose,
)
from icmc.referrals.inputs import ConsentInput, ProposeReferralInput

MAX_MESSAGE = 5_000
PROMPT_CHOICES = [(key, label) for key, (label, _required) in CONSENT_PROMPTS.items()]


def survivors_of(case: Case) -> Any:
    return CaseParty.objects.filter(case=case, role=PartyRole.SURVIVOR).select_related("person").order_by(
        "created_at")


class _SurvivorField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # No names in choices: survivors are numbered in the order of the case page.
        return str(_("Survivor %(n)s") % {"n": self.numbers.get(obj.pk, "?")})

    numbers: dict[Any, int] = {}


class ProposeReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(queryset=Organisation.objects.filter(is_active=True),
                                             label=_("Refer to"))
    purpose = forms.ChoiceField(choices=ReferralPurpose.choices, label=_("Purpose"))
    survivor = _SurvivorField(queryset=CaseParty.objects.none(), required=False, label=_("Survivor"),
                              empty_label=_("The whole case"))
    message = forms.CharField(max_length=MAX_MESSAGE, required=False, label=_("Message"),
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["survivor"]
        assert isinstance(field, _SurvivorField)
        field.queryset = survivors_of(case)
        field.numbers = {p.pk: i for i, p in enumerate(field.queryset, start=1)}


class TransitionForm(forms.Form):
    message = forms.CharField(max_length=MAX_MESSAGE, required=False, label=_("Message"),
                              widget=forms.Textarea(attrs={"rows": 3}))


class ConsentForm(forms.Form):
    survivor = _SurvivorField(queryset=CaseParty.objects.none(), label=_("Survivor"))
    basis = forms.ChoiceField(choices=ConsentBasis.choices, label=_("Basis"))
    response = forms.ChoiceField(choices=[("", "—"), *ConsentResponse.choices], required=False,
                                 label=_("Response"))
    prompts_explained = forms.MultipleChoiceField(choices=PROMPT_CHOICES, required=False,
                                                  widget=forms.CheckboxSelectMultiple,
                                                  label=_("Explained to the person"))
    purposes = forms.MultipleChoiceField(choices=ReferralPurpose.choices, widget=forms.CheckboxSelectMultiple,
                                         label=_("Purposes consented to (scope)"))
    reason = forms.CharField(max_length=MAX_MESSAGE, required=False, label=_("Reason or CWC order"),
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required for an override (why consent cannot be sought, e.g. the "
                                         "guardian may be the trafficker) and for a CWC decision (the order)."))
    given_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["survivor"]
        assert isinstance(field, _SurvivorField)
        field.queryset = survivors_of(case)
        field.numbers = {p.pk: i for i, p in enumerate(field.queryset, start=1)}

    def clean_given_on(self) -> Any:
        value = self.cleaned_data["given_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        basis, response = data.get("basis"), data.get("response")
        reason = (data.get("reason") or "").strip()
        if basis == ConsentBasis.OVERRIDE:
            if response:
                self.add_error("response", _("An override records no response: leave this empty."))
            if not reason:
                self.add_error("reason", _("An override needs a written reason."))
        elif basis:
            if not response:
                self.add_error("response", _("Say whether consent was given, assent given, refused or "
                                                        "withdrawn."))
            if basis == ConsentBasis.CWC_DECISION and not reason:
                self.add_error("reason", _("Give the CWC order's reference."))
            explained = set(data.get("prompts_explained") or [])
            if basis != ConsentBasis.CWC_DECISION and response in (ConsentResponse.CONSENTED,
                                                                   ConsentResponse.ASSENTED) \
                    and not explained >= REQUIRED_PROMPTS:
                self.add_error("prompts_explained", _("Informed consent needs every point explained except "
                                                      "research use."))
        return data


def _errors(form: forms.Form) -> dict[str, list[str]]:
    return {name: [str(m) for m in msgs] for name, msgs in form.errors.items()}


def parse_propose(*, case: Case, data: Mapping[str, Any]) -> ProposeReferralInput:
    form = ProposeReferralForm(data=data, case=case)
    if not form.is_valid():
        raise InvalidInput(_errors(form))
    d = form.cleaned_data
    return ProposeReferralInput(to_organisation=d["to_organisation"], purpose=d["purpose"],
                                party=d["survivor"], message=d["message"].strip())


def parse_message(*, data: Mapping[str, Any]) -> str:
    form = TransitionForm(data=data)
    if not form.is_valid():
        raise InvalidInput(_errors(form))
    return str(form.cleaned_data["message"]).strip()


def parse_consent(*, case: Case, data: Mapping[str, Any]) -> ConsentInput:
    form = ConsentForm(data=data, case=case)
    if not form.is_valid():
        raise InvalidInput(_errors(form))
    d = form.cleaned_data
    return ConsentInput(party=d["survivor"], basis=d["basis"], response=d["response"] or "",
                        prompts_explained=tuple(d["prompts_explained"]), purposes=tuple(d["purposes"]),
                        reason=d["reason"].strip(), given_on=d["given_on"])
