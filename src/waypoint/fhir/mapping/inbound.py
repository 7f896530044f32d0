"""FHIR R4 Bundle → Waypoint values (waypoint-fhir-inbound-1). Pure: no database, no clock.

Every resource is first validated with the fhir.resources **R4B** models (R4B shares R4's
resource definitions for everything mapped here; the package's default models are R5), so two
value[x], a template placeholder where a date belongs or a DSTU2-shaped resource is refused by
a maintained library, and pydantic's message becomes an issue at the element's FHIRPath.
Then each resource is mapped, or skipped with the reason in an issue.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from waypoint.fhir.mapping import codes, drugs
from waypoint.fhir.mapping.issues import Issue, error, information, warning
from waypoint.fhir.mapping.rules import (
    DISEASE_STATUS_RULE,
    RULES_VERSION,
    InboundConfig,
    presentation_for,
    specimen_for,
)
from waypoint.registry.rules.nhs_number import InvalidNhsNumber, normalise_nhs_number

MAPPING_VERSION = RULES_VERSION
BUNDLE_TYPES = ("transaction", "collection", "batch")
MAPPED_TYPES = frozenset(
    {
        "Patient",
        "Condition",
        "Observation",
        "MedicationStatement",
        "MedicationRequest",
        "MedicationAdministration",
        "Procedure",
    }
)
# Resources other resources point at: read for references, not imported themselves.
SUPPORTING_TYPES = frozenset({"Medication", "Specimen"})
ENTRY_KEYS = frozenset(
    {"id", "extension", "modifierExtension", "link", "fullUrl", "resource", "search", "request"}
) | {"response"}
FINISHED = frozenset({"completed", "stopped"})
# R4 status value sets (required bindings) of the resources mapped. The R4B models check the
# form of a code, not its value set, so a template value like "example-status" is caught here.
STATUSES: dict[str, frozenset[str]] = {
    "MedicationStatement": frozenset(
        {
            "active",
            "completed",
            "entered-in-error",
            "intended",
            "stopped",
            "on-hold",
            "unknown",
            "not-taken",
        }
    ),
    "MedicationRequest": frozenset(
        {
            "active",
            "on-hold",
            "cancelled",
            "completed",
            "entered-in-error",
            "stopped",
            "draft",
            "unknown",
        }
    ),
    "MedicationAdministration": frozenset(
        {
            "in-progress",
            "not-done",
            "on-hold",
            "completed",
            "entered-in-error",
            "stopped",
            "unknown",
        }
    ),
    "Observation": frozenset(
        {
            "registered",
            "preliminary",
            "final",
            "amended",
            "corrected",
            "cancelled",
            "entered-in-error",
            "unknown",
        }
    ),
    "Procedure": frozenset(
        {
            "preparation",
            "in-progress",
            "not-done",
            "on-hold",
            "stopped",
            "completed",
            "entered-in-error",
            "unknown",
        }
    ),
}
NOT_HAPPENED = frozenset(
    {"entered-in-error", "not-taken", "not-done", "cancelled", "draft", "intended", "preparation"}
)
RESULT_STATUSES = frozenset({"final", "amended", "corrected"})


# ---------------------------------------------------------------------------- values out


@dataclass(frozen=True)
class EntryRef:
    """One bundle entry, as the import keeps it for provenance."""

    index: int
    resource_type: str
    source_id: str  # "Type/id", else the fullUrl, else "sha256:<hash>"
    full_url: str
    content_hash: str
    raw: Mapping[str, Any] = field(compare=False, repr=False)

    @property
    def path(self) -> str:
        return f"Bundle.entry[{self.index}].resource"


@dataclass(frozen=True)
class PatientIn:
    entry: EntryRef
    given_name: str
    family_name: str
    birth_date: dt.date
    sex: str
    nhs_number: str
    identifiers: tuple[tuple[str, str], ...]
    phone: str = ""
    email: str = ""
    postcode: str = ""
    address: str = ""
    died_on: dt.date | None = None


@dataclass(frozen=True)
class PrimaryIn:
    entry: EntryRef
    diagnosed_on: dt.date
    laterality: str
    er: str = "unknown"
    pr: str = "unknown"
    her2: str = "unknown"


@dataclass(frozen=True)
class SecondaryIn:
    """One metastatic diagnosis; the Conditions of one day are one diagnosis with their sites."""

    entries: tuple[EntryRef, ...]
    diagnosed_on: dt.date
    presentation: str
    presentation_reason: str
    sites: tuple[tuple[str, str], ...]  # (site, detail)


@dataclass(frozen=True)
class ReceptorIn:
    entry: EntryRef
    marker: str
    value: str
    observed_on: dt.date
    specimen: str
    loinc_code: str
    note: str = ""


@dataclass(frozen=True)
class DiseaseStatusIn:
    entry: EntryRef
    on: dt.date
    kind: str  # progression | response
    result: str  # for a response: complete | partial | stable
    note: str


@dataclass(frozen=True)
class MedicationIn:
    entry: EntryRef
    drugs: tuple[str, ...]
    kind: str
    on: dt.date
    ended_on: dt.date | None
    status: str
    curative: bool


@dataclass(frozen=True)
class BiopsyIn:
    entry: EntryRef
    performed_on: dt.date
    site: str
    body_site: str
    snomed_code: str
    note: str


@dataclass(frozen=True)
class SkippedIn:
    entry: EntryRef
    reason: str


@dataclass(frozen=True)
class PatientBundle:
    """Everything in one bundle about one person."""

    patient: PatientIn
    primaries: tuple[PrimaryIn, ...]
    secondaries: tuple[SecondaryIn, ...]
    receptors: tuple[ReceptorIn, ...]
    statuses: tuple[DiseaseStatusIn, ...]
    medications: tuple[MedicationIn, ...]
    biopsies: tuple[BiopsyIn, ...]
    skipped: tuple[SkippedIn, ...]


@dataclass(frozen=True)
class MappedBundle:
    version: str
    bundle_type: str
    patients: tuple[PatientBundle, ...]
    issues: tuple[Issue, ...]
    entries: tuple[EntryRef, ...]

    @property
    def has_errors(self) -> bool:
        return any(i.is_error for i in self.issues)


# ---------------------------------------------------------------------------- helpers


def canonical_hash(resource: Mapping[str, Any]) -> str:
    text = json.dumps(resource, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _pydantic_path(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif "[" in part or "," in part or " " in part:  # a validator's label, not an element
            continue
        else:
            out += f".{part}"
    return out


def validation_issues(resource: Mapping[str, Any], path: str) -> list[Issue]:
    """Validate with the R4B model of the resource's type; each pydantic error is an issue."""
    resource_type = str(resource.get("resourceType", ""))
    try:
        model = get_fhir_model_class(resource_type)
    except KeyError:
        return [error("not-supported", f"'{resource_type}' is not an R4 resource type.", path)]
    try:
        model.model_validate(dict(resource))
    except ValidationError as exc:
        return [
            error(
                "invalid",
                f"{resource_type} is not valid R4: {e['msg']}"
                + (f" (got {str(e['input'])[:60]!r})" if e["type"] != "missing" else ""),
                path + _pydantic_path(e["loc"]),
            )
            for e in exc.errors()
        ]
    return []


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def fhir_date(value: object) -> dt.date | None:
    """The calendar date of a FHIR date or dateTime as written (a dateTime's own offset, not
    converted): the day the clinician recorded. Partial dates (``2019``, ``2019-04``) give None."""
    if not isinstance(value, str):
        return None
    match = _DATE.match(value)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _codings(concept: object) -> list[tuple[str, str, str]]:
    if not isinstance(concept, Mapping):
        return []
    out = []
    for c in concept.get("coding") or []:
        if isinstance(c, Mapping):
            out.append(
                (str(c.get("system", "")), str(c.get("code", "")), str(c.get("display", "")))
            )
    return out


