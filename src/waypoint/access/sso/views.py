"""Signing in through an OpenID Connect provider: the redirect there, and the way back.

Every failure (the person said no at the provider, the provider is down, a token that does not
verify, an identity Waypoint does not know) ends on a page that says what happened in plain words
and offers the ordinary sign-in, and is recorded in the audit trail as a refused sign-in. None is
a server error.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from waypoint.access.signin import SIGN_IN_OBJECT, SignInMethod, sign_in_complete
from waypoint.access.sso.client import (
    SsoFailed,
    VerifiedIdentity,
    authorization_redirect,
    identity_from_callback,
)
from waypoint.access.sso.config import (
    PATIENT,
    STAFF,
    PatientProviderConfig,
    ProviderConfig,
    StaffProviderConfig,
)
from waypoint.access.sso.services import (
    NotRecognised,
    patient_sso_user,
    pending_patient_identity_from,
    pending_patient_identity_store,
    staff_sso_user,
)
from waypoint.accounts.models import User
from waypoint.audit.services import access_denied_record
from waypoint.core.http import client_address

NEXT_KEY = "waypoint_sso_next"
# The portal's page that links a verified NHS login to the registry record, or sends the person
# through an invitation's date-of-birth check. Looked up by name: the portal sits above this app.
PORTAL_LINK_URL_NAME = "portal_sso_link"


def _config(provider: str) -> ProviderConfig:
    """The provider's configuration; 404 when it is not configured, so an unconfigured
    deployment shows no trace of single sign-on."""
    config: ProviderConfig | None = {
        STAFF: settings.WAYPOINT_OIDC_STAFF,
        PATIENT: settings.WAYPOINT_OIDC_PATIENT,
    }.get(provider)
    if config is None:
        raise Http404
    return config


def _redirect_uri(provider: str) -> str:
    """The callback as registered at the provider: on WAYPOINT_BASE_URL, not on whatever host
    the request named, so it is always exactly the address the provider knows."""
    return settings.WAYPOINT_BASE_URL + reverse("sso_callback", args=[provider])


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _refuse(
    request: HttpRequest,
    *,
    config: ProviderConfig,
    reason: str,
    detail: str,
    template: str,
    status: int,
    user: User | None = None,
) -> HttpResponse:
    access_denied_record(
        reason=reason,
        object_type=SIGN_IN_OBJECT,
        address=client_address(request),
        detail=f"{config.provider} single sign-on: {detail}",
        actor=user,
        object_id=user.pk if user is not None else "",
    )
    request.session.pop(NEXT_KEY, None)
    return render(
        request,
        template,
        {"provider": config.provider, "config": config, "reason": reason},
        status=status,
    )


# Failures on Waypoint's or the provider's side, not the person's: answered as an outage (502).
OUTAGES = frozenset({"sso_provider_unreachable", "sso_client_key_unreadable"})


def _failed(request: HttpRequest, config: ProviderConfig, failure: SsoFailed) -> HttpResponse:
    status = 502 if failure.reason in OUTAGES else 400
    return _refuse(
        request,
        config=config,
        reason=failure.reason,
        detail=failure.detail,
        template="access/sso/failed.html",
        status=status,
    )


@require_GET
def sso_start(request: HttpRequest, provider: str) -> HttpResponse:
    config = _config(provider)
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next", ""))
    try:
        return authorization_redirect(
            request, config=config, redirect_uri=_redirect_uri(config.provider)
        )
    except SsoFailed as failure:
        return _failed(request, config, failure)


@require_GET
def sso_callback(request: HttpRequest, provider: str) -> HttpResponse:
    config = _config(provider)
    try:
        identity = identity_from_callback(request, config=config)
    except SsoFailed as failure:
        return _failed(request, config, failure)
    if isinstance(config, StaffProviderConfig):
        return _staff_signed_in(request, config, identity)
    assert isinstance(config, PatientProviderConfig)  # noqa: S101  # the two kinds of provider
    return _patient_signed_in(request, config, identity)


def _complete(request: HttpRequest, user: User, method: SignInMethod) -> HttpResponse:
    # Taken before signing in: Django's login() starts a new session for a different person.
    nxt = _safe_next(request, request.session.pop(NEXT_KEY, "") or "")
    response = HttpResponseRedirect(nxt or resolve_url(settings.LOGIN_REDIRECT_URL))
    sign_in_complete(request, user=user, method=method, response=response)
    return response


def _staff_signed_in(
    request: HttpRequest, config: StaffProviderConfig, identity: VerifiedIdentity
) -> HttpResponse:
    try:
        user = staff_sso_user(config=config, identity=identity)
    except NotRecognised as refusal:
        return _refuse(
            request,
            config=config,
            reason=refusal.reason,
            detail=f"subject {identity.subject} at {identity.issuer}",
            template="access/sso/staff_not_recognised.html",
            status=403,
            user=refusal.user,
        )
    return _complete(request, user, SignInMethod.STAFF_SSO)


def _patient_signed_in(
    request: HttpRequest, config: PatientProviderConfig, identity: VerifiedIdentity
) -> HttpResponse:
    try:
        user = patient_sso_user(identity=identity)
    except NotRecognised as refusal:
        return _refuse(
            request,
            config=config,
            reason=refusal.reason,
            detail=f"subject {identity.subject} at {identity.issuer}",
            template="access/sso/patient_not_allowed.html",
            status=403,
            user=refusal.user,
        )
    if user is not None:
        return _complete(request, user, SignInMethod.PATIENT_SSO)
    pending_patient_identity_store(
        request.session, pending_patient_identity_from(config=config, identity=identity)
    )
    try:
        return HttpResponseRedirect(reverse(PORTAL_LINK_URL_NAME))
    except NoReverseMatch:
        return HttpResponseRedirect(reverse("sso_patient_unknown"))


@require_GET
def sso_patient_unknown(request: HttpRequest) -> HttpResponse:
    """Where a person whose NHS login worked lands while the portal has no page to link it."""
    config = _config(PATIENT)
    return render(request, "access/sso/patient_unknown.html", {"config": config})
