"""Search parameters, read from the query string and checked against the table the
CapabilityStatement publishes (``mapping.outbound.capability.SEARCH_PARAMS``).

Unknown parameters answer 400 by default: a filter silently dropped would hand a receiving
system more than it asked for and let it believe otherwise. ``Prefer: handling=lenient`` (FHIR R4
§3.1.1.5.1) ignores them instead, and the Bundle says which were ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.http import QueryDict

from waypoint.core.bounds import MAX_OFFSET
from waypoint.core.errors import ValidationFailed, WaypointError
from waypoint.fhir.mapping.outbound.capability import (
    PATIENT_OPTIONAL,
    RESULT_PARAMS,
    SEARCH_PARAMS,
)

DEFAULT_COUNT = 50
MAX_COUNT = 200
JSON_FORMATS = frozenset({"json", "application/json", "application/fhir+json"})
# Accepted and without effect: the JSON is always pretty enough to parse.
HARMLESS = frozenset({"_pretty"})
_DATE_PREFIXES = ("eq", "lt", "le", "gt", "ge")
_REFERENCE = re.compile(r"(?:(?:.*/)?Patient/)?(?P<id>\d{1,18})")


class BadSearch(ValidationFailed):
    """A search FHIR calls a bad request (R4 §3.1.1.5.1): 400, with every bad parameter named."""

    status_code = 400


class NotAcceptable(WaypointError):
    status_code = 406
    code = "not_acceptable"


NOT_SUPPORTED = "Not supported here (send Prefer: handling=lenient to ignore it)."


@dataclass(frozen=True)
class Query:
    resource_type: str
    patient_id: int | None = None
    ids: frozenset[str] | None = None
    identifier_system: str | None = None
    identifier_value: str = ""
    family: str = ""
    given: str = ""
    birthdate: tuple[str, dt.date] | None = None
    count: int = DEFAULT_COUNT
    offset: int = 0
    ignored: tuple[str, ...] = ()


def check_format(params: QueryDict) -> None:
    wanted = params.get("_format", "json").strip().lower()
    if wanted not in JSON_FORMATS:
        raise NotAcceptable(
            "Only JSON is served.", fields={"_format": "Use json or application/fhir+json."}
        )


def _number(raw: str, name: str, errors: dict[str, str], *, maximum: int | None) -> int:
    try:
        value = int(raw)
    except ValueError:
        errors[name] = "Give a whole number."
        return 0
    if value < 0:
        errors[name] = "Give 0 or more."
    if maximum is not None and value > maximum:
        errors[name] = f"At most {maximum}."
    return value


def patient_reference(raw: str, name: str, errors: dict[str, str]) -> int | None:
    match = _REFERENCE.fullmatch(raw.strip())
    if match is None:
        errors[name] = "Give the person's id: 123 or Patient/123."
        return None
    return int(match["id"])


def unknown_params(params: QueryDict, allowed: set[str]) -> list[str]:
    """Names outside ``allowed``, modifiers (``family:exact``) included."""
    return sorted(name for name in params if name not in allowed and name not in HARMLESS)


def parse(resource_type: str, params: QueryDict, *, lenient: bool) -> Query:
    check_format(params)
    known = {p.name for p in SEARCH_PARAMS[resource_type]} | {p.name for p in RESULT_PARAMS}
    errors: dict[str, str] = {}
    unknown = unknown_params(params, known)
    if unknown and not lenient:
        raise BadSearch(
            "This server does not support these search parameters.",
            fields=dict.fromkeys(unknown, NOT_SUPPORTED),
        )
    values: dict[str, str] = {}
    for name in known:
        given = params.getlist(name)
        if len(given) > 1:
            errors[name] = "Give this parameter once."
        elif given:
            values[name] = given[0]
    count = (
        _number(values["_count"], "_count", errors, maximum=MAX_COUNT)
        if "_count" in values
        else DEFAULT_COUNT
    )
    offset = (
        _number(values["_offset"], "_offset", errors, maximum=MAX_OFFSET)
        if "_offset" in values
        else 0
    )
    patient_id = None
    for name in ("patient", "subject"):
        if name in values:
            found = patient_reference(values[name], name, errors)
            if patient_id is not None and found != patient_id:
                errors[name] = "patient and subject name different people."
            patient_id = found if patient_id is None else patient_id
    if resource_type not in PATIENT_OPTIONAL and patient_id is None and "patient" not in errors:
        errors["patient"] = "Say whose resources: patient=123 (or subject=Patient/123)."
    ids = (
        frozenset(v.strip() for v in values["_id"].split(",") if v.strip())
        if "_id" in values
        else None
    )
    system: str | None = None
    value = ""
    if "identifier" in values:
        raw = values["identifier"]
        if "|" in raw:
            system, value = raw.split("|", 1)
        else:
            value = raw
        value = value.strip()
        if not value:
            errors["identifier"] = "Give system|value or a value."
        if resource_type == "Patient" and system == "https://fhir.nhs.uk/Id/nhs-number":
            value = value.replace(" ", "")
    birthdate = None
    if "birthdate" in values:
        raw = values["birthdate"].strip()
        prefix = raw[:2] if raw[:2] in _DATE_PREFIXES else "eq"
        text = raw[2:] if raw[:2] in _DATE_PREFIXES else raw
        try:
            birthdate = (prefix, dt.date.fromisoformat(text))
        except ValueError:
            errors["birthdate"] = (
                "Give a date as YYYY-MM-DD, optionally after eq, lt, le, gt or ge."
            )
    if errors:
        raise BadSearch("The search could not be run.", fields=errors)
    return Query(
        resource_type=resource_type,
        patient_id=patient_id,
        ids=ids,
        identifier_system=system,
        identifier_value=value,
        family=values.get("family", "").strip(),
        given=values.get("given", "").strip(),
        birthdate=birthdate,
        count=count,
        offset=offset,
        ignored=tuple(unknown),
    )


def parse_plain(params: QueryDict, *, lenient: bool) -> Query:
    """A read or Patient/$everything: no parameters but ``_format``."""
    check_format(params)
    unknown = unknown_params(params, {"_format"})
    if unknown and not lenient:
        raise BadSearch(
            "This request takes no parameters but _format.",
            fields=dict.fromkeys(unknown, NOT_SUPPORTED),
        )
    return Query(resource_type="Patient", ignored=tuple(unknown))
