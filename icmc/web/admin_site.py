"""The administrators' site: users, organisations and memberships; never case content."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from icmc.access.membership import actor_for_session
from icmc.access.policy import Perm, has_perm


class IcmcAdminSite(admin.AdminSite):
    site_header = "ICMC administration"
    site_title = "ICMC administration"
    index_title = "Users and organisations"

    def has_permission(self, request: HttpRequest) -> bool:
        actor = actor_for_session(request=request, via="admin")
        return bool(actor and (has_perm(role=actor.role, perm=Perm.USER_MANAGE)
                               or has_perm(role=actor.role, perm=Perm.ORGANISATION_MANAGE)))


admin_site = IcmcAdminSite(name="icmc_admin")
