"""The second step of signing in: after the right password, a code from the authenticator app,
a passkey, or a recovery code.

Until the second step is taken nobody is signed in; the session holds only the half-finished
sign-in (state.py), for five minutes. A wrong code counts towards the same lockout as a wrong
password (django-axes, through Django's ``user_login_failed`` signal, which also puts it in the
audit trail), so the second step cannot be guessed at any faster than the password could.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.models import Device

from waypoint.access.mfa import services, state
from waypoint.access.mfa.forms import AuthenticatorCodeForm, RecoveryCodeForm
from waypoint.access.mfa.passkeys import authentication_options, expected_origins, parse_json_body
from waypoint.access.mfa.selectors import authenticator_for, passkeys_for, recovery_codes_left
from waypoint.access.mfa.views import json_error
from waypoint.access.signin import SignInMethod, sign_in_complete
from waypoint.accounts.models import User

_START_AGAIN = "Sign in again to carry on: the second step was not finished within 5 minutes."
_WAIT = "Too many wrong codes in a row. Wait a minute, then try again."
_LOW_ON_CODES = 3


def _credentials(user: User) -> dict[str, str]:
    return {"username": user.get_username()}


def _locked_out(request: HttpRequest, user: User) -> HttpResponse:
    """axes's locked-out page (its template, AXES_LOCKOUT_TEMPLATE), as for a password."""
    state.pending_clear(request)
    response: HttpResponse = get_lockout_response(request, None, _credentials(user))
    return response


def _locked(request: HttpRequest, user: User) -> bool:
    return bool(settings.AXES_ENABLED) and not AxesProxyHandler.is_allowed(
        request, _credentials(user)
    )


def _failed(request: HttpRequest, user: User) -> None:
    """Counted and audited as a failed sign-in. If this reaches the limit, axes marks the request
    and its middleware answers with the locked-out page instead of this view's answer."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)


def _complete(
    request: HttpRequest,
    pending: state.PendingSignIn,
    *,
    method: SignInMethod,
    device: Device | None,
    json: bool = False,
) -> HttpResponse:
    next_url = state.safe_next(request, pending.next_url, resolve_url(settings.LOGIN_REDIRECT_URL))
    state.pending_clear(request)
    response: HttpResponse = (
        JsonResponse({"redirect": next_url}) if json else HttpResponseRedirect(next_url)
    )
    # Django's login first: it gives the session a new key and the signed-in user; django-otp's
    # login then records the device in that session, for request.user.is_verified().
    sign_in_complete(request, user=pending.user, method=method, response=response)
    if device is not None:
        otp_login(request, device)
    return response


def _start_again(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    messages.info(request, _START_AGAIN)
    return redirect("login")


def _page(
    request: HttpRequest, template: str, pending: state.PendingSignIn, form: object
) -> HttpResponse:
    user = pending.user
    return render(
        request,
        template,
        {
            "form": form,
            "has_authenticator": authenticator_for(user) is not None,
            "has_passkeys": bool(passkeys_for(user)),
            "has_recovery_codes": recovery_codes_left(user) > 0,
        },
    )


@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """The code from the authenticator app (the page also offers a passkey or a recovery code)."""
    pending = state.pending_sign_in(request)
    if pending is None:
        return _start_again(request)
    if _locked(request, pending.user):
        return _locked_out(request, pending.user)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, device = services.authenticator_check(
            user=pending.user, code=form.cleaned_data["code"]
        )
        if result is services.CodeCheck.ACCEPTED:
            return _complete(request, pending, method=SignInMethod.PASSWORD_TOTP, device=device)
        form.add_error(
            "code",
            _WAIT
            if result is services.CodeCheck.WAIT
            else "The code is not right, or it was used already. Type the code your app shows now.",
        )
        _failed(request, pending.user)
    return _page(request, "access/mfa/login_verify.html", pending, form)


@require_http_methods(["GET", "POST"])
def login_verify_recovery(request: HttpRequest) -> HttpResponse:
    pending = state.pending_sign_in(request)
    if pending is None:
        return _start_again(request)
    if _locked(request, pending.user):
        return _locked_out(request, pending.user)
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, device = services.recovery_code_use(
            user=pending.user, code=form.cleaned_data["code"]
        )
        if result is services.CodeCheck.ACCEPTED:
            left = recovery_codes_left(pending.user)
            response = _complete(
                request, pending, method=SignInMethod.PASSWORD_RECOVERY, device=device
            )
            note = f"You used a recovery code. You have {left} left."
            if left <= _LOW_ON_CODES:
                note += " Make new ones on the account security page before you run out."
            messages.info(request, note)
            return response
        form.add_error(
            "code",
            _WAIT
            if result is services.CodeCheck.WAIT
            else "That recovery code is not right, or it was used already. Each code works once.",
        )
        _failed(request, pending.user)
    return _page(request, "access/mfa/login_verify_recovery.html", pending, form)


@require_POST
def login_verify_passkey_options(request: HttpRequest) -> JsonResponse:
    pending = state.pending_sign_in(request)
    if pending is None:
        return json_error(_START_AGAIN, code="expired")
    passkeys = passkeys_for(pending.user)
    if not passkeys:
        return json_error("There is no passkey on this account. Use another way.")
    options, challenge = authentication_options(passkeys=passkeys)
    state.challenge_keep(request, state.AUTHENTICATE, challenge)
    return JsonResponse({"publicKey": options})


@require_POST
def login_verify_passkey(request: HttpRequest) -> HttpResponse:
    pending = state.pending_sign_in(request)
    if pending is None:
        return json_error(_START_AGAIN, code="expired")
    if _locked(request, pending.user):
        state.pending_clear(request)
        return json_error(
            "Sign-in to this account is locked for a while after too many wrong tries.",
            code="locked_out",
            status=403,
        )
    issued = state.challenge_take(request, state.AUTHENTICATE)
    credential = parse_json_body(request.body)
    if issued is None:
        return json_error("That took too long. Try your passkey again.", code="expired")
    passkey = (
        services.passkey_check(
            user=pending.user,
            credential=credential,
            challenge=issued[0],
            origins=expected_origins(request),
        )
        if credential is not None
        else None
    )
    if passkey is None:
        _failed(request, pending.user)
        return json_error(
            "That passkey could not be used to sign in. Try again, or use another way.",
            code="passkey_refused",
        )
    return _complete(request, pending, method=SignInMethod.PASSWORD_PASSKEY, device=None, json=True)
