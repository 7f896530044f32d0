"""The two questionnaires Waypoint asks (the symptom report of waypoint-triage-1 and the holistic
needs assessment waypoint-hna-1) and the answers people gave as QuestionnaireResponses."""

from __future__ import annotations

import copy
from typing import Any

from waypoint.assessments.rules import hna
from waypoint.fhir.mapping.outbound.common import (
    EXT_TRIAGE_OUTCOME,
    Resource,
    coding,
    compact,
    display_ref,
    instant,
    meta,
    own,
    patient_ref,
)
from waypoint.fhir.mapping.outbound.facts import AssessmentFacts, SymptomReportFacts
from waypoint.triage.rules.config import thresholds_are_default
from waypoint.triage.rules.grading import RULES_VERSION as TRIAGE_VERSION
from waypoint.triage.rules.vocabulary import SYMPTOMS, Kind

SYMPTOMS_ID = "symptoms"
SYMPTOMS_QUESTIONNAIRE = f"Questionnaire/{SYMPTOMS_ID}"
HNA_ID = "hna"
TRIAGE_LEVEL_SYSTEM = "CodeSystem/triage-level"
FREE_TEXT = "free_text"

# Item type and answer element of each kind of symptom input.
_ITEM_TYPE = {
    Kind.GRADED: ("integer", "valueInteger"),
    Kind.COUNTED: ("integer", "valueInteger"),
    Kind.MEASURED: ("decimal", "valueDecimal"),
    Kind.FEATURE: ("boolean", "valueBoolean"),
}
_ANSWER_BY_KIND = {kind.value: answer for kind, (_, answer) in _ITEM_TYPE.items()}


def hna_questionnaire(*, canonical: str) -> Resource:
    """The questionnaire ``assessments.rules.hna`` already shapes, with its id and our tag."""
    resource = copy.deepcopy(hna.questionnaire_resource(canonical=canonical))
    return {
        "resourceType": "Questionnaire",
        "id": HNA_ID,
        "meta": meta(canonical=canonical),
        **resource,
    }


def symptom_questionnaire(*, canonical: str) -> Resource:
    """Every item a symptom report may carry, in the order a form asks them (red flags first)."""
    items: list[Resource] = []
    for symptom in SYMPTOMS.values():
        item_type, _ = _ITEM_TYPE[symptom.kind]
        item: Resource = {"linkId": symptom.code, "text": symptom.label, "type": item_type}
        if symptom.kind is Kind.GRADED:
            item["extension"] = [
                {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0},
                {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 4},
            ]
        items.append(item)
    items.append({"linkId": FREE_TEXT, "text": "In your own words", "type": "text"})
    return {
        "resourceType": "Questionnaire",
        "id": SYMPTOMS_ID,
        "meta": meta(canonical=canonical),
        "url": own(canonical, SYMPTOMS_QUESTIONNAIRE),
        "version": TRIAGE_VERSION,
        "name": "SymptomReport",
        "title": "Symptom report",
        "status": "active",
        "item": items,
    }


def questionnaires(*, canonical: str) -> list[Resource]:
    return [hna_questionnaire(canonical=canonical), symptom_questionnaire(canonical=canonical)]


def symptom_response(r: SymptomReportFacts, *, canonical: str) -> Resource:
    """What the person (or the nurse for them) reported, exactly as stored, and the graded outcome
    in the triage-outcome extension."""
    items: list[Resource] = [
        {"linkId": i.code, "text": i.label, "answer": [{_ANSWER_BY_KIND[i.kind]: i.value}]}
        for i in r.items
    ]
    if r.free_text:
        items.append({"linkId": FREE_TEXT, "answer": [{"valueString": r.free_text}]})
    outcome: list[Resource] = [
        {
            "url": "level",
            "valueCoding": coding(own(canonical, TRIAGE_LEVEL_SYSTEM), r.level, r.level_label),
        },
        {"url": "rulesVersion", "valueString": r.rules_version},
        {"url": "advice", "valueString": r.advice},
        {"url": "needsReview", "valueBoolean": r.needs_review},
        *({"url": "pathway", "valueCode": p} for p in r.pathways),
    ]
    if r.respond_by is not None:
        outcome.append({"url": "respondBy", "valueDateTime": instant(r.respond_by)})
    if r.thresholds_fingerprint:  # blank for reports graded before it was recorded
        default = thresholds_are_default(r.thresholds_fingerprint, rules_version=r.rules_version)
        outcome.append({"url": "thresholdsFingerprint", "valueString": r.thresholds_fingerprint})
        outcome.append({"url": "thresholdsDefault", "valueBoolean": default})
    author = patient_ref(r.patient) if r.source == "patient" else display_ref(r.submitted_by.name)
    return compact(
        {
            "resourceType": "QuestionnaireResponse",
            "id": f"report-{r.pk}",
            "meta": meta(canonical=canonical),
            "extension": [{"url": own(canonical, EXT_TRIAGE_OUTCOME), "extension": outcome}],
            "questionnaire": f"{own(canonical, SYMPTOMS_QUESTIONNAIRE)}|{r.rules_version}",
            "status": "completed",
            "subject": patient_ref(r.patient),
            "authored": instant(r.reported_at),
            "author": author,
            "source": patient_ref(r.patient) if r.source == "patient" else None,
            "item": items,
        }
    )


def _answer(value: int | str) -> dict[str, Any]:
    return {"valueInteger": value} if isinstance(value, int) else {"valueString": value}


def hna_response(a: AssessmentFacts, *, canonical: str) -> Resource:
    """A completed assessment, grouped as the questionnaire groups its concerns."""
    answers = dict(a.answers)
    items: list[Resource] = []
    if hna.DISTRESS in answers:
        items.append({"linkId": hna.DISTRESS, "answer": [_answer(answers[hna.DISTRESS])]})
    for domain in hna.DOMAINS:
        answered = [
            {"linkId": c.code, "text": c.text, "answer": [_answer(answers[c.code])]}
            for c in domain.concerns
            if c.code in answers
        ]
        if answered:
            items.append({"linkId": domain.code, "text": domain.title, "item": answered})
    if answers.get(hna.FREE_TEXT):
        items.append({"linkId": hna.FREE_TEXT, "answer": [_answer(answers[hna.FREE_TEXT])]})
    if a.by_person:
        author: dict[str, str] | None = patient_ref(a.patient)
    else:
        author = display_ref(a.completed_by.name) if a.completed_by else None
    return compact(
        {
            "resourceType": "QuestionnaireResponse",
            "id": f"hna-{a.pk}",
            "meta": meta(canonical=canonical),
            "questionnaire": f"{hna.questionnaire_url(canonical)}|{a.questionnaire_version}",
            "status": "completed",
            "subject": patient_ref(a.patient),
            "authored": instant(a.completed_at),
            "author": author,
            "source": patient_ref(a.patient) if a.by_person else None,
            "item": items,
        }
    )
