"""Read side of cases: the filtered, paginated case list and the case page's related data.

Always start from access.queries.visible_cases; these functions only narrow and shape.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.queries import visible_cases
from icmc.accounts.models import Jurisdiction
from icmc.accounts.reference import JurisdictionLevel
from icmc.cases.codes import CaseStage, CaseStatus, ExploitationType, PartyRole
from icmc.cases.models import Case, CaseParty, CasePlace
from icmc.lib.context import request_memo
from icmc.sync.models import Change

MAX_PAGE_SIZE = 100
COUNT_SECONDS = 60


class CaseFilterForm(forms.Form):
    """Filters of the case list. None of them is personal data, so they may travel in the URL."""

    mine = forms.BooleanField(required=False, label=_("Only cases I manage"))
    stage = forms.ChoiceField(choices=[("", _("Any stage")), *CaseStage.choices], required=False,
                              label=_("Stage"))
    status = forms.ChoiceField(choices=[("", _("Any status")), *CaseStatus.choices], required=False,
                               label=_("Status"))
    state = forms.ModelChoiceField(
        queryset=Jurisdiction.objects.filter(level=JurisdictionLevel.STATE), to_field_name="code",
        required=False, label=_("State / province"), empty_label=_("Any state"),
        error_messages={"invalid_choice": _("Unknown state code.")},
    )
    district = forms.ModelChoiceField(
        queryset=Jurisdiction.objects.filter(level=JurisdictionLevel.DISTRICT), to_field_name="code",
        required=False, label=_("District"), empty_label=_("Any district"),
        error_messages={"invalid_choice": _("Unknown district code.")},
    )
    exploitation_type = forms.ChoiceField(
        choices=[("", _("Any type")), *ExploitationType.choices], required=False, label=_("Type of exploitation")
    )
    reported_from = forms.DateField(required=False, label=_("Reported from"),
                                    widget=forms.DateInput(attrs={"type": "date"}))
    reported_to = forms.DateField(required=False, label=_("Reported to"),
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("reported_from"), data.get("reported_to")
        if start and end and start > end:
            self.add_error("reported_to", _("The end of the period is before its start."))
        return data


@dataclass(frozen=True, kw_only=True)
class CaseFilters:
    mine: bool = False
    stage: str = ""
    status: str = ""
    state: Jurisdiction | None = None
    district: Jurisdiction | None = None
    exploitation_type: str = ""
    reported_from: datetime.date | None = None
    reported_to: datetime.date | None = None


def parse_filters(*, data: Any) -> CaseFilters:
    form = CaseFilterForm(data=data)
    if not form.is_valid():
        raise InvalidInput({k: [str(m) for m in v] for k, v in form.errors.items()})
    d = form.cleaned_data
    return CaseFilters(mine=d["mine"], stage=d["stage"], status=d["status"], state=d["state"],
                       district=d["district"], exploitation_type=d["exploitation_type"],
                       reported_from=d["reported_from"], reported_to=d["reported_to"])


def _start_of(day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


_survivor_count = (
    CaseParty.objects.filter(case_id=OuterRef("pk"), role=PartyRole.SURVIVOR)
    .order_by()
    .values("case_id")
    .annotate(n=Count("id"))
    .values("n")
)


def case_list(*, actor: Actor, filters: CaseFilters) -> QuerySet[Case]:
    """The cases the actor may see, narrowed by `filters`, newest first, shaped for the list (a constant
    number of queries whatever the page size)."""
    qs = visible_cases(actor=actor)
    if filters.mine:
        qs = qs.filter(case_manager_id=actor.user_id)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.state is not None:
        qs = qs.filter(Exists(CasePlace.bare.filter(case_id=OuterRef("pk"), jurisdiction__state=filters.state)))
    if filters.district is not None:
        qs = qs.filter(Exists(CasePlace.bare.filter(case_id=OuterRef("pk"), jurisdiction=filters.district)))
    if filters.exploitation_type:
        through = Case.exploitation_types.through
        qs = qs.filter(Exists(through.objects.filter(case_id=OuterRef("pk"),
                                                     exploitationtyperef_id=filters.exploitation_type)))
    if filters.reported_from:
        qs = qs.filter(reported_at__gte=_start_of(filters.reported_from))
    if filters.reported_to:
        qs = qs.filter(reported_at__lt=_start_of(filters.reported_to + datetime.timedelta(days=1)))
    return (
        qs.select_related("owner")
        # A correlated count per row of the page, not a join and GROUP BY over every visible case.
        .annotate(survivor_count=Coalesce(Subquery(_survivor_count), 0))
        .prefetch_related(
            "exploitation_types",
            # Lists never show place details: nothing decrypted (`detail` stays "").
            Prefetch("places", queryset=CasePlace.bare.select_related("jurisdiction").order_by("position")),
        )
        .order_by("-reported_at", "-id")
    )


class _CountedPaginator(Paginator):
    """A paginator given its count (see _remembered_count)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._known_count


