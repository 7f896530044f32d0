"""The bundle: its entries, the per-person rules, and ``map_bundle``, the entry point."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any, cast

from waypoint.fhir.mapping.inbound.common import _Index, _Work, canonical_hash, validation_issues
from waypoint.fhir.mapping.inbound.conditions import _condition, _dedupe
from waypoint.fhir.mapping.inbound.medications import _medication
from waypoint.fhir.mapping.inbound.observations import _observation
from waypoint.fhir.mapping.inbound.patient import _patient
from waypoint.fhir.mapping.inbound.procedures import _procedure
from waypoint.fhir.mapping.inbound.records import (
    BUNDLE_TYPES,
    ENTRY_KEYS,
    MAPPING_VERSION,
    STATUSES,
    SUPPORTING_TYPES,
    DiseaseStatusIn,
    EntryRef,
    MappedBundle,
    PatientBundle,
    PatientIn,
    PrimaryIn,
    ReceptorIn,
    SecondaryIn,
)
from waypoint.fhir.mapping.issues import Issue, error, information, warning
from waypoint.fhir.mapping.rules import (
    RULES_VERSION,
    InboundConfig,
    presentation_for,
)

# ---------------------------------------------------------------------------- per person


def _evidence_dates(work: _Work, patient: int) -> list[dt.date]:
    dates: list[dt.date] = []
    dates += [d for _, d, _, _ in work.primary[patient] if d]
    dates += [d for _, d, _ in work.secondary[patient] if d]
    dates += [rec[3] for rec in work.receptors[patient] if rec[3]]
    dates += [m.on for m in work.medications[patient]]
    dates += [b.performed_on for b in work.biopsies[patient]]
    return dates


def _date_or_fallback(
    work: _Work, entry: EntryRef, day: dt.date | None, fallback: dt.date | None, what: str
) -> dt.date | None:
    if day is not None:
        return day
    if work.config.undated == "earliest" and fallback is not None:
        work.issues.append(
            warning(
                "incomplete",
                f"{entry.resource_type}: {what} has no date; recorded on {fallback.isoformat()}, "
                f"the earliest dated cancer record of this person in the bundle "
                f"({RULES_VERSION}). Check the date.",
                entry.path,
            )
        )
        return fallback
    work.issues.append(error("required", f"{entry.resource_type}: {what} has no date.", entry.path))
    return None


def _person(work: _Work, index: int, patient: PatientIn) -> PatientBundle:
    dates = _evidence_dates(work, index)
    fallback = min(dates) if dates else None
    primaries: list[PrimaryIn] = []
    stage_iv = False
    primary_dates: list[dt.date] = []
    receptors: list[ReceptorIn] = []
    for entry, marker, value, day, specimen, loinc, note in work.receptors[index]:
        when = _date_or_fallback(work, entry, day, fallback, f"the {marker.upper()} result")
        if when is not None:
            receptors.append(ReceptorIn(entry, marker, value, when, specimen, loinc, note))
    # The primary's receptors: the latest primary-specimen result of each marker, or one of
    # unknown specimen (usually the diagnostic biopsy) when no primary-specimen result exists.
    primary_status: dict[str, str] = {}
    for specimen in ("unknown", "primary"):
        for rec in sorted(receptors, key=lambda x: x.observed_on):
            if rec.specimen == specimen:
                primary_status[rec.marker] = rec.value
    for entry, day, laterality, iv in work.primary[index]:
        stage_iv = stage_iv or iv
        when = _date_or_fallback(work, entry, day, fallback, "the primary diagnosis")
        if when is None:
            continue
        primary_dates.append(when)
        her2 = primary_status.get("her2", "unknown")
        primaries.append(
            PrimaryIn(
                entry,
                when,
                laterality,
                er=primary_status.get("er", "unknown"),
                pr=primary_status.get("pr", "unknown"),
                her2=her2,
            )
        )
    by_day: dict[dt.date, list[tuple[EntryRef, list[tuple[str, str]]]]] = defaultdict(list)
    for entry, day, sites in work.secondary[index]:
        when = _date_or_fallback(work, entry, day, fallback, "the secondary diagnosis")
        if when is not None:
            by_day[when].append((entry, sites))
    secondaries: list[SecondaryIn] = []
    for day in sorted(by_day):
        group = by_day[day]
        sites = _dedupe([s for _, ss in group for s in ss])
        presentation, reason = presentation_for(
            secondary_on=day,
            primary_on=min(primary_dates) if primary_dates else None,
            primary_stage_iv=stage_iv,
            config=work.config,
        )
        first = group[0][0]
        if presentation is None:
            work.issues.append(
                error(
                    "required",
                    f"Condition: de novo or recurrence cannot be told: {reason}.",
                    first.path,
                )
            )
            continue
        work.issues.append(
            information(
                "informational",
                f"Condition: recorded as {presentation.replace('_', ' ')}: {reason} "
                f"({RULES_VERSION}).",
                first.path,
            )
        )
        secondaries.append(
            SecondaryIn(tuple(e for e, _ in group), day, presentation, reason, tuple(sites))
        )
    first_cancer = min([*primary_dates, *(s.diagnosed_on for s in secondaries)], default=None)
    statuses: list[DiseaseStatusIn] = []
    for status in work.statuses[index]:
        if status.kind == "response" and (first_cancer is None or status.on < first_cancer):
            work.skip(
                status.entry,
                index,
                "Observation: a response dated before any cancer diagnosis in the bundle; not "
                "imported.",
                level="warning",
            )
            continue
        statuses.append(status)
    return PatientBundle(
        patient=patient,
        primaries=tuple(primaries),
        secondaries=tuple(secondaries),
        receptors=tuple(receptors),
        statuses=tuple(statuses),
        medications=tuple(work.medications[index]),
        biopsies=tuple(work.biopsies[index]),
        skipped=tuple(work.skipped[index]),
    )


# ---------------------------------------------------------------------------- the bundle


def wrap_resource(resource: Mapping[str, Any]) -> dict[str, Any]:
    """A single resource (not a Bundle) as a one-entry collection."""
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": dict(resource)}]}


def _entries(bundle: Mapping[str, Any], issues: list[Issue]) -> list[EntryRef]:
    refs: list[EntryRef] = []
    seen_urls: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    listed = bundle.get("entry") or []
    if not isinstance(listed, list):
        issues.append(error("structure", "Bundle.entry must be a list of entries.", "Bundle.entry"))
        return refs
    for i, entry in enumerate(listed):
        path = f"Bundle.entry[{i}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("resource"), Mapping):
            issues.append(error("required", "Each entry needs a resource.", path))
            continue
        request = entry.get("request") or {}
        if not isinstance(request, Mapping) or not all(
            isinstance(request.get(key, ""), str) for key in ("method", "url")
        ):
            issues.append(
                error(
                    "structure",
                    "Bundle.entry.request must be an object with a method and a url, such as "
                    '{"method": "POST", "url": "Patient"}.',
                    f"{path}.request",
                )
            )
            continue
        for key in sorted(set(entry) - ENTRY_KEYS):
            issues.append(
                warning(
                    "structure",
                    f"'{key}' is not an element of Bundle.entry; ignored.",
                    f"{path}.{key}",
                )
            )
        resource = cast(Mapping[str, Any], entry["resource"])
        rt = str(resource.get("resourceType", ""))
        full_url = str(entry.get("fullUrl") or "")
        rid = str(resource.get("id") or "")
        digest = canonical_hash(resource)
        if full_url:
            if full_url in seen_urls:
                issues.append(
                    error(
                        "duplicate",
                        f"fullUrl {full_url} is also Bundle.entry[{seen_urls[full_url]}]'s "
                        "(FHIR bdl-7).",
                        f"{path}.fullUrl",
                    )
                )
            seen_urls.setdefault(full_url, i)
        if rid:
            key = f"{rt}/{rid}"
            if key in seen_ids:
                issues.append(
                    error(
                        "duplicate",
                        f"{key} is also Bundle.entry[{seen_ids[key]}]: one resource, two entries.",
                        f"{path}.resource.id",
                    )
                )
            seen_ids.setdefault(key, i)
        if bundle.get("type") in ("transaction", "batch") and request.get("method") in (
            "DELETE",
            "PATCH",
            "GET",
            "HEAD",
        ):
            issues.append(
                error(
                    "not-supported",
                    f"{request.get('method')} entries are not supported; send POST or PUT.",
                    f"{path}.request.method",
                )
            )
        source_id = f"{rt}/{rid}" if rid else (full_url or f"sha256:{digest}")
        refs.append(EntryRef(i, rt, source_id[:255], full_url[:255], digest, resource))
    return refs


def map_bundle(bundle: Mapping[str, Any], *, config: InboundConfig | None = None) -> MappedBundle:
    """Map a Bundle. Every problem is an issue; a caller writes nothing when any is an error."""
    config = config or InboundConfig()
    issues: list[Issue] = []
    bundle_type = str(bundle.get("type", ""))
    if bundle.get("resourceType") != "Bundle":
        issues.append(error("invalid", "Send a Bundle.", "Bundle.resourceType"))
        return MappedBundle(MAPPING_VERSION, bundle_type, (), tuple(issues), ())
    if bundle_type not in BUNDLE_TYPES:
        issues.append(
            error(
                "not-supported",
                f"Bundle.type must be one of {', '.join(BUNDLE_TYPES)}, not '{bundle_type}'.",
                "Bundle.type",
            )
        )
    shell = {k: v for k, v in bundle.items() if k != "entry"}
    # The envelope is not stored: its own defects (an id with "_", say) are warnings.
    issues.extend(
        warning(i.code, i.diagnostics, *i.expression) for i in validation_issues(shell, "Bundle")
    )
    entries = _entries(bundle, issues)
    for entry in entries:
        issues.extend(validation_issues(entry.raw, entry.path))
        statuses = STATUSES.get(entry.resource_type)
        status = entry.raw.get("status")
        if statuses is not None and status is not None and status not in statuses:
            issues.append(
                error(
                    "code-invalid",
                    f"{entry.resource_type}.status '{status}' is not an R4 status code.",
                    entry.path + ".status",
                )
            )
    work = _Work(config=config, index=_Index(entries), issues=issues)
    for entry in entries:
        if entry.resource_type == "Patient":
            _patient(work, entry)
    handlers = {
        "Condition": _condition,
        "Observation": _observation,
        "MedicationStatement": _medication,
        "MedicationRequest": _medication,
        "MedicationAdministration": _medication,
        "Procedure": _procedure,
    }
    for entry in entries:
        handler = handlers.get(entry.resource_type)
        if handler is not None:
            handler(work, entry)
        elif entry.resource_type in SUPPORTING_TYPES:
            continue
        elif entry.resource_type != "Patient":
            work.skip(
                entry,
                work.patient_of(entry, required=False),
                f"{entry.resource_type}: not a resource type Waypoint imports.",
            )
    people = tuple(_person(work, index, patient) for index, patient in work.patients.items())
    return MappedBundle(MAPPING_VERSION, bundle_type, people, tuple(work.issues), tuple(entries))
