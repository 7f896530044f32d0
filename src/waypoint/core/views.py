from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from waypoint.core.errors import WaypointError
from waypoint.core.forms import apply_service_errors

P = ParamSpec("P")


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    submit: str,
    back_url: str,
    back_text: str,
    caption: str = "",
    intro: str = "",
) -> HttpResponse:
    """A form posted from a busy page, shown again on its own page because something in it needs
    correcting (422): the NHS.UK error summary, the error beside each field, the values kept.

    Errors about a field belong beside the field, never in a banner at the top of another page.
    """
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "back_url": back_url,
            "back_text": back_text,
            "caption": caption,
            "intro": intro,
        },
        status=422,
    )


def form_service_call(
    request: HttpRequest, form: forms.Form, call: Callable[[], object], *, done: str
) -> bool:
    """Run the service behind a valid form. True when it worked (``done`` is shown as a success);
    otherwise its errors go onto ``form``, beside their fields, and the page is shown again. A
    record out of scope stays a 404, never a form error."""
    try:
        call()
    except WaypointError as exc:
        if exc.status_code == 404:
            raise
        apply_service_errors(form, exc)
        return False
    messages.success(request, done)
    return True
