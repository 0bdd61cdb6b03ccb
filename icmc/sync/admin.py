"""Nodes on the administrators' site: read-only, except revoking (through the action)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from icmc.access.membership import actor_for_session
from icmc.access.policy import Perm, has_perm
from icmc.sync.actions import do_revoke_node
from icmc.sync.models import Node
from icmc.web.admin_site import admin_site


class NodeAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "kind", "registered_at", "revoked_at", "last_seen_at", "last_seq")
    list_filter = ("kind",)
    readonly_fields = ("id", "name", "kind", "users", "public_key", "last_seq", "registered_at", "revoked_at",
                       "last_seen_at")
    actions = ["revoke"]

    def _allowed(self, request: HttpRequest) -> bool:
        actor = actor_for_session(request=request, via="admin")
        return bool(actor and has_perm(role=actor.role, perm=Perm.USER_MANAGE))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # `manage.py node register` shows the private key once

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected nodes"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Node]) -> None:
        actor = actor_for_session(request=request, via="admin")
        if actor is None or not self._allowed(request):
            return
        for node in queryset:
            do_revoke_node(node, actor=actor)
        self.message_user(request, _("Revoked."), messages.SUCCESS)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Admin actions need change permission by default; revoking is the one write allowed here.
        actions = super().get_actions(request)
        return actions if self._allowed(request) else {}


admin_site.register(Node, NodeAdmin)