def _text(concept: object) -> str:
    if not isinstance(concept, Mapping):
        return ""
    if concept.get("text"):
        return str(concept["text"])
    for _, _, display in _codings(concept):
        if display:
            return display
    return ""


def _profiles(resource: Mapping[str, Any]) -> set[str]:
    meta = resource.get("meta") or {}
    return {str(p).split("|")[0] for p in meta.get("profile") or []}


def _status(concept: object) -> str:
    for _, code, _ in _codings(concept):
        return code
    return ""


def _extension_codes(resource: Mapping[str, Any], urls: frozenset[str]) -> list[str]:
    found: list[str] = []
    for ext in resource.get("extension") or []:
        if ext.get("url") in urls:
            concept = ext.get("valueCodeableConcept")
            if concept is None and ext.get("valueCoding"):
                concept = {"coding": [ext["valueCoding"]]}
            found.extend(code for _, code, _ in _codings(concept))
    return found


# ---------------------------------------------------------------------------- references


class _Index:
    def __init__(self, entries: list[EntryRef]) -> None:
        self.by_key: dict[str, EntryRef] = {}
        for e in entries:
            if e.full_url:
                self.by_key.setdefault(e.full_url, e)
                tail = "/".join(e.full_url.rstrip("/").split("/")[-2:])
                if "/" in tail and not e.full_url.startswith("urn:"):
                    self.by_key.setdefault(tail, e)
            rid = e.raw.get("id")
            if rid:
                self.by_key.setdefault(f"{e.resource_type}/{rid}", e)

    def resolve(self, reference: object) -> EntryRef | None:
        if not isinstance(reference, Mapping):
            return None
        ref = str(reference.get("reference", ""))
        if not ref:
            return None
        found = self.by_key.get(ref)
        if found is None and not ref.startswith("urn:"):
            found = self.by_key.get("/".join(ref.rstrip("/").split("/")[-2:]))
        return found


