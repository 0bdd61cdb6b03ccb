"""Person search by name. The name is sent by POST (never in a URL, so never in a log, a history or a Referer);
results link to case pages by id only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.policy import Perm
from icmc.access.queries import require_perm
from icmc.access.redaction import reader_clearance, redact
from icmc.cases.actions import do_search_persons
from icmc.cases.people import is_minor
from icmc.cases.search import FILTER_FIELDS, PersonSearchForm, parse_person_search
from icmc.web.views.common import error_summary, member_view, set_errors


@require_http_methods(["GET", "POST"])
@member_view
def person_search(request: HttpRequest, actor: Actor) -> HttpResponse:
    require_perm(actor=actor, perm=Perm.PERSON_VIEW_IDENTITY)  # 403 for media, analysts, administrators
    form = PersonSearchForm(data=request.POST) if request.method == "POST" else PersonSearchForm()
    # The filters stay unfolded when any was given (or the form has errors).
    filters_open = request.method == "POST" and any(request.POST.get(name) for name in FILTER_FIELDS)
    context: dict[str, object] = {"form": form, "hits": None, "error_summary": [], "filters_open": filters_open}
    status = 200
    if request.method == "POST":
        try:
            query = parse_person_search(data=request.POST)
        except InvalidInput as exc:
            set_errors(form, exc.errors)
            context["error_summary"] = error_summary(form)
            context["filters_open"] = filters_open or any(name in exc.errors for name in FILTER_FIELDS)
            status = 400
        else:
            today = timezone.localdate()
            clearance = reader_clearance(actor=actor)  # the search audits itself (person.searched)
            context["hits"] = [{"hit": hit, "person": redact({
                "names": [{"value": n.value, "is_alias": n.is_alias} for n in hit.names],
                "birth_date": hit.person.birth_date, "estimated_age": hit.person.estimated_age,
                "is_minor": is_minor(person=hit.person, on=today)}, model="cases.Person", clearance=clearance)}
                for hit in do_search_persons(query, actor=actor)]
    return render(request, "web/person_search.html", context, status=status)