def _remembered_count(ids: QuerySet[Any]) -> int:
    """How many rows `ids` has, remembered in this process's cache until the next write to the change feed (every
    write to a case, its places and people, referrals, memberships: anything that changes which cases a list
    holds) or COUNT_SECONDS, whichever comes first. The key is a digest of the count's SQL and parameters (the
    actor's scope, inlined referred and emergency case ids, the filters) and of the feed's last seq: a list paged
    through costs its count once (at 100,000 cases 60-120 ms of the page), and a count is never older than the
    data it counts, except for a change that leaves no feed entry (an emergency grant's expiry) for at most a
    minute; the rows shown are always read live."""
    try:
        sql, params = ids.query.sql_with_params()
    except EmptyResultSet:  # .none(): the actor reaches no case
        return 0
    last = Change.objects.aggregate(last=Max("seq"))["last"] or 0
    key = "case-count:" + hashlib.sha256(repr((ids.db, sql, params, last)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = ids.count()
        cache.set(key, found, COUNT_SECONDS)
    return int(found)


def paginate(*, queryset: QuerySet[Case], page: Any, page_size: int) -> Page:
    """The page of `queryset` for the web list (Django's Page: a page number that is not one gives the first
    page, one past the end the last), read by page_rows."""
    size = max(1, min(page_size, MAX_PAGE_SIZE))
    all_ids = _ids_of(queryset)
    paginator = _CountedPaginator(all_ids, size, count=_remembered_count(all_ids.order_by()))
    try:
        number = paginator.validate_number(page)
    except PageNotAnInteger:
        number = 1
    except EmptyPage:
        number = paginator.num_pages
    rows, _count = page_rows(queryset=queryset, start=(number - 1) * size, size=size, count=paginator.count)
    return Page(rows, number, paginator)


def page_rows(*, queryset: QuerySet[Case], start: int, size: int,
              count: int | None = None) -> tuple[list[Case], int]:
    """`size` rows of `queryset` from position `start`, and how many rows it has in all (remembered between
    pages, see _remembered_count, unless given). First the page's ids (the OFFSET runs over bare ids), then those
    rows with their annotations and prefetches: one query more than slicing the rows, but a deep page no longer
    computes the per-row subqueries (survivor_count) of every row it skips, as PostgreSQL does under an OFFSET.
    A page nearer the end than the start is read backwards from the end (the reversed order and the smaller
    offset: the last page of an AHTU's 6,800 filtered cases costs what the first does, an index scan that stops
    early, instead of sorting every row before it) and turned round."""
    all_ids = _ids_of(queryset)
    total = _remembered_count(all_ids.order_by()) if count is None else count
    stop = min(start + size, total)
    if start >= stop:
        return [], total
    if start > total - stop:
        ids = list(all_ids.reverse()[total - stop:total - start])
        ids.reverse()
    else:
        ids = list(all_ids[start:stop])
    rows = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows], total


def _ids_of(queryset: QuerySet[Case]) -> QuerySet[Any]:
    return queryset.prefetch_related(None).values_list("pk", flat=True)


def case_detail_queryset(*, case: Case) -> dict[str, Any]:
    """Everything the case page shows, fetched in a fixed number of queries (once per request: the pathway
    panels take their survivors from it too)."""
    return request_memo(("case_detail", case.id), lambda: _case_detail(case))


def _case_detail(case: Case) -> dict[str, Any]:
    from icmc.pathway.queries import party_presence
    from icmc.prosecution.models import FIR
    from icmc.prosecution.queries import party_presence as prosecution_presence

    parties = list(
        CaseParty.objects.filter(case=case)
        .select_related("person", "pathway")  # the survivor's pathway stage (icmc.pathway), for the panels
        # Which pathway and prosecution records exist: the panels query only those kinds.
        .annotate(**party_presence(), **prosecution_presence())
        .prefetch_related("person__names", "person__phones")
        .order_by("role", "created_at")
    )
    return {
        "parties": parties,
        "places": list(case.places.select_related("jurisdiction", "jurisdiction__state").order_by("position")),
        "firs": list(FIR.objects.filter(case=case).select_related("police_station")),
        "notes": list(case.notes.select_related("author", "organisation").order_by("created_at")),
        "exploitation_types": [ref.code for ref in case.exploitation_types.all()],
    }
