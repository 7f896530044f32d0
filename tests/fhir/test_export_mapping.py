"""The outbound mapping (waypoint-fhir-outbound-1), table by table, without a database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from tests.fhir.export_support import assert_r4b
from waypoint.fhir.mapping.outbound import care, clinical, questionnaires
from waypoint.fhir.mapping.outbound.bundle import Links, searchset
from waypoint.fhir.mapping.outbound.capability import SEARCH_PARAMS, capability_statement
from waypoint.fhir.mapping.outbound.common import MCODE, VERSION
from waypoint.fhir.mapping.outbound.facts import (
    AdmissionFacts,
    AssessmentDueFacts,
    AssessmentFacts,
    BiopsyFacts,
    CarePlanFacts,
    CareTeamFacts,
    ContactFacts,
    CoverFacts,
    DiseaseStatusFacts,
    LineFacts,
    MarkerFacts,
    OrganisationFact,
    PatientFacts,
    PersonRef,
    PlanActionFacts,
    PrimaryFacts,
    ReferralFacts,
    SecondaryFacts,
    SiteFact,
    SymptomItemFacts,
    SymptomReportFacts,
)
from waypoint.registry.rules.codes import METASTATIC_SITES

AT = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 20)
# The development default of WAYPOINT_FHIR_BASE_URL.
CANONICAL = "https://waypoint.example/fhir"
ORG = OrganisationFact("RXX01", "St Elsewhere Hospital")
KATE = PersonRef("Kate Walker", "Clinical nurse specialist")

PATIENT = PatientFacts(
    pk=7,
    nhs_number="9434765919",
    identifiers=(("https://hospital.example/mrn", "MRN123"),),
    given_name="Ada",
    family_name="Lovelace",
    birth_date=dt.date(1960, 5, 17),
    sex="female",
    phone="07700 900000",
    email="ada@example.org",
    preferred_contact_method="email",
    postcode="LS1 4AP",
    address="1 Park Row\nLeeds",
    died_on=None,
    organisation=ORG,
    updated_at=AT,
)
SECONDARY = SecondaryFacts(
    pk=12,
    patient=7,
    diagnosed_on=dt.date(2026, 10, 1),
    presentation_label="Recurrence after earlier breast cancer",
    sites=(SiteFact("bone", "Bone", ""), SiteFact("liver", "Liver", "")),
    primary=3,
    biopsy_decision_label="Not feasible",
    biopsy_not_feasible_reason="Frail",
    recorded_at=AT,
)
MARKER = MarkerFacts(
    id="receptor-4",
    patient=7,
    marker="er",
    value="negative",
    value_label="Negative",
    observed_on=dt.date(2026, 10, 3),
    specimen="metastatic",
    specimen_label="Metastasis",
    loinc_code="",
    note="",
    focus="Condition/secondary-12",
)
LINE = LineFacts(
    pk=4,
    patient=7,
    line_number=1,
    kind_label="Endocrine (hormone) therapy",
    drugs="Letrozole",
    intent="palliative",
    intent_label="Palliative (disease control)",
    started_on=dt.date(2026, 10, 5),
    last_dose_on=None,
    stopped_on=None,
    stop_reason="",
    stop_reason_label="",
    cycles=0,
    reason="Condition/secondary-12",
    recorded_at=AT,
)
CARE_TEAM = CareTeamFacts(
    patient=7,
    team_name="Breast Team A",
    organisation=ORG,
    in_hours_phone="020 7946 0101",
    in_hours_description="Monday to Friday, 9am to 5pm",
    out_of_hours_phone="020 7946 0999",
    team_email="",
    key_worker=KATE,
    key_worker_since=AT,
    covers=(
        CoverFacts(1, PersonRef("Colin Lee"), TODAY, TODAY + dt.timedelta(days=7), "Annual leave"),
        CoverFacts(2, PersonRef("Old Cover"), dt.date(2026, 1, 1), dt.date(2026, 1, 5), "Leave"),
    ),
)
REPORT = SymptomReportFacts(
    pk=9,
    patient=7,
    source="patient",
    source_label="The person, on the portal",
    team_name="Breast Team A",
    reported_at=AT,
    received_at=AT,
    submitted_by=PersonRef("Ada Lovelace"),
    items=(
        SymptomItemFacts("breathlessness", "Breathlessness", "grade", 3),
        SymptomItemFacts("temperature", "Temperature", "measure", 38.4),
        SymptomItemFacts("chest_pain", "Chest pain", "present", True),
        SymptomItemFacts("vomiting", "Vomiting", "count", 2),
    ),
    free_text="Hard to breathe",
    level="red",
    level_label="Red",
    pathways=("neutropenic_sepsis",),
    advice="Call now",
    rules_version="waypoint-triage-1",
    needs_review=False,
    respond_within_minutes=60,
    respond_by=AT + dt.timedelta(hours=1),
    status="open",
    status_label="Waiting for a clinician",
    acknowledged_by=None,
    acknowledged_at=None,
    action_taken="",
    closed_at=None,
    outcome="",
)


def codes(concept: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


def test_patient_carries_the_nhs_number_identifiers_and_managing_organisation() -> None:
    resource = clinical.patient_resource(PATIENT, canonical=CANONICAL)
    assert_r4b(resource)
    assert resource["id"] == "7"
    assert resource["meta"]["profile"] == [MCODE + "mcode-cancer-patient"]
    assert resource["identifier"] == [
        {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"},
        {"system": "https://hospital.example/mrn", "value": "MRN123"},
    ]
    assert resource["name"] == [{"use": "official", "family": "Lovelace", "given": ["Ada"]}]
    assert resource["birthDate"] == "1960-05-17"
    assert resource["gender"] == "female"
    assert resource["address"] == [
        {"use": "home", "line": ["1 Park Row", "Leeds"], "postalCode": "LS1 4AP"}
    ]
    assert resource["managingOrganization"] == {
        "identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "RXX01"},
        "display": "St Elsewhere Hospital",
    }
    # The preferred way to be contacted ranks first.
    assert {"system": "email", "value": "ada@example.org", "rank": 1} in resource["telecom"]
    assert {"system": "phone", "value": "07700 900000"} in resource["telecom"]
    assert "deceasedDateTime" not in resource
    assert {
        "system": "https://waypoint.example/fhir/CodeSystem/mapping-version",
        "code": VERSION,
    } in (resource["meta"]["tag"])


def test_a_death_is_sent_and_a_person_without_nhs_number_or_contact_details_still_parses() -> None:
    bare = dataclasses.replace(
        PATIENT,
        nhs_number="",
        identifiers=(),
        phone="",
        email="",
        postcode="",
        address="",
        died_on=dt.date(2026, 11, 1),
    )
    resource = clinical.patient_resource(bare, canonical=CANONICAL)
    assert_r4b(resource)
    assert resource["deceasedDateTime"] == "2026-11-01"
    assert "identifier" not in resource and "telecom" not in resource and "address" not in resource


def test_primary_condition_is_malignant_neoplasm_of_breast_with_its_side() -> None:
    resource = clinical.primary_condition(
        PrimaryFacts(3, 7, dt.date(2019, 3, 1), "left", "Left", AT), canonical=CANONICAL
    )
    assert_r4b(resource)
    assert resource["id"] == "primary-3"
    assert resource["meta"]["profile"] == [MCODE + "mcode-primary-cancer-condition"]
    assert codes(resource["code"]) == {
        ("http://snomed.info/sct", "254837009"),
        ("http://hl7.org/fhir/sid/icd-10", "C50.9"),
    }
    assert codes(resource["bodySite"][0]) == {("http://snomed.info/sct", "80248007")}
    assert resource["onsetDateTime"] == "2019-03-01"
    assert resource["subject"] == {"reference": "Patient/7"}


@pytest.mark.parametrize("site", METASTATIC_SITES, ids=lambda s: s.code)
def test_each_metastatic_site_sends_its_snomed_and_icd10_codes_and_body_site(site) -> None:  # type: ignore[no-untyped-def]
    detail = "adrenal gland" if site.code == "other" else ""
    facts = dataclasses.replace(SECONDARY, sites=(SiteFact(site.code, site.label, detail),))
    resource = clinical.secondary_condition(facts, canonical=CANONICAL)
    assert_r4b(resource)
    assert codes(resource["code"]) == {
        ("http://snomed.info/sct", site.snomed),
        ("http://hl7.org/fhir/sid/icd-10", site.icd10),
    }
    body = resource["bodySite"][0]
    if site.code == "other":
        assert body == {"text": "Other: adrenal gland"}
    else:
        assert codes(body) == {("http://snomed.info/sct", clinical.BODY_STRUCTURES[site.code][0])}


def test_secondary_condition_lists_every_site_and_points_to_the_primary() -> None:
    resource = clinical.secondary_condition(SECONDARY, canonical=CANONICAL)
    assert_r4b(resource)
    assert resource["id"] == "secondary-12"
    assert resource["meta"]["profile"] == [MCODE + "mcode-secondary-cancer-condition"]
    assert resource["extension"] == [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/condition-related",
            "valueReference": {"reference": "Condition/primary-3"},
        }
    ]
    assert ("http://snomed.info/sct", "94222008") in codes(resource["code"])
    assert ("http://snomed.info/sct", "94381002") in codes(resource["code"])
    assert [b["text"] for b in resource["bodySite"]] == ["Bone", "Liver"]
    assert "Frail" in resource["note"][0]["text"]


def test_secondary_condition_without_a_primary_has_no_related_extension() -> None:
    resource = clinical.secondary_condition(
        dataclasses.replace(SECONDARY, primary=None), canonical=CANONICAL
    )
    assert_r4b(resource)
    assert "extension" not in resource


@pytest.mark.parametrize(
    ("marker", "value", "loinc", "answers"),
    [
        (
            "er",
            "positive",
            "16112-5",
            {("http://loinc.org", "LA6576-8"), ("http://snomed.info/sct", "10828004")},
        ),
        (
            "er",
            "negative",
            "16112-5",
            {("http://loinc.org", "LA6577-6"), ("http://snomed.info/sct", "260385009")},
        ),
        (
            "pr",
            "positive",
            "16113-3",
            {("http://loinc.org", "LA6576-8"), ("http://snomed.info/sct", "10828004")},
        ),
        (
            "her2",
            "negative",
            "48676-1",
            {("http://loinc.org", "LA6577-6"), ("http://snomed.info/sct", "260385009")},
        ),
        ("her2", "low", "48676-1", set()),
        ("her2", "equivocal", "48676-1", set()),
    ],
)
def test_tumour_marker_codes_and_answers(
    marker: str, value: str, loinc: str, answers: set[tuple[str, str]]
) -> None:
    facts = dataclasses.replace(MARKER, marker=marker, value=value, value_label=value.title())
    resource = clinical.tumour_marker(facts, canonical=CANONICAL)
    assert_r4b(resource)
    assert resource["meta"]["profile"] == [MCODE + "mcode-tumor-marker-test"]
    assert codes(resource["code"]) == {("http://loinc.org", loinc)}
    assert codes(resource["valueCodeableConcept"]) == answers
    assert resource["valueCodeableConcept"]["text"] == value.title()


def test_tumour_marker_keeps_its_specimen_and_the_condition_it_describes() -> None:
    resource = clinical.tumour_marker(MARKER, canonical=CANONICAL)
    assert resource["specimen"] == {"reference": "#specimen", "display": "Metastasis"}
    assert resource["contained"][0]["type"] == {"text": "Metastasis"}
    assert resource["focus"] == [{"reference": "Condition/secondary-12"}]
    assert resource["effectiveDateTime"] == "2026-10-03"


def test_tumour_marker_without_a_specimen_says_so_and_an_unknown_value_is_data_absent() -> None:
    resource = clinical.tumour_marker(
        dataclasses.replace(MARKER, specimen="unknown", value="unknown"), canonical=CANONICAL
    )
    assert_r4b(resource)
    assert "specimen" not in resource and "contained" not in resource
    assert "not recorded" in resource["note"][0]["text"]
    assert "valueCodeableConcept" not in resource
    assert codes(resource["dataAbsentReason"]) == {
        ("http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown")
    }


def test_a_recorded_loinc_code_is_kept() -> None:
    resource = clinical.tumour_marker(
        dataclasses.replace(MARKER, loinc_code="85337-4"), canonical=CANONICAL
    )
    assert codes(resource["code"]) == {("http://loinc.org", "85337-4")}


@pytest.mark.parametrize(
    ("kind", "result", "snomed"),
    [
        ("progression", "", "271299001"),
        ("response", "complete", "268910001"),
        ("response", "partial", "268910001"),
        ("response", "stable", "359746009"),
        ("response", "progressive", "271299001"),
    ],
)
def test_disease_status_maps_progression_and_responses(kind: str, result: str, snomed: str) -> None:
    facts = DiseaseStatusFacts(
        f"{kind}-1", 7, TODAY, kind, result, result.title(), "", "Condition/secondary-12"
    )
    resource = clinical.disease_status(facts, canonical=CANONICAL)
    assert_r4b(resource)
    assert resource["meta"]["profile"] == [MCODE + "mcode-cancer-disease-status"]
    assert codes(resource["code"]) == {("http://loinc.org", "97509-4")}
    assert codes(resource["valueCodeableConcept"]) == {("http://snomed.info/sct", snomed)}
    assert resource["focus"] == [{"reference": "Condition/secondary-12"}]


@pytest.mark.parametrize(
    ("stopped_on", "reason", "label", "status", "status_reason"),
    [
        (None, "", "", "active", None),
        (dt.date(2026, 11, 1), "completed", "Completed", "completed", None),
        (dt.date(2026, 11, 1), "progression", "Progression", "stopped", "Progression"),
        (dt.date(2026, 11, 1), "toxicity", "Toxicity", "stopped", "Toxicity"),
        (dt.date(2026, 11, 1), "death", "Death", "stopped", "Death"),
    ],
)
def test_medication_request_status_follows_the_line(
    stopped_on: dt.date | None, reason: str, label: str, status: str, status_reason: str | None
) -> None:
    line = dataclasses.replace(
        LINE, stopped_on=stopped_on, stop_reason=reason, stop_reason_label=label
    )
    resource = clinical.medication_request(line, canonical=CANONICAL)
    assert_r4b(resource)
    assert resource["id"] == "line-4"
    assert resource["meta"]["profile"] == [MCODE + "mcode-cancer-related-medication-request"]
    assert resource["status"] == status
    assert resource.get("statusReason", {}).get("text") == status_reason
    assert resource["intent"] == "order"
    assert resource["medicationCodeableConcept"] == {"text": "Letrozole"}
    bounds = resource["dosageInstruction"][0]["timing"]["repeat"]["boundsPeriod"]
    assert bounds == (
        {"start": "2026-10-05", "end": "2026-11-01"} if stopped_on else {"start": "2026-10-05"}
    )
    assert resource["reasonReference"] == [{"reference": "Condition/secondary-12"}]
    assert "Palliative" in resource["note"][0]["text"]


def test_biopsy_is_a_procedure_at_its_site() -> None:
    resource = clinical.biopsy_procedure(
        BiopsyFacts(5, 7, TODAY, "bone", "Bone", "T10", "", ""), canonical=CANONICAL
    )
    assert_r4b(resource)
    assert codes(resource["code"]) == {("http://snomed.info/sct", "86273004")}
    assert resource["bodySite"][0]["text"] == "Bone: T10"
    assert resource["performedDateTime"] == "2026-11-20"


def test_care_team_names_the_key_worker_and_current_cover_but_not_past_cover() -> None:
    resource = care.care_team(CARE_TEAM, today=TODAY, canonical=CANONICAL)
    assert_r4b(resource)
    assert resource["id"] == "careteam-7"
    key_worker, cover = resource["participant"]
    assert key_worker["member"] == {"display": "Kate Walker, Clinical nurse specialist"}
    assert key_worker["role"] == [{"text": care.KEY_WORKER_ROLE}]
    assert key_worker["period"] == {"start": "2026-11-20T09:30:00+00:00"}
    assert cover["member"] == {"display": "Colin Lee"}
    assert cover["period"] == {"start": "2026-11-20", "end": "2026-11-27"}
    assert resource["managingOrganization"][0]["identifier"]["value"] == "RXX01"
    assert resource["telecom"][0]["value"] == "020 7946 0101"


def test_care_team_of_a_person_who_died_is_inactive() -> None:
    facts = dataclasses.replace(CARE_TEAM, key_worker=None, covers=(), person_died=True)
    resource = care.care_team(facts, today=TODAY, canonical=CANONICAL)
    assert_r4b(resource)
    assert resource["status"] == "inactive"
    assert care.care_team(CARE_TEAM, today=TODAY, canonical=CANONICAL)["status"] == "active"


def test_care_team_without_a_key_worker_says_so() -> None:
    resource = care.care_team(
        dataclasses.replace(CARE_TEAM, key_worker=None, covers=()), today=TODAY, canonical=CANONICAL
    )
    assert_r4b(resource)
    assert "participant" not in resource
    assert "No named key worker" in resource["note"][0]["text"]


def test_care_plan_revisions_chain_and_actions_become_activities() -> None:
    plan = CarePlanFacts(
        pk=2,
        patient=7,
        number=2,
        current=False,
        replaces=1,
        assessment=5,
        agreed_with_person=False,
        note="",
        author=KATE,
        created_at=AT,
        actions=(
            PlanActionFacts(0, "Fatigue clinic", "Key worker", TODAY, "done", "Fatigue"),
            PlanActionFacts(1, "Benefits", "Ada", None, "not_needed", ""),
        ),
    )
    resource = care.care_plan(plan, canonical=CANONICAL)
    assert_r4b(resource)
    assert resource["status"] == "revoked"
    assert resource["replaces"] == [{"reference": "CarePlan/careplan-1"}]
    assert resource["supportingInfo"] == [{"reference": "QuestionnaireResponse/hna-5"}]
    assert [a["detail"]["status"] for a in resource["activity"]] == ["completed", "cancelled"]
    assert resource["activity"][0]["detail"]["scheduledPeriod"] == {"end": "2026-11-20"}
    assert "Not yet agreed" in resource["note"][0]["text"]
    assert (
        care.care_plan(dataclasses.replace(plan, current=True), canonical=CANONICAL)["status"]
        == "active"
    )


@pytest.mark.parametrize(
    ("status", "level", "task_status", "priority"),
    [
        ("open", "emergency", "requested", "stat"),
        ("open", "red", "requested", "asap"),
        ("acknowledged", "amber", "in-progress", "urgent"),
        ("closed", "green", "completed", "routine"),
    ],
)
def test_report_task_status_and_priority(
    status: str, level: str, task_status: str, priority: str
) -> None:
    acknowledged = status != "open"
    facts = dataclasses.replace(
        REPORT,
        status=status,
        level=level,
        level_label=level.title(),
        acknowledged_by=KATE if acknowledged else None,
        acknowledged_at=AT if acknowledged else None,
        closed_at=AT if status == "closed" else None,
    )
    resource = care.report_task(facts, canonical=CANONICAL)
    assert_r4b(resource)
    assert resource["status"] == task_status
    assert resource["priority"] == priority
    assert resource["restriction"] == {"period": {"end": "2026-11-20T10:30:00+00:00"}}
    assert resource["focus"] == {"reference": "QuestionnaireResponse/report-9"}
    assert resource["owner"]["display"] == (
        "Kate Walker, Clinical nurse specialist" if acknowledged else "Breast Team A"
    )


def test_a_due_needs_assessment_is_a_task_with_its_deadline() -> None:
    due = AssessmentDueFacts(
        7,
        dt.date(2026, 10, 1),
        "secondary diagnosis",
        dt.date(2026, 11, 1),
        True,
        "waypoint-hna-due-1",
    )
    resource = care.assessment_due_task(due, canonical=CANONICAL)
    assert_r4b(resource)
    assert resource["id"] == "hna-due-7"
    assert resource["restriction"] == {"period": {"start": "2026-10-01", "end": "2026-11-01"}}
    assert resource["priority"] == "urgent"


@pytest.mark.parametrize(
    ("status", "fhir_status"),
    [
        ("requested", "active"),
        ("accepted", "active"),
        ("booked", "active"),
        ("completed", "completed"),
        ("declined", "revoked"),
        ("cancelled", "revoked"),
    ],
)
def test_referral_lifecycle_maps_to_service_request_status(status: str, fhir_status: str) -> None:
    referral = ReferralFacts(
        pk=3,
        patient=7,
        service_name="Benefits advice",
        service_kind_label="Benefits and money advice",
        provider="Macmillan",
        reason="Money worries",
        status=status,
        status_label=status.title(),
        status_reason="No longer wanted" if status in ("declined", "cancelled") else "",
        self_referral=status == "requested",
        requested_by=KATE,
        requested_at=AT,
        respond_by=TODAY,
        booked_for=AT if status == "booked" else None,
        closed_at=None,
    )
    resource = care.service_request(referral, canonical=CANONICAL)
    assert_r4b(resource)
    assert resource["status"] == fhir_status
    assert resource["extension"][0]["valueCode"] == status
    if referral.self_referral:
        assert resource["requester"] == {"reference": "Patient/7"}


def test_admissions_clinic_visits_and_contacts() -> None:
    admission = care.admission_encounter(
        AdmissionFacts(1, 7, TODAY, None, "Hypercalcaemia", True, ""), canonical=CANONICAL
    )
    assert_r4b(admission)
    assert admission["status"] == "in-progress"
    assert admission["class"]["code"] == "IMP"
    assert admission["priority"]["coding"][0]["code"] == "EM"
    contact = ContactFacts(2, 7, TODAY, "clinic", "Clinic", True, "", KATE)
    clinic = care.clinic_encounter(contact, canonical=CANONICAL)
    assert_r4b(clinic)
    assert clinic["class"]["code"] == "AMB"
    told = care.contact_communication(contact, canonical=CANONICAL)
    assert_r4b(told)
    assert told["extension"] == [
        {
            "url": "https://waypoint.example/fhir/StructureDefinition/key-worker-introduced",
            "valueBoolean": True,
        }
    ]
    letter = care.contact_communication(
        dataclasses.replace(contact, kind="letter", key_worker_introduced=False, note="Results"),
        canonical=CANONICAL,
    )
    assert_r4b(letter)
    assert "extension" not in letter and letter["payload"] == [{"contentString": "Results"}]


def test_symptom_report_answers_match_the_symptom_questionnaire() -> None:
    questionnaire = questionnaires.symptom_questionnaire(canonical=CANONICAL)
    assert_r4b(questionnaire)
    types = {i["linkId"]: i["type"] for i in questionnaire["item"]}
    response = questionnaires.symptom_response(REPORT, canonical=CANONICAL)
    assert_r4b(response)
    answer_type = {
        "integer": "valueInteger",
        "decimal": "valueDecimal",
        "boolean": "valueBoolean",
        "text": "valueString",
    }
    for item in response["item"]:
        (answer,) = item["answer"]
        assert list(answer) == [answer_type[types[item["linkId"]]]], item
    outcome = {e["url"]: e for e in response["extension"][0]["extension"]}
    assert outcome["level"]["valueCoding"]["code"] == "red"
    assert outcome["rulesVersion"]["valueString"] == "waypoint-triage-1"
    assert outcome["respondBy"]["valueDateTime"] == "2026-11-20T10:30:00+00:00"
    assert response["author"] == {"reference": "Patient/7"}
    assert (
        response["questionnaire"]
        == "https://waypoint.example/fhir/Questionnaire/symptoms|waypoint-triage-1"
    )


def test_needs_assessment_response_is_grouped_like_its_questionnaire() -> None:
    questionnaire = questionnaires.hna_questionnaire(canonical=CANONICAL)
    assert_r4b(questionnaire)
    assert questionnaire["id"] == "hna" and questionnaire["version"] == "waypoint-hna-1"
    facts = AssessmentFacts(
        pk=5,
        patient=7,
        questionnaire_version="waypoint-hna-1",
        completed_at=AT,
        mode_label="Portal",
        answers=(("distress", 6), ("physical.fatigue", 8), ("anything_else", "Tired")),
        completed_by=PersonRef("Ada Lovelace"),
        by_person=True,
    )
    response = questionnaires.hna_response(facts, canonical=CANONICAL)
    assert_r4b(response)
    assert response["item"] == [
        {"linkId": "distress", "answer": [{"valueInteger": 6}]},
        {
            "linkId": "physical",
            "text": "Physical",
            "item": [
                {
                    "linkId": "physical.fatigue",
                    "text": "Tiredness, exhaustion or fatigue",
                    "answer": [{"valueInteger": 8}],
                }
            ],
        },
        {"linkId": "anything_else", "answer": [{"valueString": "Tired"}]},
    ]


def test_searchset_bundle_has_total_links_and_full_urls() -> None:
    bundle = searchset(
        base="https://w.example/fhir",
        resources=[clinical.patient_resource(PATIENT, canonical=CANONICAL)],
        total=3,
        links=Links(self="https://w.example/fhir/Patient?_offset=1", next="n", previous="p"),
        canonical=CANONICAL,
    )
    assert_r4b(bundle)
    assert bundle["total"] == 3
    assert [link["relation"] for link in bundle["link"]] == ["self", "previous", "next"]
    assert bundle["entry"][0]["fullUrl"] == "https://w.example/fhir/Patient/7"
    assert bundle["entry"][0]["search"] == {"mode": "match"}


def test_capability_statement_lists_every_type_and_parses() -> None:
    statement = capability_statement(
        base="https://w.example/fhir", software_version="0.1.0", published="2026-12-01"
    )
    assert_r4b(statement)
    assert statement["fhirVersion"] == "4.0.1"
    served = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(served) == set(SEARCH_PARAMS)
    assert {p["name"] for p in served["Patient"]["searchParam"]} >= {
        "identifier",
        "family",
        "birthdate",
        "_id",
        "_count",
    }
    assert served["Patient"]["operation"][0]["name"] == "everything"
    assert "Bearer" in statement["rest"][0]["security"]["description"]


def test_the_r4b_check_rejects_what_r4b_does_not_allow() -> None:
    with pytest.raises(ValueError, match="onsetDate"):
        assert_r4b(
            {
                "resourceType": "Condition",
                "id": "x",
                "subject": {"reference": "Patient/1"},
                "onsetDate": "2026-01-01",
            }
        )
    with pytest.raises(ValueError, match="birthDate"):
        assert_r4b({"resourceType": "Patient", "id": "7", "birthDate": "17/05/1960"})
    with pytest.raises(ValueError, match="status"):
        assert_r4b({"resourceType": "Observation", "id": "7", "code": {"text": "ER"}})
    with pytest.raises(AssertionError, match=r"Patient\.name"):
        assert_r4b({"resourceType": "Patient", "id": "7", "name": []})
