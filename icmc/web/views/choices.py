"""Choices for the pages' selects. Jurisdictions: one <optgroup> for the countries and one per state with its
districts; network countries first, and in each country the states with listed districts first.

Jurisdictions are reference data (loaded by migrations and `icmc` commands; administrators cannot add or delete
them), so their choices are built once per process, language and level, and kept for CHOICES_TTL seconds: the
case list shows two selects of hundreds of districts on every page."""

from __future__ import annotations

import threading
import time
from typing import TypeVar

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from icmc.accounts.models import Jurisdiction
from icmc.accounts.reference import NETWORK_COUNTRIES, JurisdictionLevel
from icmc.cases.forms import COUNTRY_CHOICES, LANGUAGE_CHOICES

Choices = list[tuple[str, object]]
F = TypeVar("F", bound=forms.BaseForm)


def _country_rank(country: str) -> int:
    return NETWORK_COUNTRIES.index(country) if country in NETWORK_COUNTRIES else len(NETWORK_COUNTRIES)


CHOICES_TTL = 600.0
_cache: dict[tuple[object, ...], tuple[float, Choices]] = {}
_cache_lock = threading.Lock()


def jurisdiction_choices(*, levels: set[str] | None = None, blank: str = "") -> Choices:
    """Choices keyed by jurisdiction code. `levels` limits which jurisdictions are offered. Cached (see above)."""
    key = (get_language(), frozenset(levels or ()), blank)
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and now - hit[0] < CHOICES_TTL:
        return hit[1]
    choices = _jurisdiction_choices(levels=levels, blank=blank)
    with _cache_lock:
        _cache[key] = (now, choices)
    return choices


def forget_jurisdiction_choices() -> None:
    """Drop the cached choices (after jurisdictions were loaded or changed in this process, e.g. in tests)."""
    with _cache_lock:
        _cache.clear()


def _jurisdiction_choices(*, levels: set[str] | None, blank: str) -> Choices:
    rows = list(Jurisdiction.objects.order_by("name"))
    countries = {j.code: j for j in rows if j.level == JurisdictionLevel.COUNTRY}
    districts: dict[str, list[Jurisdiction]] = {}
    for j in rows:
        if j.level == JurisdictionLevel.DISTRICT and j.state_id:
            districts.setdefault(j.state_id, []).append(j)
    # Within a country, the states whose districts are listed (where the network works) come first.
    states = sorted((j for j in rows if j.level == JurisdictionLevel.STATE),
                    key=lambda j: (_country_rank(j.country), j.country, j.code not in districts, j.name))
    wanted = levels or {JurisdictionLevel.COUNTRY, JurisdictionLevel.STATE, JurisdictionLevel.DISTRICT}
    choices: Choices = [("", blank or "---------")]
    if JurisdictionLevel.COUNTRY in wanted:
        ordered = sorted(countries.values(), key=lambda j: (_country_rank(j.code), j.name))
        choices.append((_("Countries"), [(j.code, _("%(name)s (whole country)") % {"name": j.name})
                                         for j in ordered]))
    for state in states:
        country = countries.get(state.country)
        group = f"{state.name} · {country.name}" if country else state.name
        options = []
        if JurisdictionLevel.STATE in wanted:
            options.append((state.code, _("%(name)s (whole state)") % {"name": state.name}))
        if JurisdictionLevel.DISTRICT in wanted:
            options.extend((d.code, d.name) for d in districts.get(state.code, []))
        if options:
            choices.append((group, options))
    return choices


def citizenship_choices() -> Choices:
    """Countries for the citizenship select, those of the network first."""
    names = dict(COUNTRY_CHOICES)
    network = [(code, names[code]) for code in NETWORK_COUNTRIES if code in names]
    others = [(code, name) for code, name in COUNTRY_CHOICES if code not in NETWORK_COUNTRIES]
    return [(_("Countries of the network"), network), (_("Other countries"), others)]


def person_widgets(form: F) -> F:
    """Friendlier widgets for a person's fields (display only: the shared form validates the values)."""
    form.fields["languages"].widget = forms.CheckboxSelectMultiple(choices=LANGUAGE_CHOICES)
    citizenship = form.fields["citizenship"]
    citizenship.widget.choices = citizenship_choices()
    citizenship.help_text = _("To choose more than one, hold Ctrl (Cmd on a Mac) while you click.")
    return form
