"""The export's endpoints: thin views that parse, call one service, and render FHIR JSON.

``GET /fhir/metadata`` answers without credentials: it describes the server, holds no person's
data, and FHIR clients (fhirclient among them) read it before they authenticate.
"""

from __future__ import annotations

from importlib import metadata as package_metadata
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.core.errors import NotFound, WaypointError
from waypoint.core.http import access_reason
from waypoint.fhir.export import search, services
from waypoint.fhir.http import Issue, fhir_response, fhir_view, operation_outcome, outcome_response
from waypoint.fhir.mapping.outbound.bundle import Links, searchset
from waypoint.fhir.mapping.outbound.capability import SEARCH_PARAMS, capability_statement

# The day the capability statement's content last changed (its ``date``).
PUBLISHED = "2026-12-01"


def _software_version() -> str:
    try:
        return package_metadata.version("waypoint")
    except package_metadata.PackageNotFoundError:
        return "0.1.0"


def fhir_base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir")


def metadata(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = outcome_response(
            405, Issue("error", "not-supported", f"{request.method} is not supported here.")
        )
        response["Allow"] = "GET, HEAD"
        return response
    try:
        search.check_format(request.GET)
    except WaypointError as exc:  # metadata is served without fhir_view, which would map it
        return outcome_response(
            exc.status_code, Issue("error", "not-supported", exc.fields.get("_format", exc.message))
        )
    statement = capability_statement(
        base=fhir_base(request), software_version=_software_version(), published=PUBLISHED
    )
    return fhir_response(statement)


def _known_type(resource_type: str) -> None:
    if resource_type not in SEARCH_PARAMS:
        raise NotFound(
            f"Waypoint does not serve {resource_type[:40]} resources.",
            fields={"type": "Not served here; /fhir/metadata lists what is."},
        )


def _lenient(request: HttpRequest) -> bool:
    prefer = request.headers.get("Prefer", "").replace(" ", "").lower()
    return "handling=lenient" in prefer.split(",")


def _url(request: HttpRequest, params: list[tuple[str, str]]) -> str:
    base = request.build_absolute_uri(request.path)
    return f"{base}?{urlencode(params)}" if params else base


def _links(request: HttpRequest, query: search.Query, total: int) -> Links:
    """Self is the search as run (parameters ignored left out); next and previous move
    ``_offset`` by ``_count``."""
    kept = [
        (name, str(value))
        for name, value in request.GET.items()
        if name not in query.ignored and name not in ("_offset", "_count")
    ]

    def at(offset: int) -> str:
        return _url(request, [*kept, ("_count", str(query.count)), ("_offset", str(offset))])

    next_url = (
        at(query.offset + query.count) if query.count and query.offset + query.count < total else ""
    )
    previous_url = (
        at(max(0, query.offset - query.count)) if query.count and query.offset > 0 else ""
    )
    return Links(
        self=at(query.offset),
        next=next_url,
        previous=previous_url,
        first=at(0) if query.offset > 0 else "",
    )


def _ignored_outcome(query: search.Query) -> dict[str, object] | None:
    if not query.ignored:
        return None
    return operation_outcome(
        [
            Issue(
                "warning",
                "not-supported",
                f"Search parameter {name} is not supported and was ignored.",
                (name,),
            )
            for name in query.ignored
        ]
    )


@fhir_view(methods=["GET", "HEAD"])
def search_type(request: HttpRequest, resource_type: str, *, actor: User) -> HttpResponse:
    _known_type(resource_type)
    query = search.parse(resource_type, request.GET, lenient=_lenient(request))
    reason = access_reason(request)
    if resource_type == "Questionnaire":
        found = services.questionnaire_search(query)
    elif resource_type == "Patient":
        found = services.fhir_patient_search(
            actor=actor, query=query, reason=reason, detail=f"FHIR {request.GET.urlencode()}"[:300]
        )
    else:
        found = services.fhir_search_by_patient(
            actor=actor, query=query, reason=reason, today=timezone.localdate()
        )
    bundle = searchset(
        base=fhir_base(request),
        canonical=settings.WAYPOINT_FHIR_BASE_URL,
        resources=found.resources,
        total=found.total,
        links=_links(request, query, found.total),
        outcome=_ignored_outcome(query),
    )
    return fhir_response(bundle)


@fhir_view(methods=["GET", "HEAD"])
def read(
    request: HttpRequest, resource_type: str, resource_id: str, *, actor: User
) -> HttpResponse:
    _known_type(resource_type)
    search.parse_plain(request.GET, lenient=_lenient(request))
    if resource_type == "Questionnaire":
        return fhir_response(services.questionnaire_read(resource_id=resource_id))
    resource = services.fhir_read(
        actor=actor,
        resource_type=resource_type,
        resource_id=resource_id,
        reason=access_reason(request),
        today=timezone.localdate(),
    )
    return fhir_response(resource)


@fhir_view(methods=["GET", "HEAD"])
def everything(request: HttpRequest, resource_id: str, *, actor: User) -> HttpResponse:
    """Not paged: one person's whole record is a few hundred resources at most, and a receiving
    system wants it whole. Only ``_format`` is accepted."""
    query = search.parse_plain(request.GET, lenient=_lenient(request))
    if not resource_id.isdigit():
        raise NotFound()
    found = services.fhir_everything(
        actor=actor,
        patient_id=int(resource_id),
        reason=access_reason(request),
        today=timezone.localdate(),
    )
    self_url = _url(
        request, [(n, str(v)) for n, v in request.GET.items() if n not in query.ignored]
    )
    bundle = searchset(
        base=fhir_base(request),
        canonical=settings.WAYPOINT_FHIR_BASE_URL,
        resources=found.resources,
        total=found.total,
        links=Links(self=self_url),
        outcome=_ignored_outcome(query),
    )
    return fhir_response(bundle)


def not_found(request: HttpRequest) -> HttpResponse:
    """Any other path under /fhir: an OperationOutcome rather than the site's HTML 404."""
    return outcome_response(
        404,
        Issue(
            "error", "not-found", "No such FHIR endpoint; see /fhir/metadata for what is served."
        ),
    )
