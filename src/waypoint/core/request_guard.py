"""The checks every request passes before any view, form or API schema sees it.

Two things no part of Waypoint can store or handle safely are refused here, once, for pages, the
JSON API and /fhir alike, before anything reads the body or touches the database:

* **A body larger than its path allows** answers 413 with the limit in the message. The limit is
  read from ``Content-Length`` before the body is read, so an oversized upload is never held in
  memory. ``POST /fhir`` takes whole hospital bundles (``WAYPOINT_FHIR_MAX_BODY_BYTES``, 64 MiB
  by default); the JSON API and pages take ``WAYPOINT_MAX_BODY_BYTES`` (2.5 MiB by default,
  Django's own limit, some hundred times the largest form or API write). A body sent without
  ``Content-Length``
  reaches Django as empty (WSGI reads only what ``Content-Length`` announces), so nothing gets
  past the check that way.
* **A NUL character (U+0000)** anywhere in the path, a query parameter, a form field or a JSON
  value or key answers 422 naming the field. PostgreSQL cannot store NUL in text, and no
  person types one; Django's form fields refuse it already, this refuses it everywhere else
  (API schemas, query parameters, FHIR bundles) in the same words.

Answers use the caller's own error format: the API's envelope, FHIR's OperationOutcome, or a page.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

NUL = "\x00"
NUL_MESSAGE = "Remove the NUL character (U+0000): it cannot be stored."
# How a NUL appears in a JSON body: escaped (the only valid way) or raw (invalid JSON, refused
# anyway, but named here so the answer says why).
_JSON_NUL = (b"\\u0000", b"\x00")


def _is_fhir(path: str) -> bool:
    return path == "/fhir" or path.startswith("/fhir/")


def body_limit(request: HttpRequest) -> int:
    """The largest body, in bytes, this request may carry."""
    if request.method == "POST" and _is_fhir(request.path):
        return int(settings.WAYPOINT_FHIR_MAX_BODY_BYTES)
    return int(settings.WAYPOINT_MAX_BODY_BYTES)


def _mebibytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB"


def _json_nul_paths(value: Any, path: tuple[str, ...] = ()) -> Iterator[str]:
    """Dotted paths (``items.0.note``, as the API names fields) of strings holding a NUL."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(value, path)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                yield ".".join(at) or "body"
        elif isinstance(item, dict):
            for key, child in item.items():
                if NUL in key:
                    yield ".".join(at) or "body"
                stack.append((child, (*at, str(key).replace(NUL, ""))))
        elif isinstance(item, list):
            stack.extend((child, (*at, str(index))) for index, child in enumerate(item))


def nul_fields(request: HttpRequest) -> list[str]:
    """Every field of the request that holds a NUL, in the order a person would read them."""
    found: list[str] = []
    if NUL in request.path:
        found.append("path")
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in v for v in values):
            found.append(name.replace(NUL, ""))
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return found
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, values in request.POST.lists():
            if NUL in name or any(NUL in v for v in values):
                found.append(name.replace(NUL, ""))
        return found
    body = request.body
    if not any(marker in body for marker in _JSON_NUL):
        return found
    if b"\x00" in body:
        return [*found, "body"]
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return found  # not JSON: the view refuses it with its own message
    return found + sorted(set(_json_nul_paths(parsed)))


def _refuse(
    request: HttpRequest, status: int, message: str, fields: dict[str, str]
) -> HttpResponse:
    if request.path.startswith("/api/"):
        code = "payload_too_large" if status == 413 else "validation_failed"
        body = {"error": {"code": code, "message": message, "fields": fields}}
        return JsonResponse(body, status=status)
    if _is_fhir(request.path):
        issue_type = "too-costly" if status == 413 else "value"
        issues = [
            {"severity": "error", "code": issue_type, "diagnostics": text, "expression": [field]}
            for field, text in fields.items()
        ] or [{"severity": "error", "code": issue_type, "diagnostics": message}]
        return HttpResponse(
            json.dumps({"resourceType": "OperationOutcome", "issue": issues}),
            status=status,
            content_type="application/fhir+json; fhirVersion=4.0.1; charset=utf-8",
        )
    return render(request, "400.html", {"back_url": "/", "message": message}, status=status)


class RequestGuardMiddleware:
    """Refuses oversized bodies (413) and NUL characters (422) before any view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body for a malformed length
        if length > limit:
            message = (
                f"The request is {_mebibytes(length)}; the most this address accepts is "
                f"{_mebibytes(limit)}."
            )
            return _refuse(request, 413, message, {})
        fields = nul_fields(request)
        if fields:
            return _refuse(
                request,
                422,
                "Some of the data sent contains a NUL character (U+0000), which cannot be "
                "stored. Nothing was changed.",
                dict.fromkeys(fields, NUL_MESSAGE),
            )
        return self.get_response(request)
