"""Template helpers for the pages: whether the acting membership holds a permission (to show a link)."""

from __future__ import annotations

from django import template

from icmc.access.actor import Actor
from icmc.access.policy import Perm, has_perm

register = template.Library()


@register.simple_tag
def actor_can(actor: Actor | None, perm: str) -> bool:
    """Whether the actor's role holds `perm` anywhere (links only: every page and action checks again)."""
    return bool(actor is not None and actor.membership is not None and has_perm(role=actor.role, perm=Perm(perm)))
