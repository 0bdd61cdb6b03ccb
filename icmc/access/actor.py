"""Who is acting: a user through one membership (organisation + role), from a request, a command or sync."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from icmc.accounts.models import Membership, Organisation, User


@dataclass(frozen=True, kw_only=True)
class Actor:
    user: User
    membership: Membership | None
    via: str  # web | api | admin | cli | sync
    request_id: str | None = None
    ip: str | None = None

    @property
    def user_id(self) -> uuid.UUID:
        return self.user.id

    @property
    def membership_id(self) -> uuid.UUID | None:
        return self.membership.id if self.membership else None

    @property
    def organisation(self) -> Organisation | None:
        return self.membership.organisation if self.membership else None

    @property
    def organisation_id(self) -> uuid.UUID | None:
        return self.membership.organisation_id if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None
