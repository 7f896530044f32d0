"""Patient → the person to register or match (NHS number first, then any identifier)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from waypoint.fhir.mapping import codes
from waypoint.fhir.mapping.inbound.common import _Work, fhir_date
from waypoint.fhir.mapping.inbound.records import EntryRef, PatientIn
from waypoint.fhir.mapping.issues import Issue, error
from waypoint.registry.rules.nhs_number import InvalidNhsNumber, normalise_nhs_number


def _patient(work: _Work, entry: EntryRef) -> None:
    r = entry.raw
    p = entry.path
    problems: list[Issue] = []
    names = [n for n in r.get("name") or [] if isinstance(n, Mapping)]
    name = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    given = " ".join(str(g) for g in name.get("given") or []).strip()
    family = str(name.get("family") or "").strip()
    if not given or not family:
        problems.append(
            error("required", "Patient: a given and a family name are required.", p + ".name")
        )
    birth = fhir_date(r.get("birthDate"))
    if birth is None:
        problems.append(
            error(
                "required", "Patient: a full birthDate (YYYY-MM-DD) is required.", p + ".birthDate"
            )
        )
    sex = str(r.get("gender") or "unknown")
    nhs = ""
    identifiers: list[tuple[str, str]] = []
    for i, ident in enumerate(r.get("identifier") or []):
        system = str(ident.get("system") or "").strip()
        value = str(ident.get("value") or "").strip()
        if system == codes.NHS_NUMBER:
            try:
                nhs = normalise_nhs_number(value)
            except InvalidNhsNumber as exc:
                problems.append(error("value", f"Patient: {exc}", f"{p}.identifier[{i}].value"))
        elif system and value:
            if len(system) > 255 or len(value) > 100:
                problems.append(
                    error("too-long", "Patient: identifier too long.", f"{p}.identifier[{i}]")
                )
            else:
                identifiers.append((system, value))
    if not nhs and not identifiers:
        problems.append(
            error(
                "required",
                "Patient: an NHS number or another identifier (system and value) is required, "
                "so that a second import recognises the person.",
                p + ".identifier",
            )
        )
    phone = email = ""
    for t in r.get("telecom") or []:
        if t.get("system") == "phone" and not phone:
            phone = str(t.get("value") or "")[:32]
        elif t.get("system") == "email" and not email:
            email = str(t.get("value") or "")
    addresses = [a for a in r.get("address") or [] if isinstance(a, Mapping)]
    address = next(
        (a for a in addresses if a.get("use") == "home"), addresses[0] if addresses else {}
    )
    postcode = str(address.get("postalCode") or "").strip()[:10]
    lines = [*(address.get("line") or []), address.get("city") or ""]
    address_text = ", ".join(str(x).strip() for x in lines if str(x).strip())
    died_on: dt.date | None = None
    if r.get("deceasedDateTime"):
        died_on = fhir_date(r["deceasedDateTime"])
        if died_on is None:
            problems.append(
                error(
                    "value",
                    "Patient: deceasedDateTime must be a full date.",
                    p + ".deceasedDateTime",
                )
            )
    elif r.get("deceasedBoolean") is True:
        problems.append(
            error(
                "required",
                "Patient: deceasedBoolean is true but no date is given; Waypoint needs the date "
                "of death (send deceasedDateTime) so that nobody contacts the family in error.",
                p + ".deceasedBoolean",
            )
        )
    work.issues.extend(problems)
    if problems:
        return
    assert birth is not None  # noqa: S101  # a problem above otherwise
    work.patients[entry.index] = PatientIn(
        entry=entry,
        given_name=given[:100],
        family_name=family[:100],
        birth_date=birth,
        sex=sex,
        nhs_number=nhs,
        identifiers=tuple(identifiers),
        phone=phone,
        email=email,
        postcode=postcode,
        address=address_text,
        died_on=died_on,
    )
