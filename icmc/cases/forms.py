"""Validation of case input, shared by the pages and the API so that both give the same messages.

Each form cleans one part of the input; `parse_*` functions turn raw data (a page's POST or an API body)
into the typed inputs of icmc.cases.inputs, or raise InvalidInput with messages keyed by field path.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pycountry
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from icmc.access.errors import InvalidInput
from icmc.accounts.models import Jurisdiction, Organisation
from icmc.accounts.reference import POLICE_KINDS, OrganisationKind
from icmc.cases.codes import ExploitationType, Gender, PartyRole, PlaceKind, ReporterType
from icmc.cases.inputs import AddPartyInput, FirInput, PersonInput, PlaceInput, ReportCaseInput

MAX_SUMMARY = 10_000
MAX_NOTE = 10_000
MAX_NAME = 200
MAX_DETAIL = 500
EARLIEST_DATE = datetime.date(1900, 1, 1)
# Clocks of reporters' devices run a little fast; a report "from the future" by more than this is refused.
CLOCK_SKEW = datetime.timedelta(minutes=10)
E164 = re.compile(r"^\+?[1-9]\d{1,14}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

COUNTRY_CHOICES = sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda c: c[1])
# ISO 639-3 codes of the languages spoken by survivors in the network (English, Hindi, Assamese, Bengali,
# Nepali, Burmese, Khasi, Garo, Mizo, Manipuri, Bodo, Urdu).
LANGUAGE_CODES = ("eng", "hin", "asm", "ben", "nep", "mya", "kha", "grt", "lus", "mni", "brx", "urd")
LANGUAGE_CHOICES = [(code, getattr(pycountry.languages.get(alpha_3=code), "name", code)) for code in LANGUAGE_CODES]


def _no_control_chars(value: str) -> None:
    if _CONTROL.search(value or ""):
        raise forms.ValidationError(_("Remove control characters from this text."), code="control")


def _not_in_future_date(value: datetime.date | None) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."), code="future")
    if value and value < EARLIEST_DATE:
        raise forms.ValidationError(_("This date is too far in the past."), code="past")


def _not_in_future_datetime(value: datetime.datetime | None) -> None:
    if value and value > timezone.now() + CLOCK_SKEW:
        raise forms.ValidationError(_("This date is in the future."), code="future")
    if value and value.date() < EARLIEST_DATE:
        raise forms.ValidationError(_("This date is too far in the past."), code="past")


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s\-().]", "", value or "")


class TextField(forms.CharField):
    def __init__(self, *, max_length: int, required: bool = False, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, required=required, validators=[_no_control_chars], **kwargs)


class PhoneField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=32, **kwargs)

    def clean(self, value: Any) -> str:
        cleaned = normalise_phone(super().clean(value))
        if cleaned and not E164.match(cleaned):
            raise forms.ValidationError(
                _("Give the number in international form, e.g. +919876543210."), code="phone"
            )
        return cleaned


class FixedMultipleChoiceField(forms.MultipleChoiceField):
    """A multiple choice of a fixed list (countries, languages) that every form shares. Django copies a field's
    choices into each form it makes and normalises them again in the widget's copy: about a millisecond per person
    for the 249 countries. This copy is Field.__deepcopy__'s and ChoiceWidget.__deepcopy__'s with the choices
    shared (never changed in place: setting them replaces the list)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> FixedMultipleChoiceField:
        result = copy.copy(self)
        memo[id(self)] = result
        widget = copy.copy(self.widget)
        widget.attrs = self.widget.attrs.copy()
        memo[id(self.widget)] = widget
        result.widget = widget
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class PersonForm(forms.Form):
    name = TextField(max_length=MAX_NAME, required=True, label=_("Name"))
    alias = TextField(max_length=MAX_NAME, label=_("Other name or alias"))
    gender = forms.ChoiceField(choices=Gender.choices, initial=Gender.UNKNOWN, label=_("Sex / gender"))
    birth_date = forms.DateField(
        required=False, validators=[_not_in_future_date], label=_("Birth date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    estimated_age = forms.IntegerField(required=False, min_value=0, max_value=120, label=_("Estimated age"))
    citizenship = FixedMultipleChoiceField(choices=COUNTRY_CHOICES, required=False, label=_("Citizenship"))
    languages = FixedMultipleChoiceField(choices=LANGUAGE_CHOICES, required=False, label=_("Languages"))
    phone = PhoneField(label=_("Phone"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("birth_date") and data.get("estimated_age") is not None:
            self.add_error("estimated_age", _("Give a birth date or an estimated age, not both."))
        return data

    def to_input(self) -> PersonInput:
        d = self.cleaned_data
        return PersonInput(
            name=d["name"].strip(), alias=d["alias"].strip(), gender=d["gender"], birth_date=d["birth_date"],
            estimated_age=d["estimated_age"], citizenship=tuple(d["citizenship"]),
            languages=tuple(d["languages"]), phone=d["phone"],
        )


class BatchedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose form reads the rows chosen in all its fields of the same queryset in one query
    (batch_model_choices) instead of one query each. A value that was not read that way (no batch, or not a valid
    key) is looked up as ModelChoiceField does, with the same errors."""

    batch: dict[Any, Any] | None = None  # set on the form's own copy of the field

    def to_python(self, value: Any) -> Any:
        if self.batch is None or value in self.empty_values or isinstance(value, self.queryset.model):  # type: ignore[union-attr]
            return super().to_python(value)
        key = _batch_key(self, value)
        if key is None:
            return super().to_python(value)
        if key not in self.batch:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": value})
        return self.batch[key]


def _batch_key(field: forms.ModelChoiceField, value: Any) -> Any:
    """`value` as the key field's Python value (a UUID for a primary key); None when it is not a valid one, or
    holds a NUL character (the database refuses it: left to ModelChoiceField's own look-up and its answer)."""
    model = field.queryset.model  # type: ignore[union-attr]
    model_field = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    if isinstance(value, str) and "\x00" in value:
        return None
    try:
        return model_field.to_python(value)
    except (forms.ValidationError, ValueError, TypeError):
        return None


def batch_model_choices(form: forms.Form) -> None:
    """Read the rows chosen in the bound form's BatchedModelChoiceFields: one query per distinct queryset (the
    three jurisdictions of a report are one, its two AHTUs another)."""
    groups: dict[tuple[str, str | None], list[tuple[BatchedModelChoiceField, Any]]] = {}
    for name, field in form.fields.items():
        if isinstance(field, BatchedModelChoiceField):
            value = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
            key = None if value in field.empty_values else _batch_key(field, value)
            group = (str(field.queryset.query), field.to_field_name)  # type: ignore[union-attr]
            groups.setdefault(group, []).append((field, key))
    for entries in groups.values():
        queryset = entries[0][0].queryset
        attname = entries[0][0].to_field_name or "pk"
        keys = {key for _field, key in entries if key is not None}
        found = {getattr(row, attname): row
                 for row in queryset.filter(**{f"{attname}__in": keys})} if keys else {}  # type: ignore[union-attr]
        for field, _key in entries:
            field.batch = found


def _jurisdiction_field(label: StrOrPromise, required: bool = False) -> forms.ModelChoiceField:
    return BatchedModelChoiceField(
        queryset=Jurisdiction.objects.all(), to_field_name="code", required=required, label=label,
        error_messages={"invalid_choice": _("Unknown jurisdiction code.")},
    )


def _organisation_field(label: StrOrPromise, kinds: Sequence[str]) -> forms.ModelChoiceField:
    return BatchedModelChoiceField(
        queryset=Organisation.objects.filter(kind__in=kinds, is_active=True), required=False, label=label,
        error_messages={"invalid_choice": _("Unknown organisation for this field.")},
    )


class CaseReportForm(forms.Form):
    reported_at = forms.DateTimeField(
        validators=[_not_in_future_datetime], label=_("Reported at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reporter_type = forms.ChoiceField(choices=ReporterType.choices, label=_("Who reported"))
    reporter_name = TextField(max_length=MAX_NAME, label=_("Reporter's name"))
    reporter_phone = PhoneField(label=_("Reporter's phone"))
    summary = TextField(max_length=MAX_SUMMARY, required=True, label=_("What happened"),
                        widget=forms.Textarea(attrs={"rows": 6}))
    exploitation_types = forms.MultipleChoiceField(
        choices=ExploitationType.choices, label=_("Types of exploitation"), widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown type of exploitation: %(value)s.")},
    )
    source_jurisdiction = _jurisdiction_field(_("Place of recruitment (source)"), required=True)
    source_detail = TextField(max_length=MAX_DETAIL, label=_("Source: village, locality"))
    transit_jurisdiction = _jurisdiction_field(_("Place of transit"))
    transit_detail = TextField(max_length=MAX_DETAIL, label=_("Transit: details"))
    destination_jurisdiction = _jurisdiction_field(_("Place of exploitation (destination)"))
    destination_detail = TextField(max_length=MAX_DETAIL, label=_("Destination: details"))
    source_ahtu = _organisation_field(_("AHTU of the source district"), [OrganisationKind.AHTU])
    destination_ahtu = _organisation_field(_("AHTU of the destination district"), [OrganisationKind.AHTU])
    fir_police_station = _organisation_field(_("FIR: police station"), sorted(POLICE_KINDS))
    fir_police_station_name = TextField(max_length=MAX_NAME, label=_("FIR: police station (if not listed)"))
    fir_number = TextField(max_length=50, label=_("FIR number"))
    fir_date = forms.DateField(required=False, validators=[_not_in_future_date], label=_("FIR date"),
                               widget=forms.DateInput(attrs={"type": "date"}))

    def full_clean(self) -> None:
        if self.is_bound:
            batch_model_choices(self)  # the places' jurisdictions in one query, the AHTUs in one
        super().full_clean()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reporter_type") == ReporterType.ANONYMOUS and (
            data.get("reporter_name") or data.get("reporter_phone")
        ):
            self.add_error("reporter_name", _("An anonymous report has no reporter's name or phone."))
        has_station = data.get("fir_police_station") or data.get("fir_police_station_name")
        if (data.get("fir_number") or data.get("fir_date")) and not has_station:
            self.add_error("fir_police_station", _("Say at which police station the FIR was registered."))
        return data

    def fir_input(self) -> FirInput:
        d = self.cleaned_data
        return FirInput(police_station=d["fir_police_station"], police_station_name=d["fir_police_station_name"],
                        number=d["fir_number"], registered_on=d["fir_date"])


class FirForm(forms.Form):
    police_station = _organisation_field(_("Police station"), sorted(POLICE_KINDS))
    police_station_name = TextField(max_length=MAX_NAME, label=_("Police station (if not listed)"))
    number = TextField(max_length=50, required=True, label=_("FIR number"))
    registered_on = forms.DateField(validators=[_not_in_future_date], label=_("FIR date"),
                                    widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("police_station") or data.get("police_station_name")):
            self.add_error("police_station", _("Say at which police station the FIR was registered."))
        return data


class NoteForm(forms.Form):
    body = TextField(max_length=MAX_NOTE, required=True, label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))


class AddPartyForm(PersonForm):
    role = forms.ChoiceField(choices=PartyRole.choices, label=_("Role in the case"))
    field_order = ["role"]


# --- parsing --------------------------------------------------------------------------------------------


def _errors(form: forms.Form, prefix: str = "") -> dict[str, list[str]]:
    return {
        (f"{prefix}{name}" if name != "__all__" else (prefix.rstrip(".") or "__all__")): [str(m) for m in msgs]
        for name, msgs in form.errors.items()
    }


def _person_inputs(items: Sequence[Mapping[str, Any]], *, path: str,
                   errors: dict[str, list[str]]) -> list[PersonInput]:
    people = []
    for i, item in enumerate(items):
        form = PersonForm(data=item)
        if form.is_valid():
            people.append(form.to_input())
        else:
            errors.update(_errors(form, f"{path}[{i}]."))
    return people


def parse_report(*, data: Mapping[str, Any], survivors: Sequence[Mapping[str, Any]],
                 suspects: Sequence[Mapping[str, Any]]) -> ReportCaseInput:
    """Validate a case report. `survivors` and `suspects` are the filled-in person entries."""
    errors: dict[str, list[str]] = {}
    form = CaseReportForm(data=data)
    valid = form.is_valid()
    errors.update(_errors(form))
    survivor_inputs = _person_inputs(survivors, path="survivors", errors=errors)
    suspect_inputs = _person_inputs(suspects, path="suspects", errors=errors)
    if not survivors:
        errors["survivors"] = [str(_("Name at least one survivor (an alias or description will do)."))]
    if errors or not valid:
        raise InvalidInput(errors)
    d = form.cleaned_data
    reporter = None
    if d["reporter_name"]:
        reporter = PersonInput(name=d["reporter_name"].strip(), gender=Gender.UNKNOWN, phone=d["reporter_phone"])
    places = [PlaceInput(kind=PlaceKind.RECRUITMENT, jurisdiction=d["source_jurisdiction"],
                         detail=d["source_detail"])]
    if d["transit_jurisdiction"] or d["transit_detail"]:
        places.append(PlaceInput(kind=PlaceKind.TRANSIT, jurisdiction=d["transit_jurisdiction"],
                                 detail=d["transit_detail"]))
    if d["destination_jurisdiction"] or d["destination_detail"]:
        places.append(PlaceInput(kind=PlaceKind.EXPLOITATION, jurisdiction=d["destination_jurisdiction"],
                                 detail=d["destination_detail"]))
    return ReportCaseInput(
        reported_at=d["reported_at"], reporter_type=d["reporter_type"], reporter=reporter,
        summary=d["summary"].strip(), exploitation_types=tuple(d["exploitation_types"]), places=tuple(places),
        source_ahtu=d["source_ahtu"], destination_ahtu=d["destination_ahtu"], fir=form.fir_input(),
        survivors=tuple(survivor_inputs), suspects=tuple(suspect_inputs),
    )


def parse_note(*, data: Mapping[str, Any]) -> str:
    form = NoteForm(data=data)
    if not form.is_valid():
        raise InvalidInput(_errors(form))
    return str(form.cleaned_data["body"]).strip()


def parse_fir(*, data: Mapping[str, Any]) -> FirInput:
    form = FirForm(data=data)
    if not form.is_valid():
        raise InvalidInput(_errors(form))
    d = form.cleaned_data
    return FirInput(police_station=d["police_station"], police_station_name=d["police_station_name"],
                    number=d["number"], registered_on=d["registered_on"])


def parse_add_party(*, data: Mapping[str, Any]) -> AddPartyInput:
    form = AddPartyForm(data=data)
    if not form.is_valid():
        raise InvalidInput(_errors(form))
    return AddPartyInput(role=form.cleaned_data["role"], person=form.to_input())
