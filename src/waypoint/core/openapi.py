"""The error answers that /api/v1/openapi.json promises besides each operation's success.

Every error is the one envelope ``{"error": {"code", "message", "fields"}}`` (``ErrorOut``). The
statuses that follow from how every request is handled are added here, once, by rule, so that no
operation can forget them; an operation adds the ones that depend on what its service does
(``response={200: X, 404: ErrorOut}``), and those it declares are kept as declared.

By rule:

* 401 and 403 to every operation that needs a credential: no valid one, or a token whose account
  is locked out at the caller's address (accounts/bearer.py), a browser session's write without its
  CSRF token, or an action the service refuses this user;
* 422 to every operation: the request guard refuses a NUL character in any query parameter or in
  the path, and the schemas refuse bad values;
* 503 to every operation: the database being unavailable;
* 404 to every operation with a path parameter: the record does not exist or is out of scope;
* 400 and 413 to every operation with a body: not JSON, or larger than the limit;
* 409 and 429 to every write: a conflicting write (a lost race answers 409 whatever the
  service), and the per-token rate limit on writes.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Schema
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import Field


class ErrorDetailOut(Schema):
    code: str = Field(description="Stable, for programs: not_found, validation_failed, conflict, …")
    message: str = Field(description="For people, in plain words.")
    fields: dict[str, str] = Field(
        description="Each bad field's dotted path (`sites.1`) and what is wrong with it."
    )


class ErrorOut(Schema):
    """Every error Waypoint's API answers."""

    error: ErrorDetailOut


ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "The body is not valid JSON.",
    401: "No valid bearer token or session.",
    403: "You may not do this; or this token's account is locked out at your address; or a "
    "browser session sent no valid CSRF token.",
    404: "The record does not exist or is outside your scope (existence never leaks).",
    409: "This conflicts with the record's state or with a write at the same moment; "
    "nothing was changed.",
    413: "The body is larger than the API accepts.",
    422: "Some of the data sent is not valid; `fields` names each bad field. Nothing was changed.",
    429: "Too many writes with this token; wait for the time in `Retry-After`.",
    503: "The database is unavailable for a moment; try again after `Retry-After` seconds.",
}

_WRITES = frozenset({"post", "put", "patch", "delete"})
_ERROR_REF = {"$ref": REF_TEMPLATE.format(model=ErrorOut.__name__)}


def _statuses_by_rule(method: str, operation: dict[str, Any]) -> set[int]:
    statuses = {422, 503}
    if operation.get("security"):
        statuses |= {401, 403}
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        statuses.add(404)
    if "requestBody" in operation:
        statuses |= {400, 413}
    if method in _WRITES:
        statuses |= {409, 429}
    return statuses


def _error_response(status: int) -> dict[str, Any]:
    return {
        "description": ERROR_DESCRIPTIONS[status],
        "content": {"application/json": {"schema": dict(_ERROR_REF)}},
    }


def add_error_responses(document: dict[str, Any]) -> None:
    """Adds the error statuses to every operation of ``document`` and ``ErrorOut`` to its
    components; a status an operation declared keeps its declaration (with our wording)."""
    schema = ErrorOut.model_json_schema(
        ref_template=REF_TEMPLATE,
        schema_generator=NinjaGenerateJsonSchema,
        mode="serialization",
    )
    components = document["components"]["schemas"]
    components.update(schema.pop("$defs", {}))
    components[ErrorOut.__name__] = schema
    for operations in document["paths"].values():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status in sorted(_statuses_by_rule(method, operation) | set(responses)):
                if status < 400:
                    continue
                declared = responses.get(status)
                if declared is None:
                    responses[status] = _error_response(status)
                elif status in ERROR_DESCRIPTIONS:
                    declared["description"] = ERROR_DESCRIPTIONS[status]
            operation["responses"] = dict(sorted(responses.items()))


class WaypointAPI(NinjaAPI):
    """django-ninja's API with the error answers in its OpenAPI description."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        add_error_responses(document)
        return document
