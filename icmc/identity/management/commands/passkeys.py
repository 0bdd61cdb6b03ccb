"""`manage.py passkeys list --user NAME` and `manage.py passkeys remove --user NAME --reason TEXT`: an operator
removes the passkeys of a user who lost their device (audited `auth.passkeys_removed`, by the installation's
system user). With ICMC_PASSKEYS_REQUIRED on, the user registers a new one at the next login, after the TOTP
code (or a recovery code)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp_webauthn.models import WebAuthnCredential

from icmc.access.errors import InvalidInput
from icmc.accounts.models import User
from icmc.identity.actions import do_remove_passkeys


class Command(BaseCommand):
    help = "List or remove a user's passkeys (WebAuthn credentials)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        listing = sub.add_parser("list", help="a user's passkeys (name, created, last used)")
        listing.add_argument("--user", required=True, help="username")
        remove = sub.add_parser("remove", help="remove every passkey of a user")
        remove.add_argument("--user", required=True, help="username")
        remove.add_argument("--reason", default="passkey lost or replaced (manage.py passkeys remove)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError("No such user.")
        if options["sub"] == "list":
            for credential in WebAuthnCredential.objects.filter(user=user).order_by("created_at"):
                self.stdout.write(f"{credential.pk}\t{credential.name}\tcreated {credential.created_at:%Y-%m-%d}"
                                  f"\tlast used {credential.last_used_at or '-'}")
            return
        from icmc.demo.world import system_actor  # the installation's own user acts for the operator

        try:
            removed = do_remove_passkeys(actor=system_actor(), user_id=user.pk, reason=options["reason"])
        except InvalidInput as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"removed {removed} passkey(s) of {user.username}")
