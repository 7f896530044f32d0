"""Audit rows in the words a person reads: what was touched and in which role, never a code.

The trail stores short stable codes (``object_type``, ``actor_role``) so that it can be searched
for years; pages translate them here. A code this table does not know yet is still shown in words
(underscores and CamelCase split), so a new kind of record never appears as ``snake_case``.
"""

from __future__ import annotations

import re

from waypoint.accounts.models import Role

OBJECT_WORDS: dict[str, str] = {
    "Patient": "the person's record",
    "api_token": "API token",
    "sign_in": "sign-in",
    "Biopsy": "biopsy",
    "CarerContact": "carer's details",
    "KeyWorkerAssignment": "key worker",
    "PrimaryDiagnosis": "primary diagnosis",
    "ReceptorResult": "receptor result",
    "SecondaryDiagnosis": "secondary diagnosis",
    "assessment_request": "request for a needs assessment",
    "care_plan": "care and support plan",
    "check_in_outreach": "call about missed check-ins",
    "experience_comment": "comments in the experience survey",
    "experience_response": "answers to the experience survey",
    "experience_results": "experience survey results",
    "helpline_call": "helpline call",
    "needs_assessment": "needs assessment",
    "population_report": "population reports",
    "proxy_access": "a carer's access",
    "referral": "referral",
    "resource_pack_order": "resource pack order",
    "session_booking": "meeting booking",
    "standards_dashboard": "care standards dashboard",
    "standards_not_met": "list of people a care standard is not met for",
    "support_offer": "offer of support",
    "symptom_report": "symptom report",
    "timeline_admission": "hospital admission",
    "timeline_contact": "contact with the team",
    "timeline_mdt": "MDT discussion",
    "timeline_progression": "progression",
    "timeline_response": "response to treatment",
    "treatment_cycle": "treatment cycle",
    "treatment_line": "line of treatment",
    "triage_queue": "triage queue",
    "caseload": "caseload",
}

ROLE_WORDS: dict[str, str] = {
    **dict(Role.choices),
    "system": "Waypoint (automatic)",
    "anonymous": "Unknown (not signed in)",
}

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _words(code: str) -> str:
    return _CAMEL.sub(" ", code).replace("_", " ").strip().lower()


def object_words(object_type: str) -> str:
    """What an audit row touched, in words: "symptom report", "FHIR Observation" stays as is."""
    if object_type in OBJECT_WORDS:
        return OBJECT_WORDS[object_type]
    if object_type.startswith("FHIR "):
        return object_type
    return _words(object_type)


def role_words(role: str) -> str:
    """The role a person acted in, as the staff list names it ("Service manager")."""
    if role in ROLE_WORDS:
        return ROLE_WORDS[role]
    return _words(role).capitalize()
