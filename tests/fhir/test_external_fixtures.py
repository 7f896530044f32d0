"""Every external example file goes through the import with the result its content calls for.

The expected values were read from the files themselves (see each folder's README.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fhir.conftest import EXTERNAL, counts, load
from tests.world import World
from waypoint.fhir.importing import bundle_import
from waypoint.fhir.mapping.inbound import wrap_resource
from waypoint.registry.models import Patient, PatientIdentifier

D = dt.date
TRIAL = "mcode-clinical-trial-matching-app/TrialMatching_Patient01.json"
CQL = "mcode-cql/Bundle-mCODECQLExample01.json"
IG_PATIENT = "hl7-fhir-mcode-ig-stu1/Patient-mCODEPatientExample01.json"


def run(world: World, name: str, **kwargs: object):  # type: ignore[no-untyped-def]
    data = load(name)
    if data.get("resourceType") != "Bundle":
        data = wrap_resource(data)
    return bundle_import(actor=world.key_worker, bundle=data, team_id=None, **kwargs)  # type: ignore[arg-type]


def test_every_external_file_is_covered_here() -> None:
    files = sorted(p.relative_to(EXTERNAL).as_posix() for p in EXTERNAL.glob("*/*.json"))
    covered = sorted({TRIAL, CQL, IG_PATIENT, *ACCEPTED_WITHOUT_WRITES, *REJECTED})
    assert files == covered


def test_trial_matching_patient_lands_with_sites_receptors_and_two_lines(world: World) -> None:
    report = run(world, TRIAL)
    assert report.ok and report.written
    patient = Patient.objects.get(identifiers__value="a123")
    assert (patient.given_name, patient.family_name, patient.birth_date, patient.sex) == (
        "Patient B",
        "TrialMatching",
        D(1959, 1, 1),
        "female",
    )
    assert patient.team_id == world.team_a.pk
    assert list(patient.identifiers.values_list("system", "value")) == [
        ("http://hospital.example.org", "a123")
    ]
    # No Condition or tumour marker has a date: each is dated on the earliest medication
    # (2019-04-01), with a warning naming the resource.
    undated = [i for i in report.issues if i.code == "incomplete"]
    assert {e for i in undated for e in i.expression} == {
        f"Bundle.entry[{n}].resource" for n in (1, 3, 4, 5, 6, 7, 8)
    }
    (primary,) = patient.primaries.all()
    assert (primary.diagnosed_on, primary.er, primary.pr, primary.her2) == (
        D(2019, 4, 1),
        "positive",
        "positive",
        "negative",
    )
    (secondary,) = patient.secondaries.all()
    assert secondary.presentation == "de_novo"  # stage.summary "4" (IV)
    assert sorted(secondary.sites.values_list("site", flat=True)) == [
        "bone",
        "distant_lymph_nodes",
        "liver",
    ]
    assert patient.metastatic_diagnosed_on == D(2019, 4, 1)
    assert sorted(patient.receptor_results.values_list("marker", "value", "observed_on")) == [
        ("er", "positive", D(2019, 4, 1)),
        ("her2", "negative", D(2019, 4, 1)),
        ("pr", "positive", D(2019, 4, 1)),
    ]
    lines = list(patient.treatment_lines.order_by("line_number"))
    assert [(ln.line_number, ln.kind, ln.drugs, ln.started_on, ln.stopped_on) for ln in lines] == [
        (1, "targeted", "Abemaciclib, fulvestrant, leuprolide", D(2019, 4, 1), D(2019, 6, 1)),
        (2, "targeted", "Fulvestrant, ribociclib", D(2019, 6, 1), None),
    ]
    assert lines[0].stop_reason == "completed"
    # The stage group, MSI, genetic variants and ECOG are skipped, each with its reason.
    skipped = {
        i.expression[0]
        for i in report.issues
        if i.severity == "information" and i.diagnostics.startswith("Observation:")
    }
    assert skipped >= {f"Bundle.entry[{n}].resource" for n in (2, 9, 10, 11, 17)}


def test_reimporting_a_bundle_changes_nothing(world: World) -> None:
    assert run(world, TRIAL).ok
    before = counts()
    again = run(world, TRIAL)
    assert again.ok
    assert counts() == before  # no row, no audit event of a write
    assert again.unchanged == 18
    assert not again.created


def test_synthea_bundle_of_1670_entries_lands_what_waypoint_keeps(world: World) -> None:
    report = run(world, CQL)
    assert report.ok and report.written
    patient = Patient.objects.get(
        identifiers__value="mCODECQLExample01",
        identifiers__system="http://hospital.smarthealthit.org",
    )
    assert (patient.sex, patient.birth_date, patient.family_name) == (
        "male",
        D(1953, 1, 26),
        "Beier427",
    )
    (primary,) = patient.primaries.all()
    assert (primary.diagnosed_on, primary.er, primary.pr, primary.her2) == (
        D(2020, 1, 10),
        "positive",
        "positive",
        "negative",
    )
    assert not patient.secondaries.exists()  # cM0: no metastatic Condition
    assert sorted(patient.receptor_results.values_list("marker", "value", "specimen")) == [
        ("er", "positive", "primary"),
        ("her2", "negative", "primary"),
        ("her2", "negative", "primary"),
        ("pr", "positive", "primary"),
    ]
    assert list(patient.biopsies.values_list("performed_on", "site", "body_site")) == [
        (D(2020, 1, 10), "", "breast")
    ]
    # Paclitaxel for the early (stage 3C) cancer is not a metastatic line of therapy.
    assert not patient.treatment_lines.exists()
    from waypoint.timeline.models import ResponseAssessment

    # Disease status "improved" on 2020-04-01 is a partial response; the 2019-04-01 one
    # predates the diagnosis and is skipped with a warning.
    assert list(ResponseAssessment.objects.filter(patient=patient).values_list("on", "result")) == [
        (D(2020, 4, 1), "partial")
    ]
    assert any(
        i.severity == "warning" and i.expression == ("Bundle.entry[1].resource",)
        for i in report.issues
    )
    assert patient.imported_resources.count() == ATTRIBUTED_TO_PATIENT


# Entries of the Synthea bundle whose subject/patient is the person (Organization,
# Practitioner, Location and the like have none and are not kept).
ATTRIBUTED_TO_PATIENT = (
    1658  # 1670 less 12 Organization, Practitioner, Location and PractitionerRole entries
)


# Files that import without error but hold nothing Waypoint keeps for a person.
ACCEPTED_WITHOUT_WRITES = {
    # A non-breast primary (NSCLC) is skipped with a warning; stage, TNM and an EGFR marker are
    # skipped as information.
    "hl7-fhir-mcode-ig-stu1/Condition-mCODEPrimaryCancerConditionExample01.json": "warning",
    "hl7-fhir-mcode-ig-stu1/Observation-mCODETNMClinicalDistantMetastasesCategoryExample01.json": "information",  # noqa: E501  # a file name
    "hl7-fhir-mcode-ig-stu1/Observation-mCODETNMClinicalStageGroupExample01.json": "information",
    "hl7-fhir-mcode-ig-stu1/Observation-mCODETumorMarkerExample01.json": "information",
    "mcode-extraction-framework/csv-staging-bundle.json": "information",
    "mcode-extraction-framework/ValueSet-mcode-secondary-cancer-disorder-vs.json": "information",
}


@pytest.mark.parametrize(("name", "severity"), sorted(ACCEPTED_WITHOUT_WRITES.items()))
def test_files_with_nothing_to_keep_write_nothing(world: World, name: str, severity: str) -> None:
    before = counts()
    report = run(world, name)
    assert report.ok
    assert counts() == before
    assert {i.severity for i in report.issues} == {severity}
    assert all(i.expression for i in report.issues)


def test_the_ig_patient_alone_is_registered(world: World) -> None:
    report = run(world, IG_PATIENT)
    assert report.ok
    patient = Patient.objects.get(identifiers__value="m123")
    assert (patient.given_name, patient.family_name, patient.sex, patient.birth_date) == (
        "John B.",
        "Anyperson",
        "male",
        D(1951, 1, 20),
    )
    assert patient.postcode == "12345"


# Files that must be refused whole: (file, the FHIRPaths the outcome must name).
REJECTED = {
    # Resources without their patient.
    "hl7-fhir-mcode-ig-stu1/Condition-mCODESecondaryCancerConditionExample01.json": {
        "Bundle.entry[0].resource.subject"
    },
    "hl7-fhir-mcode-ig-stu1/MedicationStatement-mCODECancerRelatedMedicationStatementExample01.json": {  # noqa: E501  # a file name
        "Bundle.entry[0].resource.subject"
    },
    "hl7-fhir-mcode-ig-stu1/Observation-mCODECancerDiseaseStatusExample01.json": {
        "Bundle.entry[0].resource.subject"
    },
    "mcode-extraction-framework/csv-cancer-disease-status-bundle.json": {
        "Bundle.entry[0].resource.subject"
    },
    # Duplicated entries and ids, and three Observations with two value[x].
    "mcode-clinical-trial-matching-service/patient_data.json": {
        "Bundle.entry[11].fullUrl",
        "Bundle.entry[11].resource.id",
        "Bundle.entry[12].resource.id",
        "Bundle.entry[13].resource.id",
        "Bundle.entry[14].resource.id",
        "Bundle.entry[20].fullUrl",
        "Bundle.entry[21].resource.id",
        "Bundle.entry[2].resource",
        "Bundle.entry[3].resource",
        "Bundle.entry[4].resource",
    },
    # No birthDate (the ECOG/Karnofsky of -1 are not imported, and their patient is elsewhere).
    "mcode-clinical-trial-matching-service/patient_data_missing_birthdate_invalid_ecog_karnofsky.json": {  # noqa: E501  # a file name
        "Bundle.entry[0].resource.birthDate"
    },
    # Template placeholders: YYYY-MM-DD dates, status example-status, an unknown drug.
    "mcode-extraction-framework/csv-medication-request-bundle.json": {
        "Bundle.entry[0].resource.authoredOn",
        "Bundle.entry[0].resource.status",
        "Bundle.entry[0].resource.medicationCodeableConcept",
    },
    "mcode-extraction-framework/csv-medication-administration-bundle.json": {
        "Bundle.entry[0].resource.effectivePeriod.start",
        "Bundle.entry[0].resource.effectivePeriod.end",
        "Bundle.entry[0].resource.status",
    },
    # DSTU2-shaped Conditions; the second also contradicts itself (C79.81 beside a primary).
    "mcode-extraction-framework/condition-with-icd10.json": {
        "Bundle.entry[0].resource.category",
        "Bundle.entry[0].resource.subject",
        "Bundle.entry[0].resource.patient",
    },
    "mcode-extraction-framework/secondary-cancer-condition.json": {
        "Bundle.entry[0].resource.category",
        "Bundle.entry[0].resource.code",
    },
    # The fork's MedicationRequests carry effectiveDateTime (not an R4 element) and its genetic
    # variants a Quantity with a display.
    "essexmanagement-clinical-trial-matching-app/TrialMatching_Patient01.json": {
        "Bundle.entry[10].resource.component[0].valueQuantity.display",
        "Bundle.entry[12].resource.effectiveDateTime",
        "Bundle.entry[13].resource.effectiveDateTime",
    },
}


@pytest.mark.parametrize(("name", "paths"), sorted(REJECTED.items()))
def test_defective_files_are_refused_whole_naming_each_problem(
    world: World, name: str, paths: set[str]
) -> None:
    before = counts()
    report = run(world, name)
    assert not report.ok and not report.written
    assert counts() == before
    named = {e for i in report.issues if i.is_error for e in i.expression}
    assert paths <= named


def test_a_dry_run_checks_without_writing(world: World) -> None:
    before = counts()
    report = run(world, TRIAL, dry_run=True)
    assert report.ok and not report.written
    assert report.created["SecondaryDiagnosis"] == 3  # it went through the services
    assert counts() == before
    assert not PatientIdentifier.objects.filter(value="a123").exists()
