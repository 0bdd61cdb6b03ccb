"""Logging in and out, and choosing the membership (organisation + role) a user acts through."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from icmc.access.membership import SESSION_KEY, active_memberships
from icmc.accounts.models import User
from icmc.accounts.reference import Role


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET): a link cannot log anyone out."""


@login_required
@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    chosen = request.POST.get("membership", "")
    membership = next((m for m in active_memberships(user=user) if str(m.id) == chosen), None)
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = str(membership.id)
    messages.success(request, _("You now act as %(role)s for %(organisation)s.") % {
        "role": Role(membership.role).label, "organisation": membership.organisation.name,
    })
    return redirect("web:my_cases")
