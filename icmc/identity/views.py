"""Login (password, then the second factor), enrolment of an authenticator, step-up, logout."""

from __future__ import annotations

import secrets
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.membership import SESSION_KEY as MEMBERSHIP_KEY
from icmc.access.membership import active_memberships, client_ip
from icmc.accounts.models import User
from icmc.identity import session
from icmc.identity.actions import (
    confirmed_totp,
    do_enrol_totp,
    do_record_login,
    do_record_login_failure,
    do_record_logout,
    do_verify_second_factor,
)
from icmc.identity.forms import CodeForm, EnrolForm
from icmc.identity.passkeys import has_passkey, must_enrol, totp_refused
from icmc.web.views.common import set_errors

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def audit_actor(*, request: HttpRequest, user: User) -> Actor:
    memberships = active_memberships(user=user)
    chosen = request.session.get(MEMBERSHIP_KEY)
    membership = next((m for m in memberships if str(m.id) == chosen), memberships[0] if memberships else None)
    return Actor(user=user, membership=membership, via="web", request_id=getattr(request, "request_id", None),
                 ip=client_ip(request=request))


def _anonymous_actor(*, request: HttpRequest) -> Actor:
    from icmc.demo.world import system_actor  # the installation's own (inactive) user

    system = system_actor()
    return Actor(user=system.user, membership=None, via="web", request_id=getattr(request, "request_id", None),
                 ip=client_ip(request=request))


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _finish_login(request: HttpRequest, user: User) -> None:
    """After the second factor: act through the first membership unless one was chosen (so that ending it
    ends the session)."""
    memberships = active_memberships(user=user)
    if memberships and not request.session.get(MEMBERSHIP_KEY):
        request.session[MEMBERSHIP_KEY] = str(memberships[0].id)


class LoginView(auth_views.LoginView):
    """Step 1: the password (throttled by django-axes). A correct password does not log the user in yet: the
    session waits for the second factor (see SessionPolicyMiddleware)."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        next_url = self.get_success_url()
        super().form_valid(form)  # django.contrib.auth.login: a new session id
        session.start(request=self.request)
        self.request.session[session.NEXT] = next_url
        user = form.get_user()
        return redirect("identity:verify" if confirmed_totp(user_id=user.pk) else "identity:enrol")

    def form_invalid(self, form: Any) -> HttpResponse:
        username = str(form.data.get("username", ""))[:150]
        user = User.objects.filter(username=username).first() if username else None
        locked = bool(getattr(self.request, "axes_locked_out", False))
        actor = audit_actor(request=self.request, user=user) if user else _anonymous_actor(request=self.request)
        do_record_login_failure(actor=actor, reason="locked_out" if locked else "password", known_user=bool(user))
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET). Ends the session server-side and asks the browser to forget the site's
    cache, cookies and storage."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            do_record_logout(actor=audit_actor(request=request, user=user))
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


def _logged_in_user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponseBase:
    """Step 2: a code from the authenticator app, or a recovery code."""
    user = _logged_in_user(request)
    if user is None:
        return redirect(settings.LOGIN_URL)
    next_url = _safe_next(request, request.GET.get("next") or request.session.get(session.NEXT))
    if session.is_verified(request=request):
        return redirect(next_url)
    if confirmed_totp(user_id=user.pk) is None:
        return redirect("identity:enrol")
    form = CodeForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["code"].strip().isdigit() and (
            totp_refused(user=user)):
        form.add_error("code", _("Your role logs in with its passkey (or a recovery code), not with a code "
                                 "from the app."))
    elif request.method == "POST" and form.is_valid():
        actor = audit_actor(request=request, user=user)
        device = do_verify_second_factor(actor=actor, code=form.cleaned_data["code"], purpose="login")
        if device is not None:
            session.mark_verified(request=request, device=device)
            request.session.pop(session.NEXT, None)
            _finish_login(request, user)
            return redirect(next_url)
        form.add_error("code", _("That code is not right, or was used already. Try the code now shown."))
    return render(request, "identity/verify.html", {"form": form, "next": next_url,
                                                    "passkey": has_passkey(user_id=user.pk)})


@require_http_methods(["GET"])
def passkey_enrol(request: HttpRequest) -> HttpResponseBase:
    """After the TOTP code, users whose role needs a passkey register one (the library's scripts do the
    ceremony with the browser; icmc.identity.passkeys audits it)."""
    user = _logged_in_user(request)
    if user is None:
        return redirect(settings.LOGIN_URL)
    next_url = _safe_next(request, request.GET.get("next"))
    if not must_enrol(request=request, user=user):
        return redirect(next_url)
    return render(request, "identity/passkey_enrol.html", {"next": next_url})


def _pending_key(request: HttpRequest) -> str:
    key = request.session.get(session.PENDING_TOTP_KEY)
    if not isinstance(key, str):
        key = secrets.token_hex(20)
        request.session[session.PENDING_TOTP_KEY] = key
    return key


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponseBase:
    """First login: set up an authenticator app. The key is kept in the session until a code confirms it."""
    user = _logged_in_user(request)
    if user is None:
        return redirect(settings.LOGIN_URL)
    if confirmed_totp(user_id=user.pk) is not None:
        return redirect("identity:verify")
    key = _pending_key(request)
    form = EnrolForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actor = audit_actor(request=request, user=user)
        try:
            device, codes = do_enrol_totp(actor=actor, key_hex=key, code=form.cleaned_data["code"])
        except InvalidInput as exc:
            set_errors(form, exc.errors)
        else:
            do_record_login(actor=actor, factor="totp_enrolment")
            session.mark_verified(request=request, device=device)
            request.session.pop(session.PENDING_TOTP_KEY, None)
            next_url = _safe_next(request, request.session.pop(session.NEXT, None))
            _finish_login(request, user)
            return render(request, "identity/recovery_codes.html", {"codes": codes, "next": next_url})
    device = TOTPDevice(user=user, key=key)
    uri = device.config_url
    return render(request, "identity/enrol.html", {
        "form": form, "secret": _b32(key), "uri": uri, "qr": segno.make(uri, error="m").svg_data_uri(scale=4),
    })


def _b32(key_hex: str) -> str:
    from base64 import b32encode

    raw = b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


@require_http_methods(["GET", "POST"])
def step_up(request: HttpRequest) -> HttpResponseBase:
    """Re-enter a code before a sensitive action (see icmc/identity/stepup.py)."""
    user = _logged_in_user(request)
    if user is None:
        return redirect(settings.LOGIN_URL)
    next_url = _safe_next(request, request.GET.get("next"))
    form = CodeForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actor = audit_actor(request=request, user=user)
        if do_verify_second_factor(actor=actor, code=form.cleaned_data["code"], purpose="step_up") is not None:
            session.mark_stepped_up(request=request)
            messages.success(request, _("Thank you. You can go on for the next few minutes."))
            return redirect(next_url)
        form.add_error("code", _("That code is not right, or was used already. Try the code now shown."))
    return render(request, "identity/step_up.html", {"form": form, "next": next_url})
