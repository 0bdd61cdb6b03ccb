"""The demo logins as a table (username, persona, organisation, password) for `icmc demo`."""

from __future__ import annotations

from collections.abc import Sequence

from icmc.accounts.models import Membership
from icmc.accounts.reference import Role
from icmc.demo import DEMO_PASSWORD
from icmc.demo.world import USERS


def login_rows() -> list[tuple[str, str, str, str]]:
    """One row per demo persona that exists in the database, in the order of the world's USERS."""
    memberships = {
        m.user.username: m
        for m in Membership.objects.filter(user__username__in=list(USERS), is_active=True)
        .select_related("user", "organisation")
        .order_by("created_at")
    }
    rows = []
    for username in USERS:
        membership = memberships.get(username)
        if membership is not None:
            rows.append((username, str(Role(membership.role).label), membership.organisation.name, DEMO_PASSWORD))
    return rows


def format_table(rows: Sequence[tuple[str, ...]], *, header: tuple[str, ...]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, tuple("-" * w for w in widths), *rows]]
    return "\n".join(lines)
