"""Setting up two-step verification from the account security page. Each view parses, calls one
service and answers; the rules are in services.py."""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from waypoint.access.mfa import services, state
from waypoint.access.mfa.forms import AuthenticatorCodeForm, PasskeyNameForm
from waypoint.access.mfa.passkeys import expected_origins, parse_json_body, registration_options
from waypoint.access.mfa.selectors import authenticator_for, passkeys_for
from waypoint.access.signin import SignInMethod, signed_in_by
from waypoint.accounts.http import acting_user
from waypoint.core.errors import NotFound, WaypointError
from waypoint.core.forms import apply_service_errors

_SECURITY = "account_security"


def session_verified(request: HttpRequest) -> bool:
    method = signed_in_by(request)
    return method is not None and method.has_second_factor


def json_error(message: str, *, code: str = "bad_request", status: int = 400) -> JsonResponse:
    """The one error envelope, as the API answers."""
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _after_adding(request: HttpRequest, added: services.Added, what: str) -> str:
    """Where to go once a method is set up: the new recovery codes if some were made, else the
    security page."""
    messages.success(request, f"{what} is set up. You will be asked for it when you sign in.")
    if added.recovery_codes:
        state.new_codes_keep(request, added.recovery_codes)
        return reverse("mfa_recovery_codes")
    return reverse(_SECURITY)


@login_required
def authenticator_add(request: HttpRequest) -> HttpResponse:
    """The QR code and the secret written out, and a box for the code that proves the app has
    it. Nothing is saved until that code is right."""
    user = acting_user(request)
    if authenticator_for(user) is not None:
        messages.info(request, "You already have an authenticator app set up.")
        return redirect(_SECURITY)
    key = state.totp_setup_key(request)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.authenticator_add(
                actor=user,
                key=key,
                code=form.cleaned_data["code"],
                session_verified=session_verified(request),
            )
        except WaypointError as exc:
            apply_service_errors(form, exc)
        else:
            state.totp_setup_clear(request)
            assert isinstance(added.device, TOTPDevice)  # noqa: S101  # authenticator_add's
            state.second_step_proved(
                request, method=SignInMethod.PASSWORD_TOTP, device=added.device
            )
            return redirect(_after_adding(request, added, "Your authenticator app"))
    # The otpauth:// address an app reads from the QR code (django-otp builds it, issuer and all).
    uri = TOTPDevice(user=user, key=key).config_url
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")
    return render(
        request,
        "access/mfa/authenticator_add.html",
        {
            "form": form,
            "qr_data_uri": qr,
            "secret": _grouped(b32encode(unhexlify(key)).decode("ascii")),
        },
    )


@login_required
@require_POST
def authenticator_remove(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    try:
        services.authenticator_remove(actor=user, session_verified=session_verified(request))
    except NotFound:
        messages.info(request, "There is no authenticator app to remove.")
    except WaypointError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Your authenticator app is removed. Its codes no longer work.")
    return redirect(_SECURITY)


@login_required
@require_POST
def passkey_options(request: HttpRequest) -> JsonResponse:
    """Step one of adding a passkey: the options for ``navigator.credentials.create``. The
    challenge and the name stay in the session for step two."""
    user = acting_user(request)
    form = PasskeyNameForm(parse_json_body(request.body) or {})
    if not form.is_valid():
        return json_error(str(form.errors["name"][0]), code="validation_failed", status=422)
    options, challenge = registration_options(user=user, existing=passkeys_for(user))
    state.challenge_keep(request, state.REGISTER, challenge, name=form.cleaned_data["name"])
    return JsonResponse({"publicKey": options})


@login_required
@require_POST
def passkey_add(request: HttpRequest) -> JsonResponse:
    """Step two: the browser's answer is checked against the challenge, which is then spent."""
    user = acting_user(request)
    issued = state.challenge_take(request, state.REGISTER)
    credential = parse_json_body(request.body)
    if issued is None:
        return json_error("That took too long. Try adding the passkey again.", code="expired")
    if credential is None:
        return json_error("The passkey could not be read. Try again.")
    challenge, name = issued
    try:
        added = services.passkey_add(
            actor=user,
            name=name,
            credential=credential,
            challenge=challenge,
            origins=expected_origins(request),
            session_verified=session_verified(request),
        )
    except WaypointError as exc:
        return json_error(exc.message, code=exc.code, status=exc.status_code)
    state.second_step_proved(request, method=SignInMethod.PASSWORD_PASSKEY, device=None)
    return JsonResponse({"redirect": _after_adding(request, added, f"Your passkey ‘{name}’")})


@login_required
@require_POST
def passkey_remove(request: HttpRequest, passkey_id: int) -> HttpResponse:
    user = acting_user(request)
    try:
        services.passkey_remove(
            actor=user, passkey_id=passkey_id, session_verified=session_verified(request)
        )
    except NotFound:
        messages.info(request, "That passkey was already removed.")
    except WaypointError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The passkey is removed. It can no longer be used to sign in.")
    return redirect(_SECURITY)


@login_required
@require_GET
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown this once."""
    codes = state.new_codes_take(request)
    if not codes:
        return redirect(_SECURITY)
    return render(request, "access/mfa/recovery_codes.html", {"codes": codes})


@login_required
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    try:
        codes = services.recovery_codes_regenerate(
            actor=user, session_verified=session_verified(request)
        )
    except WaypointError as exc:
        messages.error(request, exc.message)
        return redirect(_SECURITY)
    state.new_codes_keep(request, codes)
    messages.success(request, "You have 10 new recovery codes. The old ones no longer work.")
    return redirect("mfa_recovery_codes")
