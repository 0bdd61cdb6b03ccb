"""The one write path for organisations, memberships and API tokens (used by the admin and commands)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from icmc.access.actor import Actor
from icmc.access.errors import NotFound, PermissionDenied
from icmc.access.policy import Perm
from icmc.access.queries import require_perm
from icmc.accounts.models import ApiToken, Jurisdiction, Membership, Organisation, PillarRef, User
from icmc.audit.record import record_event
from icmc.sync.feed import record_changes

TOKEN_PREFIX = "icmc_"


def token_digest(*, token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def do_create_organisation(
    *, actor: Actor, name: str, kind: str, jurisdiction: Jurisdiction, pillars: Iterable[str] = (),
    is_government: bool = False, is_approved: bool = False, reference_prefix: str = "",
    time_zone: str = "Asia/Kolkata",
) -> Organisation:
    require_perm(actor=actor, perm=Perm.ORGANISATION_MANAGE)
    now = timezone.now()
    org = Organisation(name=name, kind=kind, jurisdiction=jurisdiction, is_government=is_government,
                       is_approved=is_approved, reference_prefix=reference_prefix, time_zone=time_zone,
                       created_at=now, updated_at=now)
    org.save()
    org.pillars.set([PillarRef.objects.get_or_create(code=code)[0] for code in pillars])
    record_event(actor=actor, action="organisation.created", object_type="organisation", object_id=org.id,
                 changed_fields=["name", "kind", "jurisdiction", "pillars", "is_government", "is_approved",
                                 "reference_prefix", "time_zone"])
    record_changes(org, case_id=None)
    return org


@transaction.atomic
def do_update_organisation(org: Organisation, *, actor: Actor, changed_fields: Iterable[str],
                           pillars: Iterable[str] | None = None) -> Organisation:
    """Save edits already applied to `org` (by the admin form); records which fields changed."""
    require_perm(actor=actor, perm=Perm.ORGANISATION_MANAGE)
    changed = list(changed_fields)
    org.version += 1
    org.updated_at = timezone.now()
    org.save()
    if pillars is not None:
        org.pillars.set([PillarRef.objects.get_or_create(code=code)[0] for code in pillars])
    record_event(actor=actor, action="organisation.updated", object_type="organisation", object_id=org.id,
                 changed_fields=changed)
    record_changes(org, case_id=None)
    return org


@transaction.atomic
def do_grant_membership(user: User, *, actor: Actor, organisation: Organisation, role: str) -> Membership:
    require_perm(actor=actor, perm=Perm.USER_MANAGE)
    now = timezone.now()
    membership = Membership(user=user, organisation=organisation, role=role, created_at=now, updated_at=now)
    membership.save()
    record_event(actor=actor, action="membership.granted", object_type="membership", object_id=membership.id,
                 changed_fields=["user", "organisation", "role"], details={"role": role})
    record_changes(membership, case_id=None)
    return membership


@transaction.atomic
def do_end_membership(membership: Membership, *, actor: Actor) -> Membership:
    """End a membership: its API tokens are revoked with it."""
    require_perm(actor=actor, perm=Perm.USER_MANAGE)
    now = timezone.now()
    membership.is_active = False
    membership.ended_at = now
    membership.version += 1
    membership.updated_at = now
    membership.save()
    ApiToken.objects.filter(membership=membership, revoked_at__isnull=True).update(revoked_at=now)
    record_event(actor=actor, action="membership.ended", object_type="membership", object_id=membership.id,
                 changed_fields=["is_active", "ended_at"])
    record_changes(membership, case_id=None)
    return membership


@transaction.atomic
def do_create_user(*, actor: Actor, username: str, password: str | None, first_name: str = "",
                   last_name: str = "", email: str = "") -> User:
    require_perm(actor=actor, perm=Perm.USER_MANAGE)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record_event(actor=actor, action="user.created", object_type="user", object_id=user.id,
                 changed_fields=["username", "first_name", "last_name", "email", "password"])
    return user


@transaction.atomic
def do_update_user(user: User, *, actor: Actor, changed_fields: Iterable[str]) -> User:
    """Save edits already applied to `user` (by the admin form). Deactivating a user revokes their tokens."""
    require_perm(actor=actor, perm=Perm.USER_MANAGE)
    if user.pk == actor.user.pk and not user.is_active:
        raise PermissionDenied("You cannot deactivate your own account.")
    user.save()
    if not user.is_active:
        ApiToken.objects.filter(membership__user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record_event(actor=actor, action="user.updated", object_type="user", object_id=user.id,
                 changed_fields=list(changed_fields))
    return user


@transaction.atomic
def do_create_api_token(*, actor: Actor, label: str) -> tuple[ApiToken, str]:
    """A new API token for the actor's current membership. The secret is returned once and not stored."""
    require_perm(actor=actor, perm=Perm.API_TOKEN_MANAGE)
    assert actor.membership is not None
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(membership=actor.membership, label=label, digest=token_digest(token=secret),
                                    created_at=timezone.now())
    record_event(actor=actor, action="api_token.created", object_type="api_token", object_id=token.id,
                 changed_fields=["label"])
    return token, secret


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, actor: Actor) -> ApiToken:
    require_perm(actor=actor, perm=Perm.API_TOKEN_MANAGE)
    if token.membership.user_id != actor.user.id:
        raise NotFound
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(actor=actor, action="api_token.revoked", object_type="api_token", object_id=token.id,
                 changed_fields=["revoked_at"])
    return token
