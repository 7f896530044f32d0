"""The import endpoint: ``POST /fhir`` with a Bundle (docs/fhir.md)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse

from waypoint.accounts.models import User
from waypoint.fhir.http import Issue, fhir_response, fhir_view, operation_outcome, outcome_response
from waypoint.fhir.importing import bundle_import, bundle_response

TRUE = {"true", "1", "yes"}
# The deepest nesting of objects and lists a bundle may have. A Bundle's deepest real paths
# (entry.resource.contained.extension.extension.valueCodeableConcept.coding) are about a dozen
# levels; the limit keeps every later step (validation, hashing) far from Python's recursion limit.
MAX_JSON_DEPTH = 64


def nested_deeper_than(value: object, limit: int) -> bool:
    """Whether ``value`` nests dicts and lists more than ``limit`` levels (walked without
    recursion, so any depth is measured safely)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: list[object] = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


@fhir_view(methods=["POST"])
def bundle_post(request: HttpRequest, *, actor: User) -> HttpResponse:
    try:
        bundle = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return outcome_response(400, Issue("error", "structure", "The body is not JSON."))
    except RecursionError:
        bundle = None  # nested past what the parser follows: refused below with the limit
    if bundle is None or nested_deeper_than(bundle, MAX_JSON_DEPTH):
        return outcome_response(
            400,
            Issue(
                "error",
                "structure",
                f"The body nests objects and lists more than {MAX_JSON_DEPTH} levels deep; "
                "no FHIR resource needs that many.",
            ),
        )
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        return outcome_response(
            400, Issue("error", "invalid", "Send a Bundle (transaction, batch or collection).")
        )
    team = request.GET.get("team", "").strip()
    if team and not team.isdigit():
        return outcome_response(400, Issue("error", "value", "team must be a team id."))
    dry_run = (
        request.GET.get("_dryRun", "").lower() in TRUE
        or request.headers.get("X-Dry-Run", "").lower() in TRUE
    )
    report = bundle_import(
        actor=actor, bundle=bundle, team_id=int(team) if team else None, dry_run=dry_run
    )
    if not report.ok:
        return fhir_response(operation_outcome(report.issues), status=422)
    if report.bundle_type in ("transaction", "batch") and not dry_run:
        response = bundle_response(report, bundle)
        # The issues travel on the first entry's response.outcome (FHIR R4 Bundle.entry.response
        # .outcome: "an OperationOutcome with hints and warnings").
        if response["entry"]:
            response["entry"][0]["response"]["outcome"] = operation_outcome(report.issues)
        status = 201 if report.created else 200
        return fhir_response(response, status=status)
    return fhir_response(
        operation_outcome(report.issues), status=201 if report.created and not dry_run else 200
    )
