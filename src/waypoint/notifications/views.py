from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission
from waypoint.notifications import selectors, services
from waypoint.notifications.models import OutboundMessage


@permission_required(Permission.MANAGE_OUTBOX)
def outbox(request: HttpRequest) -> HttpResponse:
    """Messages that failed after every retry: never dropped, listed here to send again."""
    return render(
        request,
        "notifications/outbox.html",
        {"failed": selectors.failed_messages()[:200], "counts": selectors.outbox_counts()},
    )


@require_POST
@permission_required(Permission.MANAGE_OUTBOX)
def retry(request: HttpRequest, message_id: int) -> HttpResponse:
    message = get_object_or_404(OutboundMessage, pk=message_id)
    services.message_retry(actor=acting_user(request), message=message, now=timezone.now())
    messages.success(request, "The message will be sent again.")
    return redirect("outbox")
