"""The user's API tokens for the membership they act through: list, create (the secret is shown once), revoke."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from icmc.access.actor import Actor
from icmc.access.policy import Perm
from icmc.access.queries import require_perm
from icmc.accounts.actions import do_create_api_token, do_revoke_api_token
from icmc.accounts.models import ApiToken
from icmc.cases.forms import TextField
from icmc.identity.stepup import step_up_required
from icmc.web.views.common import error_summary, member_view


class TokenForm(forms.Form):
    label = TextField(max_length=100, required=True, label=gettext_lazy("What the token is for"),
                      help_text=gettext_lazy("For example: field laptop sync, district reporting script."))


def _tokens(actor: Actor) -> list[ApiToken]:
    return list(ApiToken.objects.filter(membership=actor.membership).order_by("-created_at"))


@require_http_methods(["GET", "POST"])
@member_view
@step_up_required(methods=("POST",))  # creating a token (a new credential) needs a fresh second factor
def api_tokens(request: HttpRequest, actor: Actor) -> HttpResponse:
    require_perm(actor=actor, perm=Perm.API_TOKEN_MANAGE)
    form = TokenForm(data=request.POST if request.method == "POST" else None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        _token, secret = do_create_api_token(actor=actor, label=form.cleaned_data["label"].strip())
        form = TokenForm()
    return render(request, "web/api_tokens.html", {
        "form": form, "tokens": _tokens(actor), "secret": secret,
        "error_summary": error_summary(form) if form.is_bound else [],
    })


@require_POST
@member_view
def revoke_api_token(request: HttpRequest, actor: Actor, token_id: uuid.UUID) -> HttpResponse:
    token = ApiToken.objects.select_related("membership").filter(pk=token_id, membership=actor.membership).first()
    if token is None:
        raise Http404
    if token.revoked_at is None:
        do_revoke_api_token(token, actor=actor)
        messages.success(request, _("Token “%(label)s” revoked.") % {"label": token.label})
    return redirect("web:api_tokens")
