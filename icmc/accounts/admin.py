"""Administrators' pages for users, organisations and memberships. Every save goes through the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from icmc.access.errors import PermissionDenied
from icmc.access.membership import actor_for_session
from icmc.access.policy import Perm, has_perm
from icmc.accounts import actions
from icmc.accounts.models import Jurisdiction, Membership, Organisation, User
from icmc.web.admin_site import admin_site


def _actor(request: HttpRequest) -> Any:
    actor = actor_for_session(request=request, via="admin")
    if actor is None:
        raise PermissionDenied("Log in first.")
    return actor


class _PolicyAdmin(admin.ModelAdmin):
    perm: Perm = Perm.USER_MANAGE

    def _allowed(self, request: HttpRequest) -> bool:
        actor = actor_for_session(request=request, via="admin")
        return bool(actor and has_perm(role=actor.role, perm=self.perm))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # nothing is deleted: users are deactivated, memberships ended


@admin.register(User, site=admin_site)
class UserAdmin(_PolicyAdmin, DjangoUserAdmin):
    perm = Perm.USER_MANAGE
    list_display = ("username", "first_name", "last_name", "is_active", "last_login")
    list_filter = ("is_active",)
    fieldsets = ((None, {"fields": ("username", "first_name", "last_name", "email", "is_active")}),)
    add_fieldsets = ((None, {"fields": ("username", "first_name", "last_name", "password1", "password2")}),)
    readonly_fields = ("last_login",)

    def get_urls(self) -> list[Any]:
        # Password changes by administrators are not offered here (they would skip the audited write path).
        return [u for u in super().get_urls() if "password" not in str(u.pattern)]

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        actor = _actor(request)
        if change:
            actions.do_update_user(obj, actor=actor, changed_fields=form.changed_data)
        else:
            created = actions.do_create_user(
                actor=actor, username=obj.username, password=form.cleaned_data.get("password1"),
                first_name=obj.first_name, last_name=obj.last_name,
            )
            obj.pk = created.pk
            obj._state.adding = False
            obj._state.db = created._state.db


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(_PolicyAdmin):
    perm = Perm.ORGANISATION_MANAGE
    list_display = ("name", "kind", "jurisdiction", "reference_prefix", "is_approved", "is_active")
    list_filter = ("kind", "is_government", "is_approved", "is_active", "jurisdiction__country")
    search_fields = ("name",)
    fields = ("name", "kind", "is_government", "is_approved", "pillars", "jurisdiction", "reference_prefix",
              "time_zone", "is_active")
    autocomplete_fields = ("jurisdiction",)
    filter_horizontal = ("pillars",)

    def save_model(self, request: HttpRequest, obj: Organisation, form: ModelForm, change: bool) -> None:
        actor = _actor(request)
        pillars = [p.code for p in form.cleaned_data.get("pillars", [])]
        if change:
            actions.do_update_organisation(obj, actor=actor, changed_fields=form.changed_data, pillars=pillars)
        else:
            created = actions.do_create_organisation(
                actor=actor, name=obj.name, kind=obj.kind, jurisdiction=obj.jurisdiction, pillars=pillars,
                is_government=obj.is_government, is_approved=obj.is_approved,
                reference_prefix=obj.reference_prefix, time_zone=obj.time_zone,
            )
            obj.pk = created.pk
            obj._state.adding = False

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        """Pillars are set by the action; nothing else is related."""


@admin.register(Membership, site=admin_site)
class MembershipAdmin(_PolicyAdmin):
    perm = Perm.USER_MANAGE
    list_display = ("user", "organisation", "role", "is_active", "ended_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "organisation__name")
    fields = ("user", "organisation", "role")
    autocomplete_fields = ("user", "organisation")
    actions = ["end_memberships"]

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> tuple[str, ...]:
        return ("user", "organisation", "role") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Membership, form: ModelForm, change: bool) -> None:
        if change:
            return  # a membership is not edited: end it and grant a new one
        created = actions.do_grant_membership(obj.user, actor=_actor(request), organisation=obj.organisation,
                                              role=obj.role)
        obj.pk = created.pk
        obj._state.adding = False

    @admin.action(description="End the selected memberships (revokes their API tokens)")
    def end_memberships(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        actor = _actor(request)
        ended = 0
        for membership in queryset.filter(is_active=True):
            actions.do_end_membership(membership, actor=actor)
            ended += 1
        self.message_user(request, f"{ended} membership(s) ended.", messages.SUCCESS)


@admin.register(Jurisdiction, site=admin_site)
class JurisdictionAdmin(_PolicyAdmin):
    perm = Perm.ORGANISATION_MANAGE
    list_display = ("code", "name", "level", "country")
    list_filter = ("level", "country")
    search_fields = ("code", "name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
