"""The base of the record forms of the pathway and prosecution tracks: a ModelForm bound to one case, whose
choices (survivors, suspects, FIRs, organisations of a kind) are limited to that case and that kind."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icmc.access.errors import InvalidInput
from icmc.access.redaction import Clearance
from icmc.accounts.models import Jurisdiction, Organisation
from icmc.cases.codes import PartyRole
from icmc.cases.models import Case, CaseParty
from icmc.pathway.labels import PartyLabels

EARLIEST = datetime.date(1900, 1, 1)


def not_in_future(value: datetime.date | datetime.datetime | None) -> None:
    if value is None:
        return
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."), code="future")
    if day < EARLIEST:
        raise forms.ValidationError(_("This date is too far in the past."), code="past")


class PartyChoiceField(forms.ModelChoiceField):
    """A choice among the case's parties, labelled by PartyLabels (names only as redaction allows)."""

    def __init__(self, *args: Any, labels: PartyLabels, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.labels = labels

    def label_from_instance(self, obj: Any) -> str:
        return self.labels.label(obj)


class PartyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, labels: PartyLabels, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.labels = labels

    def label_from_instance(self, obj: Any) -> str:
        return self.labels.label(obj)


def parties(case: Case, role: str) -> QuerySet[CaseParty]:
    return CaseParty.objects.filter(case=case, role=role).select_related("person").prefetch_related(
        "person__names").order_by("created_at")


def organisations(kinds: Iterable[str]) -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind__in=list(kinds), is_active=True).order_by("name")


class CaseRecordForm(forms.ModelForm):
    """Subclasses declare Meta (model, fields), `org_kinds` {field: kinds} and `past_dates` (fields that may not
    be in the future). A `party` field is limited to the case's survivors (or `party_role`).

    `clearance` is the reader's (icmc.access.redaction.case_clearance): persons in the choices are named only
    as it allows (PartyLabels). Without one (validation of an API body, which renders no choices) nobody is
    named."""

    org_kinds: Mapping[str, Iterable[str]] = {}
    past_dates: tuple[str, ...] = ()
    party_role: str = PartyRole.SURVIVOR
    party_label = _("Survivor")

    def __init__(self, *args: Any, case: Case, clearance: Clearance | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.party_labels = PartyLabels(case=case, clearance=clearance)
        # A page's reader whose clearance holds no P0 (a form without a clearance only validates input).
        self.reader_without_identity = clearance is not None and not clearance.identity
        # A new instance already has its UUID: "adding" tells a new record from a correction.
        self.is_correction = not self.instance._state.adding
        for name, field in self.fields.items():
            if isinstance(field, forms.DateTimeField):
                field.widget = forms.DateTimeInput(attrs={"type": "datetime-local"})
            elif isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"})
            if name in self.past_dates:
                field.validators.append(not_in_future)
            if name in self.org_kinds:
                field.queryset = organisations(self.org_kinds[name])  # type: ignore[attr-defined]
                field.error_messages["invalid_choice"] = _("Unknown organisation for this field.")
            if (isinstance(field, forms.ModelChoiceField) and field.queryset is not None
                    and field.queryset.model is Jurisdiction):
                field.to_field_name = "code"
                field.error_messages["invalid_choice"] = _("Unknown jurisdiction code.")
                current = getattr(self.instance, name, None) if self.is_correction else None
                if current is not None:
                    self.initial[name] = current.code
        if "party" in self.fields:
            required = self.fields["party"].required
            self.fields["party"] = PartyChoiceField(
                queryset=parties(case, self.party_role), labels=self.party_labels, label=self.party_label,
                required=required,
                error_messages={"invalid_choice": _("Not a person of this case in this role.")})
            if self.is_correction:
                # A record stays with its survivor: corrections cannot move it to someone else.
                self.fields["party"].disabled = True

    def clean_party(self) -> CaseParty:
        party = self.cleaned_data.get("party")
        if self.is_correction and "party" in self.fields:
            return self.instance.party  # type: ignore[no-any-return]
        return party  # type: ignore[return-value]


def form_errors(form: forms.BaseForm) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def validated(form: forms.BaseForm) -> forms.BaseForm:
    """The form if valid, else InvalidInput with its messages by field."""
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    return form
