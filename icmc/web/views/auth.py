"""Logging in and out, and choosing the membership (organisation + role) a user acts through."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from icmc.access.membership import SESSION_KEY, active_memberships
from icmc.accounts.models import User
from icmc.accounts.reference import Role
from icmc.identity import views as identity_views

# Password, then the second factor; logout (POST only) clears the site's data: see icmc/identity/views.py.
LoginView = identity_views.LoginView
LogoutView = identity_views.LogoutView


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
