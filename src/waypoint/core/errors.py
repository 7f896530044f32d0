"""One error hierarchy; the API maps every subclass to the envelope
``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations


class WaypointError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, code: str = ""):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code


class ValidationFailed(WaypointError):
    status_code = 422
    code = "validation_failed"


class NotFound(WaypointError):
    """Also raised for records outside the actor's scope, so that existence never leaks."""

    status_code = 404
    code = "not_found"

    def __init__(self, message: str = "Not found.", **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]  # forwards fields/code


class Forbidden(WaypointError):
    """For actions on resources the actor may know exist but may not change (their own record)."""

    status_code = 403
    code = "forbidden"


class Conflict(WaypointError):
    status_code = 409
    code = "conflict"
