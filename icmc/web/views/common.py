"""What every page shares: the acting membership, the mapping of access errors to 404/403, and putting the
messages of InvalidInput next to the fields of a form."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from icmc.access.actor import Actor
from icmc.access.errors import NotFound, PermissionDenied
from icmc.access.policy import Perm, has_perm
from icmc.access.queries import perms_on_case
from icmc.cases.models import Case

P = ParamSpec("P")
F = TypeVar("F", bound=forms.BaseForm)
MemberView = Callable[Concatenate[HttpRequest, Actor, P], HttpResponse]

DATE_FORMAT = "%Y-%m-%d"  # what <input type="date"> sends and expects, whatever the language
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # the same for <input type="datetime-local">


def member_view(view: MemberView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A page for a logged-in user acting through an active membership. The view gets the Actor; NotFound
    becomes the 404 page (missing and forbidden alike) and PermissionDenied the 403 page with its message."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        actor: Actor | None = getattr(request, "actor", None)
        if actor is None or actor.membership is None:
            return render(request, "web/no_membership.html", status=403)
        try:
            return view(request, actor, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc

    return wrapper


def holds_on_case(*, actor: Actor, case: Case, perm: Perm) -> bool:
    """Whether the actor may do `perm` on this (visible) case; used to show or hide a form."""
    return has_perm(role=actor.role, perm=perm) and perm in perms_on_case(actor=actor, case=case)


# --- forms ----------------------------------------------------------------------------------------------


def html5_widgets(form: F) -> F:
    """Date inputs must carry ISO values whatever the page's language."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.DateTimeInput):
            field.widget.format = DATETIME_FORMAT
        elif isinstance(field.widget, forms.DateInput):
            field.widget.format = DATE_FORMAT
    return form


def set_errors(form: F, errors: Mapping[str, Sequence[Any]]) -> F:
    """Show these messages (from InvalidInput) on `form`, each next to its field; keys that are not fields
    of the form are shown above it."""
    form.cleaned_data = {}
    # The messages come from the shared parser: the form must not validate again.
    form._errors = ErrorDict()  # type: ignore[attr-defined]
    for key, messages in errors.items():
        form.add_error(key if key in form.fields else None, forms.ValidationError([str(m) for m in messages]))
    describe_errors(form)
    return form


def describe_errors(form: forms.BaseForm) -> None:
    """Tie each field with errors to its message list, for screen readers."""
    for name in form.errors:
        if name in form.fields:
            auto_id = form[name].auto_id
            ids = [f"{auto_id}_errors"] + ([f"{auto_id}_helptext"] if form.fields[name].help_text else [])
            form.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


@dataclass(frozen=True, kw_only=True)
class SummaryItem:
    label: str
    message: str
    anchor: str


def error_summary(form: forms.BaseForm, *, heading: str = "") -> list[SummaryItem]:
    """The form's messages for the summary at the top of the page, each linking to its field."""
    describe_errors(form)
    items: list[SummaryItem] = []
    for name, messages in form.errors.items():
        field = form[name] if name in form.fields else None
        label = str(field.label) if field is not None else ""
        label = f"{heading} — {label}" if heading and label else (heading or label)
        # A group of checkboxes has no single control to point at: link to its container.
        anchor = (field.id_for_label or field.auto_id or "") if field is not None else ""
        items.extend(SummaryItem(label=label, message=str(m), anchor=anchor) for m in messages)
    return items


def summaries(*parts: Iterable[SummaryItem]) -> list[SummaryItem]:
    return [item for part in parts for item in part]
