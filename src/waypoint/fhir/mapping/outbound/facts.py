"""What the outbound mapping is given: plain, frozen facts read from the registry and the other
apps by ``waypoint.fhir.export.sources``. Labels arrive already worded (the choices' display
text), so the mapping needs neither Django nor the models."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class OrganisationFact:
    ods_code: str
    name: str


@dataclass(frozen=True)
class PatientFacts:
    pk: int
    nhs_number: str  # "" when not known
    identifiers: tuple[tuple[str, str], ...]  # (system, value), other than the NHS number
    given_name: str
    family_name: str
    birth_date: dt.date
    sex: str  # already a FHIR AdministrativeGender code
    phone: str
    email: str
    preferred_contact_method: str  # phone | sms | email | post | portal
    postcode: str
    address: str
    died_on: dt.date | None
    organisation: OrganisationFact
    updated_at: dt.datetime


@dataclass(frozen=True)
class PrimaryFacts:
    pk: int
    patient: int
    diagnosed_on: dt.date
    laterality: str  # left | right | bilateral | unknown
    laterality_label: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class SiteFact:
    code: str  # a Waypoint site code (registry.rules.codes)
    label: str
    detail: str  # the body site, for "other"


@dataclass(frozen=True)
class SecondaryFacts:
    pk: int
    patient: int
    diagnosed_on: dt.date
    presentation_label: str
    sites: tuple[SiteFact, ...]
    primary: int | None  # the primary diagnosis it is related to
    biopsy_decision_label: str
    biopsy_not_feasible_reason: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class MarkerFacts:
    """One tumour-marker result: a kept ReceptorResult (``source`` "receptor") or the status
    recorded with a primary or secondary diagnosis (``source`` "primary"/"secondary")."""

    id: str
    patient: int
    marker: str  # er | pr | her2
    value: str  # positive | negative | unknown | low | equivocal
    value_label: str
    observed_on: dt.date
    specimen: str  # primary | metastatic | unknown
    specimen_label: str
    loinc_code: str  # "" for the marker's default
    note: str
    focus: str  # "Condition/…" the result describes, or ""


@dataclass(frozen=True)
class DiseaseStatusFacts:
    id: str  # progression-N | response-N
    patient: int
    on: dt.date
    kind: str  # progression | response
    result: str  # for a response: complete | partial | stable | progressive
    result_label: str
    note: str
    focus: str  # "Condition/secondary-N" or ""


@dataclass(frozen=True)
class LineFacts:
    pk: int
    patient: int
    line_number: int
    kind_label: str
    drugs: str
    intent: str  # palliative | curative
    intent_label: str
    started_on: dt.date
    last_dose_on: dt.date | None
    stopped_on: dt.date | None
    stop_reason: str  # progression | toxicity | completed | choice | death | ""
    stop_reason_label: str
    cycles: int
    reason: str  # "Condition/secondary-N" or ""
    recorded_at: dt.datetime


@dataclass(frozen=True)
class BiopsyFacts:
    pk: int
    patient: int
    performed_on: dt.date
    site: str  # a Waypoint site code, or "" for the breast or not known
    site_label: str
    body_site: str
    snomed_code: str
    note: str


@dataclass(frozen=True)
class PersonRef:
    """A member of staff, shown by name: Waypoint does not publish Practitioner resources."""

    name: str
    job_title: str = ""


@dataclass(frozen=True)
class CoverFacts:
    pk: int
    cover: PersonRef
    starts_on: dt.date
    ends_on: dt.date
    reason: str


@dataclass(frozen=True)
class CareTeamFacts:
    patient: int
    team_name: str
    organisation: OrganisationFact
    in_hours_phone: str
    in_hours_description: str
    out_of_hours_phone: str
    team_email: str
    key_worker: PersonRef | None
    key_worker_since: dt.datetime | None
    covers: tuple[CoverFacts, ...]  # current and planned cover for the key worker
    person_died: bool = False


@dataclass(frozen=True)
class PlanActionFacts:
    position: int
    action: str
    owner: str
    due_on: dt.date | None
    status: str  # to_do | in_progress | done | not_needed
    concern_text: str


@dataclass(frozen=True)
class CarePlanFacts:
    pk: int
    patient: int
    number: int
    current: bool
    replaces: int | None  # the revision it replaced
    assessment: int | None
    agreed_with_person: bool
    note: str
    author: PersonRef
    created_at: dt.datetime
    actions: tuple[PlanActionFacts, ...]


@dataclass(frozen=True)
class SymptomItemFacts:
    code: str
    label: str
    kind: str  # grade | count | measure | present
    value: int | float | bool


@dataclass(frozen=True)
class SymptomReportFacts:
    pk: int
    patient: int
    source: str  # patient | helpline | clinician
    source_label: str
    team_name: str
    reported_at: dt.datetime
    received_at: dt.datetime
    submitted_by: PersonRef
    items: tuple[SymptomItemFacts, ...]
    free_text: str
    level: str  # green | amber | red | emergency
    level_label: str
    pathways: tuple[str, ...]
    advice: str
    rules_version: str
    needs_review: bool
    respond_within_minutes: int | None
    respond_by: dt.datetime | None
    status: str  # open | acknowledged | closed
    status_label: str
    acknowledged_by: PersonRef | None
    acknowledged_at: dt.datetime | None
    action_taken: str
    closed_at: dt.datetime | None
    outcome: str
    thresholds_fingerprint: str = ""  # which thresholds graded it; "" when not recorded


@dataclass(frozen=True)
class AssessmentFacts:
    pk: int
    patient: int
    questionnaire_version: str
    completed_at: dt.datetime
    mode_label: str
    answers: tuple[tuple[str, int | str], ...]  # (linkId, answer), as stored
    completed_by: PersonRef | None
    by_person: bool  # completed by the person themself


@dataclass(frozen=True)
class AssessmentDueFacts:
    patient: int
    since: dt.date
    reason: str
    deadline: dt.date
    overdue: bool
    rules_version: str


@dataclass(frozen=True)
class ReferralFacts:
    pk: int
    patient: int
    service_name: str
    service_kind_label: str
    provider: str
    reason: str
    status: str  # requested | accepted | booked | completed | declined | cancelled
    status_label: str
    status_reason: str
    self_referral: bool
    requested_by: PersonRef
    requested_at: dt.datetime
    respond_by: dt.date
    booked_for: dt.datetime | None
    closed_at: dt.datetime | None


@dataclass(frozen=True)
class AdmissionFacts:
    pk: int
    patient: int
    admitted_on: dt.date
    discharged_on: dt.date | None
    reason: str
    unplanned: bool
    note: str


@dataclass(frozen=True)
class ContactFacts:
    pk: int
    patient: int
    on: dt.date
    kind: str  # call | clinic | letter | portal
    kind_label: str
    key_worker_introduced: bool
    note: str
    recorded_by: PersonRef
