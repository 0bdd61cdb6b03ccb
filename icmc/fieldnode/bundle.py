"""The provisioning bundle: what an upstream administrator hands to a new field node (a file, kept 0600).

It holds the node's identity and private key, the users the node serves (their password hashes, so they sign
in offline with the same password; each enrols their second factor on the node), their memberships, and the
organisations (reference data). Written by `manage.py node register ... --bundle FILE --upstream-url URL` on the
upstream, read by `manage.py fieldnode provision FILE` on the field node. Treat it like the private key.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from icmc.accounts.models import Membership, Organisation, PillarRef, User
from icmc.fieldnode import config
from icmc.sync.models import Node

FORMAT = "icmc-node-bundle/1"
_ORG_FIELDS = ("name", "kind", "is_government", "is_approved", "jurisdiction_id", "reference_prefix",
               "time_zone", "is_active", "version", "created_at", "updated_at")
_USER_FIELDS = ("username", "first_name", "last_name", "email", "password", "is_active")
_MEMBERSHIP_FIELDS = ("user_id", "organisation_id", "role", "is_active", "ended_at", "version", "created_at",
                      "updated_at")


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if hasattr(value, "hex") else value)


def make_bundle(*, node: Node, private_key: str, upstream_url: str) -> dict[str, Any]:
    users = list(node.users.all().order_by("username"))
    memberships = Membership.objects.filter(user__in=users)
    return {
        "format": FORMAT,
        "node": {"id": str(node.id), "name": node.name, "upstream_url": upstream_url},
        "private_key": private_key,
        "users": [{"id": str(u.pk), **{f: _plain(getattr(u, f)) for f in _USER_FIELDS}} for u in users],
        "memberships": [{"id": str(m.pk), **{f: _plain(getattr(m, f)) for f in _MEMBERSHIP_FIELDS}}
                        for m in memberships],
        "organisations": [
            {"id": str(o.pk), **{f: _plain(getattr(o, f)) for f in _ORG_FIELDS},
             "pillars": sorted(p.pk for p in o.pillars.all())}
            for o in Organisation.objects.prefetch_related("pillars").order_by("name")],
    }


class BadBundle(Exception):
    pass


@transaction.atomic
def install_bundle(bundle: dict[str, Any]) -> config.NodeIdentity:
    """Set this installation up as the bundle's field node: organisations, users, memberships, identity, key."""
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise BadBundle(f"Not an ICMC node bundle ({FORMAT}).")
    try:
        node = bundle["node"]
        for org in bundle["organisations"]:
            values = {f: org[f] for f in _ORG_FIELDS}
            row, _created = Organisation.objects.update_or_create(pk=org["id"], defaults=values)
            row.pillars.set(list(PillarRef.objects.filter(pk__in=org.get("pillars", []))))
        for user in bundle["users"]:
            User.objects.update_or_create(pk=user["id"], defaults={f: user[f] for f in _USER_FIELDS})
        for membership in bundle["memberships"]:
            Membership.objects.update_or_create(pk=membership["id"],
                                                defaults={f: membership[f] for f in _MEMBERSHIP_FIELDS})
        config.save_identity(node_id=node["id"], name=node["name"], upstream_url=node.get("upstream_url", ""))
        config.save_private_key(bundle["private_key"])
    except (KeyError, TypeError) as exc:
        raise BadBundle(f"The bundle is incomplete ({exc}).") from exc
    return config.identity()
