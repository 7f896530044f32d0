"""Procedure → biopsies."""

from __future__ import annotations

from waypoint.fhir.mapping import codes
from waypoint.fhir.mapping.inbound.common import _codings, _Work, fhir_date
from waypoint.fhir.mapping.inbound.conditions import _body_site_codings
from waypoint.fhir.mapping.inbound.records import BiopsyIn, EntryRef


def _procedure(work: _Work, entry: EntryRef) -> None:
    r = entry.raw
    codings = _codings(r.get("code"))
    biopsy = next(
        ((c, d) for s, c, d in codings if s == codes.SNOMED and c in codes.BIOPSY_SNOMED), None
    )
    if biopsy is None:
        work.skip(
            entry, work.patient_of(entry, required=False), "Procedure: not a biopsy; not imported."
        )
        return
    patient = work.patient_of(entry, required=True)
    if patient is None:
        return
    status = str(r.get("status", ""))
    if status != "completed":
        work.skip(entry, patient, f"Procedure: status '{status}', not completed; not imported.")
        return
    period = r.get("performedPeriod") or {}
    day = fhir_date(r.get("performedDateTime")) or fhir_date(period.get("start"))
    if day is None:
        work.skip(
            entry, patient, "Procedure: biopsy without a date; not imported.", level="warning"
        )
        return
    code, display = biopsy
    site = ""
    body_site = ""
    for _, body_code, body_display in _body_site_codings(r):
        mapped = codes.SITE_BY_BODY_SITE.get(body_code)
        # A lymph node biopsy may be regional (staging), so it never counts as a metastatic one.
        if mapped and mapped != "distant_lymph_nodes" and not site:
            site = mapped
        body_site = body_site or body_display or body_code
    if code in ("122548005", "237372006", "44578009"):
        body_site = body_site or "breast"
    if code == "396487001":
        site, body_site = "", body_site or "sentinel lymph node"
    work.biopsies[patient].append(
        BiopsyIn(entry, day, site, body_site, code, (display or codes.BIOPSY_SNOMED[code])[:200])
    )
