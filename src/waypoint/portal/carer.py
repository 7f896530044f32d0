"""The carer's pages: helping someone who has given them access (registry.services.proxies).

Every page opens the person's record through ``proxy_open`` with the purpose it serves, so each
visit is checked against what the person chose to share and written in the audit trail that the
person reads as "who has looked at your record". A grant that is not the carer's, has ended, or
belongs to someone who has died answers 404; a part the person has not shared answers 403. Both
are said kindly, since a carer may meet them just after the person changed their mind or died.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission
from waypoint.careteam.selectors import contact_for_patient
from waypoint.core.errors import Forbidden, NotFound
from waypoint.portal.symptom_views import Reporting, check_result, check_start, check_step
from waypoint.registry.models import ProxyAccess
from waypoint.registry.services.proxies import (
    ProxyPurpose,
    proxy_grants_for_carer,
    proxy_open,
)
from waypoint.support import resource_pack, selectors
from waypoint.support.models import Booking, BookingStatus

CarerView = Callable[..., HttpResponse]


def carer_page(view: CarerView) -> CarerView:
    """Only carers; the record-level refusals from ``proxy_open`` become the carer's own kind
    pages rather than the generic ones, which speak of accounts and permissions."""

    @permission_required(Permission.ACT_AS_PROXY)
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            return render(request, "portal/carer/gone.html", status=404)
        except Forbidden as exc:
            return render(
                request,
                "portal/carer/not_shared.html",
                {"message": exc.message, "proxy_id": kwargs.get("proxy_id")},
                status=403,
            )

    return wrapped


def _open(request: HttpRequest, proxy_id: int, purpose: ProxyPurpose) -> ProxyAccess:
    return proxy_open(actor=acting_user(request), proxy_id=proxy_id, purpose=purpose)


@carer_page
def home(request: HttpRequest) -> HttpResponse:
    grants = proxy_grants_for_carer(acting_user(request))
    if len(grants) == 1:
        return redirect("carer_person", proxy_id=grants[0].pk)
    return render(request, "portal/carer/home.html", {"grants": grants})


@carer_page
def person(request: HttpRequest, proxy_id: int) -> HttpResponse:
    proxy = _open(request, proxy_id, ProxyPurpose.CONTACTS)
    return render(
        request,
        "portal/carer/person.html",
        {
            "helping": proxy,
            "contact": contact_for_patient(proxy.patient, day=timezone.localdate()),
            "helps_more_than_one": len(proxy_grants_for_carer(acting_user(request))) > 1,
        },
    )


@carer_page
def appointments(request: HttpRequest, proxy_id: int) -> HttpResponse:
    proxy = _open(request, proxy_id, ProxyPurpose.APPOINTMENTS)
    patient = proxy.patient
    bookings = (
        Booking.objects.filter(
            patient=patient,
            status__in=(BookingStatus.BOOKED, BookingStatus.WAITING),
            session__starts_at__gte=timezone.now(),
            session__cancelled_at=None,
        )
        .select_related("session")
        .order_by("session__starts_at", "id")
    )
    return render(
        request,
        "portal/carer/appointments.html",
        {
            "helping": proxy,
            "contact": contact_for_patient(patient, day=timezone.localdate()),
            "bookings": bookings,
            "referrals": selectors.referrals_of(patient).order_by("-requested_at"),
        },
    )


@carer_page
def pack(request: HttpRequest, proxy_id: int) -> HttpResponse:
    proxy = _open(request, proxy_id, ProxyPurpose.RESOURCE_PACK)
    return render(
        request,
        "portal/carer/pack.html",
        {
            "helping": proxy,
            "contact": contact_for_patient(proxy.patient, day=timezone.localdate()),
            "sections": resource_pack.sections(),
        },
    )


def _reporting(request: HttpRequest, proxy_id: int) -> Reporting:
    proxy = _open(request, proxy_id, ProxyPurpose.REPORT_SYMPTOMS)
    return Reporting(proxy.patient, proxy)


@carer_page
def symptoms(request: HttpRequest, proxy_id: int) -> HttpResponse:
    return check_start(request, _reporting(request, proxy_id))


@carer_page
def symptom_step(request: HttpRequest, proxy_id: int, step: str) -> HttpResponse:
    return check_step(request, _reporting(request, proxy_id), step)


@carer_page
def symptom_result(request: HttpRequest, proxy_id: int, report_id: int) -> HttpResponse:
    return check_result(request, _reporting(request, proxy_id), report_id)
