"""Mapping FHIR resources to Waypoint values, without a database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.world import valid_nhs_number
from waypoint.fhir.mapping.inbound import map_bundle

SCT = "http://snomed.info/sct"
LOINC = "http://loinc.org"
MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"


def patient(**extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": "p1",
        "identifier": [
            {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": valid_nhs_number(5)}
        ],
        "name": [{"family": "Jones", "given": ["Ann", "M"]}],
        "gender": "female",
        "birthDate": "1960-02-03",
        **extra,
    }


def bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:uuid:e{i}", "resource": r}
            for i, r in enumerate([patient(), *resources])
        ],
    }


def condition(code: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": f"c{code['code']}",
        "code": {"coding": [code]},
        "subject": {"reference": "urn:uuid:e0"},
        "onsetDateTime": "2024-05-06",
        **extra,
    }


def marker(loinc: str, **value: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": f"o{loinc}",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": loinc}]},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2024-05-07T10:00:00+01:00",
        **value,
    }


def test_patient_maps_demographics_and_the_nhs_number() -> None:
    b = bundle()
    b["entry"][0]["resource"] = patient(
        telecom=[{"system": "phone", "value": "07700 900123"}],
        address=[{"postalCode": "LS1 4AP", "line": ["1 Park Row"], "city": "Leeds"}],
        deceasedDateTime="2025-01-02T03:04:05Z",
    )
    mapped = map_bundle(b)
    p = mapped.patients[0].patient
    assert (p.given_name, p.family_name, p.birth_date, p.sex) == (
        "Ann M",
        "Jones",
        dt.date(1960, 2, 3),
        "female",
    )
    assert (p.nhs_number, p.phone, p.postcode, p.died_on) == (
        valid_nhs_number(5),
        "07700 900123",
        "LS1 4AP",
        dt.date(2025, 1, 2),
    )
    assert p.address == "1 Park Row, Leeds"


@pytest.mark.parametrize(
    ("change", "expression"),
    [
        (
            {
                "identifier": [
                    {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "1234567890"}
                ]
            },
            "identifier[0].value",
        ),
        ({"birthDate": None}, "birthDate"),
        ({"deceasedBoolean": True}, "deceasedBoolean"),
        ({"identifier": []}, "identifier"),
    ],
)
def test_patient_problems_are_errors_at_their_element(
    change: dict[str, Any], expression: str
) -> None:
    b = bundle()
    resource = patient(**change)
    b["entry"][0]["resource"] = {k: v for k, v in resource.items() if v is not None}
    mapped = map_bundle(b)
    assert mapped.has_errors
    assert f"Bundle.entry[0].resource.{expression}" in [
        e for i in mapped.issues for e in i.expression
    ]


@pytest.mark.parametrize(
    ("code", "body_site", "sites"),
    [
        ({"system": SCT, "code": "94222008"}, None, [("bone", "")]),
        ({"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C79.51"}, None, [("bone", "")]),
        ({"system": "http://hl7.org/fhir/sid/icd-10", "code": "C79.5"}, None, [("bone", "")]),
        ({"system": "http://hl7.org/fhir/sid/icd-10", "code": "C78.7"}, None, [("liver", "")]),
        ({"system": SCT, "code": "94181007"}, None, [("distant_lymph_nodes", "")]),
        ({"system": SCT, "code": "128462008"}, "8935007", [("brain", "")]),  # meninges
        ({"system": SCT, "code": "128462008"}, "10200004", [("liver", "")]),
    ],
)
def test_secondary_sites_from_code_or_body_site(
    code: dict[str, str], body_site: str | None, sites: list[tuple[str, str]]
) -> None:
    extra = {"bodySite": [{"coding": [{"system": SCT, "code": body_site}]}]} if body_site else {}
    mapped = map_bundle(bundle(condition(code, **extra)))
    assert not mapped.has_errors
    (secondary,) = mapped.patients[0].secondaries
    assert list(secondary.sites) == sites
    assert secondary.diagnosed_on == dt.date(2024, 5, 6)


def test_a_valueset_code_without_a_listed_site_is_other_with_its_name() -> None:
    mapped = map_bundle(bundle(condition({"system": SCT, "code": "94493005"})))
    assert mapped.patients[0].secondaries[0].sites == (("pleura", ""),)
    mapped = map_bundle(bundle(condition({"system": SCT, "code": "94360002"})))
    ((site, detail),) = mapped.patients[0].secondaries[0].sites
    assert (site, detail) == ("other", "Secondary malignant neoplasm of kidney")


def test_primary_laterality_from_body_site_and_receptors_from_markers() -> None:
    primary = condition(
        {"system": SCT, "code": "254837009"},
        bodySite=[{"coding": [{"system": SCT, "code": "80248007"}]}],
        onsetDateTime="2022-01-10",
    )
    mapped = map_bundle(
        bundle(
            primary,
            marker(
                "16112-5", valueCodeableConcept={"coding": [{"system": LOINC, "code": "LA6576-8"}]}
            ),
            marker(
                "85339-0", valueCodeableConcept={"coding": [{"system": SCT, "code": "260385009"}]}
            ),
            marker("85319-2", valueString="1+"),
        )
    )
    person = mapped.patients[0]
    (p,) = person.primaries
    assert (p.laterality, p.er, p.pr, p.her2) == ("left", "positive", "negative", "low")
    assert [(r.marker, r.value, r.observed_on) for r in person.receptors] == [
        ("er", "positive", dt.date(2024, 5, 7)),
        ("pr", "negative", dt.date(2024, 5, 7)),
        ("her2", "low", dt.date(2024, 5, 7)),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"valueString": "2+"}, "equivocal"),
        ({"valueString": "3+"}, "positive"),
        ({"valueString": "0"}, "negative"),
        ({"valueCodeableConcept": {"coding": [{"system": SCT, "code": "260385009"}]}}, "negative"),
        (
            {
                "interpretation": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                                "code": "POS",
                            }
                        ]
                    }
                ]
            },
            "positive",
        ),
    ],
)
def test_her2_low_only_where_the_data_says_so(value: dict[str, Any], expected: str) -> None:
    mapped = map_bundle(bundle(marker("85319-2", **value)))
    assert [r.value for r in mapped.patients[0].receptors] == [expected]


def test_value_and_interpretation_that_disagree_are_an_error() -> None:
    obs = marker(
        "16112-5",
        valueCodeableConcept={"coding": [{"system": SCT, "code": "10828004"}]},
        interpretation=[
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                        "code": "NEG",
                    }
                ]
            }
        ],
    )
    assert map_bundle(bundle(obs)).has_errors


def test_two_value_x_are_caught_by_the_r4_models() -> None:
    obs = marker(
        "16112-5",
        valueCodeableConcept={"coding": [{"system": SCT, "code": "10828004"}]},
        valueQuantity={"value": 10},
    )
    mapped = map_bundle(bundle(obs))
    assert any(
        i.is_error and i.expression == ("Bundle.entry[1].resource",) and "valid R4" in i.diagnostics
        for i in mapped.issues
    )


@pytest.mark.parametrize(
    ("loinc", "code", "kind", "result"),
    [
        ("97509-4", "271299001", "progression", ""),
        ("88040-1", "359746009", "response", "stable"),
        ("88040-1", "268910001", "response", "partial"),
    ],
)
def test_disease_status(loinc: str, code: str, kind: str, result: str) -> None:
    primary = condition({"system": SCT, "code": "254837009"}, onsetDateTime="2020-01-01")
    status = marker(loinc, valueCodeableConcept={"coding": [{"system": SCT, "code": code}]})
    (s,) = map_bundle(bundle(primary, status)).patients[0].statuses
    assert (s.kind, s.result, s.on) == (kind, result, dt.date(2024, 5, 7))


def test_a_cancer_medication_of_unknown_kind_is_an_error_never_a_guess() -> None:
    med = {
        "resourceType": "MedicationStatement",
        "id": "m1",
        "meta": {"profile": [MCODE + "mcode-cancer-related-medication-statement"]},
        "status": "active",
        "medicationCodeableConcept": {
            "coding": [{"system": "urn:x", "code": "1", "display": "Drug X"}]
        },
        "subject": {"reference": "urn:uuid:e0"},
        "effectiveDateTime": "2024-06-01",
    }
    mapped = map_bundle(bundle(med))
    assert [i.code for i in mapped.issues if i.is_error] == ["code-unknown"]
    del med["meta"]
    mapped = map_bundle(bundle(med))
    assert not mapped.has_errors
    assert "not a known anti-cancer drug" in mapped.patients[0].skipped[0].reason


def test_unsupported_types_are_skipped_with_the_reason() -> None:
    enc = {
        "resourceType": "Encounter",
        "id": "x",
        "status": "finished",
        "class": {"code": "AMB"},
        "subject": {"reference": "urn:uuid:e0"},
    }
    mapped = map_bundle(bundle(enc))
    assert not mapped.has_errors
    assert (
        mapped.patients[0].skipped[0].reason == "Encounter: not a resource type Waypoint imports."
    )


def test_a_wrong_bundle_type_is_refused() -> None:
    b = bundle()
    b["type"] = "searchset"
    assert map_bundle(b).has_errors
