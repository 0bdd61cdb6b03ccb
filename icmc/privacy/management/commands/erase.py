"""`manage.py erase --approval ID --as USERNAME [--code CODE]`: carry out an approved erasure from the command
line (docs/privacy.md). The user must be the one who asked for it (acting in the same membership); they prove
their second factor here (step-up: the code is asked for unless given), and the same action as the page runs."""

from __future__ import annotations

import getpass
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput, NotFound, PermissionDenied
from icmc.identity.actions import do_verify_second_factor
from icmc.privacy.actions import do_erase_person
from icmc.privacy.models import ApprovalRequest


class Command(BaseCommand):
    help = "Carry out an approved erasure (destroy the person's key) as the user who asked for it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--approval", required=True, help="the id of the approved erasure request")
        parser.add_argument("--as", dest="username", required=True, help="the user who asked for it")
        parser.add_argument("--code", default=None,
                            help="a code from the user's authenticator (asked for if not given)")

    def handle(self, *args: Any, **options: Any) -> None:
        refused = CommandError("No approved erasure with that id for that user.")
        user = get_user_model().objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise refused
        approval = ApprovalRequest.objects.filter(pk=_uuid(options["approval"]), requested_by=user).select_related(
            "requested_membership").first()
        if approval is None or not approval.requested_membership.is_active:
            raise refused
        actor = Actor(user=user, membership=approval.requested_membership, via="cli")
        code = options["code"] or getpass.getpass("Code from your authenticator: ")
        device = do_verify_second_factor(actor=actor, code=code, purpose="step_up")
        if device is None:
            raise CommandError("That code is not right (the attempt is recorded).")
        try:
            do_erase_person(approval.id, actor=actor, stepped_up=True)
        except NotFound:
            raise refused from None
        except PermissionDenied as exc:
            raise CommandError(exc.message) from None
        except InvalidInput as exc:
            raise CommandError(" ".join(str(m) for messages in exc.errors.values() for m in messages)) from None
        self.stdout.write(f"erased: the person of approval {approval.id} (their key is destroyed)")


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        return uuid.UUID(int=0)
