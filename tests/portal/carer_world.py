"""A carer who has accepted the person's invitation, built through the registry's services."""

from __future__ import annotations

from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.registry.models import Patient, ProxyAccess
from waypoint.registry.services.proxies import (
    ProxyScopes,
    proxy_grant,
    proxy_invitation_accept,
)

CARER_PASSWORD = "lantern-orchard-pebble-42"


def accepted_carer(
    *,
    granted_by: User,
    patient: Patient,
    username: str = "sam",
    name: str = "Sam Patel",
    relationship: str = "daughter",
    existing: User | None = None,
    **scopes: bool,
) -> ProxyAccess:
    """``patient`` (signed in as ``granted_by``) gives ``name`` access with ``scopes``, and they
    accept: with a new account called ``username``, or with ``existing``."""
    granted = proxy_grant(
        actor=granted_by,
        patient_id=patient.pk,
        name=name,
        relationship=relationship,
        email=f"{username}@example.org",
        scopes=ProxyScopes(**scopes),
        now=timezone.now(),
    )
    proxy_invitation_accept(
        invitation_id=granted.invitation.pk,
        now=timezone.now(),
        existing_carer=existing,
        username="" if existing else username,
        password="" if existing else CARER_PASSWORD,
    )
    granted.proxy.refresh_from_db()
    return granted.proxy


def carer_of(proxy: ProxyAccess) -> User:
    assert proxy.carer is not None
    return proxy.carer
