from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from waypoint.core.bounds import InputDate
from waypoint.registry.models import Patient, SecondaryDiagnosis
from waypoint.registry.rules.codes import SITES_BY_CODE
from waypoint.registry.rules.subtype import receptor_subtype
from waypoint.registry.selectors import current_key_worker, current_receptors


class IdentifierSchema(Schema):
    system: str = Field(max_length=255)
    value: str = Field(max_length=100)


class PatientCreateIn(Schema):
    nhs_number: str | None = Field(default=None, max_length=20)
    given_name: str = Field(max_length=100)
    family_name: str = Field(max_length=100)
    birth_date: InputDate
    sex: str
    team: int | None = None
    postcode: str = Field(default="", max_length=10)
    address: str = Field(default="", max_length=500)
    phone: str = Field(default="", max_length=32)
    email: str = Field(default="", max_length=254)
    preferred_contact_method: str = "phone"
    identifiers: list[IdentifierSchema] = []


class PatientPatchIn(Schema):
    nhs_number: str | None = Field(default=None, max_length=20)
    given_name: str | None = Field(default=None, max_length=100)
    family_name: str | None = Field(default=None, max_length=100)
    birth_date: InputDate | None = None
    sex: str | None = None
    postcode: str | None = Field(default=None, max_length=10)
    address: str | None = Field(default=None, max_length=500)
    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=254)
    preferred_contact_method: str | None = None
    died_on: InputDate | None = None


class SiteOut(Schema):
    code: str
    label: str
    snomed_code: str
    detail: str


class SecondaryDiagnosisOut(Schema):
    id: int
    diagnosed_on: dt.date
    presentation: str
    sites: list[SiteOut]
    er: str
    pr: str
    her2: str
    receptors_assessed_on: dt.date | None
    biopsy_decision: str
    biopsy_not_feasible_reason: str

    @staticmethod
    def build(diagnosis: SecondaryDiagnosis) -> SecondaryDiagnosisOut:
        return SecondaryDiagnosisOut(
            id=diagnosis.pk,
            diagnosed_on=diagnosis.diagnosed_on,
            presentation=diagnosis.presentation,
            sites=[
                SiteOut(
                    code=s.site,
                    label=SITES_BY_CODE[s.site].label,
                    snomed_code=s.snomed_code,
                    detail=s.detail,
                )
                for s in diagnosis.sites.all()
            ],
            er=diagnosis.er,
            pr=diagnosis.pr,
            her2=diagnosis.her2,
            receptors_assessed_on=diagnosis.receptors_assessed_on,
            biopsy_decision=diagnosis.biopsy_decision,
            biopsy_not_feasible_reason=diagnosis.biopsy_not_feasible_reason,
        )


class SiteIn(Schema):
    code: str
    detail: str = Field(default="", max_length=200)


class SecondaryDiagnosisIn(Schema):
    diagnosed_on: InputDate
    presentation: str
    sites: list[str | SiteIn] = Field(min_length=1)
    er: str = ""
    pr: str = ""
    her2: str = ""
    receptors_assessed_on: InputDate | None = None
    biopsy_decision: str = "not_decided"
    biopsy_not_feasible_reason: str = Field(default="", max_length=300)


class PrimaryDiagnosisIn(Schema):
    diagnosed_on: InputDate
    laterality: str
    er: str
    pr: str
    her2: str


class PrimaryDiagnosisOut(Schema):
    id: int
    diagnosed_on: dt.date
    laterality: str
    er: str
    pr: str
    her2: str


class CarerIn(Schema):
    name: str = Field(max_length=200)
    relationship: str = Field(max_length=100)
    phone: str = Field(default="", max_length=32)
    email: str = Field(default="", max_length=254)
    consent_given_on: InputDate | None = None
    consent_scope: str = Field(default="", max_length=300)


class CarerOut(Schema):
    id: int
    name: str
    relationship: str
    phone: str
    email: str
    consent_given_on: dt.date
    consent_scope: str
    consent_withdrawn_on: dt.date | None


class KeyWorkerBrief(Schema):
    id: int
    name: str


class PatientOut(Schema):
    id: int
    nhs_number: str | None
    identifiers: list[IdentifierSchema]
    given_name: str
    family_name: str
    birth_date: dt.date
    sex: str
    postcode: str
    phone: str
    email: str
    preferred_contact_method: str
    life_status: str
    died_on: dt.date | None
    team: int
    team_name: str
    metastatic_diagnosed_on: dt.date | None
    receptor_subtype: str
    key_worker: KeyWorkerBrief | None

    @staticmethod
    def build(patient: Patient, *, with_identifiers: bool = True) -> PatientOut:
        er, pr, her2, _ = current_receptors(patient)
        kw = current_key_worker(patient)
        key_worker = KeyWorkerBrief(id=kw.pk, name=kw.display_name) if kw else None
        return PatientOut(
            id=patient.pk,
            nhs_number=patient.nhs_number,
            identifiers=[
                IdentifierSchema(system=i.system, value=i.value)
                for i in (patient.identifiers.all() if with_identifiers else [])
            ],
            given_name=patient.given_name,
            family_name=patient.family_name,
            birth_date=patient.birth_date,
            sex=patient.sex,
            postcode=patient.postcode,
            phone=patient.phone,
            email=patient.email,
            preferred_contact_method=patient.preferred_contact_method,
            life_status="alive" if patient.died_on is None else "died",
            died_on=patient.died_on,
            team=patient.team_id,
            team_name=patient.team.name,
            metastatic_diagnosed_on=patient.metastatic_diagnosed_on,
            receptor_subtype=receptor_subtype(er, pr, her2) if er else "unknown",
            key_worker=key_worker,
        )


class PatientDetailOut(PatientOut):
    primary_diagnoses: list[PrimaryDiagnosisOut]
    secondary_diagnoses: list[SecondaryDiagnosisOut]
    carers: list[CarerOut]


class PatientPage(Schema):
    items: list[PatientOut]
    count: int
    page: int
    pages: int
