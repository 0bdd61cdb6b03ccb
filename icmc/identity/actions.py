"""The one write path for authentication events: logins, second-factor checks, enrolment, logout.

Each action records exactly one audit event (docs/audit-events.md). Secrets (passwords, codes, TOTP keys)
never reach the audit trail: only which factor was used and why a login failed.
"""

from __future__ import annotations

import re
import time
import uuid
from binascii import unhexlify
from typing import Literal

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.audit.record import record_event

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator app"
RECOVERY_DEVICE_NAME = "recovery codes"
Purpose = Literal["login", "step_up"]
FailureReason = Literal["password", "second_factor", "locked_out"]


def normalise_code(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw).lower()


def confirmed_totp(*, user_id: object) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user_id, confirmed=True).order_by("id").first()


@transaction.atomic
def do_record_login_failure(*, actor: Actor, reason: FailureReason, known_user: bool) -> None:
    """A refused login. `actor` is the targeted user if the username exists, else the installation's system
    user (the typed username is not recorded: people type passwords into it)."""
    record_event(actor=actor, action="auth.login_failed", object_type="user",
                 object_id=actor.user_id if known_user else None,
                 details={"reason": reason, "known_user": known_user})


@transaction.atomic
def do_record_login(*, actor: Actor, factor: str) -> None:
    record_event(actor=actor, action="auth.login_succeeded", object_type="user", object_id=actor.user_id,
                 details={"factor": factor})


@transaction.atomic
def do_record_logout(*, actor: Actor) -> None:
    record_event(actor=actor, action="auth.logged_out", object_type="user", object_id=actor.user_id)


@transaction.atomic
def do_verify_second_factor(*, actor: Actor, code: str, purpose: Purpose) -> Device | None:
    """Check a TOTP code (6 digits) or a recovery code (used up). Returns the device that accepted it, else
    None. Devices throttle repeated failures themselves (django-otp)."""
    token = normalise_code(code)
    devices: list[Device]
    if token.isdigit():
        devices = list(TOTPDevice.objects.filter(user_id=actor.user_id, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user_id=actor.user_id, confirmed=True))
    device = next((d for d in devices if d.verify_token(token)), None) if token else None
    if device is None:
        action = "auth.login_failed" if purpose == "login" else "auth.step_up_failed"
        record_event(actor=actor, action=action, object_type="user", object_id=actor.user_id,
                     details={"reason": "second_factor"})
        return None
    if isinstance(device, StaticDevice):
        remaining = StaticToken.objects.filter(device__user_id=actor.user_id, device__confirmed=True).count()
        record_event(actor=actor, action="auth.recovery_code_used", object_type="user", object_id=actor.user_id,
                     details={"purpose": purpose, "remaining": remaining})
    elif purpose == "login":
        record_event(actor=actor, action="auth.login_succeeded", object_type="user", object_id=actor.user_id,
                     details={"factor": "totp"})
    else:
        record_event(actor=actor, action="auth.step_up", object_type="user", object_id=actor.user_id,
                     details={"factor": "totp"})
    return device


def totp_matches(*, key_hex: str, code: str, at: float | None = None) -> int | None:
    """The time step a 6-digit code is valid for under this key (one step of clock skew allowed), else None."""
    token = normalise_code(code)
    if not (token.isdigit() and len(token) == 6):
        return None
    totp = TOTP(unhexlify(key_hex.encode()))
    totp.time = time.time() if at is None else at
    if not totp.verify(int(token), tolerance=1):
        return None
    return int(totp.t())


@transaction.atomic
def do_enrol_totp(*, actor: Actor, key_hex: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm a new authenticator (the code proves the user holds the key) and issue fresh recovery codes.
    Returns the device and the recovery codes, which are shown once."""
    step = totp_matches(key_hex=key_hex, code=code)
    if step is None:
        raise InvalidInput({"code": [str(_("That code is not right. Check the time on your phone and "
                                         "enter the code now shown."))]})
    if confirmed_totp(user_id=actor.user_id) is not None:
        raise InvalidInput({"code": [str(_("An authenticator is already set up for this account."))]})
    device = TOTPDevice.objects.create(user_id=actor.user_id, name=TOTP_DEVICE_NAME, key=key_hex, confirmed=True,
                                       last_t=step)
    StaticDevice.objects.filter(user_id=actor.user_id).delete()
    recovery = StaticDevice.objects.create(user_id=actor.user_id, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=c) for c in codes])
    record_event(actor=actor, action="auth.mfa_enrolled", object_type="user", object_id=actor.user_id,
                 details={"factor": "totp", "recovery_codes": len(codes)})
    return device, codes


@transaction.atomic
def do_record_passkey_enrolled(*, actor: Actor) -> None:
    """A passkey was registered (django-otp-webauthn stored the credential: public key only)."""
    record_event(actor=actor, action="auth.mfa_enrolled", object_type="user", object_id=actor.user_id,
                 details={"factor": "passkey"})


@transaction.atomic
def do_record_passkey_use(*, actor: Actor, purpose: Purpose, ok: bool) -> None:
    """A passkey assertion was checked by django-otp-webauthn: accepted for a login or a step-up, or refused."""
    if not ok:
        action = "auth.login_failed" if purpose == "login" else "auth.step_up_failed"
        record_event(actor=actor, action=action, object_type="user", object_id=actor.user_id,
                     details={"reason": "second_factor", "factor": "passkey"})
        return
    action = "auth.login_succeeded" if purpose == "login" else "auth.step_up"
    record_event(actor=actor, action=action, object_type="user", object_id=actor.user_id,
                 details={"factor": "passkey"})


@transaction.atomic
def do_remove_passkeys(*, actor: Actor, user_id: uuid.UUID, reason: str) -> int:
    """Remove every passkey of a user (lost or stolen device); with PASSKEYS required they enrol a new one at
    their next login, after the TOTP code. Returns how many were removed."""
    from django_otp_webauthn.models import WebAuthnCredential

    if not reason.strip():
        raise InvalidInput({"reason": [str(_("Give the reason for removing the passkeys."))]})
    credentials = WebAuthnCredential.objects.filter(user_id=user_id)
    removed = credentials.count()
    credentials.delete()  # with their attestations
    record_event(actor=actor, action="auth.passkeys_removed", object_type="user", object_id=user_id,
                 details={"passkeys": removed, "reason": reason.strip()[:500]})
    return removed