# ---------------------------------------------------------------------------- per resource


@dataclass
class _Work:
    """What one pass over the bundle collects, before the per-person rules run."""

    config: InboundConfig
    index: _Index
    issues: list[Issue] = field(default_factory=list)
    patients: dict[int, PatientIn] = field(default_factory=dict)
    primary: dict[int, list[tuple[EntryRef, dt.date | None, str, bool]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    secondary: dict[int, list[tuple[EntryRef, dt.date | None, list[tuple[str, str]]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    receptors: dict[int, list[tuple[EntryRef, str, str, dt.date | None, str, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    statuses: dict[int, list[DiseaseStatusIn]] = field(default_factory=lambda: defaultdict(list))
    medications: dict[int, list[MedicationIn]] = field(default_factory=lambda: defaultdict(list))
    biopsies: dict[int, list[BiopsyIn]] = field(default_factory=lambda: defaultdict(list))
    skipped: dict[int, list[SkippedIn]] = field(default_factory=lambda: defaultdict(list))
    unattached: list[SkippedIn] = field(default_factory=list)
    stage_iv: set[int] = field(default_factory=set)
    condition_kind: dict[int, str] = field(default_factory=dict)  # entry index → primary/metastatic

    def skip(
        self, entry: EntryRef, patient: int | None, reason: str, *, level: str = "info"
    ) -> None:
        make = information if level == "info" else warning
        self.issues.append(
            make("informational" if level == "info" else "not-supported", reason, entry.path)
        )
        skipped = SkippedIn(entry, reason)
        if patient is None:
            self.unattached.append(skipped)
        else:
            self.skipped[patient].append(skipped)

    def patient_of(self, entry: EntryRef, *, required: bool) -> int | None:
        """The entry index of the Patient the resource is about, or None (reported)."""
        subject = entry.raw.get("subject") or entry.raw.get("patient")
        target = self.index.resolve(subject)
        if target is not None and target.resource_type == "Patient":
            return target.index
        if required:
            ref = subject.get("reference") if isinstance(subject, Mapping) else None
            self.issues.append(
                error(
                    "not-found",
                    f"{entry.resource_type}: its patient ({ref or 'no subject'}) is not in the "
                    "bundle. Send the Patient in the same bundle.",
                    entry.path + ".subject",
                )
            )
        return None


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


def _condition_date(r: Mapping[str, Any]) -> dt.date | None:
    onset_period = r.get("onsetPeriod") or {}
    for value in (r.get("onsetDateTime"), onset_period.get("start"), r.get("recordedDate")):
        day = fhir_date(value)
        if day is not None:
            return day
    return None


def _condition_class(r: Mapping[str, Any]) -> tuple[str, list[tuple[str, str]], str]:
    """("primary" | "secondary" | "other", sites, laterality)."""
    profiles = _profiles(r)
    codings = _codings(r.get("code"))
    primary = bool(profiles & codes.PRIMARY_PROFILES)
    secondary = bool(profiles & codes.SECONDARY_PROFILES)
    is_breast = any(
        (s == codes.SNOMED and c in codes.PRIMARY_BREAST_SNOMED)
        or (s in (codes.ICD10, codes.ICD10CM) and c.upper().startswith("C50"))
        for s, c, _ in codings
    )
    sites: list[tuple[str, str]] = []
    for system, code, display in codings:
        if system == codes.SNOMED and codes.is_secondary_snomed(code):
            site = codes.SITE_BY_SECONDARY_SNOMED.get(code, "other")
            detail = "" if site != "other" else display or codes.secondary_display(system, code)
            sites.append((site, detail))
        elif system in (codes.ICD10, codes.ICD10CM):
            site_code = codes.site_for_icd10(code)
            if site_code:
                detail = (
                    "" if site_code != "other" else display or codes.secondary_display(system, code)
                )
                sites.append((site_code, detail))
    body_sites = [codes.SITE_BY_BODY_SITE.get(c) for s, c, _ in _body_site_codings(r)]
    if sites or secondary:
        mapped = [s for s in body_sites if s]
        if mapped:
            specific = [s for s in sites if s[0] != "other"]
            sites = specific + [(m, "") for m in mapped if (m, "") not in specific]
        kind = "secondary"
        if (is_breast and not sites) or (is_breast and not secondary):
            kind = "conflict"
        return kind, _dedupe(sites), ""
    if primary or is_breast:
        return ("primary" if is_breast else "not-breast"), [], _laterality(r)
    return "other", [], ""


def _dedupe(sites: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    for s in sites:
        if s not in seen:
            seen.append(s)
    return seen


def _body_site_codings(r: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for concept in r.get("bodySite") or []:
        out.extend(c for c in _codings(concept) if c[0] == codes.SNOMED)
    return out


def _laterality(r: Mapping[str, Any]) -> str:
    for concept in r.get("bodySite") or []:
        for ext in concept.get("extension") or []:
            if str(ext.get("url", "")).endswith("laterality"):
                for _, code, _ in _codings(ext.get("valueCodeableConcept")):
                    if code in codes.LATERALITY_QUALIFIERS:
                        return codes.LATERALITY_QUALIFIERS[code]
        for _, code, _ in _codings(concept):
            side = codes.BREAST_SITES.get(code)
            if side and side != "unknown":
                return side
    return "unknown"


def _condition(work: _Work, entry: EntryRef) -> None:
    r = entry.raw
    kind, sites, laterality = _condition_class(r)
    if kind == "other":
        patient = work.patient_of(entry, required=False)
        work.skip(
            entry, patient, "Condition: not a breast cancer or metastasis code; not imported."
        )
        return
    if kind == "not-breast":
        patient = work.patient_of(entry, required=False)
        work.skip(
            entry,
            patient,
            "Condition: a primary cancer that is not breast cancer; Waypoint keeps breast cancer "
            "only.",
            level="warning",
        )
        return
    if kind == "conflict":
        work.issues.append(
            error(
                "invalid",
                "Condition: its codings contradict each other (a primary breast cancer and a "
                "secondary cancer code in one concept).",
                entry.path + ".code",
            )
        )
        return
    verification = _status(r.get("verificationStatus"))
    if verification in ("refuted", "entered-in-error"):
        work.skip(entry, work.patient_of(entry, required=False), f"Condition: {verification}.")
        return
    patient = work.patient_of(entry, required=True)
    if patient is None:
        return
    day = _condition_date(r)
    if kind == "primary":
        stage_iv = any(
            _stage_is_iv(_codings(stage.get("summary"))) for stage in r.get("stage") or []
        )
        work.primary[patient].append((entry, day, laterality, stage_iv))
        work.condition_kind[entry.index] = "primary"
        return
    if not sites:
        work.issues.append(
            error(
                "code-invalid",
                "Condition: a secondary cancer whose site Waypoint cannot tell; give the site in "
                "the code or in bodySite.",
                entry.path + ".code",
            )
        )
        return
    work.secondary[patient].append((entry, day, sites))
    work.condition_kind[entry.index] = "metastatic"


def _stage_is_iv(codings: list[tuple[str, str, str]]) -> bool:
    for _, code, display in codings:
        if code.upper().lstrip("CP").startswith("4") or display.upper().startswith("IV"):
            return True
    return False


def _loinc_codes(r: Mapping[str, Any]) -> list[str]:
    return [c for s, c, _ in _codings(r.get("code")) if s == codes.LOINC]


def _observation(work: _Work, entry: EntryRef) -> None:
    r = entry.raw
    loinc = _loinc_codes(r)
    profiles = _profiles(r)
    markers = {codes.RECEPTOR_LOINC[c] for c in loinc if c in codes.RECEPTOR_LOINC}
    if (
        any(c in codes.DISEASE_STATUS_LOINC for c in loinc)
        or profiles & codes.DISEASE_STATUS_PROFILES
    ):
        _disease_status(work, entry)
        return
    if markers:
        _receptor(work, entry, markers, loinc)
        return
    patient = work.patient_of(entry, required=False)
    known = next(
        (codes.KNOWN_SKIPPED_LOINC[c] for c in loinc if c in codes.KNOWN_SKIPPED_LOINC), None
    )
    if known:
        work.skip(entry, patient, f"Observation: {known}.")
    elif profiles & codes.TUMOR_MARKER_PROFILES:
        work.skip(
            entry,
            patient,
            "Observation: a tumour marker other than ER, PR or HER2 "
            f"({', '.join(loinc) or 'no LOINC'}); "
            "not kept by Waypoint.",
        )
    else:
        work.skip(entry, patient, "Observation: not a code Waypoint imports.")


def _answer(r: Mapping[str, Any], marker: str, loinc: list[str]) -> tuple[str | None, str]:
    """The receptor value and a note; None when the resource gives none Waypoint can read."""
    from_value: str | None = None
    for system, code, _ in _codings(r.get("valueCodeableConcept")):
        from_value = codes.ANSWER_CODES.get((system, code)) or from_value
    text = str(r.get("valueString") or _text(r.get("valueCodeableConcept")) or "").strip().lower()
    note = ""
    if marker == "her2":
        score = re.search(r"(?<![0-9])([0-3])\s*\+|ihc\s*([0])\b|^([0])$", text)
        if "her2-low" in text or "her2 low" in text or text == "low":
            from_value = "low"
        elif score and any(c in codes.HER2_IHC_LOINC for c in loinc):
            digit = next(g for g in score.groups() if g is not None)
            from_value = {"0": "negative", "1": "low", "2": "equivocal", "3": "positive"}[digit]
            note = f"IHC {digit}+" if digit != "0" else "IHC 0"
    if from_value is None and text:
        if "equivocal" in text:
            from_value = "equivocal"
        elif text.startswith("pos"):
            from_value = "positive"
        elif text.startswith("neg"):
            from_value = "negative"
    from_interpretation: str | None = None
    for concept in r.get("interpretation") or []:
        for system, code, _ in _codings(concept):
            from_interpretation = codes.ANSWER_CODES.get((system, code)) or from_interpretation
    if (
        from_value
        and from_interpretation
        and from_value != from_interpretation
        and not (from_value == "low" and from_interpretation == "negative")
    ):
        return "conflict", f"value says {from_value}, interpretation says {from_interpretation}"
    value = from_value or from_interpretation
    if value == "equivocal" and marker != "her2":
        return None, "equivocal is not a result Waypoint keeps for ER or PR"
    return value, note


def _specimen_kinds(work: _Work, r: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    focus: list[str] = []
    for ref in r.get("focus") or []:
        target = work.index.resolve(ref)
        if target is not None and target.resource_type == "Condition":
            kind, _, _ = _condition_class(target.raw)
            if kind == "primary":
                focus.append("primary")
            elif kind == "secondary":
                focus.append("metastatic")
    sites = list(_body_site_codings({"bodySite": [r["bodySite"]]} if r.get("bodySite") else {}))
    specimen = work.index.resolve(r.get("specimen"))
    if specimen is not None and specimen.resource_type == "Specimen":
        collection = specimen.raw.get("collection") or {}
        if collection.get("bodySite"):
            sites.extend(_body_site_codings({"bodySite": [collection["bodySite"]]}))
    body: list[str] = []
    for _, code, _ in sites:
        if code in codes.BREAST_SITES:
            body.append("primary")
        elif code in codes.SITE_BY_BODY_SITE:
            body.append("metastatic")
    return focus, body


def _result_status_ok(work: _Work, entry: EntryRef, patient: int | None) -> bool:
    status = str(entry.raw.get("status", ""))
    if status in RESULT_STATUSES:
        return True
    work.skip(
        entry,
        patient,
        f"Observation: status '{status}' is not a final result; not imported.",
        level="warning" if status in ("preliminary", "registered", "unknown") else "info",
    )
    return False


def _receptor(work: _Work, entry: EntryRef, markers: set[str], loinc: list[str]) -> None:
    r = entry.raw
    if len(markers) > 1:
        work.issues.append(
            error(
                "invalid",
                "Observation: its codes name more than one receptor.",
                entry.path + ".code",
            )
        )
        return
    marker = markers.pop()
    patient = work.patient_of(entry, required=True)
    if patient is None or not _result_status_ok(work, entry, patient):
        return
    value, note = _answer(r, marker, loinc)
    if value == "conflict":
        work.issues.append(
            error("invalid", f"Observation: {note}.", entry.path + ".interpretation")
        )
        return
    if value is None:
        work.skip(
            entry,
            patient,
            f"Observation: no {marker.upper()} result Waypoint can read"
            + (f" ({note})" if note else "")
            + "; not imported.",
            level="warning",
        )
        return
    period = r.get("effectivePeriod") or {}
    day = next(
        (
            d
            for d in (
                fhir_date(r.get("effectiveDateTime")),
                fhir_date(period.get("start")),
                fhir_date(r.get("issued")),
            )
            if d is not None
        ),
        None,
    )
    focus, body = _specimen_kinds(work, r)
    specimen = specimen_for(focus_kinds=focus, body_site_kinds=body)
    code = next((c for c in loinc if c in codes.RECEPTOR_LOINC), "")
    work.receptors[patient].append((entry, marker, value, day, specimen, code, note))


def _disease_status(work: _Work, entry: EntryRef) -> None:
    r = entry.raw
    patient = work.patient_of(entry, required=True)
    if patient is None or not _result_status_ok(work, entry, patient):
        return
    value = None
    for system, code, _ in _codings(r.get("valueCodeableConcept")):
        value = codes.DISEASE_STATUS_VALUES.get((system, code)) or value
    if value is None or value not in DISEASE_STATUS_RULE:
        work.skip(
            entry,
            patient,
            "Observation: cancer disease status "
            + ("undetermined" if value == "undetermined" else "with a value Waypoint does not know")
            + "; not imported.",
            level="warning",
        )
        return
    day = fhir_date(r.get("effectiveDateTime")) or fhir_date(
        (r.get("effectivePeriod") or {}).get("start")
    )
    if day is None:
        work.skip(
            entry, patient, "Observation: cancer disease status without a date.", level="warning"
        )
        return
    kind, result = DISEASE_STATUS_RULE[value]
    work.statuses[patient].append(
        DiseaseStatusIn(entry, day, kind, result, f"FHIR cancer disease status: {value}")
    )


def _medication(work: _Work, entry: EntryRef) -> None:
    r = entry.raw
    rt = entry.resource_type
    profiled = bool(_profiles(r) & codes.MEDICATION_PROFILES)
    concept = r.get("medicationCodeableConcept")
    if concept is None:
        target = work.index.resolve(r.get("medicationReference"))
        if target is not None and target.resource_type == "Medication":
            concept = target.raw.get("code")
    codings = _codings(concept)
    names = drugs.classify(codings, _text(concept))
    supportive = [n for n in names if drugs.KIND_BY_NAME[n] == drugs.SUPPORTIVE]
    names = [n for n in names if drugs.KIND_BY_NAME[n] != drugs.SUPPORTIVE]
    label = _text(concept) or ", ".join(f"{s}|{c}" for s, c, _ in codings) or "no code"
    if not names:
        patient = work.patient_of(entry, required=False)
        if supportive:
            work.skip(entry, patient, f"{rt}: {label} is supportive care, not a line of therapy.")
        elif profiled:
            work.issues.append(
                error(
                    "code-unknown",
                    f"{rt}: Waypoint cannot tell what kind of anti-cancer drug '{label}' is "
                    f"(drug table {drugs.DRUG_TABLE_VERSION}); it never guesses. Add the drug "
                    "to the table or leave the resource out.",
                    entry.path
                    + (
                        ".medicationCodeableConcept"
                        if r.get("medicationCodeableConcept")
                        else ".medicationReference"
                    ),
                )
            )
        else:
            work.skip(
                entry, patient, f"{rt}: {label} is not a known anti-cancer drug; not imported."
            )
        return
    status = str(r.get("status", ""))
    patient = work.patient_of(entry, required=True)
    if patient is None:
        return
    if status in NOT_HAPPENED:
        work.skip(entry, patient, f"{rt}: status '{status}'; not imported.")
        return
    period = r.get("effectivePeriod") or {}
    if rt == "MedicationRequest":
        validity = (r.get("dispenseRequest") or {}).get("validityPeriod") or {}
        start = fhir_date(r.get("authoredOn")) or fhir_date(validity.get("start"))
        end = None
    else:
        start = (
            fhir_date(r.get("effectiveDateTime"))
            or fhir_date(period.get("start"))
            or fhir_date(r.get("dateAsserted"))
        )
        end = fhir_date(period.get("end"))
    if start is None:
        work.issues.append(
            error(
                "required",
                f"{rt}: {label} has no date; Waypoint needs when it started.",
                entry.path,
            )
        )
        return
    curative = "373808002" in _extension_codes(r, codes.TREATMENT_INTENT_EXTENSIONS)
    kind = drugs.line_kind(names)
    work.medications[patient].append(
        MedicationIn(entry, tuple(names), kind, start, end, status, curative)
    )


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
    for i, entry in enumerate(bundle.get("entry") or []):
        path = f"Bundle.entry[{i}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("resource"), Mapping):
            issues.append(error("required", "Each entry needs a resource.", path))
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
        request = entry.get("request") or {}
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
